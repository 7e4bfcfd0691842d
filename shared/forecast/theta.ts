import { deseasonalise } from './baselines.js';
import { isSeasonal, seasonalIndices } from './seasonality.js';
import { fitTheta, thetaMean, type ThetaFit, type ThetaKind } from './theta-fit.js';
import { normalQuantile } from './stats.js';

/**
 * Theta forecasts:
 * - `standard`: the Theta method (Assimakopoulos & Nikolopoulos 2000) as R's forecast::thetaf and
 *   M4's `Theta.classic` compute it: the equal-weight combination of the regression line (theta line 0)
 *   and SES of theta line 2, i.e. SES of the series with a drift of half the regression slope;
 * - `optimised` / `dynamic`: the OTM and DOTM of Fiorucci et al. (2016), which estimate θ ≥ 1 with α and
 *   the initial level by in-sample MSE, DOTM also updating the regression line as data arrive;
 * - `auto` (the default): the equal-weight combination of the three (see `AUTO_MEMBERS`).
 *
 * Seasonality is removed first as M4 did: when the M4 test (90%, at least three seasons) finds it, a
 * multiplicative classical decomposition for positive data, an additive one otherwise.
 */

export type ThetaVariant = 'standard' | 'optimised' | 'dynamic' | 'auto';

export interface ThetaOptions {
  /** Seasonal period (1 or less: none). */
  period: number;
  /** Forecast horizon, in steps. */
  h: number;
  /** Prediction interval levels, in percent (default 80 and 95). */
  levels?: number[];
  /** Which model (default `auto`, the combination of the other three). */
  variant?: ThetaVariant;
}

export interface ThetaParams {
  /** θ (2 for the standard method); for the combination, the members' mean. */
  theta: number;
  /** SES smoothing weight; for the combination, the members' mean. */
  alpha: number;
  /** Initial level ℓ_0 of the adjusted series. */
  level0: number;
  /** Intercept and slope of the regression line (regressor 1 … n) at the end of the adjusted data. */
  intercept: number;
  slope: number;
  /** Variance of the one-step in-sample errors of the adjusted series. */
  sigma2: number;
  seasonality: 'none' | 'multiplicative' | 'additive';
}

export interface ThetaInterval {
  /** Coverage in percent. */
  level: number;
  lower: number[];
  upper: number[];
}

export interface ThetaResult {
  /** `Theta`, `OTM`, `DOTM`, `Theta+OTM+DOTM` (the combination) or, under three observations, `Naive`. */
  model: string;
  params: ThetaParams;
  mean: number[];
  intervals: ThetaInterval[];
  /** The combination's members, each as it would be answered alone. */
  components?: ThetaResult[];
}

const NAMES: Record<ThetaKind, string> = { standard: 'Theta', optimised: 'OTM', dynamic: 'DOTM' };

/**
 * `auto` averages the standard method, OTM and DOTM (forecasts and interval bounds, the latter as
 * Vincentised quantiles). Choosing one per series, by in-sample MSE (OTM against DOTM) or by a
 * rolling-origin check on the last h observations, was measured and lost to the plain average on M3
 * (monthly OWA 0.856 and 0.830 against 0.819; quarterly 0.909 against 0.897): OTM with θ = 2 is the standard model, so
 * it always fits at least as well, yet a large θ lets the regression line extrapolate past declines; and a
 * holdout of a few points is too noisy to pick reliably. The members err in different directions
 * (fixed θ = 2, a fitted θ, a moving trend), which is when an equal-weight combination pays.
 */
const AUTO_MEMBERS: ThetaKind[] = ['standard', 'optimised', 'dynamic'];

interface Adjustment {
  x: number[];
  /** Seasonal components of the next h steps (factors or offsets). */
  future: number[];
  kind: ThetaParams['seasonality'];
}

function adjust(y: number[], h: number, period: number): Adjustment {
  const none: Adjustment = { x: y, future: Array<number>(h).fill(0), kind: 'none' };
  const m = Math.round(period);
  if (m <= 1) return none;
  if (y.every((v) => v > 0)) {
    const d = deseasonalise(y, h, m);
    // Near-zero indices (R's thetaf warns at 1e-4) would blow the adjusted data up.
    if (!d.seasonal || !d.future.every((f) => f > 1e-4 && Number.isFinite(f)) || !d.adjusted.every(Number.isFinite)) return none;
    return { x: d.adjusted, future: d.future, kind: 'multiplicative' };
  }
  if (!isSeasonal(y, m)) return none;
  const indices = seasonalIndices(y, m, 'additive');
  if (!indices.every(Number.isFinite)) return none;
  const n = y.length;
  return {
    x: y.map((v, t) => v - indices[t % m]!),
    future: Array.from({ length: h }, (_, i) => indices[(n + i) % m]!),
    kind: 'additive',
  };
}


