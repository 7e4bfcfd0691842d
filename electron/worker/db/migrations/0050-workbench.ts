import type { Migration } from './types.js';

/** Saved analyses and dashboards, reports synced from (or published to) the warehouse, and authorship. */
export const m0050: Migration = {
  version: 50,
  name: 'workbench',
  up(db) {
    db.exec(`
      CREATE TABLE analyses (
        id          TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        tags        TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
        extract     TEXT NOT NULL,
        chart_type  TEXT,
        spec        TEXT NOT NULL,               -- JSON AnalysisSpec, as parsed
        thumbnail   TEXT,                        -- PNG data URL
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX analyses_updated ON analyses (updated_at);

      CREATE TABLE dashboards (
        id           TEXT PRIMARY KEY,
        title        TEXT NOT NULL,
        description  TEXT NOT NULL DEFAULT '',
        tiles        TEXT NOT NULL DEFAULT '[]', -- JSON DashboardTile[]
        filters      TEXT NOT NULL DEFAULT '[]', -- JSON Filter[]
        cross_filter INTEGER NOT NULL DEFAULT 1,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX dashboards_updated ON dashboards (updated_at);

      -- A report goes with the connection it came from (removing the connection removes its reports).
      CREATE TABLE reports (
        name          TEXT PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
        title         TEXT NOT NULL,
        description   TEXT NOT NULL DEFAULT '',
        definition    TEXT NOT NULL,             -- JSON ReportDefinition
        extracts      TEXT NOT NULL,             -- JSON array of extract names
        roles         TEXT NOT NULL,             -- JSON array of warehouse roles
        published_by  TEXT NOT NULL,
        published_at  TEXT NOT NULL,
        synced_at     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX reports_connection ON reports (connection_id);

      -- strongroom.is_author() at the last sync: 1 author, 0 viewer only, NULL not known yet.
      ALTER TABLE connections ADD COLUMN author INTEGER;
    `);
  },
};
