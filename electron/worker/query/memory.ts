import type { MemoryCopy } from '../../../shared/contracts/analysis.js';
import type { Db } from '../db/cipher.js';
import type { LocalExtract } from '../db/repositories/local-extracts.js';
import { loadTable } from './columnar/load.js';
import type { ColumnarTable } from './columnar/store.js';
import { Cancellation } from './sql-engine.js';

interface Entry {
  extract: string;
  /** Identity of the data the copy holds: version, sync time, row count. */
  stamp: string;
  version: number;
  syncedAt: string | null;
  state: 'loading' | 'ready' | 'failed';
  table: ColumnarTable | null;
  promise: Promise<ColumnarTable>;
  cancel: Cancellation;
  rows: number;
  loadMs: number | null;
  error?: string;
  lastUsed: number;
}

export function dataStamp(local: LocalExtract): string {
  return `${local.version}|${local.syncedAt ?? ''}|${local.rowCount}|${local.tableName ?? ''}`;
}

/**
 * In-memory columnar copies of hot extracts: typed arrays in this worker's memory, never written to
 * disk, dropped on lock. A copy belongs to one state of its extract; after a sync the next analysis
 * sees a different stamp, drops it and loads again. Least recently used copies go first when the
 * budget is exceeded.
 */
export class MemoryCopies {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly budgetBytes: number) {}

  /** The ready copy of this exact extract state, if there is one. */
  ready(local: LocalExtract): ColumnarTable | null {
    const entry = this.entries.get(local.name);
    if (!entry || entry.stamp !== dataStamp(local) || entry.state !== 'ready') return null;
    entry.lastUsed = Date.now();
    return entry.table;
  }

  /** Starts (or joins) loading this extract state; resolves when the copy is ready. */
  load(db: Db, local: LocalExtract): Promise<ColumnarTable> {
    const stamp = dataStamp(local);
    const existing = this.entries.get(local.name);
    if (existing && existing.stamp === stamp && existing.state !== 'failed') {
      existing.lastUsed = Date.now();
      return existing.promise;
    }
    if (existing) this.drop(local.name);
    const cancel = new Cancellation();
    const started = Date.now();
    const entry: Entry = {
      extract: local.name,
      stamp,
      version: local.version,
      syncedAt: local.syncedAt,
      state: 'loading',
      table: null,
      cancel,
      rows: local.rowCount,
      loadMs: null,
      lastUsed: started,
      promise: loadTable(db, local.tableName!, local.columns, { signal: cancel }).then(
        (table) => {
          entry.table = table;
          entry.state = 'ready';
          entry.loadMs = Date.now() - started;
          this.evict(local.name);
          return table;
        },
        (err: unknown) => {
          entry.state = 'failed';
          entry.error = err instanceof Error ? err.message : String(err);
          throw err;
        },
      ),
    };
    // A background load that nobody awaits must not become an unhandled rejection.
    entry.promise.catch(() => undefined);
    this.entries.set(local.name, entry);
    return entry.promise;
  }

  list(): MemoryCopy[] {
    return [...this.entries.values()].map((e) => ({
      extract: e.extract,
      version: e.version,
      syncedAt: e.syncedAt,
      state: e.state,
      rows: e.table?.rowCount ?? e.rows,
      bytes: e.table?.byteSize() ?? 0,
      loadMs: e.loadMs,
      ...(e.error ? { error: e.error } : {}),
    }));
  }

  drop(extract: string): void {
    const entry = this.entries.get(extract);
    if (!entry) return;
    entry.cancel.cancel();
    this.entries.delete(extract);
  }

  clear(): void {
    for (const name of [...this.entries.keys()]) this.drop(name);
  }

  private evict(keep: string): void {
    const ready = [...this.entries.values()].filter((e) => e.state === 'ready').sort((a, b) => a.lastUsed - b.lastUsed);
    let total = ready.reduce((sum, e) => sum + (e.table?.byteSize() ?? 0), 0);
    for (const e of ready) {
      if (total <= this.budgetBytes) break;
      if (e.extract === keep) continue;
      total -= e.table?.byteSize() ?? 0;
      this.drop(e.extract);
    }
  }
}
