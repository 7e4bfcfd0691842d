import type { Migration } from './types.js';

export const m0030: Migration = {
  version: 30,
  name: 'create-audit-events',
  up(db) {
    db.exec(`
      CREATE TABLE audit_events (
        id          INTEGER PRIMARY KEY,
        at          TEXT NOT NULL,
        action      TEXT NOT NULL,
        detail      TEXT NOT NULL DEFAULT '{}',  -- JSON, never secrets
        uploaded_at TEXT                          -- set when shipped to the warehouse's audit table
      ) STRICT;
      CREATE INDEX audit_events_pending ON audit_events (id) WHERE uploaded_at IS NULL;
    `);
  },
};
