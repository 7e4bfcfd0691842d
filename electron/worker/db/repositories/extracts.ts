import type { Classification, ExtractSchema, ExtractSummary, RowPage } from '../../../../shared/contracts/extracts.js';
import type { Db } from '../cipher.js';
import { requireReadable, sqlIdent } from './local-extracts.js';

interface ExtractRow {
  name: string;
  title: string;
  description: string;
  classification: Classification;
  row_count: number;
  synced_at: string | null;
  lease_expires_at: string | null;
  allowed_exports: string;
  version: number;
  warehouse_user: string | null;
  hidden_columns: string;
}

export function countExtracts(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM extracts').get() as { n: number }).n;
}

export function listExtracts(db: Db, now = new Date()): ExtractSummary[] {
  const rows = db.prepare('SELECT * FROM extracts ORDER BY name').all() as ExtractRow[];
  return rows.map((r) => ({
    name: r.name,
    title: r.title,
    description: r.description,
    classification: r.classification,
    rowCount: r.row_count,
    syncedAt: r.synced_at,
    leaseExpiresAt: r.lease_expires_at,
    allowedExports: JSON.parse(r.allowed_exports) as string[],
    version: r.version,
    warehouseUser: r.warehouse_user,
    hiddenColumns: JSON.parse(r.hidden_columns) as string[],
    leaseExpired: r.lease_expires_at !== null && new Date(r.lease_expires_at) <= now,
  }));
}

export function extractSchema(db: Db, name: string): ExtractSchema {
  const local = requireReadable(db, name);
  const versions = db.prepare('SELECT version, created_at, change FROM extract_versions WHERE extract = ? ORDER BY version DESC').all(name) as Array<{
    version: number;
    created_at: string;
    change: string | null;
  }>;
  return {
    name,
    version: local.version,
    columns: local.columns.map((c) => ({ name: c.name, pgType: c.pgType, storage: c.storage, key: local.primaryKey.includes(c.name) })),
    hiddenColumns: local.hiddenColumns,
    rowCount: local.rowCount,
    versions: versions.map((v) => ({ version: v.version, createdAt: v.created_at, change: v.change ? (JSON.parse(v.change) as ExtractSchema['versions'][number]['change']) : null })),
  };
}

export function extractRows(db: Db, name: string, offset: number, limit: number): RowPage {
  const local = requireReadable(db, name);
  const names = local.columns.map((c) => c.name);
  const order = local.primaryKey.map(sqlIdent).join(', ');
  const rows = db
    .prepare(`SELECT ${names.map(sqlIdent).join(', ')} FROM ${sqlIdent(local.tableName!)} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .raw()
    .all(limit, offset) as unknown[][];
  const values = names.map((_, i) => rows.map((r) => {
    const v = r[i];
    return typeof v === 'bigint' ? v.toString() : (v as string | number | null);
  }));
  return { columns: names, values, offset, rowCount: local.rowCount };
}
