import { analysisContract, type AnalysisService } from './analysis.js';
import { auditContract, type AuditService } from './audit.js';
import { cacheContract, type CacheService } from './cache.js';
import { connectionsContract, type ConnectionsService } from './connections.js';
import { syncContract, type SyncProgress, type SyncService } from './sync.js';
import { deviceContract, type DeviceService } from './device.js';
import { extractsContract, type ExtractsService } from './extracts.js';
import { exportContract, type ExportService } from './export.js';
import { forecastContract, type ForecastService } from './forecast.js';
import { keyringContract, type KeyringService } from './keyring.js';
import type { SessionState } from './session.js';
import { sessionContract, type SessionService } from './session.js';
import { settingsContract, type SettingsService } from './settings.js';
import { analysesContract, dashboardsContract, reportsContract, type AnalysesService, type DashboardsService, type ReportsService } from './workbench.js';

export * from './analysis.js';
export * from './audit.js';
export * from './cache.js';
export * from './connections.js';
export * from './sync.js';
export * from './device.js';
export * from './extracts.js';
export * from './export.js';
export * from './forecast.js';
export * from './keyring.js';
export * from './session.js';
export * from './settings.js';
export * from './workbench.js';

/** Everything a renderer (or the CLI) may call: `api.session.unlock(...)`, `api.cache.status()`, ... */
export interface Api {
  session: SessionService;
  cache: CacheService;
  settings: SettingsService;
  extracts: ExtractsService;
  audit: AuditService;
  device: DeviceService;
  connections: ConnectionsService;
  sync: SyncService;
  analysis: AnalysisService;
  analyses: AnalysesService;
  dashboards: DashboardsService;
  reports: ReportsService;
  forecast: ForecastService;
  export: ExportService;
}

/** Services only the Electron main process may call on the worker. */
export interface PrivilegedApi {
  keyring: KeyringService;
}

/** Argument schemas of every public service: the allow-list of callable methods is built from this. */
export const contracts = {
  session: sessionContract,
  cache: cacheContract,
  settings: settingsContract,
  extracts: extractsContract,
  audit: auditContract,
  device: deviceContract,
  connections: connectionsContract,
  sync: syncContract,
  analysis: analysisContract,
  analyses: analysesContract,
  dashboards: dashboardsContract,
  reports: reportsContract,
  forecast: forecastContract,
  export: exportContract,
} as const;

export const privilegedContracts = {
  keyring: keyringContract,
} as const;

/** Service names a renderer transport may forward. Anything else is refused at the bridge. */
export const PUBLIC_SERVICES: ReadonlySet<string> = new Set(Object.keys(contracts));

/** Server-initiated events and their payloads. */
export interface EventMap {
  /** The session changed state (unlocked, locked by the user or by idle timeout). */
  'session.changed': SessionState;
  /** Progress of the extract being synced. */
  'sync.progress': SyncProgress;
  /**
   * Reports were added, replaced or removed (after a sync or a publish), or a sync changed what this
   * workspace may do (`reports.capabilities()`); then `names` may be empty.
   */
  'reports.changed': { names: string[] };
}

export type EventTopic = keyof EventMap;
