import type { AnalysisSpec, Filter } from '../../../../shared/analysis/spec.js';
import type { DashboardSummary, DashboardTile, ExtractColumn, SavedAnalysisSummary } from '../../../../shared/contracts/index.js';
import type { ErrorInfo } from '../../../../shared/errors.js';
import { placeTile, removeTile } from '../../../../shared/workbench/layout.js';
import type { SliceCreator } from '../../types.js';
import { toInfo } from '../session/index.js';
import { activeFilters } from './filters.js';

export { activeFilters } from './filters.js';

/** What a tile shows: the analysis's title and spec, or why it cannot (NOT_FOUND: the analysis was deleted). */
export type TileSource = { title: string; spec: AnalysisSpec } | { error: ErrorInfo };

/** The dashboard being edited. `id` is null until its first save. */
export interface DashboardDraft {
  id: string | null;
  title: string;
  description: string;
  tiles: DashboardTile[];
  filters: Filter[];
  crossFilter: boolean;
  /** Changed since it was opened or last saved. */
  dirty: boolean;
}

/** An extract's columns as read for the sync generation `generation`; null columns with an error when unreadable. */
export interface ExtractFields {
  generation: number;
  columns: ExtractColumn[] | null;
  error: ErrorInfo | null;
}

/** Default sizes of new tiles, in grid columns × rows. */
export const NEW_ANALYSIS_TILE = { w: 6, h: 4 } as const;
export const NEW_TEXT_TILE = { w: 4, h: 2 } as const;

export interface DashboardsSlice {
  /** Saved dashboards, or null before the first load. */
  dashboards: DashboardSummary[] | null;
  /** The last failure of a list action (load, duplicate, delete). */
  dashboardsError: ErrorInfo | null;
  /** The open dashboard, or null when the list is shown. */
  draft: DashboardDraft | null;
  /** The last failure of opening or saving the draft. */
  draftError: ErrorInfo | null;
  saving: boolean;
  /** Saved analyses to pick tiles from, or null before loaded. */
  analysisChoices: SavedAnalysisSummary[] | null;
  /** Analyses of tiles by analysis id (absent while loading). */
  tileSources: Record<string, TileSource>;
  /** Columns of the extracts tiles read, by extract name (for global filters and cross-filters). */
  extractFields: Record<string, ExtractFields>;
  loadDashboards(): Promise<void>;
  /** Opens an empty, unsaved dashboard. */
  newDashboard(title: string): void;
  openDashboard(id: string): Promise<void>;
  closeDashboard(): void;
  duplicateDashboard(id: string): Promise<void>;
  removeDashboard(id: string): Promise<boolean>;
  /** Saves the draft (creating it the first time). Answers its id, or null with `draftError` saying why not. */
  saveDashboard(): Promise<string | null>;
  setDashboardTitle(title: string): void;
  /** Replaces the tiles' positions and sizes (the canvas computes them with shared/workbench/layout). */
  setDashboardTiles(tiles: DashboardTile[]): void;
  addAnalysisTile(analysisId: string): void;
  addTextTile(text: string): void;
  setTileText(tileId: string, text: string): void;
  removeDashboardTile(tileId: string): void;
  setDashboardFilters(filters: Filter[]): void;
  setCrossFilter(on: boolean): void;
  loadAnalysisChoices(): Promise<void>;
  /** Reads the analyses of these ids that are not loaded yet. */
  loadTileSources(ids: string[]): Promise<void>;
  /** Reads an extract's columns unless already read since its last sync. */
  loadExtractFields(name: string): Promise<void>;
  /** Forgets everything this slice read from the cache (called on lock). */
  resetDashboards(): void;
}

function newTileId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

