import type { Migration } from './types.js';

/**
 * Saved forecast runs. A run holds the extract's figures (history and forecasts), so it goes with its
 * extract: when the extract is purged (access revoked in the warehouse, or a different user), the
 * foreign key deletes its runs too, and the offline copy keeps no data its owner may no longer see.
 */
export const m0060: Migration = {
  version: 60,
  name: 'forecasts',
  up(db) {
    db.exec(`
      CREATE TABLE forecast_runs (
        id          TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        extract     TEXT NOT NULL REFERENCES extracts (name) ON DELETE CASCADE,
        created_at  TEXT NOT NULL,
        summary     TEXT NOT NULL,  -- JSON ForecastRunSummary
        run         TEXT NOT NULL   -- JSON ForecastRun
      ) STRICT;
      CREATE INDEX forecast_runs_created ON forecast_runs (created_at);
      CREATE INDEX forecast_runs_extract ON forecast_runs (extract);
    `);
  },
};