/** Replaces anything not finite (overflow on absurd input) by the fallback. */
function finite(values: number[], fallback: number): number[] {
  return values.map((v) => (Number.isFinite(v) ? v : fallback));
}

/**
 * Theta forecasts of y (oldest first, finite values). Never throws on finite input and never answers
 * NaN: an empty history forecasts 0, fewer than three observations the last value.
 */
export function thetaForecast(y: ArrayLike<number>, options: ThetaOptions): ThetaResult {
  const h = Math.max(0, Math.floor(options.h));
  const levels = options.levels ?? [80, 95];
  const variant = options.variant ?? 'auto';
  const data = Array.from(y).filter(Number.isFinite);
  const n = data.length;
  const last = n > 0 ? data[n - 1]! : 0;

  if (n < 3) {
    // Too short to estimate a level and a trend: the naive forecast, with intervals from the one change seen.
    const sigma2 = n === 2 ? (data[1]! - data[0]!) ** 2 : 0;
    const mean = Array<number>(h).fill(last);
    const params: ThetaParams = { theta: 2, alpha: 1, level0: data[0] ?? 0, intercept: last, slope: 0, sigma2, seasonality: 'none' };
    return { model: 'Naive', params, mean, intervals: intervalsOf(mean, sigma2, 1, levels, () => 1, 'none', false) };
  }

  const adjustment = adjust(data, h, options.period);
  const positive = data.every((v) => v > 0);
  if (variant !== 'auto') return forecastWith(fitTheta(adjustment.x, variant), adjustment, h, levels, positive, last);
  const members = AUTO_MEMBERS.map((kind) => forecastWith(fitTheta(adjustment.x, kind), adjustment, h, levels, positive, last));
  const average = (pick: (r: ThetaResult) => number[]) => Array.from({ length: h }, (_, i) => members.reduce((sum, r) => sum + pick(r)[i]!, 0) / members.length);
  const meanOf = (pick: (p: ThetaParams) => number) => members.reduce((sum, r) => sum + pick(r.params), 0) / members.length;
  return {
    model: 'Theta+OTM+DOTM',
    params: {
      theta: meanOf((p) => p.theta),
      alpha: meanOf((p) => p.alpha),
      level0: meanOf((p) => p.level0),
      intercept: members[0]!.params.intercept,
      slope: members[0]!.params.slope,
      sigma2: meanOf((p) => p.sigma2),
      seasonality: adjustment.kind,
    },
    mean: average((r) => r.mean),
    intervals: levels.map((level, k) => ({ level, lower: average((r) => r.intervals[k]!.lower), upper: average((r) => r.intervals[k]!.upper) })),
    components: members,
  };
}

function forecastWith(fit: ThetaFit, adjustment: Adjustment, h: number, levels: number[], positive: boolean, last: number): ThetaResult {
  const sigma2 = fit.sse / Math.max(1, fit.n - fit.parameters);
  const reseason = (v: number, i: number) => (adjustment.kind === 'multiplicative' ? v * adjustment.future[i]! : v + adjustment.future[i]!);
  let mean = finite(thetaMean(fit, h), last).map(reseason);
  // As M4's Theta.classic: a positive series is not forecast below zero.
  if (positive) mean = mean.map((v) => Math.max(0, v));
  const scale = (i: number) => (adjustment.kind === 'multiplicative' ? adjustment.future[i]! : 1);
  const params: ThetaParams = {
    theta: fit.theta,
    alpha: fit.alpha,
    level0: fit.level0,
    intercept: fit.intercept,
    slope: fit.slope,
    sigma2,
    seasonality: adjustment.kind,
  };
  return { model: NAMES[fit.kind], params, mean, intervals: intervalsOf(mean, sigma2, fit.alpha, levels, scale, adjustment.kind, positive) };
}

/**
 * thetaf's intervals: the SES variance σ² (1 + (i − 1) α²) at step i, normal quantiles. thetaf applies
 * the adjusted series' σ to the reseasonalised mean; here the spread is scaled by the seasonal factor
 * as well, so that a multiplicative season widens its peaks' intervals and narrows its troughs'.
 */
function intervalsOf(mean: number[], sigma2: number, alpha: number, levels: number[], scale: (i: number) => number, kind: ThetaParams['seasonality'], positive: boolean): ThetaInterval[] {
  const sigma = Math.sqrt(Math.max(0, sigma2));
  return levels.map((level) => {
    const z = Number.isFinite(level) && level > 0 && level < 100 ? normalQuantile(0.5 + level / 200) : 0;
    const spread = mean.map((_, i) => {
      const s = z * sigma * Math.sqrt(1 + i * alpha * alpha) * (kind === 'multiplicative' ? scale(i) : 1);
      return Number.isFinite(s) ? s : 0;
    });
    const floor = (v: number) => (positive ? Math.max(0, v) : v);
    return { level, lower: mean.map((m, i) => floor(m - spread[i]!)), upper: mean.map((m, i) => floor(m + spread[i]!)) };
  });
}
