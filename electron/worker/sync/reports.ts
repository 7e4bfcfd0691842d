import pg from 'pg';
import { z } from 'zod';
import { analysisSpecSchema, filterSchema } from '../../../shared/analysis/spec.js';
import { dashboardTileSchema, EXPORT_FORMATS, type ReportDefinition } from '../../../shared/contracts/workbench.js';
import type { Db } from '../db/cipher.js';
import { replaceConnectionReports, type StoredReport } from '../db/repositories/reports.js';
import { setConnectionAuthor } from '../db/repositories/workbench.js';
import { warehouseError, type Warehouse } from './warehouse.js';

/**
 * What a viewer accepts from the warehouse. A report is written by another client (perhaps a newer
 * one) and drawn by the renderer, which trusts these types: one that does not fit is left out
 * rather than stored half-understood.
 */
export const reportDefinitionSchema = z.object({
  version: z.literal(1),
  title: z.string().max(200),
  description: z.string().max(2000),
  tiles: z.array(dashboardTileSchema).max(40),
  filters: z.array(filterSchema).max(32),
  crossFilter: z.boolean(),
  analyses: z.record(z.string().max(64), z.object({ title: z.string().max(200), spec: analysisSpecSchema })),
  exportFormats: z.array(z.enum(EXPORT_FORMATS)),
});

interface RemoteReportRow {
  name: string;
  title: string;
  description: string;
  definition: unknown;
  extracts: string[];
  roles: string[];
  published_by: string;
  published_at: Date;
}

// undefined_function, undefined_column, undefined_table, invalid_schema_name: an install.sql from
// before reports were published (version 1) or none at all.
const NOT_INSTALLED = new Set(['42883', '42703', '42P01', '3F000']);

/** True when a warehouse failure means "this install.sql has no reports yet". */
export function reportsNotInstalled(err: unknown): boolean {
  return NOT_INSTALLED.has((err as { code?: string }).code ?? '');
}

/** An error the warehouse raised, or a connection that failed or dropped (not a local failure). */
export function isWarehouseFailure(err: unknown): boolean {
  if (err instanceof pg.DatabaseError) return true;
  const code = warehouseError(err, '').code;
  return code === 'WAREHOUSE_UNREACHABLE' || code === 'TLS_FAILED';
}

/**
 * The reports this user may see and whether they may author, or null when the warehouse's
 * install.sql predates reports. Other failures are thrown as they come from pg.
 */
export async function readRemoteReports(warehouse: Warehouse, connectionId: string, now = new Date()): Promise<{ reports: StoredReport[]; author: boolean; skipped: string[] } | null> {
  let rows: RemoteReportRow[];
  let author: boolean;
  try {
    rows = (
      await warehouse.client.query<RemoteReportRow>(
        `SELECT name, title, description, definition, extracts, roles::text[] AS roles, published_by::text AS published_by, published_at
           FROM strongroom.my_reports ORDER BY name`,
      )
    ).rows;
    author = (await warehouse.client.query<{ author: boolean }>('SELECT strongroom.is_author() AS author')).rows[0]?.author === true;
  } catch (err) {
    if (reportsNotInstalled(err)) return null;
    throw err;
  }
  const syncedAt = now.toISOString();
  const reports: StoredReport[] = [];
  const skipped: string[] = [];
  for (const row of rows) {
    const parsed = reportDefinitionSchema.safeParse(row.definition);
    if (!parsed.success) {
      skipped.push(row.name);
      continue;
    }
    reports.push({
      name: row.name,
      connectionId,
      title: row.title,
      description: row.description ?? '',
      definition: parsed.data as ReportDefinition,
      extracts: row.extracts ?? [],
      roles: row.roles ?? [],
      publishedBy: row.published_by,
      publishedAt: new Date(row.published_at).toISOString(),
      syncedAt,
    });
  }
  return { reports, author, skipped };
}

/**
 * Brings a connection's local reports and its author flag in line with the warehouse. Returns the
 * names of the reports added, changed or removed and whether the author flag changed, or null when
 * the warehouse has no reports (older install.sql): then nothing local is touched.
 */
export async function refreshReports(db: Db, warehouse: Warehouse, connectionId: string): Promise<{ names: string[]; authorChanged: boolean } | null> {
  const remote = await readRemoteReports(warehouse, connectionId);
  if (!remote) return null;
  let names: string[] = [];
  let authorChanged = false;
  db.transaction(() => {
    names = replaceConnectionReports(db, connectionId, remote.reports);
    authorChanged = setConnectionAuthor(db, connectionId, remote.author);
  })();
  return { names, authorChanged };
}

/** Publishes (or replaces) a report on the warehouse as the connection's user; answers published_at. */
export async function publishRemoteReport(
  warehouse: Warehouse,
  report: { name: string; title: string; description: string; definition: ReportDefinition; extracts: string[]; roles: string[] },
): Promise<string> {
  const { rows } = await warehouse.client.query<{ published_at: Date }>(
    'SELECT strongroom.publish_report($1, $2, $3, $4::jsonb, $5::text[], $6::name[]) AS published_at',
    [report.name, report.title, report.description, JSON.stringify(report.definition), report.extracts, report.roles],
  );
  return new Date(rows[0]!.published_at).toISOString();
}

/** Removes a report from the warehouse (PostgreSQL error 42704 when it is not there). */
export async function unpublishRemoteReport(warehouse: Warehouse, name: string): Promise<void> {
  await warehouse.client.query('SELECT strongroom.unpublish_report($1)', [name]);
}

/**
 * The report's (role, extract) pairs no catalog grant reaches, as the warehouse sees them; empty on a
 * warehouse whose install.sql predates report_gaps (the report is published all the same).
 */
export async function readReportGaps(warehouse: Warehouse, extracts: string[], roles: string[]): Promise<Array<{ role: string; extract: string }>> {
  try {
    const { rows } = await warehouse.client.query<{ role: string; extract: string }>('SELECT grantee::text AS role, extract_name AS "extract" FROM strongroom.report_gaps($1::text[], $2::name[])', [extracts, roles]);
    return rows;
  } catch (err) {
    if (reportsNotInstalled(err)) return [];
    throw err;
  }
}
