import { contracts, privilegedContracts, type EventMap } from '../../shared/contracts/index.js';
import type { RpcEvent } from '../../shared/rpc/protocol.js';
import { register, RpcServer } from '../../shared/rpc/server.js';
import type { ScryptParams } from './db/keyfile.js';
import { createCacheService } from './services/cache.js';
import { createAuditService, createExtractsService, createKeyringService, createUnavailableDeviceService } from './services/misc.js';
import { createSessionService } from './services/session.js';
import { createSettingsService } from './services/settings.js';
import { createConnectionsService, createDemoRegistry } from './services/connections.js';
import { createSyncService } from './services/sync.js';
import { createAnalysisService } from './services/analysis.js';
import { createForecastService } from './services/forecast.js';
import { createExportService } from './services/export.js';
import { ForecastPool } from './forecast/pool.js';
import { createAnalysesService, createDashboardsService, monotonicClock } from './services/workbench.js';
import { createReportsService } from './services/reports.js';
import { SqliteReader } from './query/reader.js';
import { Vault } from './vault.js';

export interface WorkerRuntimeOptions {
  profileDir: string;
  scrypt?: ScryptParams;
  /** Scale of the demo warehouse when a saved demo connection restarts it (1 = full; tests use less). */
  demoScale?: number;
  /** Where the device service's "unavailable" answer comes from (the app's main process overrides it). */
  deviceUnavailableReason?: string;
  /**
   * The built query reader thread (dist/electron/reader.cjs). With it, cache SQL runs off this thread
   * and can be cancelled; without it (in-process tests), it runs inline.
   */
  readerFile?: string;
  nativeBinding?: string;
  /** Budget for in-memory extract copies, bytes. */
  memoryBudgetBytes?: number;
  /** The built forecasting thread (dist/electron/forecast.cjs); without it forecasts run inline. */
  forecastFile?: string;
  /** Forecasting threads (default: one per core, at most 8). */
  forecastThreads?: number;
}

/**
 * All data services for one profile, behind one RPC server, with no transport attached. The worker
 * thread, the CLI and tests wrap this; `publicServer` serves renderers, `server` adds the privileged
 * keyring service for the Electron main process.
 */
export interface WorkerRuntime {
  vault: Vault;
  server: RpcServer;
  publicServer: RpcServer;
  onEvent(listener: (event: RpcEvent) => void): () => void;
  close(): void;
}

export function createWorkerRuntime(options: WorkerRuntimeOptions): WorkerRuntime {
  const listeners = new Set<(event: RpcEvent) => void>();
  const emit = <K extends keyof EventMap>(topic: K, payload: EventMap[K]) => {
    for (const listener of listeners) listener({ t: 'evt', topic, payload });
  };
  let onLocked = () => {};
  const vault = new Vault({
    profileDir: options.profileDir,
    ...(options.scrypt ? { scrypt: options.scrypt } : {}),
    onChange: (state) => {
      // Locking drops every decrypted thing held in memory: in-memory copies, cached answers, the reader's key.
      if (state.status !== 'unlocked') onLocked();
      emit('session.changed', state);
    },
  });
  const demos = createDemoRegistry(vault, options.demoScale ?? 1);
  const reader = options.readerFile
    ? new SqliteReader(options.readerFile, {
        dbPath: vault.paths.cache,
        key: () => vault.keyCopy(),
        ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      })
    : undefined;
  const analysis = createAnalysisService(vault, demos, {
    ...(reader ? { reader } : {}),
    ...(options.memoryBudgetBytes ? { memoryBudgetBytes: options.memoryBudgetBytes } : {}),
  });
  onLocked = () => analysis.reset();
  const workbenchClock = monotonicClock();
  const forecastPool = new ForecastPool({
    ...(options.forecastFile ? { file: options.forecastFile } : {}),
    ...(options.forecastThreads ? { threads: options.forecastThreads } : {}),
  });
  const publicRegistrations = {
    session: register(contracts.session, createSessionService(vault)),
    cache: register(contracts.cache, createCacheService(vault)),
    settings: register(contracts.settings, createSettingsService(vault)),
    extracts: register(contracts.extracts, createExtractsService(vault)),
    audit: register(contracts.audit, createAuditService(vault)),
    connections: register(contracts.connections, createConnectionsService(vault, demos)),
    sync: register(contracts.sync, createSyncService(vault, demos, (progress) => emit('sync.progress', progress), (names) => emit('reports.changed', { names }))),
    analysis: register(contracts.analysis, analysis.service),
    analyses: register(contracts.analyses, createAnalysesService(vault, workbenchClock)),
    dashboards: register(contracts.dashboards, createDashboardsService(vault, workbenchClock)),
    forecast: register(contracts.forecast, createForecastService(vault, analysis.service, forecastPool, workbenchClock)),
    export: register(contracts.export, createExportService(vault, analysis.service)),
    reports: register(contracts.reports, createReportsService(vault, demos, (names) => emit('reports.changed', { names }))),
    device: register(
      contracts.device,
      createUnavailableDeviceService(
        options.deviceUnavailableReason ?? 'The OS keychain is only available in the Strongroom desktop app; unlock with your passphrase.',
      ),
    ),
  };
  return {
    vault,
    publicServer: new RpcServer(publicRegistrations),
    server: new RpcServer({ ...publicRegistrations, keyring: register(privilegedContracts.keyring, createKeyringService(vault)) }),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      analysis.reset();
      forecastPool.close();
      vault.close();
      void demos.stop();
    },
  };
}
