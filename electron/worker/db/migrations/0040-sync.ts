import type { Migration } from './types.js';

export const m0040: Migration = {
  version: 40,
  name: 'sync',
  up(db) {
    db.exec(`
      CREATE TABLE connections (
        id             TEXT PRIMARY KEY,
        name           TEXT NOT NULL UNIQUE,
        host           TEXT NOT NULL,
        port           INTEGER NOT NULL,
        database       TEXT NOT NULL,
        user           TEXT NOT NULL,
        tls_mode       TEXT NOT NULL,
        ca_cert        TEXT,
        client_cert    TEXT,
        secret         BLOB,            -- sealed {password, clientKey}: AES-256-GCM, key derived from the cache key
        is_demo        INTEGER NOT NULL DEFAULT 0,
        created_at     TEXT NOT NULL,
        last_tested_at TEXT
      ) STRICT;

      ALTER TABLE extracts ADD COLUMN connection_id TEXT;
      ALTER TABLE extracts ADD COLUMN warehouse_user TEXT;
      ALTER TABLE extracts ADD COLUMN source TEXT;
      ALTER TABLE extracts ADD COLUMN primary_key TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE extracts ADD COLUMN incremental_column TEXT;
      ALTER TABLE extracts ADD COLUMN tracks_deletes INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE extracts ADD COLUMN lease_days INTEGER NOT NULL DEFAULT 30;
      ALTER TABLE extracts ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE extracts ADD COLUMN table_name TEXT;       -- the physical table of the current version
      ALTER TABLE extracts ADD COLUMN columns TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE extracts ADD COLUMN hidden_columns TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE extracts ADD COLUMN watermark TEXT;
      ALTER TABLE extracts ADD COLUMN last_sync_started_at TEXT;
      ALTER TABLE extracts ADD COLUMN last_keyset_at TEXT;

      CREATE TABLE extract_versions (
        extract    TEXT NOT NULL,
        version    INTEGER NOT NULL,
        columns    TEXT NOT NULL,
        change     TEXT,               -- JSON {added, removed, retyped} against the previous version
        created_at TEXT NOT NULL,
        PRIMARY KEY (extract, version)
      ) STRICT;

      CREATE TABLE sync_runs (
        id             INTEGER PRIMARY KEY,
        extract        TEXT NOT NULL,
        connection_id  TEXT,
        warehouse_user TEXT,
        mode           TEXT NOT NULL,
        status         TEXT NOT NULL,
        started_at     TEXT NOT NULL,
        finished_at    TEXT,
        rows_read      INTEGER NOT NULL DEFAULT 0,
        rows_deleted   INTEGER NOT NULL DEFAULT 0,
        bytes          INTEGER NOT NULL DEFAULT 0,
        message        TEXT
      ) STRICT;
      CREATE INDEX sync_runs_extract ON sync_runs (extract, id);
    `);
  },
};
