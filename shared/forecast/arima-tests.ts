/**
 * How much differencing an ARIMA model needs, as R's forecast::ndiffs and nsdiffs decide it
 * (Hyndman & Khandakar 2008):
 * - ndiffs: repeated KPSS level-stationarity tests (Kwiatkowski et al. 1992) at 5%, differencing while
 *   the test rejects, at most twice; the long-run variance uses Bartlett weights with
 *   ⌊3√n / 13⌋ lags, as ndiffs passes to urca::ur.kpss;
 * - nsdiffs: one seasonal difference when the seasonal strength F_S = max(0, 1 − Var(R) / Var(S + R))
 *   exceeds 0.64 (Wang, Smith & Hyndman 2006). R measures it on an STL decomposition; here the
 *   remainder and season come from a classical additive decomposition (centred moving average,
 *   mean detrended value per cycle position), which needs no iteration and is deterministic.
 */

/** (1 − B^lag) x: length n − lag. */
export function difference(x: ArrayLike<number>, lag = 1): Float64Array {
  const n = x.length;
  const out = new Float64Array(Math.max(0, n - lag));
  for (let t = lag; t < n; t++) out[t - lag] = x[t]! - x[t - lag]!;
  return out;
}

/** Apply (1 − B)^d (1 − B^m)^D. */
export function differenced(y: Float64Array, d: number, D: number, m: number): Float64Array {
  let w = y;
  for (let i = 0; i < D; i++) w = difference(w, m);
  for (let i = 0; i < d; i++) w = difference(w, 1);
  return w;
}

/** Coefficients δ_i of (1 − B)^d (1 − B^m)^D = 1 − Σ δ_i B^i. */
export function diffPolynomial(d: number, D: number, m: number): number[] {
  let poly = [1];
  const times = (f: number[]) => {
    const out = new Array<number>(poly.length + f.length - 1).fill(0);
    for (let i = 0; i < poly.length; i++) for (let j = 0; j < f.length; j++) out[i + j] = out[i + j]! + poly[i]! * f[j]!;
    poly = out;
  };
  for (let i = 0; i < d; i++) times([1, -1]);
  for (let i = 0; i < D; i++) times([1, ...new Array<number>(m - 1).fill(0), -1]);
  return poly.slice(1).map((v) => -v);
}

/** True when every value equals the first (to a relative 1e-12). Empty series are constant. */
export function isConstant(x: ArrayLike<number>): boolean {
  const n = x.length;
  if (n === 0) return true;
  let min = x[0]!;
  let max = x[0]!;
  for (let i = 1; i < n; i++) (min = Math.min(min, x[i]!)), (max = Math.max(max, x[i]!));
  return max - min <= 1e-12 * Math.max(Math.abs(max), Math.abs(min), Number.MIN_VALUE);
}

/** KPSS statistic for level stationarity with Bartlett-weighted long-run variance over `lags` lags. */
export function kpssStatistic(x: ArrayLike<number>, lags: number): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) e[i] = x[i]! - mean;
  let partial = 0;
  let eta = 0;
  for (let i = 0; i < n; i++) (partial += e[i]!), (eta += partial * partial);
  eta /= n * n;
  let s2 = 0;
  for (let i = 0; i < n; i++) s2 += e[i]! * e[i]!;
  const l = Math.min(Math.max(0, lags), n - 1);
  for (let k = 1; k <= l; k++) {
    let c = 0;
    for (let t = k; t < n; t++) c += e[t]! * e[t - k]!;
    s2 += 2 * (1 - k / (l + 1)) * c;
  }
  s2 /= n;
  return s2 > 0 ? eta / s2 : 0;
}

/** urca's critical values for the level (μ) KPSS test at 10, 5, 2.5 and 1%. */
const KPSS_CRITICAL = [0.347, 0.463, 0.574, 0.739];
const KPSS_ALPHA = [0.1, 0.05, 0.025, 0.01];

