import { nelderMead } from './optimize.js';

/**
 * Estimation of a multiplicative seasonal ARMA with a constant on an already differenced series w:
 *   φ(B) Φ(B^m) (w_t − c) = θ(B) Θ(B^m) ε_t,  ε_t ~ N(0, σ²),
 * with φ(B) = 1 − Σ φ_i B^i and θ(B) = 1 + Σ θ_j B^j (R's sign conventions).
 *
 * Parameters are searched by Nelder–Mead in an unconstrained space: each of the four coefficient
 * blocks is the Durbin–Levinson image of tanh-mapped partial autocorrelations (R's `transform.pars`
 * for AR), so every candidate is stationary and, for the MA blocks (negated), invertible. The
 * constant c and σ² are concentrated out (generalised least squares given the ARMA part), so the
 * simplex only sees the p + q + P + Q coefficients.
 *
 * Two objectives, as R's arima offers them:
 * - CSS: conditional sum of squares, residuals from t = p + mP on with earlier ones set to 0;
 * - ML: the exact Gaussian likelihood from a Kalman filter on Harvey's state-space form (R's), started
 *   at the stationary state covariance (computed in O(r²) from the autocovariances, r = max(p', q' + 1)
 *   for the expanded orders p', q'), switching to the plain ARMA recursion once the filter has
 *   converged (innovation variance within 1e-9 of σ²).
 */

export interface ArmaSpec {
  p: number;
  q: number;
  P: number;
  Q: number;
  /** Seasonal period of the P, Q terms (ignored when both are 0). */
  m: number;
  constant: boolean;
}

export interface ArmaFit {
  spec: ArmaSpec;
  ar: number[];
  ma: number[];
  sar: number[];
  sma: number[];
  /** Mean of w (0 without a constant). */
  c: number;
  sigma2: number;
  /** Exact −2 log-likelihood at the estimates. */
  m2loglik: number;
  /** Number of estimated parameters including σ². */
  npar: number;
  aicc: number;
  /** 'ML' when the exact likelihood was optimised, 'CSS' when the CSS estimates were kept. */
  method: 'CSS' | 'ML';
  /** The optimiser's coordinates, to warm-start a refit. */
  raw: Float64Array;
}

/** Relative tolerance of the CSS simplex: CSS estimates only start and rank models, 1e-6 ranks as well as 1e-8. */
const CSS_RELTOL = 1e-6;
/** Most multiply-adds spent on one exact-likelihood optimisation (some 30 ms). */
const ML_WORK = 3e7;

/** tanh-mapped partial autocorrelations → AR coefficients of a stationary polynomial (R's partrans). */
export function partrans(raw: ArrayLike<number>, from: number, p: number, out: number[]): void {
  const work = new Float64Array(p);
  for (let j = 0; j < p; j++) work[j] = out[j] = Math.tanh(raw[from + j]!);
  for (let j = 1; j < p; j++) {
    const a = out[j]!;
    for (let k = 0; k < j; k++) work[k] = work[k]! - a * out[j - k - 1]!;
    for (let k = 0; k < j; k++) out[k] = work[k]!;
  }
}

/** Inverse of partrans (R's invpartrans), partial autocorrelations clamped to ±0.98. */
export function invpartrans(coef: ArrayLike<number>): number[] {
  const p = coef.length;
  const cur = Array.from(coef);
  const out = new Array<number>(p).fill(0);
  for (let j = p - 1; j >= 0; j--) {
    const a = Math.max(-0.98, Math.min(0.98, cur[j]!));
    out[j] = a;
    if (j === 0) break;
    const next = new Array<number>(j);
    for (let k = 0; k < j; k++) next[k] = (cur[k]! + a * cur[j - k - 1]!) / (1 - a * a);
    for (let k = 0; k < j; k++) cur[k] = next[k]!;
  }
  return out.map((v) => Math.atanh(v));
}

/**
 * True when every root of 1 − Σ a_i z^i lies outside the circle of radius `radius` (the Schur–Cohn
 * step-down recursion on the coefficients a_i · radius^i). R's auto.arima rejects models with an AR
 * or MA root of modulus below 1.01.
 */
