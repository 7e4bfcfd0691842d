import type { CancelToken } from '../../../../shared/analysis/plan.js';
import { StrongroomError } from '../../../../shared/errors.js';

/** Rows per batch of vectorised work: a few 64K-element arrays stay in the CPU's caches. */
export const BATCH = 65_536;
/** Rows of work between cancellation checks and yields to the event loop. */
export const CHUNK = 1 << 20;

/**
 * Cooperative pacing of a long analysis: work is counted in rows, and after every {@link CHUNK}
 * rows the engine checks the cancel token and yields to the event loop (so the worker keeps
 * answering and a cancel can land). Small tables never yield.
 */
export class Pacer {
  private since = 0;

  constructor(private readonly cancel?: CancelToken) {}

  /** Throws CANCELLED if the analysis was cancelled. */
  check(): void {
    if (this.cancel?.cancelled) throw new StrongroomError('CANCELLED', 'The analysis was cancelled.');
  }

  /** Counts `rows` of work; resolves at once unless a chunk is complete, then checks and yields. */
  async step(rows: number): Promise<void> {
    this.since += rows;
    if (this.since < CHUNK) return;
    this.since = 0;
    this.check();
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.check();
  }

  /** Runs `fn` over `[0, total)` in batches, pacing between them. */
  async batches(total: number, fn: (start: number, n: number) => void): Promise<void> {
    for (let start = 0; start < total; start += BATCH) {
      const n = Math.min(BATCH, total - start);
      fn(start, n);
      if (this.since + n >= CHUNK) await this.step(n);
      else this.since += n;
    }
  }
}
