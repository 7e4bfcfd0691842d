import { createHash } from 'node:crypto';
import type { ColumnInfo } from '../../sync/types.js';
import { StrongroomError } from '../../../../shared/errors.js';
import type { Db } from '../cipher.js';

/** The sync engine's view of one local extract (a row of `extracts`). */
export interface LocalExtract {
  name: string;
  connectionId: string | null;
  warehouseUser: string | null;
  source: string | null;
  primaryKey: string[];
  incrementalColumn: string | null;
  tracksDeletes: boolean;
  leaseDays: number;
  version: number;
  tableName: string | null;
  columns: ColumnInfo[];
  /** Columns the warehouse withheld from this user. */
  hiddenColumns: string[];
  watermark: string | null;
  lastSyncStartedAt: string | null;
  lastKeysetAt: string | null;
  rowCount: number;
  syncedAt: string | null;
  leaseExpiresAt: string | null;
}

interface Row {
  name: string;
  connection_id: string | null;
  warehouse_user: string | null;
  source: string | null;
  primary_key: string;
  incremental_column: string | null;
  tracks_deletes: number;
  lease_days: number;
  version: number;
  table_name: string | null;
  columns: string;
  hidden_columns: string;
  watermark: string | null;
  last_sync_started_at: string | null;
  last_keyset_at: string | null;
  row_count: number;
  synced_at: string | null;
  lease_expires_at: string | null;
}

function fromRow(r: Row): LocalExtract {
  return {
    name: r.name,
    connectionId: r.connection_id,
    warehouseUser: r.warehouse_user,
    source: r.source,
    primaryKey: JSON.parse(r.primary_key) as string[],
    incrementalColumn: r.incremental_column,
    tracksDeletes: r.tracks_deletes === 1,
    leaseDays: r.lease_days,
    version: r.version,
    tableName: r.table_name,
    columns: JSON.parse(r.columns) as ColumnInfo[],
    hiddenColumns: JSON.parse(r.hidden_columns) as string[],
    watermark: r.watermark,
    lastSyncStartedAt: r.last_sync_started_at,
    lastKeysetAt: r.last_keyset_at,
    rowCount: r.row_count,
    syncedAt: r.synced_at,
    leaseExpiresAt: r.lease_expires_at,
  };
}

export function getLocalExtract(db: Db, name: string): LocalExtract | null {
  const row = db.prepare('SELECT * FROM extracts WHERE name = ?').get(name) as Row | undefined;
  return row ? fromRow(row) : null;
}

export function allLocalExtracts(db: Db): LocalExtract[] {
  return (db.prepare('SELECT * FROM extracts ORDER BY name').all() as Row[]).map(fromRow);
}

/** SQLite identifier quoting. Names are also restricted to a safe alphabet where we make them. */
export function sqlIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A physical table name for an extract version: a readable slug plus a hash, never user-controlled SQL. */
export function versionTableName(extract: string, version: number): string {
  const slug = extract.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 40);
  const hash = createHash('sha256').update(extract).digest('hex').slice(0, 8);
  return `x_${slug}_${hash}_v${version}`;
}

export function stagingTableName(extract: string): string {
  return `stage_${versionTableName(extract, 0).slice(2, -3)}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Drops staging tables left by an interrupted sync and version tables nothing points at. */
export function dropOrphanTables(db: Db): string[] {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'stage\\_%' ESCAPE '\\' OR name LIKE 'x\\_%' ESCAPE '\\')").all() as Array<{ name: string }>).map((r) => r.name);
  const live = new Set((db.prepare('SELECT table_name FROM extracts WHERE table_name IS NOT NULL').all() as Array<{ table_name: string }>).map((r) => r.table_name));
  const orphans = tables.filter((t) => !live.has(t));
  for (const t of orphans) db.exec(`DROP TABLE ${sqlIdent(t)}`);
  return orphans;
}

/** Throws LEASE_EXPIRED or NOT_FOUND unless the extract may be read now. */
export function requireReadable(db: Db, name: string, now = new Date()): LocalExtract {
  const local = getLocalExtract(db, name);
  if (!local || !local.tableName) throw new StrongroomError('NOT_FOUND', `No extract "${name}" in this cache. Sync it first.`);
  if (local.leaseExpiresAt && new Date(local.leaseExpiresAt) <= now) {
    throw new StrongroomError('LEASE_EXPIRED', `The offline lease of "${name}" ended on ${local.leaseExpiresAt}. Connect to the warehouse and sync it to read it again.`, {
      leaseExpiresAt: local.leaseExpiresAt,
    });
  }
  return local;
}
