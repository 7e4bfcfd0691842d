import type { ConnectionsService } from '../../../shared/contracts/connections.js';
import { StrongroomError } from '../../../shared/errors.js';
import { appendAudit } from '../db/repositories/audit.js';
import { deleteConnection, getConnection, listConnections, markTested, repointDemoConnections, saveConnection, type ConnectionDetails } from '../db/repositories/connections.js';
import { allLocalExtracts } from '../db/repositories/local-extracts.js';
import { purgeExtract } from '../sync/engine.js';
import type { Vault } from '../vault.js';
import { CONNECTION_KEY_PURPOSE, openWarehouse } from './sync.js';

/**
 * The in-process demo warehouse, started on first use and kept for the life of the worker. Its port
 * changes between runs, so saved demo connections are re-pointed when it starts.
 */
export interface DemoRegistry {
  /** Scale used when none is asked for (1 = full size; STRONGROOM_DEMO_SCALE in tests). */
  readonly defaultScale: number;
  ensure(connection: ConnectionDetails): Promise<void>;
  start(scale: number): Promise<{ port: number }>;
  stop(): Promise<void>;
}

export function createDemoRegistry(vault: Vault, defaultScale = 1): DemoRegistry {
  let demo: { port: number; stop(): Promise<void> } | null = null;
  let starting: Promise<{ port: number }> | null = null;
  const registry: DemoRegistry = {
    defaultScale,
    async start(scale) {
      if (demo) return demo;
      starting ??= (async () => {
        // Loaded on demand: PGlite and the generator are not needed unless the demo is used.
        const { startDemoWarehouse } = await import('../demo/index.js');
        const started = await startDemoWarehouse({ port: 0, scale });
        demo = started;
        return started;
      })();
      try {
        return await starting;
      } finally {
        starting = null;
      }
    },
    async ensure(connection) {
      const { port } = await registry.start(defaultScale);
      if (connection.port !== port) {
        repointDemoConnections(vault.db(), port);
        connection.port = port;
      }
    },
    async stop() {
      await demo?.stop();
      demo = null;
    },
  };
  return registry;
}

export function createConnectionsService(vault: Vault, demos: DemoRegistry): ConnectionsService {
  const key = () => vault.deriveKey(CONNECTION_KEY_PURPOSE);
  return {
    list: async () => listConnections(vault.db(), key()),
    async save(request) {
      const saved = saveConnection(vault.db(), key(), request);
      appendAudit(vault.db(), 'connection.saved', { name: saved.name, host: saved.host, port: saved.port, database: saved.database, user: saved.user, tlsMode: saved.tlsMode });
      return saved;
    },
    async remove({ id }) {
      const db = vault.db();
      const connection = getConnection(db, key(), id);
      for (const local of allLocalExtracts(db).filter((l) => l.connectionId === connection.id)) purgeExtract(db, local, 'revoked');
      deleteConnection(db, connection.id);
      appendAudit(db, 'connection.removed', { name: connection.name });
    },
    async test({ id }) {
      const { warehouse, connectionId } = await openWarehouse(vault, demos, id);
      try {
        const schemaVersion = await warehouse.schemaVersion();
        const [serverVersion, catalog] = await Promise.all([warehouse.serverVersion(), warehouse.catalog()]);
        markTested(vault.db(), connectionId);
        return { serverVersion, warehouseUser: warehouse.user, schemaVersion, permittedExtracts: catalog.length, tls: warehouse.tls };
      } finally {
        await warehouse.close();
      }
    },
    async startDemo({ role, scale }) {
      const { port } = await demos.start(scale ?? demos.defaultScale);
      const db = vault.db();
      const name = `Demo warehouse (${role})`;
      const existing = listConnections(db, key()).find((c) => c.name === name);
      if (existing && !existing.isDemo) throw new StrongroomError('INVALID_ARGUMENT', `A connection named "${name}" already exists.`);
      return saveConnection(db, key(), { ...(existing ? { id: existing.id } : {}), name, host: '127.0.0.1', port, database: 'postgres', user: role, password: 'demo', tlsMode: 'disable' }, true);
    },
  };
}
