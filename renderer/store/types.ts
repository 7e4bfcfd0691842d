import type { Api } from '../../shared/contracts/index.js';
import type { SessionSlice } from './slices/session/index.js';
import type { SettingsSlice } from './slices/settings/index.js';
import type { UiSlice } from './slices/ui/index.js';
import type { WarehouseSlice } from './slices/warehouse/index.js';
import type { WorkspaceSlice } from './slices/workspace/index.js';
import type { BuilderSlice } from './slices/builder/index.js';
import type { DashboardsSlice } from './slices/dashboards/index.js';
import type { ReportsSlice } from './slices/reports/index.js';
import type { ForecastsSlice } from './slices/forecasts/index.js';

export type AppState = SessionSlice & UiSlice & WorkspaceSlice & SettingsSlice & WarehouseSlice & BuilderSlice & DashboardsSlice & ReportsSlice & ForecastsSlice;

/** What actions depend on: the typed API. Injected so tests can pass a client over any transport. */
export interface StoreDeps {
  api: Api;
}

export type SliceCreator<T> = (
  set: (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void,
  get: () => AppState,
  deps: StoreDeps,
) => T;
