import type { AuditEvent, CacheStatus, ExtractSummary } from '../../../../shared/contracts/index.js';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { SliceCreator } from '../../types.js';
import { toInfo } from '../session/index.js';

export interface WorkspaceSlice {
  cacheStatus: CacheStatus | null;
  extracts: ExtractSummary[] | null;
  audit: AuditEvent[] | null;
  workspaceError: ErrorInfo | null;
  loadCatalog(): Promise<void>;
  loadAudit(): Promise<void>;
  /** Forgets everything read from the cache (on lock). */
  clearWorkspace(): void;
}

export const createWorkspaceSlice: SliceCreator<WorkspaceSlice> = (set, get, { api }) => ({
  cacheStatus: null,
  extracts: null,
  audit: null,
  workspaceError: null,
  async loadCatalog() {
    try {
      const [cacheStatus, extracts] = await Promise.all([api.cache.status(), api.extracts.list()]);
      set({ cacheStatus, extracts, workspaceError: null });
    } catch (err) {
      set({ workspaceError: toInfo(err) });
    }
  },
  async loadAudit() {
    try {
      set({ audit: await api.audit.list({ limit: 500 }), workspaceError: null });
    } catch (err) {
      set({ workspaceError: toInfo(err) });
    }
  },
  clearWorkspace() {
    set({ cacheStatus: null, extracts: null, audit: null, settings: null, device: null, connections: null, remote: null, openExtract: null, extractSchema: null, lastReport: null, testResults: {}, reports: null, capabilities: null });
    get().resetBuilder();
    get().resetDashboards();
  },
});
