import type { Migration } from './types.js';

export const m0020: Migration = {
  version: 20,
  name: 'create-extracts',
  up(db) {
    db.exec(`
      CREATE TABLE extracts (
        name             TEXT PRIMARY KEY,
        title            TEXT NOT NULL,
        description      TEXT NOT NULL DEFAULT '',
        classification   TEXT NOT NULL CHECK (classification IN ('public','internal','confidential','restricted')),
        row_count        INTEGER NOT NULL DEFAULT 0,
        synced_at        TEXT,
        lease_expires_at TEXT,
        allowed_exports  TEXT NOT NULL DEFAULT '[]'  -- JSON array of formats
      ) STRICT;
    `);
  },
};
