/**
 * Forecast accuracy as the M4 competition scores it (Makridakis, Spiliotis & Assimakopoulos, 2020;
 * the reference is the competition's `Benchmarks and Evaluation.R`):
 * - sMAPE: mean of 2|y − ŷ| / (|y| + |ŷ|) over the horizon, in percent;
 * - MASE: mean |y − ŷ| over the horizon, scaled by the in-sample mean absolute seasonal difference
 *   (lag = the seasonal period; 1 for non-seasonal data);
 * - OWA: the mean of a method's sMAPE and MASE, each divided by Naive2's, on dataset averages.
 */

/** sMAPE of one forecast, in percent. A step where both actual and forecast are 0 counts as 0. */
export function smape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const f = forecast[i]!;
    const denominator = Math.abs(a) + Math.abs(f);
    sum += denominator === 0 ? 0 : (2 * Math.abs(a - f)) / denominator;
  }
  return (100 * sum) / actual.length;
}

/** The in-sample scale of MASE: mean |y_t − y_{t−m}|. NaN when the series is shorter than m + 1. */
export function maseScale(insample: ArrayLike<number>, period: number): number {
  const m = Math.max(1, period);
  let sum = 0;
  let n = 0;
  for (let t = m; t < insample.length; t++) {
    sum += Math.abs(insample[t]! - insample[t - m]!);
    n++;
  }
  return n === 0 ? Number.NaN : sum / n;
}

/** MASE of one forecast. Infinite when the history never changes at the seasonal lag (scale 0). */
export function mase(insample: ArrayLike<number>, actual: ArrayLike<number>, forecast: ArrayLike<number>, period: number): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i]! - forecast[i]!);
  return sum / actual.length / maseScale(insample, period);
}

/** Overall weighted average relative to Naive2, from dataset-level mean sMAPE and MASE. */
export function owa(method: { smape: number; mase: number }, naive2: { smape: number; mase: number }): number {
  return 0.5 * (method.smape / naive2.smape + method.mase / naive2.mase);
}
