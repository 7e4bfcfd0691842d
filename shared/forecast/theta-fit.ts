import { regressionLine } from './stats.js';

/**
 * The fitting core of the Theta forecasts, on a (seasonally adjusted) series x_1 … x_n:
 *
 * - standard (R's forecast::thetaf): SES on x, alpha and the initial level by in-sample MSE, with a
 *   drift of half the slope of the least-squares line through x;
 * - OTM and DOTM (Fiorucci, Pellegrini, Louzada, Petropoulos & Koehler 2016, IJF 32(4)): the state
 *   space forms
 *       μ_t = ℓ_{t−1} + w [ (1−α)^{t−1} A + ((1 − (1−α)^t) / α) B ],   w = 1 − 1/θ,
 *       ℓ_t = α x_t + (1−α) ℓ_{t−1},
 *   with A, B the least-squares intercept and slope (regressor t = 1 … n) of the whole series (OTM) or
 *   of x_1 … x_{t−1}, updated as each observation arrives (DOTM).
 *
 * Why no general optimiser: the level ℓ_{t−1} = (1−α)^{t−1} ℓ_0 + c_t, where c_t is the SES of x from a
 * zero start, does not depend on θ. So for a fixed α every one-step prediction is linear in (ℓ_0, w),
 * and the MSE is a convex quadratic in them: solved exactly by a 2 × 2 least-squares system, with
 * θ ≥ 1 (w ≥ 0) handled by clamping w and refitting ℓ_0. Only α remains, searched on a grid and
 * refined by golden section. This finds the global optimum over (ℓ_0, θ) for each α, is deterministic,
 * and costs O(n) per α (a few hundred µs per series).
 */

export type ThetaKind = 'standard' | 'optimised' | 'dynamic';

/** A fitted Theta model of the adjusted series. */
export interface ThetaFit {
  kind: ThetaKind;
  /** The theta coefficient (2 for the standard method). */
  theta: number;
  alpha: number;
  /** The initial level ℓ_0. */
  level0: number;
  /** The level after the last observation, ℓ_n. */
  level: number;
  /** Intercept and slope of the least-squares line (regressor t = 1 … n) at the end of the data. */
  intercept: number;
  slope: number;
  /** Sum of squared one-step in-sample errors, and the number of errors summed. */
  sse: number;
  n: number;
  /** Number of estimated parameters (for sigma² and for model choice). */
  parameters: number;
}

const GRID = 24;
const GOLDEN_STEPS = 30;
/** Largest w = 1 − 1/θ allowed (θ ≤ 1000): beyond it the theta line is numerically the trend. */
const W_MAX = 1 - 1e-3;


/**
 * The least-squares line of x_1 … x_{t−1} for every t = 1 … n (DOTM's A_{t−1}, B_{t−1}), by running
 * centred sums (Welford's update) so long series do not lose precision. Before two observations the
 * slope is 0; before any, the line is 0 (the free initial level absorbs it).
 */
function onlineLines(x: ArrayLike<number>): { a: Float64Array; b: Float64Array } {
  const n = x.length;
  const a = new Float64Array(n + 1);
  const b = new Float64Array(n + 1);
  let xMean = 0;
  let tMean = 0;
  let sxy = 0;
  let sxx = 0;
  for (let k = 1; k <= n; k++) {
    // Line of the first k observations, used for the prediction of x_{k+1} (index k).
    const t = k;
    const dx = x[k - 1]! - xMean;
    const dtPrev = t - tMean;
    xMean += dx / k;
    tMean += dtPrev / k;
    sxy += dtPrev * (x[k - 1]! - xMean);
    sxx += dtPrev * (t - tMean);
    const slope = sxx > 0 ? sxy / sxx : 0;
    b[k] = slope;
    a[k] = xMean - slope * tMean;
  }
  return { a, b };
}

interface Evaluation {
  sse: number;
  level0: number;
  w: number;
  level: number;
}

/**
 * The best (ℓ_0, w) for one α, and the resulting SSE and final level. `trend` says how the drift
 * regressor g_t is built: none (w fixed at `fixedW`, the standard method's in-sample fit), or from a
 * fixed or online line.
 */
