import { to as copyTo } from 'pg-copy-streams';
import type { ExtractSyncResult, SyncProgress } from '../../../shared/contracts/sync.js';
import { StrongroomError, toErrorInfo } from '../../../shared/errors.js';
import type { Db } from '../db/cipher.js';
import { appendAudit } from '../db/repositories/audit.js';
import { insertSyncRun } from '../db/repositories/sync-runs.js';
import { getLocalExtract, sqlIdent, stagingTableName, versionTableName, type LocalExtract } from '../db/repositories/local-extracts.js';
import { CopyTextParser } from './copy-text.js';
import { converterFor, sqliteType, type ColumnInfo } from './types.js';
import { pgIdent, pgLiteral, pgQualified, type CatalogEntry, type Warehouse } from './warehouse.js';

/** Rows per SQLite transaction while loading: large enough to amortise commits, small enough for memory. */
const BATCH_ROWS = 20_000;
/** Re-read rows this far before the incremental watermark: late commits with older timestamps. */
const WATERMARK_OVERLAP_MS = 5 * 60_000;
/** Tables with tracked deletes still get a full key-set compare this often (catches RLS changes). */
const KEYSET_EVERY_MS = 7 * 24 * 3600_000;
const PROGRESS_EVERY_MS = 250;

export interface SyncContext {
  db: Db;
  warehouse: Warehouse;
  /**
   * Counts the rows the user may see in a source, on a second connection so the count runs beside
   * the COPY instead of before it (it only feeds the progress percentage and ETA).
   */
  countRows?(source: string): Promise<number | null>;
  connectionId: string;
  signal: AbortSignal;
  onProgress(progress: SyncProgress): void;
}

/** Rows parsed but not yet inserted before the socket is paused: bounds memory whatever the extract. */
const MAX_PENDING_ROWS = 100_000;

/**
 * Streams a COPY ... TO STDOUT into a local table. Parsing happens as bytes arrive; inserts run in
 * batched transactions scheduled with setImmediate, so the socket keeps being read (and the server
 * keeps producing) while rows are written, instead of the two taking turns. Above
 * MAX_PENDING_ROWS the stream is paused until inserts catch up. Cancellation and dropped
 * connections reject; rows already inserted stay in the (staging) table for the caller to drop.
 */
