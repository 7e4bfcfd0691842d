import type { SliceCreator } from '../../types.js';

/** Placeholder: filled in by the dashboards work. */
export interface DashboardsSlice {
  /** Forgets everything this slice read from the cache (called on lock). */
  resetDashboards(): void;
}

export const createDashboardsSlice: SliceCreator<DashboardsSlice> = () => ({
  resetDashboards() {},
});
