import type { PublishReportRequest, PublishReportResult, Report, ReportSummary, WorkbenchCapabilities } from '../../../../shared/contracts/index.js';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { SliceCreator } from '../../types.js';
import { toInfo } from '../session/index.js';

/** The outcome of a publish, for the dialog to show plainly. */
export type PublishOutcome = { ok: true; result: PublishReportResult } | { ok: false; error: ErrorInfo };

export interface ReportsSlice {
  /** Reports synced from the warehouse, or null before the first load. */
  reports: ReportSummary[] | null;
  reportsError: ErrorInfo | null;
  /** What this workspace may do; null until read (treated as an author's until then). */
  capabilities: WorkbenchCapabilities | null;
  /** The report being viewed, or null when the list is shown. */
  openReport: Report | null;
  /** The name being opened while its definition loads. */
  openingReport: string | null;
  /** Why the last report could not be opened. */
  openReportError: ErrorInfo | null;
  loadReports(): Promise<void>;
  /**
   * Reads the capabilities. A viewer-only workspace (branch staff) is sent to Reports, its home:
   * from the authoring views always, and from the catalog (the default view) on the first answer.
   */
  loadCapabilities(): Promise<void>;
  /** Opens a report (the service writes a `report.open` audit event). */
  viewReport(name: string): Promise<void>;
  closeReport(): void;
  /** Publishes a saved dashboard, then reloads the list. */
  publishReport(request: PublishReportRequest): Promise<PublishOutcome>;
  /** Forgets the open report (on lock). */
  resetReports(): void;
}

export const createReportsSlice: SliceCreator<ReportsSlice> = (set, get, { api }) => {
  let opening = 0;
  return {
    reports: null,
    reportsError: null,
    capabilities: null,
    openReport: null,
    openingReport: null,
    openReportError: null,
    async loadReports() {
      try {
        set({ reports: await api.reports.list(), reportsError: null });
      } catch (err) {
        set({ reportsError: toInfo(err) });
      }
    },
    async loadCapabilities() {
      try {
        const first = get().capabilities === null;
        const capabilities = await api.reports.capabilities();
        set({ capabilities });
        const route = get().route;
        if (!capabilities.author && (route === 'analyses' || route === 'dashboards' || route === 'forecasts' || (first && route === 'catalog'))) get().navigate('reports');
      } catch {
        // Locked or disconnected: the session banner says so; keep the last known answer.
      }
    },
    async viewReport(name) {
      const mine = ++opening;
      set({ openingReport: name, openReportError: null });
      try {
        const report = await api.reports.get(name);
        if (mine === opening) set({ openReport: report, openingReport: null });
      } catch (err) {
        if (mine === opening) set({ openingReport: null, openReportError: toInfo(err) });
      }
    },
    closeReport() {
      opening++;
      set({ openReport: null, openingReport: null, openReportError: null });
    },
    async publishReport(request) {
      try {
        const result = await api.reports.publish(request);
        void get().loadReports();
        return { ok: true, result };
      } catch (err) {
        return { ok: false, error: toInfo(err) };
      }
    },
    resetReports() {
      opening++;
      set({ openReport: null, openingReport: null, openReportError: null });
    },
  };
};
