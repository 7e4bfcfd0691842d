import { randomUUID } from 'node:crypto';
import { parseSpec, planSpec } from '../../../shared/analysis/planner.js';
import type { AnalysesService, DashboardsService, DashboardTile, Dashboard, SavedAnalysis } from '../../../shared/contracts/workbench.js';
import { StrongroomError } from '../../../shared/errors.js';
import type { Db } from '../db/cipher.js';
import { getLocalExtract } from '../db/repositories/local-extracts.js';
import {
  canAuthor,
  deleteAnalysisEverywhere,
  deleteDashboard,
  existingAnalysisIds,
  getAnalysis,
  getDashboard,
  listAnalyses,
  listDashboards,
  putAnalysis,
  putDashboard,
} from '../db/repositories/workbench.js';
import type { Vault } from '../vault.js';

/** Columns of the dashboard grid. */
export const GRID_COLUMNS = 12;
const MAX_TITLE = 200;

/** Fails with NOT_PERMITTED on a viewer-only workspace (see ReportsService.capabilities). */
export function requireAuthor(db: Db): void {
  if (!canAuthor(db)) {
    throw new StrongroomError(
      'NOT_PERMITTED',
      'Your warehouse user may view published reports but not build or publish (it is not a member of the warehouse role strongroom_authors). Ask a DBA if you need to author.',
    );
  }
}

/**
 * ISO timestamps that strictly increase within this worker, so "most recently updated first" follows
 * the order of saves even when two land in the same millisecond.
 */
export function monotonicClock(): () => string {
  let last = 0;
  return () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last).toISOString();
  };
}

/** "Title (copy)", cut so it stays within the title limit. */
export function copyTitle(title: string): string {
  const suffix = ' (copy)';
  return `${title.slice(0, MAX_TITLE - suffix.length).trimEnd()}${suffix}`;
}

const badTile = (index: number, field: string | null, message: string): never => {
  throw new StrongroomError('INVALID_ARGUMENT', message, { path: `args[0].tiles[${index}]${field ? `.${field}` : ''}` });
};

/**
 * Checks the layout (inside the grid, no overlaps, unique ids) and what each tile shows, and keeps
 * only the fields that matter for its kind.
 */
export function checkTiles(db: Db, tiles: readonly DashboardTile[]): DashboardTile[] {
  const known = existingAnalysisIds(db, tiles.flatMap((t) => (t.kind === 'analysis' && t.analysisId ? [t.analysisId] : [])));
  const seen = new Map<string, number>();
  return tiles.map((t, i) => {
    const label = `Tile ${i + 1} ("${t.id}")`;
    const first = seen.get(t.id);
    if (first !== undefined) badTile(i, 'id', `${label} has the same id as tile ${first + 1}; tile ids must be unique.`);
    seen.set(t.id, i);
    if (t.x + t.w > GRID_COLUMNS) badTile(i, null, `${label} runs past the ${GRID_COLUMNS}-column grid (x ${t.x} + width ${t.w} > ${GRID_COLUMNS}).`);
    for (let j = 0; j < i; j++) {
      const o = tiles[j]!;
      if (t.x < o.x + o.w && o.x < t.x + t.w && t.y < o.y + o.h && o.y < t.y + t.h) {
        badTile(i, null, `${label} overlaps tile ${j + 1} ("${o.id}"); move or resize one of them.`);
      }
    }
    const box = { x: t.x, y: t.y, w: t.w, h: t.h };
    if (t.kind === 'analysis') {
      if (!t.analysisId) badTile(i, 'analysisId', `${label} is an analysis tile but names no analysis.`);
      if (!known.has(t.analysisId!)) badTile(i, 'analysisId', `${label} shows the analysis "${t.analysisId}", which is not saved (it may have been deleted).`);
      return { id: t.id, kind: 'analysis', analysisId: t.analysisId!, ...box };
    }
    if (!t.text?.trim()) badTile(i, 'text', `${label} is a text tile without text.`);
    return { id: t.id, kind: 'text', text: t.text!, ...box };
  });
}