export function rootsOutside(a: ArrayLike<number>, radius = 1.01): boolean {
  const p = a.length;
  const cur = Array.from(a, (v, i) => v * radius ** (i + 1));
  for (let j = p - 1; j >= 0; j--) {
    const k = cur[j]!;
    if (!(Math.abs(k) < 1)) return false;
    const next = new Array<number>(j);
    for (let i = 0; i < j; i++) next[i] = (cur[i]! + k * cur[j - i - 1]!) / (1 - k * k);
    for (let i = 0; i < j; i++) cur[i] = next[i]!;
  }
  return true;
}

/** Coefficients of (1 − Σ a_i B^i)(1 − Σ s_j B^{jm}) as 1 − Σ out_k B^k (sign = −1), or the MA product (sign = +1). */
export function expand(a: ArrayLike<number>, s: ArrayLike<number>, m: number, sign: 1 | -1): Float64Array {
  const p = a.length;
  const out = new Float64Array(p + s.length * m);
  for (let i = 0; i < p; i++) out[i] = a[i]!;
  for (let j = 0; j < s.length; j++) {
    const sj = s[j]!;
    out[(j + 1) * m - 1] = out[(j + 1) * m - 1]! + sj;
    for (let i = 0; i < p; i++) out[(j + 1) * m + i] = out[(j + 1) * m + i]! + sign * a[i]! * sj;
  }
  return out;
}

/** Autocovariances γ(0 … lagMax) of a causal ARMA with unit innovation variance; null when singular. */
export function armaAcvf(ar: Float64Array, ma: Float64Array, psi: Float64Array, lagMax: number): Float64Array | null {
  const p = ar.length;
  const q = ma.length;
  const top = Math.max(p, q, lagMax);
  const rhs = new Float64Array(top + 1);
  for (let k = 0; k <= q; k++) {
    let s = 0;
    for (let j = k; j <= q; j++) s += (j === 0 ? 1 : ma[j - 1]!) * psi[j - k]!;
    rhs[k] = s;
  }
  const g = new Float64Array(top + 1);
  if (p > 0) {
    const n = p + 1;
    const A = new Float64Array(n * n);
    const b = rhs.slice(0, n);
    for (let k = 0; k < n; k++) {
      A[k * n + k] = 1;
      for (let i = 1; i <= p; i++) A[k * n + Math.abs(k - i)] = A[k * n + Math.abs(k - i)]! - ar[i - 1]!;
    }
    for (let col = 0; col < n; col++) {
      let piv = col;
      for (let r = col + 1; r < n; r++) if (Math.abs(A[r * n + col]!) > Math.abs(A[piv * n + col]!)) piv = r;
      if (!(Math.abs(A[piv * n + col]!) > 1e-12)) return null;
      if (piv !== col) {
        for (let k = 0; k < n; k++) [A[col * n + k], A[piv * n + k]] = [A[piv * n + k]!, A[col * n + k]!];
        [b[col], b[piv]] = [b[piv]!, b[col]!];
      }
      const d = A[col * n + col]!;
      for (let r = col + 1; r < n; r++) {
        const f = A[r * n + col]! / d;
        if (f === 0) continue;
        for (let k = col; k < n; k++) A[r * n + k] = A[r * n + k]! - f * A[col * n + k]!;
        b[r] = b[r]! - f * b[col]!;
      }
    }
    for (let r = n - 1; r >= 0; r--) {
      let s = b[r]!;
      for (let k = r + 1; k < n; k++) s -= A[r * n + k]! * g[k]!;
      g[r] = s / A[r * n + r]!;
    }
  }
  for (let k = p > 0 ? p + 1 : 0; k <= top; k++) {
    let s = rhs[k]!;
    for (let i = 1; i <= p; i++) s += ar[i - 1]! * g[k - i]!;
    g[k] = s;
  }
  return g[0]! > 0 && Number.isFinite(g[0]!) ? g : null;
}

