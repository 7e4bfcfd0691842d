import type { Report, ReportDefinition } from '../../../../shared/contracts/workbench.js';
import type { Db } from '../cipher.js';

/** A report as kept in the cache (what a sync or a publish stores). */
export type StoredReport = Omit<Report, 'missingExtracts' | 'exportFormats'>;

interface ReportRow {
  name: string;
  connection_id: string;
  title: string;
  description: string;
  definition: string;
  extracts: string;
  roles: string;
  published_by: string;
  published_at: string;
  synced_at: string;
}

function fromRow(r: ReportRow): StoredReport {
  return {
    name: r.name,
    connectionId: r.connection_id,
    title: r.title,
    description: r.description,
    definition: JSON.parse(r.definition) as ReportDefinition,
    extracts: JSON.parse(r.extracts) as string[],
    roles: JSON.parse(r.roles) as string[],
    publishedBy: r.published_by,
    publishedAt: r.published_at,
    syncedAt: r.synced_at,
  };
}

export function listReports(db: Db): StoredReport[] {
  return (db.prepare('SELECT * FROM reports ORDER BY title COLLATE NOCASE, name').all() as ReportRow[]).map(fromRow);
}

export function getReport(db: Db, name: string): StoredReport | null {
  const row = db.prepare('SELECT * FROM reports WHERE name = ?').get(name) as ReportRow | undefined;
  return row ? fromRow(row) : null;
}

export function putReport(db: Db, r: StoredReport): void {
  db.prepare(
    `INSERT INTO reports (name, connection_id, title, description, definition, extracts, roles, published_by, published_at, synced_at)
     VALUES (@name, @connectionId, @title, @description, @definition, @extracts, @roles, @publishedBy, @publishedAt, @syncedAt)
     ON CONFLICT (name) DO UPDATE SET connection_id = @connectionId, title = @title, description = @description,
       definition = @definition, extracts = @extracts, roles = @roles, published_by = @publishedBy,
       published_at = @publishedAt, synced_at = @syncedAt`,
  ).run({
    name: r.name,
    connectionId: r.connectionId,
    title: r.title,
    description: r.description,
    definition: JSON.stringify(r.definition),
    extracts: JSON.stringify(r.extracts),
    roles: JSON.stringify(r.roles),
    publishedBy: r.publishedBy,
    publishedAt: r.publishedAt,
    syncedAt: r.syncedAt,
  });
}

export function deleteReport(db: Db, name: string): boolean {
  return db.prepare('DELETE FROM reports WHERE name = ?').run(name).changes > 0;
}

/** JSON with object keys sorted: jsonb in the warehouse does not keep the order they were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** Everything but syncedAt: what tells whether a synced copy differs from the stored one. */
function contentKey(r: StoredReport): string {
  return canonical([r.connectionId, r.title, r.description, r.definition, r.extracts, r.roles, r.publishedBy, r.publishedAt]);
}

/**
 * Makes a connection's reports exactly `reports`, in one transaction: the ones no longer listed are
 * deleted (that is how an unpublished or withdrawn report leaves the cache). Returns the names added,
 * changed or removed.
 */
export function replaceConnectionReports(db: Db, connectionId: string, reports: readonly StoredReport[]): string[] {
  return db.transaction(() => {
    const before = new Map((db.prepare('SELECT * FROM reports WHERE connection_id = ?').all(connectionId) as ReportRow[]).map((r) => [r.name, fromRow(r)]));
    const changed = new Set<string>();
    const keep = new Set(reports.map((r) => r.name));
    for (const name of before.keys()) {
      if (!keep.has(name)) {
        deleteReport(db, name);
        changed.add(name);
      }
    }
    for (const report of reports) {
      const old = before.get(report.name) ?? getReport(db, report.name);
      if (!old || contentKey(old) !== contentKey(report)) changed.add(report.name);
      putReport(db, report);
    }
    return [...changed].sort();
  })();
}

/** Where local extracts came from and which exports they allow (only extracts with data). */
export function extractOrigins(db: Db, names: readonly string[]): Map<string, { connectionId: string | null; allowedExports: string[] }> {
  const rows = db
    .prepare('SELECT name, connection_id, allowed_exports FROM extracts WHERE table_name IS NOT NULL AND name IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(names)) as Array<{ name: string; connection_id: string | null; allowed_exports: string }>;
  return new Map(rows.map((r) => [r.name, { connectionId: r.connection_id, allowedExports: JSON.parse(r.allowed_exports) as string[] }]));
}

/** Names of the extracts present (with data) in the cache. */
export function localExtractNames(db: Db): Set<string> {
  return new Set((db.prepare('SELECT name FROM extracts WHERE table_name IS NOT NULL').all() as Array<{ name: string }>).map((r) => r.name));
}
