import { Worker } from 'node:worker_threads';
import { StrongroomError } from '../../../shared/errors.js';

/** Runs one SQL statement and answers its raw rows. */
export type SqlRunner = (sql: string, params: unknown[], cancel: { onCancel(fn: () => void): void }) => Promise<unknown[][]>;

/**
 * The data worker's side of the query reader thread (see reader-thread.ts). One statement at a time;
 * cancelling terminates the thread (SQLite has no interrupt better-sqlite3 exposes), and the next
 * statement starts a fresh one. The key is copied to the thread once; lock closes it.
 */
export class SqliteReader {
  private worker: Worker | null = null;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly options: { dbPath: string; /** A fresh copy of the cache key (its buffer is handed over). */ key: () => Uint8Array; nativeBinding?: string },
  ) {}

  run: SqlRunner = (sql, params, cancel) => {
    const job = this.queue.then(() => this.execute(sql, params, cancel));
    this.queue = job.catch(() => undefined);
    return job;
  };

  private execute(sql: string, params: unknown[], cancel: { onCancel(fn: () => void): void }): Promise<unknown[][]> {
    const worker = this.ensure();
    const id = this.nextId++;
    let cancelled = false;
    let failure = '';
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        worker.off('error', onError);
      };
      const onMessage = (m: { id: number; ok: boolean; rows?: unknown[][]; message?: string; code?: string }) => {
        if (m.id !== id) return;
        cleanup();
        if (m.ok) resolve(m.rows!);
        else reject(new StrongroomError('INTERNAL', `The cache could not answer this analysis: ${m.message}`, { sqliteCode: m.code }));
      };
      const onError = (err: Error) => (failure = err.message);
      const onExit = () => {
        cleanup();
        reject(
          cancelled
            ? new StrongroomError('CANCELLED', 'The analysis was cancelled.')
            : new StrongroomError('INTERNAL', `The cache reader stopped${failure ? `: ${failure}` : ''}.`),
        );
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.once('exit', onExit);
      cancel.onCancel(() => {
        cancelled = true;
        this.terminate();
      });
      worker.postMessage({ id, sql, params });
    });
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const key = this.options.key();
    const worker = new Worker(this.file, {
      workerData: { file: this.options.dbPath, key, ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}) },
      transferList: [key.buffer as ArrayBuffer],
    });
    worker.on('error', () => undefined);
    worker.once('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }

  /** Stops the thread (a running statement ends with CANCELLED). */
  terminate(): void {
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
  }
}
