import type { Cell } from '../../../../shared/analysis/spec.js';
import type { AuditEvent, CacheStatus, ExtractSummary } from '../../../../shared/contracts/index.js';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { SliceCreator } from '../../types.js';
import { toInfo } from '../session/index.js';

/** The extract map charts look branch keys up in (see electron/worker/demo/bank-sql.ts). */
export const BRANCHES_EXTRACT = 'branches';
const BRANCH_FIELDS = ['branch_id', 'code', 'city', 'city_en', 'lat', 'lon'] as const;

/** One branch as map charts need it: both keys, the city in both languages, and where it is. */
export interface BranchRow {
  id: Cell;
  code: Cell;
  city: Cell;
  cityEn: Cell;
  lat: Cell;
  lon: Cell;
}

export interface WorkspaceSlice {
  cacheStatus: CacheStatus | null;
  extracts: ExtractSummary[] | null;
  audit: AuditEvent[] | null;
  workspaceError: ErrorInfo | null;
  /**
   * The branches extract's locations for map charts, read once per sync of it (`generation` is its
   * syncGeneration); `rows` null when the extract is not in the cache or cannot be read. Null until asked.
   */
  branchRows: { generation: number; rows: BranchRow[] | null } | null;
  loadCatalog(): Promise<void>;
  /** Reads the branches extract's locations, unless this sync of it was read already. */
  loadBranchRows(): Promise<void>;
  loadAudit(): Promise<void>;
  /** Forgets everything read from the cache (on lock). */
  clearWorkspace(): void;
}

export const createWorkspaceSlice: SliceCreator<WorkspaceSlice> = (set, get, { api }) => {
  // One read per sync of the branches extract, however many maps ask; bumped on lock to drop answers.
  const branchLoads = new Map<number, Promise<void>>();
  let epoch = 0;

  async function readBranches(): Promise<BranchRow[] | null> {
    try {
      const names = new Set((await api.extracts.schema({ name: BRANCHES_EXTRACT })).columns.map((c) => c.name));
      if (!names.has('lat') || !names.has('lon') || !(names.has('branch_id') || names.has('code'))) return null;
      const fields = BRANCH_FIELDS.filter((f) => names.has(f));
      const result = await api.analysis.run({ extract: BRANCHES_EXTRACT, dimensions: fields.map((field) => ({ field })), limit: 10_000 });
      const column = (name: string) => result.data[result.columns.findIndex((c) => c.name === name)];
      const [id, code, city, cityEn, lat, lon] = BRANCH_FIELDS.map(column);
      return Array.from({ length: result.rowCount }, (_, r) => ({
        id: id?.[r] ?? null,
        code: code?.[r] ?? null,
        city: city?.[r] ?? null,
        cityEn: cityEn?.[r] ?? null,
        lat: lat?.[r] ?? null,
        lon: lon?.[r] ?? null,
      }));
    } catch {
      // Not synced, not permitted or its lease ran out: maps say their marks have no location.
      return null;
    }
  }

  return {
    cacheStatus: null,
    extracts: null,
    audit: null,
    workspaceError: null,
    branchRows: null,
    async loadCatalog() {
      try {
        const [cacheStatus, extracts] = await Promise.all([api.cache.status(), api.extracts.list()]);
        set({ cacheStatus, extracts, workspaceError: null });
      } catch (err) {
        set({ workspaceError: toInfo(err) });
      }
    },
    loadBranchRows() {
      const generation = get().syncGeneration[BRANCHES_EXTRACT] ?? 0;
      if (get().branchRows?.generation === generation) return Promise.resolve();
      const pending = branchLoads.get(generation);
      if (pending) return pending;
      const started = epoch;
      const load = readBranches().then((rows) => {
        branchLoads.delete(generation);
        if (started === epoch) set({ branchRows: { generation, rows } });
      });
      branchLoads.set(generation, load);
      return load;
    },
    async loadAudit() {
      try {
        set({ audit: await api.audit.list({ limit: 500 }), workspaceError: null });
      } catch (err) {
        set({ workspaceError: toInfo(err) });
      }
    },
    clearWorkspace() {
      epoch++;
      branchLoads.clear();
      set({ branchRows: null, cacheStatus: null, extracts: null, audit: null, settings: null, device: null, connections: null, remote: null, openExtract: null, extractSchema: null, lastReport: null, testResults: {}, reports: null, capabilities: null });
      get().resetBuilder();
      get().resetForecasts();
      get().resetDashboards();
    },
  };
};
