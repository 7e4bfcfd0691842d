import type { ReportSummary, WorkbenchCapabilities } from '../../../../shared/contracts/index.js';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { SliceCreator } from '../../types.js';
import { toInfo } from '../session/index.js';

export interface ReportsSlice {
  /** Reports synced from the warehouse, or null before the first load. */
  reports: ReportSummary[] | null;
  reportsError: ErrorInfo | null;
  /** What this workspace may do; null until read (treated as an author's until then). */
  capabilities: WorkbenchCapabilities | null;
  loadReports(): Promise<void>;
  loadCapabilities(): Promise<void>;
}

export const createReportsSlice: SliceCreator<ReportsSlice> = (set, _get, { api }) => ({
  reports: null,
  reportsError: null,
  capabilities: null,
  async loadReports() {
    try {
      set({ reports: await api.reports.list(), reportsError: null });
    } catch (err) {
      set({ reportsError: toInfo(err) });
    }
  },
  async loadCapabilities() {
    try {
      set({ capabilities: await api.reports.capabilities() });
    } catch {
      // Locked or disconnected: the session banner says so; keep the last known answer.
    }
  },
});
