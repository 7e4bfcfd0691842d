import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { forecastSeries, type SeriesOptions, type SeriesOutcome } from '../../../shared/forecast/auto.js';
import { StrongroomError } from '../../../shared/errors.js';
import type { Cancellation } from '../query/sql-engine.js';

/**
 * Forecasts many series on worker threads (one per core by default): series go out in small batches
 * from a shared queue, so a slow series does not hold up a thread's whole share, and answers come back
 * in input order. Threads start on first use and stay for the next run; cancelling a run terminates
 * them (a batch in progress cannot be interrupted otherwise), and the next run starts fresh ones.
 * Without a thread file (in-process tests) or for a handful of series, the work runs inline.
 */

export interface ForecastJob {
  values: Array<number | null>;
  options: SeriesOptions;
}
export interface PoolTask {
  id: number;
  jobs: ForecastJob[];
}
export type PoolReply = { id: number; results: SeriesOutcome[] } | { id: number; error: string };

export interface PoolOptions {
  /** The built thread (dist/electron/forecast.cjs); inline when absent. */
  file?: string;
  /** Threads (default: available cores, at most 8). */
  threads?: number;
  /** Series per batch sent to a thread (default 16). */
  batch?: number;
  /** Runs of this many series or fewer stay inline (default 4). */
  inlineUpTo?: number;
}

export class ForecastPool {
  readonly threads: number;
  private readonly workers: Worker[] = [];
  private nextId = 1;

  constructor(private readonly options: PoolOptions = {}) {
    this.threads = Math.max(1, options.threads ?? Math.min(8, availableParallelism()));
  }

  /** Threads a run of `count` series would use. */
  threadsFor(count: number): number {
    return !this.options.file || count <= (this.options.inlineUpTo ?? 4) ? 1 : Math.min(this.threads, Math.ceil(count / (this.options.batch ?? 16)));
  }

  async run(jobs: ForecastJob[], cancel?: Cancellation): Promise<SeriesOutcome[]> {
    if (this.threadsFor(jobs.length) === 1) {
      const out: SeriesOutcome[] = [];
      for (const job of jobs) {
        cancel?.throwIfCancelled();
        out.push(forecastSeries(job.values, job.options));
      }
      return out;
    }
    const batch = this.options.batch ?? 16;
    const results: SeriesOutcome[] = new Array(jobs.length);
    let next = 0;
    const threads = this.threadsFor(jobs.length);
    while (this.workers.length < threads) this.workers.push(this.spawn());
    const used = this.workers.slice(0, threads);
    // Idle threads do not keep the process alive; busy ones must, or a CLI run could exit mid-way.
    for (const w of used) w.ref();
    return new Promise<SeriesOutcome[]>((resolve, reject) => {
      let pending = 0;
      let failed = false;
      const cleanups: Array<() => void> = [() => used.forEach((w) => w.unref())];
      const finish = (err?: Error) => {
        if (failed) return;
        if (err) failed = true;
        for (const c of cleanups.splice(0)) c();
        if (err) reject(err);
        else resolve(results);
      };
      cancel?.onCancel(() => {
        this.close();
        finish(new StrongroomError('CANCELLED', 'The forecast was cancelled.'));
      });
      const feed = (worker: Worker) => {
        if (failed) return;
        if (next >= jobs.length) {
          if (pending === 0) finish();
          return;
        }
        const start = next;
        const slice = jobs.slice(start, (next = Math.min(jobs.length, start + batch)));
        const id = this.nextId++;
        pending++;
        const onMessage = (reply: PoolReply) => {
          if (reply.id !== id) return;
          worker.off('message', onMessage);
          worker.off('exit', onExit);
          pending--;
          if ('error' in reply) return finish(new StrongroomError('INTERNAL', `A forecasting thread failed: ${reply.error}`));
          reply.results.forEach((r, k) => (results[start + k] = r));
          feed(worker);
        };
        const onExit = () => finish(new StrongroomError(cancel?.cancelled ? 'CANCELLED' : 'INTERNAL', cancel?.cancelled ? 'The forecast was cancelled.' : 'A forecasting thread stopped unexpectedly.'));
        worker.on('message', onMessage);
        worker.once('exit', onExit);
        cleanups.push(() => (worker.off('message', onMessage), worker.off('exit', onExit)));
        worker.postMessage({ id, jobs: slice } satisfies PoolTask);
      };
      for (const worker of used) feed(worker);
    });
  }

  private spawn(): Worker {
    const worker = new Worker(this.options.file!);
    worker.on('error', () => undefined);
    worker.once('exit', () => {
      const i = this.workers.indexOf(worker);
      if (i >= 0) this.workers.splice(i, 1);
    });
    worker.unref();
    return worker;
  }

  /** Stops every thread (on cancel, lock or shutdown). */
  close(): void {
    for (const w of this.workers.splice(0)) void w.terminate();
  }
}