async function loadInto(ctx: SyncContext, table: string, columns: ColumnInfo[], copySql: string, name: string, phase: SyncProgress['phase'], total: { rows: number | null }, trackMaxOf?: string) {
  // The incremental watermark is the maximum of one column: tracked here rather than by scanning later.
  const maxIndex = trackMaxOf === undefined ? -1 : columns.findIndex((c) => c.name === trackMaxOf);
  let max: unknown = null;
  const insert = ctx.db.prepare(`INSERT INTO ${sqlIdent(table)} VALUES (${columns.map(() => '?').join(', ')})`);
  const converters = columns.map((c) => converterFor(c.storage));
  const width = columns.length;
  const flush = ctx.db.transaction((rows: unknown[][]) => {
    for (const row of rows) insert.run(row);
  });
  const started = Date.now();
  let rows = 0;
  let inserted = 0;
  let bytes = 0;
  let lastReport = 0;
  const report = (force = false) => {
    const now = Date.now();
    if (!force && now - lastReport < PROGRESS_EVERY_MS) return;
    lastReport = now;
    const rate = inserted / Math.max(0.001, (now - started) / 1000);
    const totalRows = total.rows;
    ctx.onProgress({ name, phase, rows: inserted, totalRows, bytes, rowsPerSecond: Math.round(rate), etaSeconds: totalRows !== null && rate > 0 ? Math.max(0, (totalRows - inserted) / rate) : null });
  };

  const stream = ctx.warehouse.client.query(copyTo(copySql));
  const parser = new CopyTextParser();
  let pending: unknown[][] = [];
  let scheduled = false;
  let ended = false;
  let settled = false;

  await new Promise<void>((resolve, reject) => {
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      ctx.signal.removeEventListener('abort', onAbort);
      stream.destroy();
      reject(err instanceof StrongroomError ? err : ctx.warehouse.error(err));
    };
    const onAbort = () => fail(new StrongroomError('CANCELLED', 'The sync was cancelled.'));
    if (ctx.signal.aborted) return onAbort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });

    const drain = () => {
      scheduled = false;
      if (settled) return;
      try {
        const batch = pending.length > BATCH_ROWS ? pending.splice(0, BATCH_ROWS) : pending.splice(0);
        if (batch.length) {
          flush(batch);
          inserted += batch.length;
          report();
        }
      } catch (err) {
        return fail(err);
      }
      if (stream.isPaused() && pending.length < MAX_PENDING_ROWS / 2 && !ended) stream.resume();
      if (pending.length) schedule();
      else if (ended) {
        settled = true;
        ctx.signal.removeEventListener('abort', onAbort);
        resolve();
      }
    };
    const schedule = () => {
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    };
    const onRow = (fields: Array<string | null>) => {
      if (fields.length !== width) throw new StrongroomError('INTERNAL', `The warehouse sent ${fields.length} fields for ${width} columns.`);
      for (let i = 0; i < width; i++) {
        const f = fields[i];
        if (f !== null) fields[i] = converters[i]!(f!) as string;
      }
      if (maxIndex >= 0) {
        const v = fields[maxIndex] as unknown;
        if (v !== null && (max === null || (v as number) > (max as number))) max = v;
      }
      pending.push(fields);
      rows++;
    };
    stream.on('data', (chunk: Buffer) => {
      try {
        parser.push(chunk, onRow);
      } catch (err) {
        return fail(err);
      }
      bytes += chunk.length;
      if (pending.length >= MAX_PENDING_ROWS) stream.pause();
      if (pending.length >= BATCH_ROWS / 2) schedule();
    });
    stream.on('error', fail);
    stream.on('end', () => {
      try {
        parser.end(onRow);
      } catch (err) {
        return fail(err);
      }
      ended = true;
      schedule();
    });
  });
  report(true);
  return { rows, bytes, max: max as string | number | bigint | null };
}

function createTable(db: Db, table: string, columns: ColumnInfo[]) {
  db.exec(`CREATE TABLE ${sqlIdent(table)} (${columns.map((c) => `${sqlIdent(c.name)} ${sqliteType(c.storage)}`).join(', ')})`);
}

function selectList(columns: ColumnInfo[]): string {
  return columns.map((c) => pgIdent(c.name)).join(', ');
}

function schemaChange(before: ColumnInfo[], after: ColumnInfo[]) {
  const old = new Map(before.map((c) => [c.name, c.pgType]));
  const neu = new Map(after.map((c) => [c.name, c.pgType]));
  return {
    added: after.filter((c) => !old.has(c.name)).map((c) => c.name),
    removed: before.filter((c) => !neu.has(c.name)).map((c) => c.name),
    retyped: after.filter((c) => old.has(c.name) && old.get(c.name) !== c.pgType).map((c) => c.name),
  };
}

function leaseEnd(from: Date, days: number): string {
  return new Date(from.getTime() + days * 24 * 3600_000).toISOString();
}

/**
 * Syncs one permitted extract. A full load (first sync, schema change, no incremental column) goes
 * into a staging table that replaces the previous version in one transaction; an incremental sync
 * stages the changed rows and applies upserts and deletes in one transaction. Either way a crash,
 * a cancel or a dropped connection at any point leaves the previous version intact and readable.
 */
