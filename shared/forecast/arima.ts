import { expand, fitArma, kalman, psiWeights, rootsOutside, type ArmaFit, type ArmaSpec } from './arima-fit.js';
import { diffPolynomial, difference, differenced, isConstant, ndiffs, nsdiffs, type KpssLags } from './arima-tests.js';
import { normalQuantile } from './stats.js';
import type { Interval, ModelForecast, ModelOptions } from './types.js';

/**
 * Automatic ARIMA after R's forecast::auto.arima (Hyndman & Khandakar 2008):
 * - differencing: D (0/1) when the seasonal strength of a classical decomposition exceeds 0.64 (R's
 *   nsdiffs measures it on STL), only for an integer period ≥ 2 with three full seasons; then d (0–2)
 *   by repeated KPSS tests at 5% on the seasonally differenced series (R's ndiffs);
 * - a stepwise search by AICc over p, q ≤ 5, P, Q ≤ 2, p + q + P + Q ≤ 5 (each also ≤ n/3 resp.
 *   n/3m), from R's starting models, moving to the first better neighbour (±1 in one or both of p, q or
 *   of P, Q, or the constant toggled) until none improves; a constant (mean, or drift) only when
 *   d + D ≤ 1; models with an AR or MA root within 1.01 of the unit circle are rejected, as R does;
 * - estimation on the differenced series (what R's diffuse prior amounts to): each candidate by CSS,
 *   scored by the exact Gaussian likelihood (Kalman filter) at the CSS estimates; the winner is then
 *   refitted by exact ML from there (R's CSS-ML). Re-optimising every candidate by ML chose no better
 *   on M3 and cost 3–5× more. With long seasonal lags (exact passes too costly, e.g. weekly data) the
 *   search compares CSS likelihoods, as R's `approximation` does. Candidates are stationary and
 *   invertible by construction (partial-autocorrelation parametrisation);
 * - forecasts: the filter's final state run forward, then integrated; normal intervals from the
 *   ψ-weights of the full model φ(B)Φ(B^m)(1 − B)^d(1 − B^m)^D.
 * The fit runs on y / mean|y| so one simplex step suits every series; AICc, σ² and the constant are
 * reported on the original scale. Never throws on finite input and never answers NaN or Infinity:
 * non-finite values are dropped, a constant series gets ARIMA(0,0,0) at its value, a series that
 * differencing explains exactly (a line) is continued exactly, and when no model can be fitted (too
 * short) a random walk, ARIMA(0,1,0), answers. Deterministic.
 */

export interface ArimaOrder {
  p: number;
  d: number;
  q: number;
  /** Seasonal orders; ignored (0) when the period is 1. */
  P?: number;
  D?: number;
  Q?: number;
  /** Include a mean (d + D = 0) or drift (d + D = 1). Default: true when d + D ≤ 1. Ignored when d + D > 1. */
  constant?: boolean;
}

export interface ArimaParams {
  [key: string]: number | string | number[];
  ar: number[];
  ma: number[];
  sar: number[];
  sma: number[];
  /** The mean (d + D = 0) or drift per step (d + D = 1); 0 without a constant. */
  constant: number;
  sigma2: number;
  /** [p, d, q, P, D, Q, m]. */
  order: number[];
  /** 'ML', 'CSS' or 'none' (closed-form fallbacks). */
  method: string;
}

export interface ArimaForecast extends ModelForecast {
  params: ArimaParams;
  aicc: number;
  fitted: number[];
}

export interface ArimaOptions extends ModelOptions {
  /** Compare CSS likelihoods during the search. Default: only when exact ones would be costly (n r² / 2 > 2e6). */
  approximation?: boolean;
  /**
   * KPSS long-run variance lags for d: 'hobijn' as R's ndiffs (default), or 'short' as tseries'
   * kpss.test, which differences less often and scored better on M3 (OWA yearly 0.931 against 0.946,
   * quarterly 0.971 against 0.973, monthly 0.864 against 0.867).
   */
  kpssLags?: KpssLags;
  /** Search all orders instead of stepwise. Default false. */
  stepwise?: boolean;
  /** How many of the best candidates are refitted by exact ML before the final choice (0: none, ~40% faster). Default 1. */
  refit?: number;
}