/** ψ weights 0 … count − 1 of ar / ma polynomials in R's convention. */
export function psiWeights(ar: ArrayLike<number>, ma: ArrayLike<number>, count: number): Float64Array {
  const psi = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    let s = j === 0 ? 1 : j <= ma.length ? ma[j - 1]! : 0;
    for (let i = 1; i <= Math.min(j, ar.length); i++) s += ar[i - 1]! * psi[j - i]!;
    psi[j] = s;
  }
  return psi;
}

export interface KalmanResult {
  sumLogF: number;
  /** Σ v²/F of the data, of the constant regressor, and their cross product. */
  sww: number;
  swv: number;
  svv: number;
}

/**
 * The Kalman filter over x (and over a column of ones, for the GLS constant, when `ones`). With
 * `innovations` it also stores the raw innovations of x, and with `state` the filtered final state.
 */
export function kalman(x: ArrayLike<number>, ar: Float64Array, ma: Float64Array, ones: boolean, innovations?: Float64Array, state?: { a: Float64Array }): KalmanResult | null {
  const n = x.length;
  const p = ar.length;
  const q = ma.length;
  const r = Math.max(p, q + 1);
  const A = new Float64Array(r + 1);
  A.set(ar);
  const R = new Float64Array(r + 1);
  R[0] = 1;
  R.set(ma, 1);
  const psi = psiWeights(ar, ma, r + 1);
  const g = armaAcvf(ar, ma, psi, r + 1);
  if (!g) return null;
  const c = new Float64Array(r + 1);
  for (let j = 1; j < r; j++) {
    let s = 0;
    for (let k = 0; k <= r - 1 - j; k++) s += A[j + k]! * g[k + 1]! + R[j + k]! * psi[k]!;
    c[j] = s;
  }
  const r1 = r + 1;
  let P = new Float64Array(r1 * r1);
  for (let i = r - 1; i >= 0; i--)
    for (let j = r - 1; j >= i; j--) {
      const v = A[i]! * A[j]! * g[0]! + A[i]! * c[j + 1]! + A[j]! * c[i + 1]! + P[(i + 1) * r1 + j + 1]! + R[i]! * R[j]!;
      P[i * r1 + j] = P[j * r1 + i] = v;
    }
  let Pn = new Float64Array(r1 * r1);
  const a = new Float64Array(r1);
  const b = new Float64Array(r1);
  const K = new Float64Array(r);
  let sumLogF = 0;
  let sww = 0;
  let swv = 0;
  let svv = 0;
  let fast = false;
  for (let t = 0; t < n; t++) {
    // Predict: a ← T a (b likewise), P ← T P T' + R R' (the stationary P already is that at t = 0).
    const a0 = a[0]!;
    const b0 = b[0]!;
    for (let i = 0; i < r; i++) (a[i] = A[i]! * a0 + a[i + 1]!), (b[i] = A[i]! * b0 + b[i + 1]!);
    if (fast) {
      const v = x[t]! - a[0]!;
      const u = ones ? 1 - b[0]! : 0;
      if (innovations) innovations[t] = v;
      sww += v * v;
      swv += v * u;
      svv += u * u;
      for (let i = 0; i < r; i++) (a[i] = a[i]! + R[i]! * v), (b[i] = b[i]! + R[i]! * u);
      continue;
    }
    // P is the predicted covariance (upper triangle used). After the update its first row and column
    // vanish (a[0] = x_t is observed), so the next prediction is a shift plus R R'.
    const F = P[0]!;
    if (!(F > 0) || !Number.isFinite(F)) return null;
    const v = x[t]! - a[0]!;
    const u = ones ? 1 - b[0]! : 0;
    if (innovations) innovations[t] = v;
    sumLogF += Math.log(F);
    sww += (v * v) / F;
    swv += (v * u) / F;
    svv += (u * u) / F;
    for (let i = 0; i < r; i++) K[i] = (i === 0 ? P[0]! : P[i]!) / F;
    for (let i = 0; i < r; i++) (a[i] = a[i]! + K[i]! * v), (b[i] = b[i]! + K[i]! * u);
    for (let i = 0; i < r; i++) {
      const kf = i + 1 < r ? P[i + 1]! / F : 0;
      const Ri = R[i]!;
      const row = (i + 1) * r1 + 1;
      const out = i * r1;
      for (let j = i; j < r - 1; j++) Pn[out + j] = P[row + j]! - kf * P[j + 1]! + Ri * R[j]!;
      Pn[out + r - 1] = Ri * R[r - 1]!;
    }
    [P, Pn] = [Pn, P];
    if (F - 1 < 1e-9) fast = true;
  }
  if (state) state.a = a.slice(0, r);
  return { sumLogF, sww, swv, svv };
}

