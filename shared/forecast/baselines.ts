import { isSeasonal, seasonalIndices } from './seasonality.js';

/**
 * The simple forecasts every method must beat, as the M4 benchmarks define them. Each takes the
 * history (oldest first), the horizon and the seasonal period, and answers h point forecasts.
 */

/** The last value, repeated. */
export function naive(y: ArrayLike<number>, h: number): number[] {
  return Array<number>(h).fill(y[y.length - 1]!);
}

/** The last season, repeated (the last value when the period is 1 or the history is shorter). */
export function seasonalNaive(y: ArrayLike<number>, h: number, period: number): number[] {
  if (period <= 1 || y.length < period) return naive(y, h);
  return Array.from({ length: h }, (_, i) => y[y.length - period + (i % period)]!);
}

/** The line from the first to the last value, extended (random walk with drift). */
export function drift(y: ArrayLike<number>, h: number): number[] {
  const n = y.length;
  const slope = n > 1 ? (y[n - 1]! - y[0]!) / (n - 1) : 0;
  return Array.from({ length: h }, (_, i) => y[n - 1]! + slope * (i + 1));
}

/**
 * Seasonal adjustment as M4 does it: when the series tests seasonal, divide by the indices of a
 * multiplicative classical decomposition. Answers the adjusted history and the indices of the next
 * h steps (all 1 when not seasonal), to multiply any forecast of the adjusted series by.
 */
export function deseasonalise(y: ArrayLike<number>, h: number, period: number): { adjusted: number[]; future: number[]; seasonal: boolean } {
  const n = y.length;
  if (!isSeasonal(y, period)) return { adjusted: Array.from(y), future: Array<number>(h).fill(1), seasonal: false };
  const indices = seasonalIndices(y, period, 'multiplicative');
  return {
    adjusted: Array.from(y, (v, t) => v / indices[t % period]!),
    future: Array.from({ length: h }, (_, i) => indices[(n + i) % period]!),
    seasonal: true,
  };
}

/** Naive2: the naive forecast of the seasonally adjusted series, seasonality put back. OWA's yardstick. */
export function naive2(y: ArrayLike<number>, h: number, period: number): number[] {
  const { adjusted, future } = deseasonalise(y, h, period);
  const last = adjusted[adjusted.length - 1]!;
  return future.map((s) => last * s);
}