interface Model {
  fit: ArmaFit;
  d: number;
  D: number;
}

const MAX = { p: 5, q: 5, P: 2, Q: 2, order: 5 };
/** Stepwise moves of (p, q, P, Q), in R's order: seasonal orders first, then the non-seasonal ones. */
const MOVES = [[0, 0, -1, 0], [0, 0, 1, 0], [0, 0, 0, -1], [0, 0, 0, 1], [0, 0, -1, -1], [0, 0, 1, 1], [0, 0, -1, 1], [0, 0, 1, -1],
  [-1, 0, 0, 0], [1, 0, 0, 0], [0, -1, 0, 0], [0, 1, 0, 0], [-1, -1, 0, 0], [1, 1, 0, 0], [-1, 1, 0, 0], [1, -1, 0, 0]] as const;
/** Budget of exact-likelihood evaluations for a final fit (R's optim would allow 100 iterations and more). */
const ML_EVALUATIONS = (s: ArmaSpec) => 100 * (s.p + s.q + s.P + s.Q) + 100;

function modelName(o: { p: number; d: number; q: number; P: number; D: number; Q: number }, m: number, constant: boolean): string {
  let s = `ARIMA(${o.p},${o.d},${o.q})`;
  if (m > 1 && o.P + o.D + o.Q > 0) s += `(${o.P},${o.D},${o.Q})[${m}]`;
  if (o.d + o.D === 0) s += constant ? ' with non-zero mean' : ' with zero mean';
  else if (o.d + o.D === 1 && constant) s += ' with drift';
  return s;
}

const finiteOr = (v: number, fallback: number) => (Number.isFinite(v) ? v : fallback);
const clamp = (v: number) => Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, v));

function intervalsOf(mean: number[], variances: number[], levels: number[]): Interval[] {
  return levels.map((level) => {
    const z = normalQuantile(0.5 + level / 200);
    const sd = variances.map((v) => Math.sqrt(Math.max(0, v)));
    return { level, lower: mean.map((v, k) => clamp(v - z * sd[k]!)), upper: mean.map((v, k) => clamp(v + z * sd[k]!)) };
  });
}

/** Forecasts of a fitted model on y (already scaled), then rescaled. Null when anything is not finite. */
function forecastModel(y: Float64Array, model: Model, m: number, h: number, levels: number[], scale: number): ArimaForecast | null {
  const { fit, d, D } = model;
  const n = y.length;
  const w = differenced(y, d, D, m);
  const nd = n - w.length;
  const full = { ar: expand(fit.ar, fit.sar, m, -1), ma: expand(fit.ma, fit.sma, m, 1) };
  const centred = w.map((v) => v - fit.c);
  const innov = new Float64Array(w.length);
  const state = { a: new Float64Array(0) };
  if (!kalman(centred, full.ar, full.ma, false, innov, state)) return null;
  // The ARMA part forward from the filtered state, then integrated.
  const a = state.a;
  const r = a.length;
  const wf: number[] = [];
  for (let k = 0; k < h; k++) {
    const a0 = a[0]!;
    for (let i = 0; i < r; i++) a[i] = (i < full.ar.length ? full.ar[i]! * a0 : 0) + (i + 1 < r ? a[i + 1]! : 0);
    wf.push(a[0]! + fit.c);
  }
  const delta = diffPolynomial(d, D, m);
  const path = Array.from(y);
  for (let k = 0; k < h; k++) {
    let v = wf[k]!;
    for (let i = 0; i < delta.length; i++) v += delta[i]! * path[n + k - i - 1]!;
    path.push(v);
  }
  const mean = path.slice(n).map((v) => clamp(v * scale));
  // ψ-weights of φ(B)Φ(B^m)δ(B).
  const arFull = Array.from(full.ar);
  const star = new Array<number>(arFull.length + delta.length).fill(0);
  for (let i = 0; i < arFull.length; i++) star[i] = arFull[i]!;
  for (let j = 0; j < delta.length; j++) {
    star[j] = star[j]! + delta[j]!;
    for (let i = 0; i < arFull.length; i++) star[i + j + 1] = star[i + j + 1]! - arFull[i]! * delta[j]!;
  }
  const psi = psiWeights(star, full.ma, h);
  const sigma2 = fit.sigma2 * scale * scale;
  let acc = 0;
  const variances = Array.from(psi, (p) => (acc += p * p) * sigma2);
  const fitted = Array.from(y, (v, t) => clamp((t < nd ? v : v - innov[t - nd]!) * scale));
  const o = { p: fit.spec.p, d, q: fit.spec.q, P: fit.spec.P, D, Q: fit.spec.Q };
  const seasonal = m > 1 && o.P + o.D + o.Q > 0;
  const params: ArimaParams = {
    ar: fit.ar,
    ma: fit.ma,
    sar: fit.sar,
    sma: fit.sma,
    constant: (fit.c * scale) / (D === 1 ? m : 1),
    sigma2: clamp(sigma2),
    order: [o.p, d, o.q, seasonal ? o.P : 0, seasonal ? D : 0, seasonal ? o.Q : 0, seasonal ? m : 1],
    method: fit.method,
  };
  const out: ArimaForecast = {
    model: modelName(o, m, fit.spec.constant),
    params,
    aicc: fit.aicc + 2 * w.length * Math.log(scale),
    mean,
    intervals: intervalsOf(mean, variances, levels),
    fitted,
  };
  const ok = (xs: number[]) => xs.every(Number.isFinite);
  if (!ok(mean) || !ok(fitted) || !out.intervals.every((i) => ok(i.lower) && ok(i.upper)) || !Number.isFinite(out.aicc)) return null;
  return out;
}