/** CSS residual sums over x (and a column of ones): e_t = x_t − Σ ar_i x_{t−i} − Σ ma_j e_{t−j}, t ≥ start. */
function css(x: ArrayLike<number>, ar: Float64Array, ma: Float64Array, start: number, ones: boolean, e: Float64Array, f: Float64Array): KalmanResult {
  const n = x.length;
  // Seasonal polynomials are sparse: loop over the non-zero lags only.
  const arLag: number[] = [];
  const arVal: number[] = [];
  const maLag: number[] = [];
  const maVal: number[] = [];
  let arSum = 0;
  for (let i = 0; i < ar.length; i++) if (ar[i] !== 0) arLag.push(i + 1), arVal.push(ar[i]!), (arSum += ar[i]!);
  for (let j = 0; j < ma.length; j++) if (ma[j] !== 0) maLag.push(j + 1), maVal.push(ma[j]!);
  const np = arLag.length;
  const nq = maLag.length;
  let sww = 0;
  let swv = 0;
  let svv = 0;
  e.fill(0);
  f.fill(0);
  const onesCoef = ones ? 1 - arSum : 0;
  for (let t = start; t < n; t++) {
    let v = x[t]!;
    let u = onesCoef;
    for (let i = 0; i < np; i++) v -= arVal[i]! * x[t - arLag[i]!]!;
    for (let j = 0; j < nq; j++) {
      const l = maLag[j]!;
      if (l > t) break;
      (v -= maVal[j]! * e[t - l]!), (u -= maVal[j]! * f[t - l]!);
    }
    e[t] = v;
    f[t] = u;
    sww += v * v;
    swv += v * u;
    svv += u * u;
  }
  return { sumLogF: 0, sww, swv, svv };
}

/** The coefficient blocks of optimiser coordinates x. */
export function decode(x: ArrayLike<number>, spec: ArmaSpec) {
  const ar = new Array<number>(spec.p);
  const ma = new Array<number>(spec.q);
  const sar = new Array<number>(spec.P);
  const sma = new Array<number>(spec.Q);
  let k = 0;
  partrans(x, k, spec.p, ar), (k += spec.p);
  partrans(x, k, spec.q, ma), (k += spec.q);
  partrans(x, k, spec.P, sar), (k += spec.P);
  partrans(x, k, spec.Q, sma);
  for (let i = 0; i < ma.length; i++) ma[i] = -ma[i]!;
  for (let i = 0; i < sma.length; i++) sma[i] = -sma[i]!;
  return { ar, ma, sar, sma, full: { ar: expand(ar, sar, spec.m, -1), ma: expand(ma, sma, spec.m, 1) } };
}

/** GLS constant and residual sum of squares from filter sums. */
function concentrate(k: KalmanResult, constant: boolean): { c: number; ss: number } {
  if (!constant || !(k.svv > 0)) return { c: 0, ss: k.sww };
  const c = k.swv / k.svv;
  return { c, ss: Math.max(0, k.sww - c * k.swv) };
}

/**
 * Fits one ARMA to w: CSS by Nelder–Mead (warm-started at `start` when given), then at most
 * `mlEvaluations` evaluations of the exact likelihood from the CSS estimates (0: none, as R's
 * method "CSS" but scored by the exact likelihood). −2 log L and AICc always come from the exact
 * likelihood at the final estimates, so fits of either kind are comparable; with `exact` false they
 * come from the CSS likelihood instead (R's `approximation`, for long seasonal lags). Null when no finite fit
 * exists or AICc is undefined (too few observations).
 */
