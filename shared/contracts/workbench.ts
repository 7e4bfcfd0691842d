import { z } from 'zod';
import { filterSchema, type AnalysisSpec, type Filter } from '../analysis/spec.js';
import { defineContract } from './define.js';

/**
 * The analyst's saved work (analyses and dashboards, kept in the encrypted cache) and the reports
 * published from it to the warehouse for branch staff. Everything fails with LOCKED while locked.
 * Authoring (saving, publishing) fails with NOT_PERMITTED on a viewer-only workspace (see `capabilities`).
 */

/** Largest thumbnail accepted: a `data:image/png;base64,` URL of at most this many characters. */
export const MAX_THUMBNAIL_CHARS = 400_000;

/** Export formats a report may allow (a subset of every extract's allowed_exports). */
export const EXPORT_FORMATS = ['pptx', 'pdf', 'png', 'svg', 'xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A saved analysis without its spec (the list view). */
export interface SavedAnalysisSummary {
  id: string;
  title: string;
  description: string;
  tags: string[];
  /** The extract the analysis reads. */
  extract: string;
  /** The chart type, or null for a spec without a chart. */
  chartType: string | null;
  /** PNG data URL of the chart as last saved, or null. */
  thumbnail: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SavedAnalysis extends SavedAnalysisSummary {
  spec: AnalysisSpec;
}

export interface SaveAnalysisRequest {
  /** Present to overwrite an existing analysis; absent to create one. */
  id?: string;
  title: string;
  description?: string;
  tags?: string[];
  /** Checked against the extract's schema (INVALID_ANALYSIS with `details.path` if it does not fit). */
  spec: unknown;
  /** PNG data URL; null removes it; absent keeps the stored one. */
  thumbnail?: string | null;
}

/** One tile of a dashboard, on a 12-column grid whose rows are a fixed height. */
export interface DashboardTile {
  id: string;
  kind: 'analysis' | 'text';
  /** For `analysis` tiles: the saved analysis shown. */
  analysisId?: string;
  /** For `text` tiles: plain text (paragraphs separated by blank lines; no HTML). */
  text?: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface DashboardSummary {
  id: string;
  title: string;
  description: string;
  tileCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface Dashboard extends DashboardSummary {
  tiles: DashboardTile[];
  /** Global filters: each applies to every tile whose extract has the field. */
  filters: Filter[];
  /** Whether clicking a mark in one tile filters the others (default true). */
  crossFilter: boolean;
}

export interface SaveDashboardRequest {
  id?: string;
  title: string;
  description?: string;
  tiles: DashboardTile[];
  filters?: Filter[];
  crossFilter?: boolean;
}

/**
 * What a published report carries: the dashboard's layout and filters with each tile's analysis
 * inlined, so a viewer needs nothing but the report and the extracts it names.
 */
export interface ReportDefinition {
  version: 1;
  title: string;
  description: string;
  tiles: DashboardTile[];
  filters: Filter[];
  crossFilter: boolean;
  /** The analyses of the tiles, by analysis id. */
  analyses: Record<string, { title: string; spec: AnalysisSpec }>;
  /** Export formats viewers may use (never more than every extract allows). */
  exportFormats: ExportFormat[];
}

export interface ReportSummary {
  /** Unique name in the warehouse (`^[a-z][a-z0-9_]{0,62}$`). */
  name: string;
  title: string;
  description: string;
  /** Extracts the report reads. */
  extracts: string[];
  /** Extracts it needs that are not in this cache (sync them to see every tile). */
  missingExtracts: string[];
  /** Roles the report is published to. */
  roles: string[];
  publishedBy: string;
  publishedAt: string;
  /** When this copy was last read from the warehouse. */
  syncedAt: string;
  exportFormats: ExportFormat[];
  /** The connection it came from. */
  connectionId: string;
}

export interface Report extends ReportSummary {
  definition: ReportDefinition;
}

export interface PublishReportRequest {
  dashboardId: string;
  /** Report name in the warehouse; publishing again under the same name replaces it. */
  name: string;
  /** Defaults to the dashboard's title. */
  title?: string;
  /** Warehouse roles that may see the report, e.g. `branch_staff`. */
  roles: string[];
  /** Export formats viewers may use; each must be allowed by every extract the report reads. */
  exportFormats: ExportFormat[];
}

export interface PublishReportResult {
  name: string;
  extracts: string[];
  roles: string[];
  connectionId: string;
  publishedAt: string;
  /**
   * Roles the warehouse's catalog grants no access to an extract of the report: their tiles on it
   * will be empty until a DBA grants the extract (strongroom.grant_extract). Empty when all is well.
   */
  ungranted: Array<{ role: string; extract: string }>;
}

/** What this workspace may do, as the warehouse decided at the last sync. */
export interface WorkbenchCapabilities {
  /**
   * Build, save and publish. False when every connection's warehouse user is only a report viewer
   * (not a member of the warehouse role `strongroom_authors`): branch staff see Reports only.
   */
  author: boolean;
}

export interface AnalysesService {
  /** Saved analyses, most recently updated first. */
  list(): Promise<SavedAnalysisSummary[]>;
  /** Fails with NOT_FOUND. */
  get(id: string): Promise<SavedAnalysis>;
  /** Creates or overwrites. Fails with INVALID_ANALYSIS, NOT_FOUND (unknown id or extract), NOT_PERMITTED. */
  save(request: SaveAnalysisRequest): Promise<SavedAnalysis>;
  /** A copy titled "… (copy)". */
  duplicate(id: string): Promise<SavedAnalysis>;
  /** Deletes it and removes its tiles from every dashboard. */
  remove(id: string): Promise<void>;
}

export interface DashboardsService {
  list(): Promise<DashboardSummary[]>;
  get(id: string): Promise<Dashboard>;
  /** Creates or overwrites. Tiles must not overlap or leave the 12-column grid (INVALID_ARGUMENT). */
  save(request: SaveDashboardRequest): Promise<Dashboard>;
  duplicate(id: string): Promise<Dashboard>;
  remove(id: string): Promise<void>;
}

export interface ReportsService {
  /** Reports synced from the warehouse (the ones this user's roles may see). */
  list(): Promise<ReportSummary[]>;
  /** Opens one (writes a `report.open` audit event). Fails with NOT_FOUND. */
  get(name: string): Promise<Report>;
  /**
   * Publishes a dashboard to the warehouse its extracts came from (strongroom.publish_report), then
   * stores the report locally. Fails with NOT_FOUND, NOT_PERMITTED (not an author, or an export format
   * an extract does not allow), INVALID_ARGUMENT (extracts from several connections), and the
   * connection errors (WAREHOUSE_UNREACHABLE, AUTH_FAILED, ...).
   */
  publish(request: PublishReportRequest): Promise<PublishReportResult>;
  /** Removes a published report from the warehouse and from this cache. */
  unpublish(name: string): Promise<void>;
  /** What this workspace may do. */
  capabilities(): Promise<WorkbenchCapabilities>;
}

const id = z.string().min(1).max(64);
const title = z.string().trim().min(1).max(200);
const reportName = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/);
/** One dashboard tile as the contract accepts it (also how the worker checks a synced report's tiles). */
export const dashboardTileSchema = z.strictObject({
  id,
  kind: z.enum(['analysis', 'text']),
  analysisId: id.optional(),
  text: z.string().max(10_000).optional(),
  x: z.number().int().min(0).max(11),
  y: z.number().int().min(0).max(1000),
  w: z.number().int().min(1).max(12),
  h: z.number().int().min(1).max(40),
});

export const analysesContract = defineContract<AnalysesService>()({
  list: z.tuple([]),
  get: z.tuple([id]),
  save: z.tuple([
    z.strictObject({
      id: id.optional(),
      title,
      description: z.string().max(2000).optional(),
      tags: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
      spec: z.unknown(),
      thumbnail: z.union([z.string().startsWith('data:image/png;base64,').max(MAX_THUMBNAIL_CHARS), z.null()]).optional(),
    }),
  ]),
  duplicate: z.tuple([id]),
  remove: z.tuple([id]),
});

export const dashboardsContract = defineContract<DashboardsService>()({
  list: z.tuple([]),
  get: z.tuple([id]),
  save: z.tuple([
    z.strictObject({
      id: id.optional(),
      title,
      description: z.string().max(2000).optional(),
      tiles: z.array(dashboardTileSchema).max(40),
      filters: z.array(filterSchema).max(32).optional(),
      crossFilter: z.boolean().optional(),
    }),
  ]),
  duplicate: z.tuple([id]),
  remove: z.tuple([id]),
});

export const reportsContract = defineContract<ReportsService>()({
  list: z.tuple([]),
  get: z.tuple([reportName]),
  publish: z.tuple([
    z.strictObject({
      dashboardId: id,
      name: reportName,
      title: title.optional(),
      roles: z.array(z.string().regex(/^[a-z_][a-z0-9_$]{0,62}$/)).min(1).max(20),
      exportFormats: z.array(z.enum(EXPORT_FORMATS)).max(EXPORT_FORMATS.length),
    }),
  ]),
  unpublish: z.tuple([reportName]),
  capabilities: z.tuple([]),
});