/** ARIMA(0,0,0) at the series' value: for constant (and empty) series. Zero-width intervals. */
function constantForecast(y: Float64Array, h: number, levels: number[]): ArimaForecast {
  const v = y.length > 0 ? y[0]! : 0;
  const mean = new Array<number>(h).fill(v);
  return {
    model: modelName({ p: 0, d: 0, q: 0, P: 0, D: 0, Q: 0 }, 1, v !== 0),
    params: { ar: [], ma: [], sar: [], sma: [], constant: v, sigma2: 0, order: [0, 0, 0, 0, 0, 0, 1], method: 'none' },
    aicc: -Infinity,
    mean,
    intervals: levels.map((level) => ({ level, lower: [...mean], upper: [...mean] })),
    fitted: new Array<number>(y.length).fill(v),
  };
}

/** ARIMA(0,1,0): the last value repeated, with random-walk intervals (σ² from the differences). */
function randomWalk(y: Float64Array, h: number, levels: number[]): ArimaForecast {
  const n = y.length;
  const last = y[n - 1]!;
  let ss = 0;
  for (let t = 1; t < n; t++) ss += (y[t]! - y[t - 1]!) ** 2;
  const sigma2 = n > 1 ? clamp(ss / (n - 1)) : 0;
  const mean = new Array<number>(h).fill(last);
  const loglik = n > 1 && sigma2 > 0 ? (n - 1) * (Math.log(2 * Math.PI * (ss / (n - 1))) + 1) : Infinity;
  const aicc = Number.isFinite(loglik) && n > 3 ? loglik + 2 + 4 / (n - 3) : Infinity;
  return {
    model: modelName({ p: 0, d: 1, q: 0, P: 0, D: 0, Q: 0 }, 1, false),
    params: { ar: [], ma: [], sar: [], sma: [], constant: 0, sigma2, order: [0, 1, 0, 0, 0, 0, 1], method: 'none' },
    aicc: Number.isFinite(aicc) ? aicc : Number.MAX_VALUE,
    mean,
    intervals: intervalsOf(mean, mean.map((_, k) => sigma2 * (k + 1)), levels),
    fitted: n > 0 ? [y[0]!, ...Array.from(y.subarray(0, n - 1))] : [],
  };
}