export async function syncExtract(ctx: SyncContext, entry: CatalogEntry): Promise<ExtractSyncResult> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const { db } = ctx;
  const local = getLocalExtract(db, entry.name);
  const { visible, hidden } = await ctx.warehouse.columns(entry.source);
  const missingKey = entry.primary_key.filter((k) => !visible.some((c) => c.name === k));
  if (missingKey.length) {
    throw new StrongroomError('NOT_PERMITTED', `You may not read the key column(s) ${missingKey.join(', ')} of ${entry.name}, so it cannot be synced. Ask the DBA to grant them.`);
  }
  const change = local?.tableName ? schemaChange(local.columns, visible) : null;
  const sameShape =
    local?.tableName &&
    change!.added.length + change!.removed.length + change!.retyped.length === 0 &&
    JSON.stringify(local.primaryKey) === JSON.stringify(entry.primary_key) &&
    local.source === entry.source &&
    local.warehouseUser === ctx.warehouse.user;
  const incremental =
    sameShape && entry.incremental_column && local!.watermark !== null && visible.some((c) => c.name === entry.incremental_column);

  const common = { title: entry.title, description: entry.description, classification: entry.classification, allowedExports: entry.allowed_exports, leaseDays: entry.lease_days };
  if (incremental) return incrementalSync(ctx, entry, local!, visible, hidden, common, started, startedAt);

  // Full load. A new version when the shape changed (or on first load); the same number otherwise.
  const version = !local?.tableName ? 1 : sameShape ? local.version : local.version + 1;
  const stage = stagingTableName(entry.name);
  createTable(db, stage, visible);
  try {
    const total: { rows: number | null } = { rows: null };
    void ctx.countRows?.(entry.source).then((n) => (total.rows = n));
    const incVisible = entry.incremental_column !== null && visible.some((c) => c.name === entry.incremental_column);
    const { rows, bytes, max } = await loadInto(ctx, stage, visible, `COPY (SELECT ${selectList(visible)} FROM ${pgQualified(entry.source)}) TO STDOUT`, entry.name, 'loading', total, incVisible ? entry.incremental_column! : undefined);
    total.rows = rows;
    ctx.onProgress({ name: entry.name, phase: 'indexing', rows, totalRows: rows, bytes, rowsPerSecond: 0, etaSeconds: null });
    db.exec(`CREATE UNIQUE INDEX ${sqlIdent(`${stage}_pk`)} ON ${sqlIdent(stage)} (${entry.primary_key.map(sqlIdent).join(', ')})`);
    const watermark = incVisible ? max : null;
    ctx.onProgress({ name: entry.name, phase: 'swapping', rows, totalRows: rows, bytes, rowsPerSecond: 0, etaSeconds: null });
    const finalName = versionTableName(entry.name, version);
    const finished = new Date();
    db.transaction(() => {
      if (local?.tableName) db.exec(`DROP TABLE IF EXISTS ${sqlIdent(local.tableName)}`);
      db.exec(`DROP TABLE IF EXISTS ${sqlIdent(finalName)}`);
      db.exec(`ALTER TABLE ${sqlIdent(stage)} RENAME TO ${sqlIdent(finalName)}`);
      db.prepare(
        `INSERT INTO extracts (name, title, description, classification, row_count, synced_at, lease_expires_at, allowed_exports,
            connection_id, warehouse_user, source, primary_key, incremental_column, tracks_deletes, lease_days, version, table_name,
            columns, hidden_columns, watermark, last_sync_started_at, last_keyset_at)
         VALUES (@name, @title, @description, @classification, @rows, @syncedAt, @lease, @exports, @connectionId, @user, @source, @pk,
            @inc, @tracks, @leaseDays, @version, @table, @columns, @hidden, @watermark, @startedAt, @startedAt)
         ON CONFLICT (name) DO UPDATE SET title = @title, description = @description, classification = @classification,
            row_count = @rows, synced_at = @syncedAt, lease_expires_at = @lease, allowed_exports = @exports, connection_id = @connectionId,
            warehouse_user = @user, source = @source, primary_key = @pk, incremental_column = @inc, tracks_deletes = @tracks,
            lease_days = @leaseDays, version = @version, table_name = @table, columns = @columns, hidden_columns = @hidden,
            watermark = @watermark, last_sync_started_at = @startedAt, last_keyset_at = @startedAt`,
      ).run({
        name: entry.name,
        title: common.title,
        description: common.description,
        classification: common.classification,
        rows,
        syncedAt: finished.toISOString(),
        lease: leaseEnd(finished, entry.lease_days),
        exports: JSON.stringify(entry.allowed_exports),
        connectionId: ctx.connectionId,
        user: ctx.warehouse.user,
        source: entry.source,
        pk: JSON.stringify(entry.primary_key),
        inc: entry.incremental_column,
        tracks: entry.tracks_deletes ? 1 : 0,
        leaseDays: entry.lease_days,
        version,
        table: finalName,
        columns: JSON.stringify(visible),
        hidden: JSON.stringify(hidden),
        watermark: watermark === null ? null : String(watermark),
        startedAt,
      });
      if (version !== local?.version) {
        db.prepare('INSERT OR REPLACE INTO extract_versions (extract, version, columns, change, created_at) VALUES (?, ?, ?, ?, ?)').run(
          entry.name,
          version,
          JSON.stringify(visible),
          change ? JSON.stringify(change) : null,
          finished.toISOString(),
        );
      }
      insertSyncRun(db, { name: entry.name, connectionId: ctx.connectionId, warehouseUser: ctx.warehouse.user, mode: 'full', status: 'synced', startedAt, rowsRead: rows, bytes });
      appendAudit(db, 'extract.synced', { name: entry.name, mode: 'full', version, rows, warehouseUser: ctx.warehouse.user });
    })();
    ctx.onProgress({ name: entry.name, phase: 'done', rows, totalRows: rows, bytes, rowsPerSecond: 0, etaSeconds: 0 });
    return {
      name: entry.name,
      status: 'synced',
      mode: 'full',
      version,
      rowsRead: rows,
      rowsDeleted: 0,
      rowCount: rows,
      bytes,
      durationMs: Date.now() - started,
      hiddenColumns: hidden,
      ...(change && version !== local?.version ? { schemaChange: change } : {}),
    };
  } catch (err) {
    db.exec(`DROP TABLE IF EXISTS ${sqlIdent(stage)}`);
    throw err;
  }
}

