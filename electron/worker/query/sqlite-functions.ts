import type { Db } from '../db/cipher.js';
import { registerSqliteFunctions } from './sql-expr.js';

/**
 * Everything compiled analysis SQL needs on a SQLite connection: temporary storage in memory, the expression functions plus
 * `sr_stddev`, the sample standard deviation (SQLite has none), by Welford's method, which stays
 * accurate when the mean is large next to the spread (amounts in the millions, cents apart).
 */
export function prepareAnalysisConnection(db: Db): void {
  // Sorts, DISTINCT and GROUP BY may need temporary storage: it must stay in memory, since SQLite's
  // temp files are not encrypted. (The data worker's own connection sets this at unlock too.)
  db.pragma('temp_store = MEMORY');
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