/**
 * A series the differencing explains exactly (constant w, e.g. a straight line): w continued
 * unchanged, with zero-width intervals, as ARIMA(0,d,0)(0,D,0) with drift (or none when w = 0).
 * Null when that model cannot be named (a non-zero w with d + D = 2).
 */
function exactPath(y: Float64Array, d: number, D: number, m: number, h: number, levels: number[]): ArimaForecast | null {
  const n = y.length;
  const w = differenced(y, d, D, m);
  const c = w[w.length - 1]!;
  if (c !== 0 && d + D > 1) return null;
  const delta = diffPolynomial(d, D, m);
  const path = Array.from(y);
  for (let k = 0; k < h; k++) {
    let v = c;
    for (let i = 0; i < delta.length; i++) v += delta[i]! * path[n + k - i - 1]!;
    path.push(clamp(v));
  }
  const mean = path.slice(n);
  const order = { p: 0, d, q: 0, P: 0, D, Q: 0 };
  return {
    model: modelName(order, m, c !== 0),
    params: { ar: [], ma: [], sar: [], sma: [], constant: c / (D ? m : 1), sigma2: 0, order: [0, d, 0, 0, D, 0, D ? m : 1], method: 'none' },
    aicc: -Infinity,
    mean,
    intervals: levels.map((level) => ({ level, lower: [...mean], upper: [...mean] })),
    fitted: Array.from(y),
  };
}

interface Prepared {
  raw: Float64Array;
  y: Float64Array;
  scale: number;
  h: number;
  levels: number[];
  m: number;
  early?: ArimaForecast;
}

function prepare(input: ArrayLike<number>, options: ModelOptions): Prepared {
  const raw = Float64Array.from(Array.from({ length: input.length }, (_, i) => input[i]!).filter((v) => Number.isFinite(v)));
  const n = raw.length;
  const h = Math.max(0, Math.floor(finiteOr(options.h, 0)));
  const levels = (options.levels ?? [80, 95]).filter((l) => Number.isFinite(l) && l > 0 && l < 100);
  let scale = 0;
  for (const v of raw) scale += Math.abs(v) / n;
  if (!(scale > 0 && Number.isFinite(scale))) scale = 1;
  const y = raw.map((v) => v / scale);
  const period = finiteOr(options.period, 1);
  const m = Number.isInteger(period) && period >= 2 && period < n ? period : 1;
  const base = { raw, y, scale, h, levels, m };
  if (isConstant(raw)) return { ...base, early: constantForecast(raw, h, levels) };
  if (n < 3) return { ...base, early: randomWalk(raw, h, levels) };
  return base;
}

function nearUnitFree(fit: ArmaFit, m: number): boolean {
  return rootsOutside(expand(fit.ar, fit.sar, m, -1)) && rootsOutside(expand(fit.ma, fit.sma, m, 1).map((v) => -v));
}

/**
 * Optimiser coordinates for spec from a fitted neighbour: each block of partial autocorrelations
 * truncated or padded with zeros (a zero last partial autocorrelation adds a zero coefficient, so a
 * larger model starts exactly at the smaller one's fit).
 */
function warmStart(from: ArmaFit, to: ArmaSpec): Float64Array {
  const f = from.spec;
  const out: number[] = [];
  let at = 0;
  for (const [have, want] of [[f.p, to.p], [f.q, to.q], [f.P, to.P], [f.Q, to.Q]] as const) {
    for (let i = 0; i < want; i++) out.push(i < have ? from.raw[at + i]! : 0);
    at += have;
  }
  return Float64Array.from(out);
}

/**
 * The fit of a chosen order: CSS then exact ML; when ML runs into a root within 1.01 of the unit
 * circle (typically a seasonal MA going to −1 on a deterministic season), the CSS estimates instead.
 */
function finalFit(w: Float64Array, d: number, D: number, spec: ArmaSpec): Model | null {
  const ml = fitOrder(w, d, D, spec, ML_EVALUATIONS(spec));
  return ml && !nearUnitFree(ml.fit, spec.m) ? (fitOrder(w, d, D, spec, 0) ?? ml) : ml;
}