async function incrementalSync(
  ctx: SyncContext,
  entry: CatalogEntry,
  local: LocalExtract,
  columns: ColumnInfo[],
  hidden: string[],
  common: { title: string; description: string; classification: string; allowedExports: string[]; leaseDays: number },
  started: number,
  startedAt: string,
): Promise<ExtractSyncResult> {
  const { db } = ctx;
  const table = local.tableName!;
  const inc = entry.incremental_column!;
  const incColumn = columns.find((c) => c.name === inc)!;
  // Timestamps step back by the overlap so rows committed late with earlier times are not missed;
  // `>=` re-reads the watermark's own rows, which the upsert makes harmless.
  const since =
    incColumn.storage === 'timestamp'
      ? new Date(new Date(local.watermark!).getTime() - WATERMARK_OVERLAP_MS).toISOString()
      : local.watermark!;
  const where = `WHERE ${pgIdent(inc)} >= ${pgLiteral(since)}`;
  const stage = stagingTableName(entry.name);
  const keysStage = `${stage}_keys`;
  createTable(db, stage, columns);
  const pkColumns = entry.primary_key.map((k) => columns.find((c) => c.name === k)!);
  try {
    // No remote count here: it would scan the source for what is usually a handful of rows.
    const total: { rows: number | null } = { rows: null };
    const { rows, bytes, max } = await loadInto(ctx, stage, columns, `COPY (SELECT ${selectList(columns)} FROM ${pgQualified(entry.source)} ${where}) TO STDOUT`, entry.name, 'loading', total, inc);

    // Deletes: the warehouse's tombstones where it tracks them, else (and weekly) a key-set compare.
    ctx.onProgress({ name: entry.name, phase: 'deletes', rows, totalRows: total.rows, bytes, rowsPerSecond: 0, etaSeconds: null });
    let keysetDue = !entry.tracks_deletes || !local.lastKeysetAt || Date.now() - new Date(local.lastKeysetAt).getTime() > KEYSET_EVERY_MS;
    let tombstones: Array<Record<string, unknown>> = [];
    if (!keysetDue) {
      const since = new Date(new Date(local.lastSyncStartedAt ?? local.syncedAt ?? 0).getTime() - WATERMARK_OVERLAP_MS).toISOString();
      tombstones = (await ctx.warehouse.query<{ pk: Record<string, unknown> }>('SELECT pk FROM strongroom.deleted_keys($1, $2)', [entry.name, since])).map((r) => r.pk);
      // An empty key is install.sql's marker that deletions are unknown (TRUNCATE, purged tombstones):
      // only a key-set compare can tell now.
      if (tombstones.some((pk) => Object.keys(pk).length === 0)) {
        keysetDue = true;
        tombstones = [];
      }
    }
    if (keysetDue) {
      createTable(db, keysStage, pkColumns);
      await loadInto(ctx, keysStage, pkColumns, `COPY (SELECT ${selectList(pkColumns)} FROM ${pgQualified(entry.source)}) TO STDOUT`, entry.name, 'deletes', { rows: null });
      db.exec(`CREATE UNIQUE INDEX ${sqlIdent(`${keysStage}_pk`)} ON ${sqlIdent(keysStage)} (${pkColumns.map((c) => sqlIdent(c.name)).join(', ')})`);
    }

    const converters = pkColumns.map((c) => converterFor(c.storage));
    const set = columns.filter((c) => !entry.primary_key.includes(c.name)).map((c) => `${sqlIdent(c.name)} = excluded.${sqlIdent(c.name)}`);
    const cols = columns.map((c) => sqlIdent(c.name)).join(', ');
    const pkList = pkColumns.map((c) => sqlIdent(c.name)).join(', ');
    let deleted = 0;
    const finished = new Date();
    ctx.onProgress({ name: entry.name, phase: 'swapping', rows, totalRows: total.rows, bytes, rowsPerSecond: 0, etaSeconds: null });
    let rowCount = local.rowCount;
    db.transaction(() => {
      // Counted from the staged rows through the key index, not by scanning the whole extract.
      const keyMatch = pkColumns.map((c) => `t.${sqlIdent(c.name)} = s.${sqlIdent(c.name)}`).join(' AND ');
      const added = (db.prepare(`SELECT count(*) AS n FROM ${sqlIdent(stage)} AS s WHERE NOT EXISTS (SELECT 1 FROM ${sqlIdent(table)} AS t WHERE ${keyMatch})`).get() as { n: number }).n;
      db.exec(
        `INSERT INTO ${sqlIdent(table)} (${cols}) SELECT ${cols} FROM ${sqlIdent(stage)} WHERE true
         ON CONFLICT (${pkList}) DO ${set.length ? `UPDATE SET ${set.join(', ')}` : 'NOTHING'}`,
      );
      if (keysetDue) {
        const match = pkColumns.map((c) => `k.${sqlIdent(c.name)} = t.${sqlIdent(c.name)}`).join(' AND ');
        deleted = db.prepare(`DELETE FROM ${sqlIdent(table)} AS t WHERE NOT EXISTS (SELECT 1 FROM ${sqlIdent(keysStage)} AS k WHERE ${match})`).run().changes;
      } else if (tombstones.length) {
        const del = db.prepare(`DELETE FROM ${sqlIdent(table)} WHERE ${pkColumns.map((c) => `${sqlIdent(c.name)} = ?`).join(' AND ')}`);
        for (const pk of tombstones) {
          deleted += del.run(pkColumns.map((c, i) => (pk[c.name] === null || pk[c.name] === undefined ? null : converters[i]!(String(pk[c.name]))))).changes;
        }
      }
      rowCount = local.rowCount + added - deleted;
      // Every row at or past the old watermark was staged, so the new one is the staged maximum.
      // (If the newest row was deleted the watermark steps back a little: that only re-reads a few rows.)
      const watermark = max;
      db.prepare(
        `UPDATE extracts SET title = ?, description = ?, classification = ?, allowed_exports = ?, lease_days = ?, tracks_deletes = ?,
           row_count = ?, synced_at = ?, lease_expires_at = ?, watermark = ?, hidden_columns = ?, last_sync_started_at = ?,
           last_keyset_at = CASE WHEN ? THEN ? ELSE last_keyset_at END
         WHERE name = ?`,
      ).run(
        common.title,
        common.description,
        common.classification,
        JSON.stringify(common.allowedExports),
        common.leaseDays,
        entry.tracks_deletes ? 1 : 0,
        rowCount,
        finished.toISOString(),
        leaseEnd(finished, entry.lease_days),
        watermark === null ? local.watermark : String(watermark),
        JSON.stringify(hidden),
        startedAt,
        keysetDue ? 1 : 0,
        startedAt,
        entry.name,
      );
      db.exec(`DROP TABLE ${sqlIdent(stage)}`);
      if (keysetDue) db.exec(`DROP TABLE ${sqlIdent(keysStage)}`);
      insertSyncRun(db, { name: entry.name, connectionId: ctx.connectionId, warehouseUser: ctx.warehouse.user, mode: 'incremental', status: 'synced', startedAt, rowsRead: rows, rowsDeleted: deleted, bytes });
      appendAudit(db, 'extract.synced', { name: entry.name, mode: 'incremental', version: local.version, rows, deleted, warehouseUser: ctx.warehouse.user });
    })();
    ctx.onProgress({ name: entry.name, phase: 'done', rows, totalRows: total.rows, bytes, rowsPerSecond: 0, etaSeconds: 0 });
    return { name: entry.name, status: 'synced', mode: 'incremental', version: local.version, rowsRead: rows, rowsDeleted: deleted, rowCount, bytes, durationMs: Date.now() - started, hiddenColumns: hidden };
  } catch (err) {
    db.exec(`DROP TABLE IF EXISTS ${sqlIdent(stage)}`);
    db.exec(`DROP TABLE IF EXISTS ${sqlIdent(keysStage)}`);
    throw err;
  }
}

