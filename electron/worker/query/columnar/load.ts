import type { CancelToken } from '../../../../shared/analysis/plan.js';
import { StrongroomError } from '../../../../shared/errors.js';
import type { Db } from '../../db/cipher.js';
import { type ColumnarTable, type ColumnSpec, TableBuilder } from './store.js';

/** Rows read per statement. About 30 ms of work on the reference machine: the worker answers between chunks. */
export const DEFAULT_CHUNK_ROWS = 32_768;
/** Above this many rowids between the first and last row, the table is not preallocated from the span. */
const MAX_PREALLOCATE = 1 << 27;

export interface LoadOptions {
  /** Checked between chunks; a cancelled load throws CANCELLED and keeps nothing. */
  signal?: CancelToken;
  /** Rows per SELECT (default {@link DEFAULT_CHUNK_ROWS}). */
  chunkRows?: number;
  /** Called after every chunk with the rows loaded so far. */
  onProgress?: (rowsLoaded: number) => void;
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Reads a cache table into a {@link ColumnarTable}, in rowid order, one chunk of rows per statement,
 * yielding to the event loop between chunks so the worker keeps answering (and a cancel can land).
 *
 * Hazard: the chunks are separate statements, not one snapshot. If a sync replaces or edits the
 * table between two chunks the copy mixes states (or the next chunk fails with "no such table").
 * Callers must tie the copy to the extract version it was loaded from and load only a table that no
 * sync is writing (a finished version's table, which syncs replace rather than edit in place).
 */
export async function loadTable(db: Db, tableName: string, columns: readonly ColumnSpec[], opts: LoadOptions = {}): Promise<ColumnarTable> {
  const chunkRows = Math.max(1, Math.floor(opts.chunkRows ?? DEFAULT_CHUNK_ROWS));
  // A warehouse column may itself be called rowid; SQLite then resolves the name to the column, so
  // pick an alias of the real rowid that no column shadows.
  const taken = new Set(columns.map((c) => c.name.toLowerCase()));
  const rowid = ['rowid', '_rowid_', 'oid'].find((a) => !taken.has(a));
  if (!rowid) throw new StrongroomError('INTERNAL', `Table ${tableName} has columns named rowid, _rowid_ and oid; it cannot be read in rowid order`);
  const table = quote(tableName);

  const bounds = db.prepare(`SELECT min(${rowid}), max(${rowid}) FROM ${table}`).raw(true).get() as [number | bigint | null, number | bigint | null];
  const [lo, hi] = bounds;
  const span = lo === null || hi === null ? 0 : Number(hi) - Number(lo) + 1;
  const builder = new TableBuilder(columns, span > 0 && span <= MAX_PREALLOCATE ? span : chunkRows);

  const list = [rowid, ...columns.map((c) => quote(c.name))].join(', ');
  const stmt = db.prepare(`SELECT ${list} FROM ${table} WHERE ${rowid} > ? ORDER BY ${rowid} LIMIT ?`).raw(true);
  let after: number | bigint = -9223372036854775808n;
  for (;;) {
    if (opts.signal?.cancelled) throw new StrongroomError('CANCELLED', `Loading ${tableName} into memory was cancelled.`);
    const rows = stmt.all(after, chunkRows) as unknown[][];
    if (rows.length === 0) break;
    builder.appendRows(rows, 1);
    after = rows[rows.length - 1]![0] as number | bigint;
    opts.onProgress?.(builder.rowCount);
    if (rows.length < chunkRows) break;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (opts.signal?.cancelled) throw new StrongroomError('CANCELLED', `Loading ${tableName} into memory was cancelled.`);
  return builder.finish();
}