/** Fits (p,d,q)(P,D,Q) with or without constant; null when the fit fails. */
function fitOrder(w: Float64Array, d: number, D: number, spec: ArmaSpec, mlEvaluations: number, start?: Float64Array, exact = true): Model | null {
  const fit = fitArma(w, spec, mlEvaluations, start, exact);
  return fit ? { fit, d, D } : null;
}

/** Automatic order selection and forecasts. See the module comment. */
export function autoArima(input: ArrayLike<number>, options: ArimaOptions): ArimaForecast {
  const p = prepare(input, options);
  if (p.early) return p.early;
  const { y, m, h, levels, scale } = p;
  const D = m > 1 ? nsdiffs(y, m) : 0;
  const xs = D ? difference(y, m) : y;
  let d = xs.length >= 3 ? ndiffs(xs, 0.05, 2, options.kpssLags) : 0;
  while (d > 0 && xs.length - d < 3) d--;
  const w = differenced(y, d, D, m);
  if (w.length < 3) return randomWalk(p.raw, h, levels);
  if (isConstant(w)) return exactPath(p.raw, d, D, m, h, levels) ?? randomWalk(p.raw, h, levels);
  const nw = w.length;
  const maxP = Math.min(MAX.p, Math.floor(nw / 3));
  const maxQ = Math.min(MAX.q, Math.floor(nw / 3));
  const seasonal = m > 1;
  const maxSP = seasonal ? Math.min(MAX.P, Math.floor(nw / 3 / m)) : 0;
  const maxSQ = seasonal ? Math.min(MAX.Q, Math.floor(nw / 3 / m)) : 0;
  const allowConstant = d + D <= 1;
  // Exact scores cost n r² / 2 a model; with long seasonal lags (weekly, hourly data) the search
  // compares CSS likelihoods instead, as R's approximation does, and only the winner is refitted.
  const rMax = Math.max(maxP + m * maxSP, maxQ + m * maxSQ + 1);
  const exact = options.approximation === undefined ? (nw * rMax * rMax) / 2 <= 2e6 : !options.approximation;
  const tried = new Map<string, Model | null>();
  const key = (s: ArmaSpec) => `${s.p},${s.q},${s.P},${s.Q},${s.constant ? 1 : 0}`;
  let best: Model | null = null;
  const consider = (s: ArmaSpec): boolean => {
    if (s.p < 0 || s.q < 0 || s.P < 0 || s.Q < 0 || s.p > maxP || s.q > maxQ || s.P > maxSP || s.Q > maxSQ) return false;
    if (s.p + s.q + s.P + s.Q > MAX.order || (s.constant && !allowConstant)) return false;
    const k = key(s);
    if (tried.has(k) || tried.size >= 94) return false;
    let model = fitOrder(w, d, D, s, 0, best ? warmStart(best.fit, s) : undefined, exact);
    // As R's auto.arima: no AR or MA root within 1.01 of the unit circle (near-cancelling or
    // over-differenced models forecast erratically).
    if (model && !nearUnitFree(model.fit, m)) model = null;
    tried.set(k, model);
    if (model && Number.isFinite(model.fit.aicc) && (!best || model.fit.aicc < best.fit.aicc)) {
      best = model;
      return true;
    }
    return false;
  };
  const spec = (pp: number, qq: number, PP: number, QQ: number, constant: boolean): ArmaSpec => ({ p: pp, q: qq, P: PP, Q: QQ, m, constant });
  const s0 = seasonal ? 1 : 0;
  if (options.stepwise === false) {
    for (let a = 0; a <= maxP; a++)
      for (let b = 0; b <= maxQ; b++)
        for (let A = 0; A <= maxSP; A++)
          for (let B = 0; B <= maxSQ; B++) for (const c of allowConstant ? [true, false] : [false]) consider(spec(a, b, A, B, c));
  } else {
    consider(spec(Math.min(2, maxP), Math.min(2, maxQ), Math.min(s0, maxSP), Math.min(s0, maxSQ), allowConstant));
    consider(spec(0, 0, 0, 0, allowConstant));
    consider(spec(Math.min(1, maxP), 0, Math.min(s0, maxSP), 0, allowConstant));
    consider(spec(0, Math.min(1, maxQ), 0, Math.min(s0, maxSQ), allowConstant));
    if (allowConstant) consider(spec(0, 0, 0, 0, false));
    for (let moved = best !== null; moved; ) {
      const b = (best as Model | null)!.fit.spec;
      const neighbours = MOVES.map(([dp, dq, dP, dQ]) => spec(b.p + dp, b.q + dq, b.P + dP, b.Q + dQ, b.constant));
      neighbours.push(spec(b.p, b.q, b.P, b.Q, !b.constant));
      moved = neighbours.some(consider);
    }
  }
  // Best first; the best `refit` are refitted by exact ML.
  const ranked = [...tried.values()].filter((x): x is Model => x !== null && Number.isFinite(x.fit.aicc)).sort((a, b) => a.fit.aicc - b.fit.aicc);
  // A zero-mean model only when the data could support the mean (R fits the same pair; with too few
  // observations for a mean, forecasting 0 would be absurd and a random walk is the safer answer).
  if (allowConstant && !tried.get(key(spec(0, 0, 0, 0, true)))) return randomWalk(p.raw, h, levels);
  const top = Math.max(0, options.refit ?? 1);
  // From scratch, exactly as fitArima fits a given order, so the two agree.
  const finals = ranked.slice(0, top).map((model) => finalFit(w, d, D, model.fit.spec) ?? model);
  finals.sort((a, b) => a.fit.aicc - b.fit.aicc);
  for (const model of [...finals, ...ranked.slice(top)]) {
    const out = forecastModel(y, model, m, h, levels, scale);
    if (out) return out;
  }
  return randomWalk(p.raw, h, levels);
}