/** Deletes a local extract and its rows (secure_delete zeroes the freed pages), recording why. */
export function purgeExtract(db: Db, local: LocalExtract, reason: 'revoked' | 'identity', ctx?: { connectionId: string; user: string }): void {
  db.transaction(() => {
    if (local.tableName) db.exec(`DROP TABLE IF EXISTS ${sqlIdent(local.tableName)}`);
    db.prepare('DELETE FROM extracts WHERE name = ?').run(local.name);
    db.prepare('DELETE FROM extract_versions WHERE extract = ?').run(local.name);
    const message =
      reason === 'revoked'
        ? `Access to "${local.name}" was withdrawn in the warehouse, so its local copy was deleted.`
        : `"${local.name}" was synced by another warehouse user (${local.warehouseUser ?? 'unknown'}), so its local copy was deleted before syncing as ${ctx?.user ?? 'the new user'}.`;
    insertSyncRun(db, {
      name: local.name,
      connectionId: ctx?.connectionId ?? local.connectionId,
      warehouseUser: ctx?.user ?? local.warehouseUser,
      mode: 'purge',
      status: 'revoked',
      startedAt: new Date().toISOString(),
      rowsDeleted: local.rowCount,
      message,
    });
    appendAudit(db, reason === 'revoked' ? 'extract.revoked' : 'extract.purged_identity', { name: local.name, rows: local.rowCount, previousUser: local.warehouseUser });
  })();
}

export function failureResult(name: string, err: unknown, started: number): ExtractSyncResult {
  const info = toErrorInfo(err);
  return {
    name,
    status: info.code === 'CANCELLED' ? 'cancelled' : 'failed',
    rowsRead: 0,
    rowsDeleted: 0,
    rowCount: 0,
    bytes: 0,
    durationMs: Date.now() - started,
    error: { code: info.code, message: info.message },
  };
}