/** The KPSS p-value, interpolated in urca's table and clamped to 0.01 … 0.1 (as R's ndiffs does). */
export function kpssPValue(stat: number): number {
  if (!(stat > KPSS_CRITICAL[0]!)) return 0.1;
  for (let i = 1; i < KPSS_CRITICAL.length; i++) {
    if (stat <= KPSS_CRITICAL[i]!) {
      const f = (stat - KPSS_CRITICAL[i - 1]!) / (KPSS_CRITICAL[i]! - KPSS_CRITICAL[i - 1]!);
      return KPSS_ALPHA[i - 1]! + f * (KPSS_ALPHA[i]! - KPSS_ALPHA[i - 1]!);
    }
  }
  return 0.01;
}

/** Lags of the long-run variance: R's ndiffs ('hobijn', ⌊3√n / 13⌋) or tseries' kpss.test ('short', ⌊4 (n/100)^¼⌋). */
export type KpssLags = 'hobijn' | 'short';

/** Number of first differences (0 … maxD) that KPSS at level alpha asks for. */
export function ndiffs(x: ArrayLike<number>, alpha = 0.05, maxD = 2, lags: KpssLags = 'hobijn'): number {
  let y: Float64Array = Float64Array.from(x);
  if (y.length < 3 || isConstant(y)) return 0;
  const lag = (n: number) => Math.trunc(lags === 'short' ? 4 * (n / 100) ** 0.25 : (3 * Math.sqrt(n)) / 13);
  const rejects = (v: Float64Array) => kpssPValue(kpssStatistic(v, lag(v.length))) < alpha;
  let d = 0;
  while (d < maxD && rejects(y)) {
    d++;
    y = difference(y);
    if (y.length < 3 || isConstant(y)) return d;
  }
  return d;
}

/**
 * Seasonal strength F_S of a classical additive decomposition, in [0, 1]; 0 without two full seasons.
 * Trend: centred moving average of the period's length (half weights at the ends for an even period).
 */
export function seasonalStrength(x: ArrayLike<number>, period: number): number {
  const n = x.length;
  const m = Math.round(period);
  if (m < 2 || n < 2 * m) return 0;
  const even = m % 2 === 0;
  const half = Math.floor(m / 2);
  const detrended = new Float64Array(n).fill(Number.NaN);
  for (let t = half; t + half < n; t++) {
    let s = 0;
    if (even) {
      s = 0.5 * (x[t - half]! + x[t + half]!);
      for (let j = t - half + 1; j < t + half; j++) s += x[j]!;
    } else for (let j = t - half; j <= t + half; j++) s += x[j]!;
    detrended[t] = x[t]! - s / m;
  }
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = 0; t < n; t++) if (!Number.isNaN(detrended[t]!)) (sums[t % m]! += detrended[t]!), (counts[t % m]! += 1);
  const figure = Array.from(sums, (s, i) => (counts[i]! > 0 ? s / counts[i]! : 0));
  const centre = figure.reduce((a, b) => a + b, 0) / m;
  // Var(R) and Var(S + R) over the span where the trend exists; S + R is the detrended series.
  let k = 0;
  let mr = 0;
  let msr = 0;
  for (let t = 0; t < n; t++) if (!Number.isNaN(detrended[t]!)) (k++, (msr += detrended[t]!), (mr += detrended[t]! - (figure[t % m]! - centre)));
  if (k < 2) return 0;
  mr /= k;
  msr /= k;
  let vr = 0;
  let vsr = 0;
  for (let t = 0; t < n; t++) {
    const sr = detrended[t]!;
    if (Number.isNaN(sr)) continue;
    const r = sr - (figure[t % m]! - centre);
    vr += (r - mr) ** 2;
    vsr += (sr - msr) ** 2;
  }
  if (!(vsr > 0)) return 0;
  return Math.max(0, Math.min(1, 1 - vr / vsr));
}

/**
 * Number of seasonal differences (0 or 1): 1 when the period is an integer ≥ 2, there are at least
 * `minSeasons` full seasons, and the seasonal strength exceeds 0.64.
 */
export function nsdiffs(x: ArrayLike<number>, period: number, minSeasons = 3): number {
  const m = Math.round(period);
  if (m < 2 || m !== period || x.length < minSeasons * m || isConstant(x)) return 0;
  return seasonalStrength(x, m) > 0.64 ? 1 : 0;
}
