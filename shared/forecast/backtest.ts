import type { BacktestScore } from '../contracts/forecast.js';
import { mase, maseScale, smape } from './metrics.js';
import type { Interval } from './types.js';

/**
 * Rolling-origin evaluation on the series itself (Tashman 2000): the model is re-estimated on the
 * history up to each origin and forecasts the next `horizon` steps, which are then compared with
 * what happened. Three origins, spaced a third of the horizon apart and ending at the last
 * observation, by default.
 */

export interface BacktestPlan {
  /** Training lengths, ascending. */
  origins: number[];
  horizon: number;
}

/**
 * Plans the origins for n observations, a wanted horizon h and the shortest training history a model
 * needs. Shrinks the horizon, then the number of origins, before giving up (null: too short).
 */
export function planBacktest(n: number, h: number, minTrain: number, count = 3): BacktestPlan | null {
  let horizon = Math.max(1, Math.min(h, n - minTrain));
  if (n - horizon < minTrain) return null;
  let k = count;
  let step = Math.max(1, Math.floor(horizon / k));
  while (k > 1 && n - horizon - (k - 1) * step < minTrain) k--;
  if (k === 1) step = 0;
  horizon = Math.min(horizon, n - minTrain);
  const origins = Array.from({ length: k }, (_, i) => n - horizon - (k - 1 - i) * step);
  return { origins, horizon };
}

/** One origin's forecast of the held-back data. */
export interface OriginForecast {
  origin: number;
  mean: number[];
  intervals: Interval[];
}

/** Per held-back point and level: |error| / (the interval's half-width on that side). ≤ 1 is inside. */
export interface Misses {
  level: number;
  ratios: number[];
}

export interface Scored {
  score: BacktestScore;
  misses: Misses[];
}

/** Scores forecasts from each origin against the actuals y (the whole history). */
export function scoreBacktest(y: readonly number[], period: number, forecasts: OriginForecast[], levels: number[]): Scored {
  let maseSum = 0;
  let maseCount = 0;
  let smapeSum = 0;
  let smapeCount = 0;
  const misses: Misses[] = levels.map((level) => ({ level, ratios: [] }));
  let horizon = 0;
  for (const f of forecasts) {
    const actual = y.slice(f.origin, f.origin + f.mean.length);
    horizon = Math.max(horizon, actual.length);
    const train = y.slice(0, f.origin);
    const m = period > 1 && train.length > period ? Math.round(period) : 1;
    const scale = maseScale(train, m);
    if (Number.isFinite(scale) && scale > 0) (maseSum += mase(train, actual, f.mean, m)), maseCount++;
    if (actual.some((a, i) => a !== 0 || f.mean[i] !== 0)) (smapeSum += smape(actual, f.mean)), smapeCount++;
    for (const miss of misses) {
      const interval = f.intervals.find((iv) => iv.level === miss.level);
      if (!interval) continue;
      actual.forEach((a, i) => {
        const centre = f.mean[i]!;
        const half = a >= centre ? interval.upper[i]! - centre : centre - interval.lower[i]!;
        const error = Math.abs(a - centre);
        miss.ratios.push(error === 0 ? 0 : half > 0 ? error / half : Infinity);
      });
    }
  }
  const coverage = misses.filter((m) => m.ratios.length > 0).map((m) => ({ level: m.level, rate: m.ratios.filter((r) => r <= 1).length / m.ratios.length }));
  return {
    score: {
      origins: forecasts.length,
      horizon,
      mase: maseCount > 0 ? maseSum / maseCount : null,
      smape: smapeCount > 0 ? smapeSum / smapeCount : null,
      coverage,
    },
    misses,
  };
}

/** Fewer held-back points than this and the intervals are left as the model gave them. */
export const MIN_CALIBRATION_POINTS = 12;
/** Never widen by more than this: a few wild backtest points should not make a band meaningless. */
export const MAX_CALIBRATION = 3;

/**
 * The factor by which to widen the model's intervals at each level so that the backtest's held-back
 * actuals are covered at the nominal rate: the level-quantile of the miss ratios, never below 1 (the
 * intervals are never narrowed on so little evidence) and never above MAX_CALIBRATION.
 */
export function calibrationFactors(misses: Misses[]): Array<{ level: number; factor: number }> {
  return misses.map(({ level, ratios }) => {
    if (ratios.length < MIN_CALIBRATION_POINTS) return { level, factor: 1 };
    const sorted = [...ratios].sort((a, b) => a - b);
    const q = sorted[Math.min(sorted.length - 1, Math.ceil((level / 100) * sorted.length) - 1)]!;
    return { level, factor: Math.min(MAX_CALIBRATION, Math.max(1, Number.isFinite(q) ? q : MAX_CALIBRATION)) };
  });
}

/** Widens each interval's half-widths by its factor, keeping zero as a floor when `floorAtZero`. */
export function widen(mean: number[], intervals: Interval[], factors: Array<{ level: number; factor: number }>, floorAtZero: boolean): Interval[] {
  return intervals.map((iv) => {
    const f = factors.find((c) => c.level === iv.level)?.factor ?? 1;
    if (f === 1) return iv;
    const floor = (v: number) => (floorAtZero ? Math.max(0, v) : v);
    return {
      level: iv.level,
      lower: mean.map((m, i) => floor(m - f * (m - iv.lower[i]!))),
      upper: mean.map((m, i) => m + f * (iv.upper[i]! - m)),
    };
  });
}
