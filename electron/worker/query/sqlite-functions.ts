import type { Db } from '../db/cipher.js';
import { registerSqliteFunctions } from './sql-expr.js';

/**
 * Everything compiled analysis SQL needs on a SQLite connection: the expression functions plus
 * `sr_stddev`, the sample standard deviation (SQLite has none), by Welford's method, which stays
 * accurate when the mean is large next to the spread (amounts in the millions, cents apart).
 */
export function prepareAnalysisConnection(db: Db): void {
  registerSqliteFunctions(db);
  db.aggregate('sr_stddev', {
    start: () => ({ n: 0, mean: 0, m2: 0 }),
    step: (state: { n: number; mean: number; m2: number }, value: unknown) => {
      if (value === null || value === undefined) return;
      const x = Number(value);
      state.n++;
      const delta = x - state.mean;
      state.mean += delta / state.n;
      state.m2 += delta * (x - state.mean);
    },
    result: (state: { n: number; m2: number }) => (state.n < 2 ? null : Math.sqrt(state.m2 / (state.n - 1))),
    deterministic: true,
  });
}
