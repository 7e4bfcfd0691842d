/**
 * Puts an extract straight into an unlocked cache, laid out exactly as a sync leaves it (a version
 * table plus its `extracts` and `extract_versions` rows), without a warehouse. For engine tests and
 * benchmarks that need many rows fast; the sync tests cover how real extracts arrive.
 */
import type { Db } from '../../electron/worker/db/cipher.js';
import { sqlIdent, versionTableName } from '../../electron/worker/db/repositories/local-extracts.js';
import { converterFor, sqliteType, storageFor, type ColumnInfo } from '../../electron/worker/sync/types.js';

export interface SeedOptions {
  name: string;
  /** Warehouse column names and PostgreSQL types, e.g. `{name: 'amount', pgType: 'numeric(14,2)'}`. */
  columns: Array<{ name: string; pgType: string }>;
  /**
   * Rows as arrays in column order. Values are either already in cache form (numbers, ISO strings,
   * 0/1 booleans) or, with `copyText`, PostgreSQL COPY text converted the way sync converts it.
   */
  rows: Iterable<ReadonlyArray<unknown>>;
  copyText?: boolean;
  version?: number;
  /** Lease end (ISO); default 30 days from now. */
  leaseExpiresAt?: string;
  syncedAt?: string;
  connectionId?: string | null;
}

export function seedExtract(db: Db, options: SeedOptions): { table: string; rows: number } {
  const columns: ColumnInfo[] = options.columns.map((c) => ({ name: c.name, pgType: c.pgType, storage: storageFor(c.pgType) }));
  const version = options.version ?? 1;
  const table = versionTableName(options.name, version);
  const converters = columns.map((c) => converterFor(c.storage));
  const syncedAt = options.syncedAt ?? new Date().toISOString();
  let count = 0;
  db.transaction(() => {
    const old = db.prepare('SELECT table_name FROM extracts WHERE name = ?').get(options.name) as { table_name: string | null } | undefined;
    if (old?.table_name) db.exec(`DROP TABLE IF EXISTS ${sqlIdent(old.table_name)}`);
    db.exec(`DROP TABLE IF EXISTS ${sqlIdent(table)}`);
    db.exec(`CREATE TABLE ${sqlIdent(table)} (${columns.map((c) => `${sqlIdent(c.name)} ${sqliteType(c.storage)}`).join(', ')})`);
    const insert = db.prepare(`INSERT INTO ${sqlIdent(table)} VALUES (${columns.map(() => '?').join(', ')})`);
    for (const row of options.rows) {
      insert.run(options.copyText ? row.map((v, i) => (v === null ? null : converters[i]!(String(v)))) : (row as unknown[]));
      count++;
    }
    db.prepare(
      `INSERT INTO extracts (name, title, description, classification, row_count, synced_at, lease_expires_at, allowed_exports,
         connection_id, primary_key, lease_days, version, table_name, columns, hidden_columns)
       VALUES (?, ?, '', 'internal', ?, ?, ?, '["csv","xlsx","pptx","pdf","png"]', ?, '[]', 30, ?, ?, ?, '[]')
       ON CONFLICT (name) DO UPDATE SET row_count = excluded.row_count, synced_at = excluded.synced_at,
         lease_expires_at = excluded.lease_expires_at, version = excluded.version, table_name = excluded.table_name, columns = excluded.columns`,
    ).run(
      options.name,
      options.name,
      count,
      syncedAt,
      options.leaseExpiresAt ?? new Date(Date.now() + 30 * 86_400_000).toISOString(),
      options.connectionId ?? null,
      version,
      table,
      JSON.stringify(columns),
    );
    db.prepare('INSERT OR REPLACE INTO extract_versions (extract, version, columns, change, created_at) VALUES (?, ?, ?, NULL, ?)').run(
      options.name,
      version,
      JSON.stringify(columns),
      syncedAt,
    );
  })();
  return { table, rows: count };
}
