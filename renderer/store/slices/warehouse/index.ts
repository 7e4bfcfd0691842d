import type { ConnectionSummary, ConnectionTestResult, ExtractSchema, RemoteExtract, SaveConnectionRequest, SyncProgress, SyncReport } from '../../../../shared/contracts/index.js';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { SliceCreator } from '../../types.js';
import { toInfo } from '../session/index.js';

export interface WarehouseSlice {
  connections: ConnectionSummary[] | null;
  /** The connection the Catalog shows. */
  activeConnectionId: string | null;
  remote: RemoteExtract[] | null;
  /** Latest progress per extract while a sync runs. */
  progress: Record<string, SyncProgress>;
  syncing: boolean;
  lastReport: SyncReport | null;
  testResults: Record<string, ConnectionTestResult | ErrorInfo>;
  warehouseError: ErrorInfo | null;
  /** The extract open in the detail view. */
  openExtract: string | null;
  extractSchema: ExtractSchema | null;
  loadConnections(): Promise<void>;
  saveConnection(request: SaveConnectionRequest): Promise<boolean>;
  removeConnection(id: string): Promise<void>;
  testConnection(id: string): Promise<void>;
  startDemo(role: 'analyst' | 'staff_msk' | 'staff_spb'): Promise<void>;
  setActiveConnection(id: string): Promise<void>;
  loadRemote(): Promise<void>;
  syncNow(names?: string[]): Promise<void>;
  cancelSync(): Promise<void>;
  syncProgress(progress: SyncProgress): void;
  openExtractDetail(name: string | null): Promise<void>;
}

export const createWarehouseSlice: SliceCreator<WarehouseSlice> = (set, get, { api }) => ({
  connections: null,
  activeConnectionId: null,
  remote: null,
  progress: {},
  syncing: false,
  lastReport: null,
  testResults: {},
  warehouseError: null,
  openExtract: null,
  extractSchema: null,

  async loadConnections() {
    try {
      const connections = await api.connections.list();
      const active = get().activeConnectionId;
      set({ connections, activeConnectionId: connections.some((c) => c.id === active) ? active : (connections[0]?.id ?? null) });
    } catch (err) {
      set({ warehouseError: toInfo(err) });
    }
  },
  async saveConnection(request) {
    try {
      const saved = await api.connections.save(request);
      set({ warehouseError: null, activeConnectionId: saved.id });
      await get().loadConnections();
      return true;
    } catch (err) {
      set({ warehouseError: toInfo(err) });
      return false;
    }
  },
  async removeConnection(id) {
    try {
      await api.connections.remove({ id });
      await get().loadConnections();
      await get().loadCatalog();
    } catch (err) {
      set({ warehouseError: toInfo(err) });
    }
  },
  async testConnection(id) {
    let result: ConnectionTestResult | ErrorInfo;
    try {
      result = await api.connections.test({ id });
    } catch (err) {
      result = toInfo(err);
    }
    set({ testResults: { ...get().testResults, [id]: result } });
  },
  async startDemo(role) {
    set({ warehouseError: null, syncing: true });
    try {
      const connection = await api.connections.startDemo({ role });
      set({ activeConnectionId: connection.id });
      await get().loadConnections();
      await get().loadRemote();
    } catch (err) {
      set({ warehouseError: toInfo(err) });
    } finally {
      set({ syncing: false });
    }
  },
  async setActiveConnection(id) {
    set({ activeConnectionId: id, remote: null });
    await get().loadRemote();
  },
  async loadRemote() {
    const id = get().activeConnectionId;
    if (!id) return set({ remote: null });
    try {
      set({ remote: await api.sync.remote({ connectionId: id }), warehouseError: null });
    } catch (err) {
      // Offline is normal: the Catalog falls back to what is in the cache.
      set({ remote: null, warehouseError: toInfo(err) });
    }
  },
  async syncNow(names) {
    const id = get().activeConnectionId;
    if (!id || get().syncing) return;
    set({ syncing: true, progress: {}, warehouseError: null });
    try {
      const report = await api.sync.run({ connectionId: id, ...(names ? { names } : {}) });
      set({ lastReport: report });
    } catch (err) {
      set({ warehouseError: toInfo(err) });
    } finally {
      set({ syncing: false, progress: {} });
      await Promise.all([get().loadRemote(), get().loadCatalog()]);
    }
  },
  async cancelSync() {
    await api.sync.cancel();
  },
  syncProgress(progress) {
    set({ progress: { ...get().progress, [progress.name]: progress } });
  },
  async openExtractDetail(name) {
    set({ openExtract: name, extractSchema: null });
    if (!name) return;
    try {
      set({ extractSchema: await api.extracts.schema({ name }), warehouseError: null });
    } catch (err) {
      set({ warehouseError: toInfo(err) });
    }
  },
});
