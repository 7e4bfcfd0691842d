import { createStore, type StoreApi } from 'zustand/vanilla';
import { createSessionSlice } from './slices/session/index.js';
import { createSettingsSlice } from './slices/settings/index.js';
import { createUiSlice } from './slices/ui/index.js';
import { createWarehouseSlice } from './slices/warehouse/index.js';
import { createWorkspaceSlice } from './slices/workspace/index.js';
import { createBuilderSlice } from './slices/builder/index.js';
import { createDashboardsSlice } from './slices/dashboards/index.js';
import { createReportsSlice } from './slices/reports/index.js';
import { createForecastsSlice } from './slices/forecasts/index.js';
import type { AppState, StoreDeps } from './types.js';

export type { AppState, StoreDeps };
export type AppStore = StoreApi<AppState>;

/** A fresh store: one per app window, one per test. */
export function createAppStore(deps: StoreDeps): AppStore {
  return createStore<AppState>()((set, get) => ({
    ...createSessionSlice(set, get, deps),
    ...createUiSlice(set, get, deps),
    ...createWorkspaceSlice(set, get, deps),
    ...createSettingsSlice(set, get, deps),
    ...createWarehouseSlice(set, get, deps),
    ...createBuilderSlice(set, get, deps),
    ...createDashboardsSlice(set, get, deps),
    ...createReportsSlice(set, get, deps),
    ...createForecastsSlice(set, get, deps),
  }));
}