export const createDashboardsSlice: SliceCreator<DashboardsSlice> = (set, get, { api }) => {
  // Schema reads in flight, so that several tiles of one extract ask once.
  const fieldLoads = new Map<string, Promise<void>>();
  // Bumped on reset and on every open, so answers for a closed dashboard are dropped.
  let epoch = 0;

  function edit(change: (d: DashboardDraft) => Partial<DashboardDraft>) {
    const draft = get().draft;
    if (draft) set({ draft: { ...draft, ...change(draft), dirty: true } });
  }

  return {
    dashboards: null,
    dashboardsError: null,
    draft: null,
    draftError: null,
    saving: false,
    analysisChoices: null,
    tileSources: {},
    extractFields: {},

    async loadDashboards() {
      try {
        set({ dashboards: await api.dashboards.list(), dashboardsError: null });
      } catch (err) {
        set({ dashboardsError: toInfo(err) });
      }
    },

    newDashboard(title) {
      epoch++;
      set({ draft: { id: null, title, description: '', tiles: [], filters: [], crossFilter: true, dirty: true }, draftError: null });
    },

    async openDashboard(id) {
      const mine = ++epoch;
      try {
        const d = await api.dashboards.get(id);
        if (mine !== epoch) return;
        // Analyses are read afresh on every open: one may have been edited in the builder since.
        set({
          draft: { id: d.id, title: d.title, description: d.description, tiles: d.tiles, filters: d.filters, crossFilter: d.crossFilter, dirty: false },
          draftError: null,
          tileSources: {},
        });
        await get().loadTileSources(d.tiles.flatMap((t) => (t.analysisId ? [t.analysisId] : [])));
      } catch (err) {
        if (mine === epoch) set({ dashboardsError: toInfo(err) });
      }
    },

    closeDashboard() {
      epoch++;
      set({ draft: null, draftError: null });
      void get().loadDashboards();
    },

    async duplicateDashboard(id) {
      try {
        await api.dashboards.duplicate(id);
        set({ dashboardsError: null });
        await get().loadDashboards();
      } catch (err) {
        set({ dashboardsError: toInfo(err) });
      }
    },

    async removeDashboard(id) {
      try {
        await api.dashboards.remove(id);
        set({ dashboardsError: null });
        await get().loadDashboards();
        return true;
      } catch (err) {
        set({ dashboardsError: toInfo(err) });
        return false;
      }
    },

    async saveDashboard() {
      const draft = get().draft;
      if (!draft) return null;
      set({ saving: true, draftError: null });
      try {
        const saved = await api.dashboards.save({
          ...(draft.id ? { id: draft.id } : {}),
          title: draft.title.trim(),
          description: draft.description,
          tiles: draft.tiles,
          // Filters still being set up (no values picked yet) would keep no rows: they are not saved.
          filters: activeFilters(draft.filters),
          crossFilter: draft.crossFilter,
        });
        const now = get().draft;
        // Edits made while the save was in flight stay unsaved.
        set({ saving: false, draft: now ? { ...now, id: saved.id, dirty: now !== draft } : now });
        void get().loadDashboards();
        return saved.id;
      } catch (err) {
        set({ saving: false, draftError: toInfo(err) });
        return null;
      }
    },

    setDashboardTitle: (title) => edit(() => ({ title })),
    setDashboardTiles: (tiles) => edit(() => ({ tiles })),
    addAnalysisTile(analysisId) {
      edit((d) => ({ tiles: placeTile(d.tiles, { id: newTileId(), kind: 'analysis', analysisId, x: 0, y: 0, ...NEW_ANALYSIS_TILE }) }));
      void get().loadTileSources([analysisId]);
    },
    addTextTile: (text) => edit((d) => ({ tiles: placeTile(d.tiles, { id: newTileId(), kind: 'text', text, x: 0, y: 0, ...NEW_TEXT_TILE }) })),
    setTileText: (tileId, text) => edit((d) => ({ tiles: d.tiles.map((t) => (t.id === tileId ? { ...t, text } : t)) })),
    removeDashboardTile: (tileId) => edit((d) => ({ tiles: removeTile(d.tiles, tileId) })),
    setDashboardFilters: (filters) => edit(() => ({ filters })),
    setCrossFilter: (crossFilter) => edit(() => ({ crossFilter })),

    async loadAnalysisChoices() {
      try {
        set({ analysisChoices: await api.analyses.list() });
      } catch (err) {
        set({ draftError: toInfo(err) });
      }
    },

    async loadTileSources(ids) {
      const missing = [...new Set(ids)].filter((id) => !(id in get().tileSources));
      const mine = epoch;
      await Promise.all(
        missing.map(async (id) => {
          let source: TileSource;
          try {
            const a = await api.analyses.get(id);
            source = { title: a.title, spec: a.spec };
          } catch (err) {
            source = { error: toInfo(err) };
          }
          if (mine === epoch) set({ tileSources: { ...get().tileSources, [id]: source } });
        }),
      );
    },

    loadExtractFields(name) {
      const generation = get().syncGeneration[name] ?? 0;
      const known = get().extractFields[name];
      if (known && known.generation === generation) return Promise.resolve();
      const key = `${name}@${generation}`;
      const pending = fieldLoads.get(key);
      if (pending) return pending;
      const load = (async () => {
        let entry: ExtractFields;
        try {
          entry = { generation, columns: (await api.extracts.schema({ name })).columns, error: null };
        } catch (err) {
          // Not synced, or its lease ran out: the tiles of it fail with the reason when they run.
          entry = { generation, columns: null, error: toInfo(err) };
        }
        fieldLoads.delete(key);
        // An answer for an older sync arriving after a newer one's is dropped.
        const current = get().extractFields[name];
        if (!current || current.generation <= generation) set({ extractFields: { ...get().extractFields, [name]: entry } });
      })();
      fieldLoads.set(key, load);
      return load;
    },

    resetDashboards() {
      epoch++;
      fieldLoads.clear();
      set({ dashboards: null, dashboardsError: null, draft: null, draftError: null, saving: false, analysisChoices: null, tileSources: {}, extractFields: {} });
      // The workspace slice calls only this on lock: the reports slice's open report is forgotten here too.
      get().resetReports();
    },
  };
};
