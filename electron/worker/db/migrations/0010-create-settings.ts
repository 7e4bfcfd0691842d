import type { Migration } from './types.js';

export const m0010: Migration = {
  version: 10,
  name: 'create-settings',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL  -- JSON
      ) STRICT;
    `);
  },
};