const notFound = (what: string, id: string): never => {
  throw new StrongroomError('NOT_FOUND', `No saved ${what} "${id}".`);
};

export function createAnalysesService(vault: Vault, now: () => string = monotonicClock()): AnalysesService {
  return {
    async list() {
      return listAnalyses(vault.db());
    },

    async get(id) {
      return getAnalysis(vault.db(), id) ?? notFound('analysis', id);
    },

    async save(request) {
      const db = vault.db();
      requireAuthor(db);
      const existing = request.id === undefined ? null : (getAnalysis(db, request.id) ?? notFound('analysis', request.id));
      // The same checks as analysis.run, so what is saved can be run (a lapsed lease does not stop a save).
      const spec = parseSpec(request.spec);
      const local = getLocalExtract(db, spec.extract);
      if (!local?.tableName) throw new StrongroomError('NOT_FOUND', `No extract "${spec.extract}" in this cache. Sync it first.`);
      planSpec(spec, { name: local.name, table: local.tableName, columns: local.columns }, { now: new Date() });
      const stamp = now();
      const saved: SavedAnalysis = {
        id: existing?.id ?? randomUUID(),
        title: request.title,
        description: request.description ?? existing?.description ?? '',
        tags: request.tags ? [...new Set(request.tags)] : (existing?.tags ?? []),
        extract: spec.extract,
        chartType: spec.chart?.type ?? null,
        thumbnail: request.thumbnail === undefined ? (existing?.thumbnail ?? null) : request.thumbnail,
        spec,
        createdAt: existing?.createdAt ?? stamp,
        updatedAt: stamp,
      };
      putAnalysis(db, saved);
      return saved;
    },

    async duplicate(id) {
      const db = vault.db();
      requireAuthor(db);
      const original = getAnalysis(db, id) ?? notFound('analysis', id);
      const stamp = now();
      const copy: SavedAnalysis = { ...original, id: randomUUID(), title: copyTitle(original.title), createdAt: stamp, updatedAt: stamp };
      putAnalysis(db, copy);
      return copy;
    },

    async remove(id) {
      if (!deleteAnalysisEverywhere(vault.db(), id, now())) notFound('analysis', id);
    },
  };
}

export function createDashboardsService(vault: Vault, now: () => string = monotonicClock()): DashboardsService {
  return {
    async list() {
      return listDashboards(vault.db());
    },

    async get(id) {
      return getDashboard(vault.db(), id) ?? notFound('dashboard', id);
    },

    async save(request) {
      const db = vault.db();
      requireAuthor(db);
      const existing = request.id === undefined ? null : (getDashboard(db, request.id) ?? notFound('dashboard', request.id));
      const tiles = checkTiles(db, request.tiles);
      const stamp = now();
      const saved: Dashboard = {
        id: existing?.id ?? randomUUID(),
        title: request.title,
        description: request.description ?? existing?.description ?? '',
        tileCount: tiles.length,
        tiles,
        filters: request.filters ?? existing?.filters ?? [],
        crossFilter: request.crossFilter ?? existing?.crossFilter ?? true,
        createdAt: existing?.createdAt ?? stamp,
        updatedAt: stamp,
      };
      putDashboard(db, saved);
      return saved;
    },

    async duplicate(id) {
      const db = vault.db();
      requireAuthor(db);
      const original = getDashboard(db, id) ?? notFound('dashboard', id);
      const stamp = now();
      const copy: Dashboard = { ...original, id: randomUUID(), title: copyTitle(original.title), createdAt: stamp, updatedAt: stamp };
      putDashboard(db, copy);
      return copy;
    },

    async remove(id) {
      if (!deleteDashboard(vault.db(), id)) notFound('dashboard', id);
    },
  };
}