export function fitArma(w: Float64Array, spec: ArmaSpec, mlEvaluations: number, start?: Float64Array, exact = true): ArmaFit | null {
  const n = w.length;
  const k = spec.p + spec.q + spec.P + spec.Q;
  const npar = k + (spec.constant ? 1 : 0) + 1;
  if (n - npar - 1 <= 0) return null;
  const ncond = spec.p + spec.P * spec.m;
  const e = new Float64Array(n);
  const f = new Float64Array(n);
  const cssObjective = (x: ArrayLike<number>) => {
    const { full } = decode(x, spec);
    const s = css(w, full.ar, full.ma, ncond, spec.constant, e, f);
    const { ss } = concentrate(s, spec.constant);
    return (n - ncond) * Math.log(ss / (n - ncond));
  };
  const mlObjective = (x: ArrayLike<number>) => {
    const { full } = decode(x, spec);
    const kr = kalman(w, full.ar, full.ma, spec.constant);
    if (!kr) return Infinity;
    const { ss } = concentrate(kr, spec.constant);
    return n * Math.log(ss / n) + kr.sumLogF;
  };
  const x0: Float64Array = start && start.length === k ? Float64Array.from(start) : new Float64Array(k);
  const steps = new Float64Array(k).fill(0.3);
  let x: Float64Array = x0;
  // CSS needs more observations than conditioning values; otherwise start ML from zero.
  if (k > 0 && n - ncond > npar + 1) {
    const res = nelderMead(cssObjective, x0, { steps, reltol: CSS_RELTOL, maxEvaluations: 120 * k + 100 });
    if (Number.isFinite(res.value)) x = res.x;
  }
  let d = decode(x, spec);
  const log2pi = n * (1 + Math.log(2 * Math.PI));
  const done = (c: number, sigma2: number, m2: number, method: ArmaFit['method']): ArmaFit | null => {
    if (!Number.isFinite(m2) || !(sigma2 > 0) || !Number.isFinite(c)) return null;
    const aicc = m2 + 2 * npar + (2 * npar * (npar + 1)) / (n - npar - 1);
    return { spec, ar: d.ar, ma: d.ma, sar: d.sar, sma: d.sma, c, sigma2, m2loglik: m2, npar, aicc, method, raw: x };
  };
  if (!exact) {
    // Scored by the CSS likelihood (R's approximation), when exact passes would cost too much.
    if (!(n - ncond > npar + 1)) return null;
    const cc = concentrate(css(w, d.full.ar, d.full.ma, ncond, spec.constant, e, f), spec.constant);
    const sigma2 = cc.ss / (n - ncond);
    return done(cc.c, sigma2, n * Math.log(sigma2) + log2pi, 'CSS');
  }
  let kr = kalman(w, d.full.ar, d.full.ma, spec.constant);
  let method: ArmaFit['method'] = 'CSS';
  // A filter pass costs up to n r² / 2 before it converges; beyond ML_WORK in all (long series with
  // long seasonal lags, e.g. weekly data) the CSS estimates are kept, as R's approximation would.
  const r = Math.max(spec.p + spec.P * spec.m, spec.q + spec.Q * spec.m + 1);
  const budget = Math.min(mlEvaluations, Math.floor(ML_WORK / ((n * r * r) / 2 + n)));
  if (k > 0 && (budget >= 2 * k + 2 || !kr)) {
    const value = kr ? n * Math.log(concentrate(kr, spec.constant).ss / n) + kr.sumLogF : Infinity;
    const res = nelderMead(mlObjective, x, { steps: steps.fill(0.1), reltol: 1e-6, maxEvaluations: Math.max(budget, 2 * k + 2) });
    if (Number.isFinite(res.value) && !(res.value > value)) {
      x = res.x;
      method = 'ML';
      d = decode(x, spec);
      kr = kalman(w, d.full.ar, d.full.ma, spec.constant);
    }
  }
  if (!kr) return null;
  const cc = concentrate(kr, spec.constant);
  const sigma2 = cc.ss / n;
  return done(cc.c, sigma2, n * Math.log(sigma2) + kr.sumLogF + log2pi, method);
}
