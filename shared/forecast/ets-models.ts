import { seasonalIndices } from './seasonality.js';
import { regressionLine } from './stats.js';

/**
 * The innovations state-space models of exponential smoothing (Hyndman, Koehler, Ord & Snyder 2008,
 * "Forecasting with Exponential Smoothing", ch. 2), in the error-correction form R's forecast::ets
 * uses (its C `update`), with q = ℓ + φb the one-step level-plus-trend and s the season m steps back:
 *
 *     ŷ = q, q + s or q·s          (season N, A, M)
 *     ℓ' = q + α (p − q),           p = y, y − s or y / s
 *     b' = φb + (β/α)(ℓ' − ℓ − φb)
 *     s' = s + γ (t − s),           t = y − q or y / q
 *
 * Additive- and multiplicative-error models share these point recursions; the error type changes the
 * likelihood and the forecast distribution only. β is HKOS's β (so β < α), not Holt's β*.
 */

export type ErrorType = 'A' | 'M';
export type TrendType = 'N' | 'A' | 'Ad';
export type SeasonType = 'N' | 'A' | 'M';

/** One ETS model: error, trend (Ad: damped additive) and season. */
export interface EtsSpec {
  error: ErrorType;
  trend: TrendType;
  season: SeasonType;
}

/** Smoothing parameters (β, γ, φ unused by models without trend, season, damping). */
export interface EtsParameters {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

/** Initial states: level ℓ_0, trend b_0 and the seasonal state of each cycle position 0 … m−1. */
export interface EtsStates {
  level: number;
  trend: number;
  season: Float64Array;
}

/** `ETS(M,Ad,M)` and the like, as R prints models. */
export function specName(spec: EtsSpec): string {
  return `ETS(${spec.error},${spec.trend},${spec.season})`;
}

// R's bounds ("usual" region): 1e-4 < α < 0.9999, 1e-4 < β < α, 1e-4 < γ < 1 − α, 0.8 ≤ φ ≤ 0.98.
export const BOUNDS = { low: 1e-4, high: 0.9999, phiLow: 0.8, phiHigh: 0.98 };
const TOL = 1e-10; // R's ets C code
const HUGE = 1e10;

/** The one-step predictions of a fitted model, its likelihood term and the states after the data. */
export interface Filtered {
  /** −2 log-likelihood up to a constant: n log Σe² (+ 2 Σ log|ŷ| for multiplicative errors). */
  lik: number;
  /** Σe² (relative errors e = (y − ŷ)/ŷ for multiplicative-error models). */
  sse: number;
  level: number;
  trend: number;
  /** The seasonal state of each cycle position after the data (position of time t is t mod m). */
  season: Float64Array;
}

/**
 * Runs the model over y. `season` is used as scratch and ends holding the final seasonal states.
 * With `fitted`, writes the one-step predictions into it. Answers lik = Infinity when a
 * multiplicative-error prediction comes within 1e-10 of 0 or anything becomes non-finite.
 */
export function filter(y: ArrayLike<number>, spec: EtsSpec, p: EtsParameters, level: number, trend: number, season: Float64Array, fitted?: Float64Array): Filtered {
  const n = y.length;
  const m = season.length;
  const hasTrend = spec.trend !== 'N';
  const phi = spec.trend === 'Ad' ? p.phi : 1;
  const seasonKind = spec.season === 'N' ? 0 : spec.season === 'A' ? 1 : 2;
  const mult = spec.error === 'M';
  const { alpha, gamma } = p;
  const betaRatio = hasTrend ? p.beta / alpha : 0;
  let l = level;
  let b = hasTrend ? trend : 0;
  let sse = 0;
  let sumLog = 0;
  let j = 0;
  for (let t = 0; t < n; t++) {
    const phib = phi * b;
    const q = l + phib;
    const s = seasonKind === 0 ? 0 : season[j]!;
    const yhat = seasonKind === 0 ? q : seasonKind === 1 ? q + s : q * s;
    const yt = y[t]!;
    if (fitted) fitted[t] = yhat;
    let e: number;
    if (mult) {
      const a = Math.abs(yhat);
      if (!(a >= TOL)) return { lik: Infinity, sse: Infinity, level: l, trend: b, season };
      e = (yt - yhat) / yhat;
      sumLog += Math.log(a);
    } else e = yt - yhat;
    sse += e * e;
    const pv = seasonKind === 0 ? yt : seasonKind === 1 ? yt - s : Math.abs(s) < TOL ? HUGE : yt / s;
    const ln = q + alpha * (pv - q);
    if (hasTrend) b = phib + betaRatio * (ln - l - phib);
    if (seasonKind !== 0) {
      const tv = seasonKind === 1 ? yt - q : Math.abs(q) < TOL ? HUGE : yt / q;
      season[j] = s + gamma * (tv - s);
      if (++j === m) j = 0;
    }
    l = ln;
  }
  let lik = n * Math.log(sse) + (mult ? 2 * sumLog : 0);
  if (Number.isNaN(lik) || !Number.isFinite(l) || !Number.isFinite(b)) lik = Infinity;
  // A perfect fit gives log 0 = −∞; R clamps the same way.
  if (lik < -1e10) lik = -1e10;
  return { lik, sse, level: l, trend: b, season };
}

/**
 * `filter(…).lik` without the states, the predictions or any allocation: the optimiser's objective,
 * evaluated hundreds of times per model. Leaves the final seasonal states in `season`, as filter does.
 */
export function likelihood(y: Float64Array, spec: EtsSpec, p: EtsParameters, level: number, trend: number, season: Float64Array): number {
  const n = y.length;
  const m = season.length;
  const hasTrend = spec.trend !== 'N';
  const phi = spec.trend === 'Ad' ? p.phi : 1;
  const mult = spec.error === 'M';
  const { alpha, gamma } = p;
  const betaRatio = hasTrend ? p.beta / alpha : 0;
  let l = level;
  let b = hasTrend ? trend : 0;
  let sse = 0;
  let sumLog = 0;
  // Σ log|ŷ| as the log of a running product (renormalised before it can overflow): one log, not n.
  let prod = 1;
  let j = 0;
  if (spec.season === 'N') {
    for (let t = 0; t < n; t++) {
      const phib = phi * b;
      const q = l + phib;
      const yt = y[t]!;
      let e: number;
      if (mult) {
        const a = Math.abs(q);
        if (!(a >= TOL)) return Infinity;
        e = (yt - q) / q;
        prod *= a;
        if (prod > 1e150 || prod < 1e-150) (sumLog += Math.log(prod)), (prod = 1);
      } else e = yt - q;
      sse += e * e;
      const ln = q + alpha * (yt - q);
      if (hasTrend) b = phib + betaRatio * (ln - l - phib);
      l = ln;
    }
  } else {
    const additive = spec.season === 'A';
    for (let t = 0; t < n; t++) {
      const phib = phi * b;
      const q = l + phib;
      const s = season[j]!;
      const yhat = additive ? q + s : q * s;
      const yt = y[t]!;
      let e: number;
      if (mult) {
        const a = Math.abs(yhat);
        if (!(a >= TOL)) return Infinity;
        e = (yt - yhat) / yhat;
        prod *= a;
        if (prod > 1e150 || prod < 1e-150) (sumLog += Math.log(prod)), (prod = 1);
      } else e = yt - yhat;
      sse += e * e;
      const pv = additive ? yt - s : Math.abs(s) < TOL ? HUGE : yt / s;
      const ln = q + alpha * (pv - q);
      if (hasTrend) b = phib + betaRatio * (ln - l - phib);
      const tv = additive ? yt - q : Math.abs(q) < TOL ? HUGE : yt / q;
      season[j] = s + gamma * (tv - s);
      if (++j === m) j = 0;
      l = ln;
    }
  }
  let lik = n * Math.log(sse) + (mult ? 2 * (sumLog + Math.log(prod)) : 0);
  if (Number.isNaN(lik) || !Number.isFinite(l) || !Number.isFinite(b)) lik = Infinity;
  if (lik < -1e10) lik = -1e10;
  return lik;
}

/**
 * R's admissibility (forecastability) test of seasonal models (forecast:::admissible): all roots of
 * φ(1−α−γ) + (α+β−αφ+γ−1) z + (α+β−αφ)(z² + … + z^{m−1}) + (α+β−φ) z^m + z^{m+1} lie in the unit
 * disc. The parameters' usual region already passes R's other, closed-form tests, and for non-seasonal
 * models it lies inside the admissible region. Checked with the Schur–Cohn recursion, not root-finding.
 */
let scratch = [new Float64Array(26), new Float64Array(26)];

export function admissible(spec: EtsSpec, p: EtsParameters, m: number): boolean {
  if (spec.season === 'N' || m < 2) return true;
  const phi = spec.trend === 'Ad' ? p.phi : 1;
  const beta = spec.trend === 'N' ? 0 : p.beta;
  const { alpha, gamma } = p;
  if (scratch[0]!.length < m + 2) scratch = [new Float64Array(m + 2), new Float64Array(m + 2)];
  const c = scratch[0]!;
  c[0] = phi * (1 - alpha - gamma);
  c[1] = alpha + beta - alpha * phi + gamma - 1;
  for (let k = 2; k < m; k++) c[k] = alpha + beta - alpha * phi;
  c[m] = alpha + beta - phi;
  c[m + 1] = 1;
  // Step down: p has its roots in |z| ≤ 1 iff |c_0| ≤ |c_N| and (c_N p(z) − c_0 z^N p(1/z)) / z does.
  let a = c;
  let b = scratch[1]!;
  let top = m + 1;
  if (phi === 1 && beta === 0) {
    // No trend: z = 1 is always a root (the coefficients sum to mβ = 0); divide it out, c = (z − 1) q.
    b[m] = c[m + 1]!;
    for (let k = m; k > 0; k--) b[k - 1] = c[k]! + b[k]!;
    [a, b] = [b, a];
    top = m;
  }
  for (let degree = top; degree > 0; degree--) {
    const lead = a[degree]!;
    const low = a[0]!;
    if (Math.abs(low) > Math.abs(lead) * (1 + 1e-10)) return false;
    if (Math.abs(lead) - Math.abs(low) <= 1e-12 * Math.abs(lead)) return true; // a root on the circle
    const r = low / lead;
    for (let k = 0; k < degree; k++) b[k] = a[k + 1]! - r * a[degree - k - 1]!;
    [a, b] = [b, a];
  }
  return true;
}

/** Point forecasts 1 … h from the states after n observations (season holds positions mod m). */
export function pointForecast(spec: EtsSpec, p: EtsParameters, level: number, trend: number, season: Float64Array, n: number, h: number): number[] {
  const m = season.length;
  const phi = spec.trend === 'Ad' ? p.phi : 1;
  const out: number[] = [];
  let phiSum = 0;
  let power = 1;
  for (let k = 1; k <= h; k++) {
    power *= phi;
    phiSum += power;
    const q = level + (spec.trend === 'N' ? 0 : phiSum * trend);
    const s = spec.season === 'N' ? 0 : season[(n + k - 1) % m]!;
    out.push(spec.season === 'N' ? q : spec.season === 'A' ? q + s : q * s);
  }
  return out;
}

/**
 * Forecast variance factors 1 + Σ_{j<k} c_j² of the linear (class 1: additive error, no
 * multiplicative season) models, with c_j = α + β(φ + … + φ^j) + γ[j ≡ 0 mod m] (HKOS Table 6.1).
 */
export function linearVarianceFactors(spec: EtsSpec, p: EtsParameters, m: number, h: number): number[] {
  const phi = spec.trend === 'Ad' ? p.phi : 1;
  const out: number[] = [];
  let sum = 1;
  let phiSum = 0;
  let power = 1;
  for (let k = 1; k <= h; k++) {
    out.push(sum);
    power *= phi;
    phiSum += power;
    const c = p.alpha + (spec.trend === 'N' ? 0 : p.beta * phiSum) + (spec.season !== 'N' && k % m === 0 ? p.gamma : 0);
    sum += c * c;
  }
  return out;
}

/** A small seeded PRNG (mulberry32) with Box–Muller normals, so simulated intervals are reproducible. */
export function normalStream(seed: number): () => number {
  // Mulberry32 inlined, and the spare normal in a number slot with a flag (null | number boxes it).
  let a = seed >>> 0;
  let spare = 0;
  let hasSpare = false;
  return () => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u1 = (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
    a = (a + 0x6d2b79f5) >>> 0;
    t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u2 = (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    spare = r * Math.sin(theta);
    hasSpare = true;
    return r * Math.cos(theta);
  };
}

/**
 * Sample paths of the next h values: each step draws ε ~ N(0, σ²), forms y = ŷ + ε (additive error)
 * or ŷ(1 + ε) (multiplicative), and updates the states as the filter does. Answers paths[k][i], the
 * i-th path's value at step k + 1.
 */
export function simulate(spec: EtsSpec, p: EtsParameters, level: number, trend: number, season: Float64Array, n: number, h: number, sigma: number, paths: number, seed: number): Float64Array[] {
  const m = season.length;
  const out = Array.from({ length: h }, () => new Float64Array(paths));
  const next = normalStream(seed);
  const s = new Float64Array(m);
  // The filter's recursions (additive-error form: the error type only changes how y is drawn), inlined.
  const hasTrend = spec.trend !== 'N';
  const phi = spec.trend === 'Ad' ? p.phi : 1;
  const seasonKind = spec.season === 'N' ? 0 : spec.season === 'A' ? 1 : 2;
  const mult = spec.error === 'M';
  const { alpha, gamma } = p;
  const betaRatio = hasTrend ? p.beta / alpha : 0;
  const b0 = hasTrend ? trend : 0;
  for (let i = 0; i < paths; i++) {
    s.set(season);
    let l = level;
    let b = b0;
    for (let k = 0; k < h; k++) {
      const pos = (n + k) % m;
      const phib = phi * b;
      const q = l + phib;
      const st = seasonKind === 0 ? 0 : s[pos]!;
      const yhat = seasonKind === 0 ? q : seasonKind === 1 ? q + st : q * st;
      const e = sigma * next();
      const y = mult ? yhat * (1 + e) : yhat + e;
      out[k]![i] = y;
      const pv = seasonKind === 0 ? y : seasonKind === 1 ? y - st : Math.abs(st) < TOL ? HUGE : y / st;
      const ln = q + alpha * (pv - q);
      if (hasTrend) b = phib + betaRatio * (ln - l - phib);
      if (seasonKind !== 0) {
        const tv = seasonKind === 1 ? y - q : Math.abs(q) < TOL ? HUGE : y / q;
        s[pos] = st + gamma * (tv - st);
      }
      l = ln;
    }
  }
  return out;
}

/**
 * R's initial states (forecast:::initstate): seasonal states from a classical decomposition (with
 * three full seasons; a straight-line fit's residuals averaged by position with two), multiplicative
 * indices kept ≥ 0.01; then, on the seasonally adjusted first max(10, 2m) values, the mean as ℓ_0
 * (no trend) or a least-squares line's value at t = 0 and slope as ℓ_0 and b_0. Null when the series
 * is too short or the indices are not finite.
 */
export function initialStates(y: ArrayLike<number>, spec: EtsSpec, period: number): EtsStates | null {
  const n = y.length;
  const m = spec.season === 'N' ? 1 : period;
  let season = new Float64Array(m).fill(spec.season === 'M' ? 1 : 0);
  if (spec.season !== 'N') {
    if (n < 2 * m) return null;
    const type = spec.season === 'M' ? 'multiplicative' : 'additive';
    let indices = n >= 3 * m ? seasonalIndices(y, m, type) : null;
    if (!indices || !indices.every(Number.isFinite)) indices = lineIndices(y, m, type);
    if (!indices.every(Number.isFinite)) return null;
    season = Float64Array.from(indices, (v) => (spec.season === 'M' ? Math.max(v, 0.01) : v));
  }
  const maxn = Math.min(Math.max(10, 2 * m), n);
  const adjusted = Array.from({ length: maxn }, (_, t) => (spec.season === 'N' ? y[t]! : spec.season === 'A' ? y[t]! - season[t % m]! : y[t]! / season[t % m]!));
  if (spec.trend === 'N') return { level: adjusted.reduce((a, b) => a + b, 0) / maxn, trend: 0, season };
  const { intercept, slope } = regressionLine(adjusted);
  // Regressor t = 1 … maxn, so the intercept is the value at t = 0: ℓ_0.
  let level = intercept;
  let trend = slope;
  if (Math.abs(level + trend) < 1e-8) {
    level *= 1 + 1e-3;
    trend *= 1 - 1e-3;
  }
  return { level, trend, season };
}


/** Seasonal indices by position from the residuals of a straight line (for 2 ≤ n/m < 3). */
function lineIndices(y: ArrayLike<number>, m: number, type: 'multiplicative' | 'additive'): number[] {
  const { intercept, slope } = regressionLine(y);
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = 0; t < y.length; t++) {
    const fit = intercept + slope * (t + 1);
    sums[t % m]! += type === 'multiplicative' ? y[t]! / fit : y[t]! - fit;
    counts[t % m]! += 1;
  }
  const figure = Array.from(sums, (s, i) => s / counts[i]!);
  const mean = figure.reduce((a, b) => a + b, 0) / m;
  return figure.map((f) => (type === 'multiplicative' ? f / mean : f - mean));
}
