import type { ForecastNote } from '../contracts/forecast.js';

/**
 * Turns a queried series (one value per period, null where the period had no rows) into something every
 * model can fit, and says in plain words what was done to it. Never throws; never invents values
 * outside the history's own range except by linear interpolation between two observed ones.
 */

export type MissingPolicy = 'zero' | 'interpolate';

export interface PreparedSeries {
  /** The values fitted: from the first observed period on, gaps filled. */
  y: number[];
  /** Index in the input of y[0] (periods before it had no data). */
  start: number;
  notes: ForecastNote[];
  kind: 'empty' | 'constant' | 'intermittent' | 'regular';
  /** Strictly positive (multiplicative models allowed). */
  positive: boolean;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * `missing`: `zero` when a period without rows means nothing happened (sums and counts), `interpolate`
 * when it means "not measured" (averages, minima, …): linear between neighbours, the last value carried
 * forward at the end.
 */
export function prepareSeries(values: ReadonlyArray<number | null>, missing: MissingPolicy): PreparedSeries {
  const notes: ForecastNote[] = [];
  const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);
  const start = values.findIndex(finite);
  if (start < 0) {
    notes.push({ code: 'EMPTY', message: 'The series has no values, so nothing is forecast.' });
    return { y: [], start: values.length, notes, kind: 'empty', positive: false };
  }
  if (start > 0) {
    notes.push({
      code: 'LEADING_GAP',
      message: `The series starts ${plural(start, 'period', 'periods')} later than the others; only its own history is used.`,
      values: { count: start },
    });
  }
  const raw = values.slice(start);
  let filled = 0;
  const y = raw.map((v, i) => {
    if (finite(v)) return v;
    filled++;
    if (missing === 'zero') return 0;
    let before = i - 1;
    while (before >= 0 && !finite(raw[before]!)) before--;
    let after = i + 1;
    while (after < raw.length && !finite(raw[after]!)) after++;
    const a = raw[before] as number;
    if (after >= raw.length) return a;
    const b = raw[after] as number;
    return a + ((b - a) * (i - before)) / (after - before);
  });
  if (filled > 0) {
    notes.push({
      code: 'GAPS_FILLED',
      message:
        missing === 'zero'
          ? `${plural(filled, 'period', 'periods')} had no rows and count as zero.`
          : `${plural(filled, 'period', 'periods')} had no value and were filled in by linear interpolation.`,
      values: { count: filled, how: missing },
    });
  }

  let min = Infinity;
  let max = -Infinity;
  let zeros = 0;
  for (const v of y) (min = Math.min(min, v)), (max = Math.max(max, v)), (zeros += v === 0 ? 1 : 0);
  const spread = max - min;
  if (y.length >= 2 && spread <= 1e-12 * Math.max(Math.abs(max), Math.abs(min))) {
    notes.push({ code: 'CONSTANT', message: `Every value is ${y[0]}, so the forecast is that value with no spread.`, values: { value: y[0]! } });
    return { y, start, notes, kind: 'constant', positive: min > 0 };
  }
  if (min >= 0 && zeros / y.length > 0.5 && y.length >= 4) {
    notes.push({
      code: 'INTERMITTENT',
      message: `${Math.round((100 * zeros) / y.length)}% of the periods are zero, so the forecast is a smoothed rate per period (Croston's method) rather than a trend.`,
      values: { percent: Math.round((100 * zeros) / y.length) },
    });
    return { y, start, notes, kind: 'intermittent', positive: false };
  }
  if (min < 0) {
    notes.push({ code: 'NEGATIVE', message: 'The series has negative values, so only additive models (no multiplicative trend or season) were tried.' });
  } else if (min === 0) {
    notes.push({ code: 'ZEROS', message: 'The series has zeros, so only additive models (no multiplicative error or season) were tried.' });
  }
  return { y, start, notes, kind: 'regular', positive: min > 0 };
}