function evaluate(x: ArrayLike<number>, alpha: number, lines: { a: ArrayLike<number>; b: ArrayLike<number> } | null, fixed: { a: number; b: number } | null): Evaluation {
  const n = x.length;
  const beta = 1 - alpha;
  let c = 0; // SES level from a zero start, ℓ_{t−1} − (1−α)^{t−1} ℓ_0
  let d = 1; // (1−α)^{t−1}
  let sdd = 0, sgg = 0, sdg = 0, sdr = 0, sgr = 0, srr = 0;
  for (let t = 1; t <= n; t++) {
    const r = x[t - 1]! - c;
    let g = 0;
    if (lines || fixed) {
      const A = fixed ? fixed.a : lines!.a[t - 1]!;
      const B = fixed ? fixed.b : lines!.b[t - 1]!;
      g = d * A + ((1 - d * beta) / alpha) * B;
    }
    sdd += d * d;
    sgg += g * g;
    sdg += d * g;
    sdr += d * r;
    sgr += g * r;
    srr += r * r;
    c = alpha * x[t - 1]! + beta * c;
    d *= beta;
  }
  let w = 0;
  let level0: number;
  const det = sdd * sgg - sdg * sdg;
  if ((lines || fixed) && det > 1e-12 * sdd * sgg) {
    w = (sdd * sgr - sdg * sdr) / det;
    w = Math.min(W_MAX, Math.max(0, w));
  }
  level0 = sdd > 0 ? (sdr - w * sdg) / sdd : 0;
  const sse = Math.max(0, srr - 2 * level0 * sdr - 2 * w * sgr + level0 * level0 * sdd + 2 * level0 * w * sdg + w * w * sgg);
  // c is ℓ_n from a zero start; d is (1−α)^n.
  return { sse, level0, w, level: c + d * level0 };
}

/** Minimises f over [lo, hi]: a grid, then golden section in the best grid cell and its neighbours. */
function searchAlpha(f: (alpha: number) => number, lo: number, hi: number): number {
  let best = lo;
  let bestValue = Infinity;
  const step = (hi - lo) / (GRID - 1);
  for (let i = 0; i < GRID; i++) {
    const a = lo + i * step;
    const v = f(a);
    if (v < bestValue) {
      bestValue = v;
      best = a;
    }
  }
  let left = Math.max(lo, best - step);
  let right = Math.min(hi, best + step);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let x1 = right - ratio * (right - left);
  let x2 = left + ratio * (right - left);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let i = 0; i < GOLDEN_STEPS; i++) {
    if (f1 <= f2) {
      right = x2;
      x2 = x1;
      f2 = f1;
      x1 = right - ratio * (right - left);
      f1 = f(x1);
    } else {
      left = x1;
      x1 = x2;
      f1 = f2;
      x2 = left + ratio * (right - left);
      f2 = f(x2);
    }
  }
  const candidate = f1 <= f2 ? x1 : x2;
  return Math.min(f1, f2) <= bestValue ? candidate : best;
}

/**
 * Alpha's bounds. The standard method's are forecast::ets's for SES. OTM and DOTM use forecTheta's
 * (Fiorucci et al.'s own package), [0.1, 0.99]: with α → 0 the level freezes, θ runs away and the
 * model degenerates into the regression line, which on M3 extrapolates steep declines to zero.
 */
const ALPHA_BOUNDS: Record<ThetaKind, [number, number]> = { standard: [1e-4, 0.9999], optimised: [0.1, 0.99], dynamic: [0.1, 0.99] };

/** Fits one Theta model to x (finite values, n ≥ 1). */
export function fitTheta(x: ArrayLike<number>, kind: ThetaKind): ThetaFit {
  const n = x.length;
  const { intercept, slope } = regressionLine(x);
  const lines = kind === 'dynamic' ? onlineLines(x) : null;
  const fixed = kind === 'optimised' ? { a: intercept, b: slope } : null;
  const run = (alpha: number) => evaluate(x, alpha, lines, fixed);
  const alpha = n < 2 ? 0.5 : searchAlpha((a) => run(a).sse, ...ALPHA_BOUNDS[kind]);
  const e = run(alpha);
  const theta = kind === 'standard' ? 2 : 1 / (1 - e.w);
  const final = lines ? { intercept: lines.a[n]!, slope: lines.b[n]! } : { intercept, slope };
  return {
    kind,
    theta,
    alpha,
    level0: e.level0,
    level: e.level,
    intercept: final.intercept,
    slope: final.slope,
    sse: e.sse,
    n,
    parameters: kind === 'standard' ? 2 : 3,
  };
}

/** Point forecasts of the adjusted series, steps 1 … h. */
export function thetaMean(fit: ThetaFit, h: number): number[] {
  const { alpha, level, intercept, slope, n } = fit;
  if (fit.kind === 'standard') {
    // thetaf: the SES forecast plus b/2 · (i + (1 − (1−α)^n) / α), i = 0 … h−1.
    const start = (1 - (1 - alpha) ** n) / alpha;
    return Array.from({ length: h }, (_, i) => level + (slope / 2) * (i + start));
  }
  const w = 1 - 1 / fit.theta;
  const decay = (1 - alpha) ** n;
  const base = decay * intercept + ((1 - decay * (1 - alpha)) / alpha) * slope;
  return Array.from({ length: h }, (_, i) => level + w * (base + i * slope));
}
