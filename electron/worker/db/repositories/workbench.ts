import type { AnalysisSpec, Filter } from '../../../../shared/analysis/spec.js';
import type { Dashboard, DashboardSummary, DashboardTile, SavedAnalysis, SavedAnalysisSummary } from '../../../../shared/contracts/workbench.js';
import type { Db } from '../cipher.js';

// ── Analyses ──────────────────────────────────────────────────────────────────────────────────────

interface AnalysisRow {
  id: string;
  title: string;
  description: string;
  tags: string;
  extract: string;
  chart_type: string | null;
  spec?: string;
  thumbnail: string | null;
  created_at: string;
  updated_at: string;
}

function analysisSummary(r: AnalysisRow): SavedAnalysisSummary {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    tags: JSON.parse(r.tags) as string[],
    extract: r.extract,
    chartType: r.chart_type,
    thumbnail: r.thumbnail,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const SUMMARY_COLUMNS = 'id, title, description, tags, extract, chart_type, thumbnail, created_at, updated_at';

/** Most recently updated first (the rowid breaks ties: the later insert first). */
export function listAnalyses(db: Db): SavedAnalysisSummary[] {
  const rows = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM analyses ORDER BY updated_at DESC, rowid DESC`).all() as AnalysisRow[];
  return rows.map(analysisSummary);
}

export function getAnalysis(db: Db, id: string): SavedAnalysis | null {
  const row = db.prepare(`SELECT ${SUMMARY_COLUMNS}, spec FROM analyses WHERE id = ?`).get(id) as AnalysisRow | undefined;
  return row ? { ...analysisSummary(row), spec: JSON.parse(row.spec!) as AnalysisSpec } : null;
}

/** Which of these ids are saved analyses. */
export function existingAnalysisIds(db: Db, ids: readonly string[]): Set<string> {
  if (!ids.length) return new Set();
  const rows = db.prepare('SELECT a.id FROM analyses a WHERE a.id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as Array<{ id: string }>;
  return new Set(rows.map((r) => r.id));
}

/** Inserts or replaces an analysis by id (created_at is kept from the first save). */
export function putAnalysis(db: Db, a: SavedAnalysis): void {
  db.prepare(
    `INSERT INTO analyses (id, title, description, tags, extract, chart_type, spec, thumbnail, created_at, updated_at)
     VALUES (@id, @title, @description, @tags, @extract, @chartType, @spec, @thumbnail, @createdAt, @updatedAt)
     ON CONFLICT (id) DO UPDATE SET title = @title, description = @description, tags = @tags, extract = @extract,
       chart_type = @chartType, spec = @spec, thumbnail = @thumbnail, updated_at = @updatedAt`,
  ).run({
    id: a.id,
    title: a.title,
    description: a.description,
    tags: JSON.stringify(a.tags),
    extract: a.extract,
    chartType: a.chartType,
    spec: JSON.stringify(a.spec),
    thumbnail: a.thumbnail,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  });
}

/**
 * Deletes an analysis and, in the same transaction, its tiles from every dashboard (whose
 * updated_at becomes `now`). Returns whether the analysis existed.
 */
export function deleteAnalysisEverywhere(db: Db, id: string, now: string): boolean {
  return db.transaction(() => {
    const removed = db.prepare('DELETE FROM analyses WHERE id = ?').run(id).changes > 0;
    const boards = db
      .prepare(
        `SELECT d.id, d.tiles FROM dashboards d
          WHERE EXISTS (SELECT 1 FROM json_each(d.tiles) t WHERE json_extract(t.value, '$.analysisId') = ?)`,
      )
      .all(id) as Array<{ id: string; tiles: string }>;
    const update = db.prepare('UPDATE dashboards SET tiles = ?, updated_at = ? WHERE id = ?');
    for (const board of boards) {
      const tiles = (JSON.parse(board.tiles) as DashboardTile[]).filter((t) => t.analysisId !== id);
      update.run(JSON.stringify(tiles), now, board.id);
    }
    return removed;
  })();
}

// ── Dashboards ────────────────────────────────────────────────────────────────────────────────────

interface DashboardRow {
  id: string;
  title: string;
  description: string;
  tiles: string;
  filters: string;
  cross_filter: number;
  created_at: string;
  updated_at: string;
}

export function listDashboards(db: Db): DashboardSummary[] {
  const rows = db
    .prepare(
      `SELECT id, title, description, json_array_length(tiles) AS tile_count, created_at, updated_at
         FROM dashboards ORDER BY updated_at DESC, rowid DESC`,
    )
    .all() as Array<{ id: string; title: string; description: string; tile_count: number; created_at: string; updated_at: string }>;
  return rows.map((r) => ({ id: r.id, title: r.title, description: r.description, tileCount: r.tile_count, createdAt: r.created_at, updatedAt: r.updated_at }));
}

export function getDashboard(db: Db, id: string): Dashboard | null {
  const r = db.prepare('SELECT * FROM dashboards WHERE id = ?').get(id) as DashboardRow | undefined;
  if (!r) return null;
  const tiles = JSON.parse(r.tiles) as DashboardTile[];
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    tileCount: tiles.length,
    tiles,
    filters: JSON.parse(r.filters) as Filter[],
    crossFilter: r.cross_filter === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function putDashboard(db: Db, d: Dashboard): void {
  db.prepare(
    `INSERT INTO dashboards (id, title, description, tiles, filters, cross_filter, created_at, updated_at)
     VALUES (@id, @title, @description, @tiles, @filters, @crossFilter, @createdAt, @updatedAt)
     ON CONFLICT (id) DO UPDATE SET title = @title, description = @description, tiles = @tiles, filters = @filters,
       cross_filter = @crossFilter, updated_at = @updatedAt`,
  ).run({
    id: d.id,
    title: d.title,
    description: d.description,
    tiles: JSON.stringify(d.tiles),
    filters: JSON.stringify(d.filters),
    crossFilter: d.crossFilter ? 1 : 0,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  });
}

export function deleteDashboard(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM dashboards WHERE id = ?').run(id).changes > 0;
}

// ── Authorship ────────────────────────────────────────────────────────────────────────────────────

/**
 * Whether this workspace may author: with no connection yet, or when some connection's warehouse
 * user is (or is not yet known not to be) a member of strongroom_authors.
 */
export function canAuthor(db: Db): boolean {
  const row = db.prepare('SELECT count(*) AS n, count(*) FILTER (WHERE author IS NULL OR author <> 0) AS authors FROM connections').get() as { n: number; authors: number };
  return row.n === 0 || row.authors > 0;
}

/** Records strongroom.is_author() for a connection (null: the warehouse could not say). Returns whether it changed. */
export function setConnectionAuthor(db: Db, connectionId: string, author: boolean | null): boolean {
  const value = author === null ? null : author ? 1 : 0;
  return db.prepare('UPDATE connections SET author = ? WHERE id = ? AND author IS NOT ?').run(value, connectionId, value).changes > 0;
}