/**
 * Refits one given order (cheap: one CSS + ML fit, no tests or search; the same fit autoArima makes of
 * the order it chose, so parameters and forecasts agree), e.g. for rolling-origin
 * backtests of a model autoArima chose. Orders the data cannot support are reduced (seasonal parts
 * dropped for period 1 or too short series, then AR/MA orders lowered) rather than refused; when
 * nothing can be fitted a random walk answers. The model name says what was fitted.
 */
export function fitArima(input: ArrayLike<number>, order: ArimaOrder, options: ModelOptions & { ml?: boolean }): ArimaForecast {
  const p = prepare(input, options);
  if (p.early) return p.early;
  const { y, h, levels, scale } = p;
  const int = (v: number | undefined, max: number) => Math.max(0, Math.min(max, Math.floor(finiteOr(v ?? 0, 0))));
  let m = p.m;
  let D = m > 1 ? int(order.D, 1) : 0;
  if (D && y.length - m < 3) (D = 0), (m = 1);
  const d = int(order.d, 2);
  const w = differenced(y, d, D, m);
  if (w.length < 3) return randomWalk(p.raw, h, levels);
  if (isConstant(w)) return exactPath(p.raw, d, D, m, h, levels) ?? randomWalk(p.raw, h, levels);
  const useM = m > 1 ? m : 1;
  const constant = d + D <= 1 && (order.constant ?? true);
  let s: ArmaSpec = { p: int(order.p, 20), q: int(order.q, 20), P: useM > 1 ? int(order.P, 5) : 0, Q: useM > 1 ? int(order.Q, 5) : 0, m: useM, constant };
  for (let attempt = 0; attempt < 40; attempt++) {
    // `ml: false`: CSS estimates only, as autoArima with `refit: 0` answers (several times cheaper).
    const model = options.ml === false ? fitOrder(w, d, D, s, 0) : finalFit(w, d, D, s);
    const out = model && forecastModel(y, model, useM, h, levels, scale);
    if (out) return out;
    if (s.P > 0 || s.Q > 0) s = { ...s, P: Math.max(0, s.P - 1), Q: Math.max(0, s.Q - 1) };
    else if (s.p > 0 || s.q > 0) s = { ...s, p: Math.max(0, s.p - 1), q: Math.max(0, s.q - 1) };
    else break;
  }
  return randomWalk(p.raw, h, levels);
}
