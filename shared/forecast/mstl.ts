import { autoEts, type EtsForecast } from './ets.js';
import { fillGaps, nextOdd, stl } from './stl.js';
import type { Interval, ModelForecast, ModelOptions, ParamValue } from './types.js';

/**
 * MSTL: STL for several seasonal periods (Bandara, Hyndman & Bergmeir 2021), after R's
 * `forecast::mstl`, and its forecasts after `forecast::forecast.mstl` / `stlf`.
 *
 * Decomposition: periods ascending; a period is dropped without two full cycles (R keeps p < n / 2,
 * which STL itself needs). Then `iterations` times (default 2), for each period in turn, its seasonal
 * component is put back into the deseasonalised series, re-estimated by STL with s.window = 7 + 4·i
 * (11, 15, 19, … for the i-th period), and taken out again. One deliberate difference from R: each
 * STL fit runs 5 inner passes, not R's 2 (see `MstlOptions.inner`; `inner: 2` gives R's numbers).
 * Non-integer periods (365.25, 52.18) go to STL as R hands them over: its default spans use the real
 * period and the cycle-subseries ⌊p⌋ (for every period a date grain gives, the same as rounding). The trend is the trend of the last STL
 * fit, the remainder y − trend − Σ seasonals. Without any usable period the trend is a loess smooth
 * (R uses Friedman's super smoother there) and there are no seasonal components.
 *
 * Forecasts: the seasonally adjusted series (y − Σ seasonals) by non-seasonal ETS (R's default
 * etsmodel "ZZN"), each seasonal component by the seasonal naive method on its last ⌊p⌋ values;
 * intervals are the ETS intervals shifted by the seasonal forecast (seasonal parts taken as known, as R).
 */

export interface MstlOptions {
  /** Passes over the periods. Default 2 (1 suffices for a single period: the second pass repeats it). */
  iterations?: number;
  /** Seasonal spans, one per period (shortest period first). Default 7 + 4·i, i = 1, 2, … */
  sWindows?: number[];
  /** Robust STL fits (bisquare weights). Default false, as R. */
  robust?: boolean;
  /**
   * Inner loop passes of each STL fit. Default 5 (statsmodels' STL default), or R's 1 when robust.
   * R's 2 leave each fit short of converged: STL starts its trend at 0, so with a steep trend and a
   * long period (365) the first pass puts a saw-tooth of trend into the season, and two passes do not
   * take it out again; the yearly component and the end of the trend stay biased. On 3-year daily
   * series (trend + weekly + yearly, see the tests) 5 passes cut MSTL+ETS's 60-day MASE from 1.04 to
   * 0.74; more passes change nothing. The cost is ~3 ms.
   */
  inner?: number;
}

export interface MstlResult {
  trend: number[];
  /** One component per period used, shortest period first. */
  seasonals: Array<{ period: number; values: number[] }>;
  /** y − trend − Σ seasonals. */
  remainder: number[];
  /** The periods kept (ascending), as given (365.25 stays 365.25). */
  periods: number[];
}

/**
 * The usable periods: finite, ⌊p⌋ ≥ 2, p < n / 2 (R's rule: STL needs n > 2·period), ascending; of
 * periods with the same ⌊p⌋ (52 and 52.18: the same cycle to STL) only the first given is kept.
 */
export function usablePeriods(periods: readonly number[], n: number): number[] {
  const seen = new Set<number>();
  const kept: number[] = [];
  for (const p of periods) {
    if (!(Number.isFinite(p) && Math.trunc(p) >= 2 && p < n / 2) || seen.has(Math.trunc(p))) continue;
    seen.add(Math.trunc(p));
    kept.push(p);
  }
  return kept.sort((a, b) => a - b);
}

