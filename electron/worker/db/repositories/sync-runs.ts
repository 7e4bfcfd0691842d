import type { SyncRun } from '../../../../shared/contracts/sync.js';
import type { Db } from '../cipher.js';

/** One finished (or failed) sync of one extract, as recorded in `sync_runs`. */
export interface SyncRunRecord {
  name: string;
  connectionId: string | null;
  warehouseUser: string | null;
  mode: SyncRun['mode'];
  status: SyncRun['status'];
  startedAt: string;
  rowsRead?: number;
  rowsDeleted?: number;
  bytes?: number;
  message?: string | null;
}

export function insertSyncRun(db: Db, r: SyncRunRecord): void {
  db.prepare(
    `INSERT INTO sync_runs (extract, connection_id, warehouse_user, mode, status, started_at, finished_at, rows_read, rows_deleted, bytes, message)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.name, r.connectionId, r.warehouseUser, r.mode, r.status, r.startedAt, new Date().toISOString(), r.rowsRead ?? 0, r.rowsDeleted ?? 0, r.bytes ?? 0, r.message ?? null);
}

export function listSyncRuns(db: Db, request: { name?: string; limit?: number }): SyncRun[] {
  const rows = db
    .prepare(
      `SELECT id, extract, warehouse_user, mode, status, started_at, finished_at, rows_read, rows_deleted, message
         FROM sync_runs WHERE (? IS NULL OR extract = ?) ORDER BY id DESC LIMIT ?`,
    )
    .all(request.name ?? null, request.name ?? null, request.limit ?? 100) as Array<{
    id: number;
    extract: string;
    warehouse_user: string | null;
    mode: SyncRun['mode'];
    status: SyncRun['status'];
    started_at: string;
    finished_at: string | null;
    rows_read: number;
    rows_deleted: number;
    message: string | null;
  }>;
  return rows.map((r) => ({
    id: r.id,
    name: r.extract,
    warehouseUser: r.warehouse_user,
    mode: r.mode,
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    rowsRead: r.rows_read,
    rowsDeleted: r.rows_deleted,
    message: r.message,
  }));
}
