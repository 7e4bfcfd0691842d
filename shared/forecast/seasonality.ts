/**
 * Seasonality as the M4 benchmarks decide it, and classical decomposition (R's `stats::acf` and
 * `stats::decompose`), so Naive2, the yardstick of OWA, is computed exactly as the competition did.
 */

/** Sample autocorrelations r_1 … r_maxLag (R's acf: sums over n − k terms, divided by the lag-0 sum). */
export function acf(x: ArrayLike<number>, maxLag: number): number[] {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let c0 = 0;
  for (let i = 0; i < n; i++) c0 += (x[i]! - mean) ** 2;
  const out: number[] = [];
  for (let k = 1; k <= maxLag; k++) {
    let ck = 0;
    for (let t = 0; t + k < n; t++) ck += (x[t]! - mean) * (x[t + k]! - mean);
    out.push(c0 === 0 ? Number.NaN : ck / c0);
  }
  return out;
}

/**
 * The M4 seasonality test: with at least three full seasons, the autocorrelation at the seasonal lag
 * exceeds its 90% limit, 1.645 √((1 + 2 Σ_{k<m} r_k²) / n). Non-seasonal periods (m ≤ 1) never are.
 */
export function isSeasonal(x: ArrayLike<number>, period: number): boolean {
  if (period <= 1 || x.length < 3 * period) return false;
  const r = acf(x, period);
  let sumSquares = 0;
  for (let k = 0; k < period - 1; k++) sumSquares += r[k]! ** 2;
  const limit = (1.645 / Math.sqrt(x.length)) * Math.sqrt(1 + 2 * sumSquares);
  const rm = r[period - 1]!;
  return Number.isFinite(rm) && Math.abs(rm) > limit;
}

/**
 * Seasonal indices of a classical decomposition (R's decompose): a centred moving average of the
 * period's length (half weights at the ends for an even period) as the trend, then the mean ratio
 * (multiplicative) or difference (additive) of each position in the cycle, normalised to mean 1 or 0.
 * Index i belongs to observations i, i + m, i + 2m, …
 */
export function seasonalIndices(x: ArrayLike<number>, period: number, type: 'multiplicative' | 'additive' = 'multiplicative'): number[] {
  const n = x.length;
  const m = period;
  const weights = m % 2 === 0 ? [0.5, ...Array<number>(m - 1).fill(1), 0.5].map((w) => w / m) : Array<number>(m).fill(1 / m);
  const half = Math.floor(weights.length / 2);
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = half; t + half < n; t++) {
    let trend = 0;
    for (let j = 0; j < weights.length; j++) trend += weights[j]! * x[t - half + j]!;
    const detrended = type === 'multiplicative' ? x[t]! / trend : x[t]! - trend;
    if (!Number.isFinite(detrended)) continue;
    sums[t % m]! += detrended;
    counts[t % m]! += 1;
  }
  const figure = Array.from(sums, (s, i) => s / counts[i]!);
  const mean = figure.reduce((a, b) => a + b, 0) / m;
  return figure.map((f) => (type === 'multiplicative' ? f / mean : f - mean));
}
