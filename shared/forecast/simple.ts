import { seasonalNaive } from './baselines.js';
import { normalQuantile } from './stats.js';
import type { Interval, ModelForecast } from './types.js';

/**
 * The simple models with prediction intervals, as Hyndman & Athanasopoulos (FPP3, §5.5) give them:
 * seasonal naive, drift and the naive mean, plus Croston's method (SBA) for intermittent demand. They are
 * baselines the selector must beat, and the answer when a series is too short or odd for anything else.
 */

const zOf = (level: number) => (level > 0 && level < 100 ? normalQuantile(0.5 + level / 200) : 0);

/** Normal intervals around `mean` with standard deviation `sd(i)` at step i (0-based). */
export function normalIntervals(mean: number[], sd: (i: number) => number, levels: number[], floorAtZero = false): Interval[] {
  return levels.map((level) => {
    const z = zOf(level);
    const spread = mean.map((_, i) => {
      const s = z * sd(i);
      return Number.isFinite(s) ? s : 0;
    });
    const floor = (v: number) => (floorAtZero ? Math.max(0, v) : v);
    return { level, lower: mean.map((m, i) => floor(m - spread[i]!)), upper: mean.map((m, i) => floor(m + spread[i]!)) };
  });
}

/** Seasonal naive: the last season repeated; variance σ² (k + 1) at step i, k = whole seasons before it. */
export function seasonalNaiveModel(y: readonly number[], h: number, period: number, levels: number[]): ModelForecast {
  const m = period > 1 && y.length > period ? Math.round(period) : 1;
  const mean = seasonalNaive(y, h, m);
  let sum = 0;
  let count = 0;
  for (let t = m; t < y.length; t++) (sum += (y[t]! - y[t - m]!) ** 2), count++;
  const sigma2 = count > 0 ? sum / count : 0;
  const model = m > 1 ? `Seasonal naive[${m}]` : 'Naive';
  return { model, params: { period: m, sigma2 }, mean, intervals: normalIntervals(mean, (i) => Math.sqrt(sigma2 * (Math.floor(i / m) + 1)), levels) };
}

/** Drift: the line through the first and last values; variance σ² i (1 + i / (n − 1)) at step i (1-based). */
export function driftModel(y: readonly number[], h: number, levels: number[]): ModelForecast {
  const n = y.length;
  const last = y[n - 1] ?? 0;
  const slope = n > 1 ? (last - y[0]!) / (n - 1) : 0;
  const mean = Array.from({ length: h }, (_, i) => last + slope * (i + 1));
  let sum = 0;
  for (let t = 1; t < n; t++) sum += (y[t]! - y[t - 1]! - slope) ** 2;
  const sigma2 = n > 2 ? sum / (n - 2) : 0;
  const sd = (i: number) => Math.sqrt(sigma2 * (i + 1) * (1 + (i + 1) / Math.max(1, n - 1)));
  return { model: 'Drift', params: { slope, sigma2 }, mean, intervals: normalIntervals(mean, sd, levels) };
}

/**
 * Croston's method with the Syntetos–Boylan correction (SBA): simple exponential smoothing (α = 0.1)
 * of the non-zero sizes and of the intervals between them; the forecast is the flat rate
 * (1 − α/2) · size / interval. Intervals: the empirical spread of the per-period errors of that rate
 * in sample, floored at zero (demand cannot be negative).
 */
export function crostonModel(y: readonly number[], h: number, levels: number[]): ModelForecast {
  const alpha = 0.1;
  let size = Number.NaN;
  let gap = Number.NaN;
  let sinceLast = 1;
  const rates: number[] = [];
  for (const v of y) {
    rates.push(Number.isFinite(size) ? (1 - alpha / 2) * (size / gap) : Number.NaN);
    if (v !== 0) {
      size = Number.isFinite(size) ? size + alpha * (v - size) : v;
      gap = Number.isFinite(gap) ? gap + alpha * (sinceLast - gap) : sinceLast;
      sinceLast = 1;
    } else sinceLast++;
  }
  const rate = Number.isFinite(size) ? (1 - alpha / 2) * (size / gap) : 0;
  const mean = Array<number>(h).fill(rate);
  let sum = 0;
  let count = 0;
  for (let t = 0; t < y.length; t++) if (Number.isFinite(rates[t]!)) (sum += (y[t]! - rates[t]!) ** 2), count++;
  const sigma = count > 0 ? Math.sqrt(sum / count) : 0;
  return { model: 'Croston (SBA)', params: { alpha, size: Number.isFinite(size) ? size : 0, interval: Number.isFinite(gap) ? gap : 0 }, mean, intervals: normalIntervals(mean, () => sigma, levels, true) };
}

/** A flat forecast at `value` with zero-width intervals (a constant history). */
export function constantModel(value: number, h: number, levels: number[]): ModelForecast {
  const mean = Array<number>(h).fill(value);
  return { model: 'Constant', params: { value }, mean, intervals: levels.map((level) => ({ level, lower: [...mean], upper: [...mean] })) };
}
