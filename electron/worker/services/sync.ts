import type { RemoteExtract, SyncProgress, SyncReport, SyncService } from '../../../shared/contracts/sync.js';
import { StrongroomError } from '../../../shared/errors.js';
import { getConnection, type ConnectionDetails } from '../db/repositories/connections.js';
import { allLocalExtracts, dropOrphanTables } from '../db/repositories/local-extracts.js';
import { insertSyncRun, listSyncRuns } from '../db/repositories/sync-runs.js';
import { failureResult, purgeExtract, syncExtract } from '../sync/engine.js';
import { isWarehouseFailure, refreshReports } from '../sync/reports.js';
import { pgQualified, Warehouse } from '../sync/warehouse.js';
import type { Vault } from '../vault.js';
import type { DemoRegistry } from './connections.js';

export const CONNECTION_KEY_PURPOSE = 'connections/v1';

/** Opens a warehouse session for a saved connection (starting the demo warehouse if it is one). */
export async function openWarehouse(vault: Vault, demos: DemoRegistry, connectionId: string): Promise<{ warehouse: Warehouse; connectionId: string; details: ConnectionDetails }> {
  const details = getConnection(vault.db(), vault.deriveKey(CONNECTION_KEY_PURPOSE), connectionId);
  if (details.isDemo) await demos.ensure(details);
  return { warehouse: await Warehouse.connect(details), connectionId: details.id, details };
}

/** Row counts for progress, on a second connection opened on first use (and closed by `close`). */
function sideCounter(details: ConnectionDetails) {
  let side: Promise<Warehouse> | null = null;
  return {
    async count(source: string): Promise<number | null> {
      try {
        side ??= Warehouse.connect(details);
        const [row] = await (await side).query<{ n: string }>(`SELECT count(*) AS n FROM ${pgQualified(source)}`);
        return row ? Number(row.n) : null;
      } catch {
        return null; // only the percentage is lost
      }
    },
    async close() {
      await (await side?.catch(() => null))?.close();
    },
  };
}

export function createSyncService(vault: Vault, demos: DemoRegistry, emitProgress: (p: SyncProgress) => void, onReportsChanged: (names: string[]) => void = () => {}): SyncService {
  let running: AbortController | null = null;

  // Reports and authorship come along whenever a connection's catalog is read. They never fail the
  // sync: a warehouse without them (older install.sql) or a hiccup leaves the local copies as they were.
  const syncReports = async (warehouse: Warehouse, connectionId: string) => {
    try {
      const outcome = await refreshReports(vault.db(), warehouse, connectionId);
      if (outcome && (outcome.names.length || outcome.authorChanged)) onReportsChanged(outcome.names);
    } catch (err) {
      // A warehouse error or a dropped connection (which the extracts' sync reports) is retried at
      // the next sync; anything else (a locked cache, a bug) is not hidden.
      if (!isWarehouseFailure(err)) throw err;
    }
  };

  return {
    async remote({ connectionId }) {
      const { warehouse, connectionId: id } = await openWarehouse(vault, demos, connectionId);
      try {
        const catalog = await warehouse.catalog();
        await syncReports(warehouse, id);
        const local = new Map(allLocalExtracts(vault.db()).filter((l) => l.warehouseUser === warehouse.user).map((l) => [l.name, l]));
        return catalog.map((e): RemoteExtract => {
          const l = local.get(e.name);
          return {
            name: e.name,
            title: e.title,
            description: e.description,
            classification: e.classification,
            leaseDays: e.lease_days,
            allowedExports: e.allowed_exports,
            tracksDeletes: e.tracks_deletes,
            local: l ? { version: l.version, rowCount: l.rowCount, syncedAt: l.syncedAt, leaseExpiresAt: l.leaseExpiresAt } : null,
          };
        });
      } finally {
        await warehouse.close();
      }
    },

    async run({ connectionId, names }) {
      if (running) throw new StrongroomError('BUSY', 'A sync is already running. Wait for it or cancel it.');
      const controller = new AbortController();
      running = controller;
      const startedAt = new Date().toISOString();
      try {
        const db = vault.db();
        // What an interrupted sync (crash, kill -9) left behind is dropped before anything else.
        dropOrphanTables(db);
        const { warehouse, connectionId: id, details } = await openWarehouse(vault, demos, connectionId);
        const counter = sideCounter(details);
        const results: SyncReport['results'] = [];
        try {
          const catalog = await warehouse.catalog();
          const permitted = new Set(catalog.map((e) => e.name));
          for (const name of names ?? []) {
            if (!permitted.has(name)) throw new StrongroomError('NOT_FOUND', `"${name}" is not among the extracts ${warehouse.user} is permitted to see.`);
          }
          await syncReports(warehouse, id);
          const ctx = { connectionId: id, user: warehouse.user };
          let purged = false;
          for (const local of allLocalExtracts(db)) {
            // Another warehouse identity's extracts never stay beside this user's.
            if (local.warehouseUser !== null && local.warehouseUser !== warehouse.user) {
              purgeExtract(db, local, 'identity', ctx);
              purged = true;
            } else if (!permitted.has(local.name)) {
              purgeExtract(db, local, 'revoked', ctx);
              purged = true;
              results.push({ name: local.name, status: 'revoked', rowsRead: 0, rowsDeleted: local.rowCount, rowCount: 0, bytes: 0, durationMs: 0, error: { code: 'NOT_PERMITTED', message: `Access to "${local.name}" was withdrawn in the warehouse, so its local copy was deleted.` } });
            }
          }
          // Freed pages are already zeroed (secure_delete); a checkpoint also empties them from the WAL.
          if (purged) db.pragma('wal_checkpoint(TRUNCATE)');
          for (const entry of catalog.filter((e) => !names || names.includes(e.name))) {
            const started = Date.now();
            if (controller.signal.aborted) {
              results.push(failureResult(entry.name, new StrongroomError('CANCELLED', 'The sync was cancelled before this extract started.'), started));
              continue;
            }
            emitProgress({ name: entry.name, phase: 'listing', rows: 0, totalRows: null, bytes: 0, rowsPerSecond: 0, etaSeconds: null });
            try {
              results.push(await syncExtract({ db, warehouse, connectionId: id, signal: controller.signal, onProgress: emitProgress, countRows: (s) => counter.count(s) }, entry));
            } catch (err) {
              const result = failureResult(entry.name, err, started);
              results.push(result);
              insertSyncRun(db, {
                name: entry.name,
                connectionId: id,
                warehouseUser: warehouse.user,
                mode: 'full',
                status: result.status,
                startedAt: new Date(started).toISOString(),
                message: result.error?.message ?? null,
              });
              // A dropped connection or a cancel ends the run: the rest would fail the same way.
              if (result.error?.code === 'WAREHOUSE_UNREACHABLE' || result.error?.code === 'CANCELLED') {
                controller.abort();
              }
            }
          }
          return { connectionId: id, warehouseUser: warehouse.user, startedAt, finishedAt: new Date().toISOString(), results };
        } finally {
          await Promise.all([warehouse.close(), counter.close()]);
        }
      } finally {
        running = null;
      }
    },

    async cancel() {
      running?.abort();
    },

    async history(request = {}) {
      return listSyncRuns(vault.db(), request);
    },
  };
}
