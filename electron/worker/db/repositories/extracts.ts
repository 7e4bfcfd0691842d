import type { Classification, ExtractSummary } from '../../../../shared/contracts/extracts.js';
import type { Db } from '../cipher.js';

interface ExtractRow {
  name: string;
  title: string;
  description: string;
  classification: Classification;
  row_count: number;
  synced_at: string | null;
  lease_expires_at: string | null;
  allowed_exports: string;
}

export function countExtracts(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM extracts').get() as { n: number }).n;
}

export function listExtracts(db: Db): ExtractSummary[] {
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
  }));
}