/** Multiple seasonal decomposition, as R's `mstl(msts(y, seasonal.periods = periods))`. Never throws; never NaN. */
export function mstl(input: ArrayLike<number>, periods: readonly number[], options: MstlOptions = {}): MstlResult {
  const y = fillGaps(input);
  const n = y.length;
  const used = usablePeriods(periods, n);
  if (used.length === 0) {
    // No seasonality: a loess trend (span ~ n / 4, at least 7 points; degree 1), the rest remainder.
    const trend = n > 2 ? stl(y, { period: 1, sWindow: 'periodic', tWindow: Math.min(nextOdd(Math.max(7, n / 4)), n - (n % 2 === 0 ? 1 : 0)) }).trend : Array.from(y);
    return { trend, seasonals: [], remainder: Array.from(y, (v, i) => v - trend[i]!), periods: [] };
  }
  const iterations = used.length === 1 ? 1 : Math.max(1, Math.floor(options.iterations ?? 2));
  const seasonals = used.map(() => new Float64Array(n));
  const deseas = Float64Array.from(y);
  let trend: number[] = [];
  for (let pass = 0; pass < iterations; pass++) {
    used.forEach((p, i) => {
      const s = seasonals[i]!;
      for (let t = 0; t < n; t++) deseas[t]! += s[t]!;
      const sWindow = options.sWindows?.[i] ?? 7 + 4 * (i + 1);
      const robust = options.robust ?? false;
      const fit = stl(deseas, { period: p, sWindow, robust, inner: options.inner ?? (robust ? 1 : 5) });
      for (let t = 0; t < n; t++) (s[t] = fit.seasonal[t]!), (deseas[t]! -= s[t]!);
      trend = fit.trend;
    });
  }
  const remainder = Array.from(y, (v, t) => {
    let r = v - trend[t]!;
    for (const s of seasonals) r -= s[t]!;
    return r;
  });
  return { trend, seasonals: used.map((period, i) => ({ period, values: Array.from(seasonals[i]!) })), remainder, periods: used };
}

const label = (p: number) => String(Math.round(p * 100) / 100);

/**
 * MSTL forecast with ETS on the seasonally adjusted series (R's `forecast(mstl(y), method = "ets")`),
 * over the usable `options.periods` (`[options.period]` when not given). Model name `MSTL(7,365.25)+ETS(A,N,N)`;
 * params are the periods used, their seasonal spans and the ETS parameters of the adjusted series.
 * With no usable period it is plain ETS on y (seasonal when `options.period` allows), named e.g.
 * `ETS(A,N,N) (no MSTL season)`. No AICc: the ETS one is of the adjusted series, not comparable with
 * models of y. Never throws; never NaN (non-finite inputs are interpolated first).
 */
export function mstlForecast(input: ArrayLike<number>, options: ModelOptions): ModelForecast {
  const h = Math.max(0, Math.floor(options.h));
  const levels = options.levels ?? [80, 95];
  const y = fillGaps(input);
  const n = y.length;
  const used = usablePeriods(options.periods && options.periods.length > 0 ? options.periods : [options.period], n);
  if (used.length === 0) {
    const m = Number.isInteger(options.period) && options.period >= 2 ? options.period : 1;
    const ets = autoEts(y, { period: m, h, levels });
    return { model: `${ets.model} (no MSTL season)`, params: { periods: [], ...etsParams(ets) }, mean: ets.mean, intervals: ets.intervals, ...(ets.fitted ? { fitted: ets.fitted } : {}) };
  }
  const dec = mstl(y, used);
  const adjusted = Array.from(y, (v, t) => {
    let a = v;
    for (const s of dec.seasonals) a -= s.values[t]!;
    return a;
  });
  const ets = autoEts(adjusted, { period: 1, h, levels });
  // Seasonal naive per component on its last ⌊p⌋ values (R: rep(x[n − (m:1) + 1], …)).
  const future = new Array<number>(h).fill(0);
  const inSample = new Array<number>(n).fill(0);
  for (const s of dec.seasonals) {
    const m = Math.trunc(s.period);
    for (let k = 0; k < h; k++) future[k]! += s.values[n - m + (k % m)]!;
    for (let t = 0; t < n; t++) inSample[t]! += s.values[t]!;
  }
  const mean = ets.mean.map((v, k) => v + future[k]!);
  const intervals: Interval[] = ets.intervals.map((i) => ({ level: i.level, lower: i.lower.map((v, k) => v + future[k]!), upper: i.upper.map((v, k) => v + future[k]!) }));
  const out: ModelForecast = {
    model: `MSTL(${used.map(label).join(',')})+${ets.model}`,
    params: { periods: used, sWindow: used.map((_, i) => 7 + 4 * (i + 1)), ...etsParams(ets) },
    mean,
    intervals,
  };
  if (ets.fitted) out.fitted = ets.fitted.map((v, t) => v + inSample[t]!);
  return out;
}

/** The ETS parameters worth showing (not the seasonal states: the adjusted series has none). */
function etsParams(ets: EtsForecast): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(ets.params)) if (typeof v === 'number' || Array.isArray(v)) out[k] = v;
  return out;
}
