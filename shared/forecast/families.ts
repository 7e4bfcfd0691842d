import type { ForecastModel } from '../contracts/forecast.js';
import { autoEts, fitEts, type EtsForecast, type EtsParams, type EtsSpec } from './ets.js';
import { autoArima, fitArima, type ArimaOrder } from './arima.js';
import { mstlForecast } from './mstl.js';
import { crostonModel, driftModel, seasonalNaiveModel } from './simple.js';
import { thetaForecast } from './theta.js';
import type { ModelForecast } from './types.js';

/**
 * One adapter per model family: fit the family's automatic choice on the whole history, and refit that
 * same form (the ETS components, the ARIMA orders) on a shorter history for the rolling-origin
 * backtests. Refitting the form rather than searching again keeps a backtest a few times cheaper than
 * the first fit, and it scores what is actually forecast: this model form, re-estimated as data arrive.
 */

export interface SeriesContext {
  /** The integer period single-season models use (1: none). */
  period: number;
  /** Every usable seasonal period, shortest first (MSTL). */
  periods: number[];
  levels: number[];
  /** Multiplicative models are allowed (strictly positive data). */
  positive: boolean;
}

export interface FittedFamily {
  family: Exclude<ForecastModel, 'auto' | 'combination'>;
  forecast: ModelForecast;
  /** The same form re-estimated on `y` (a prefix of the history), forecasting h steps. */
  refit(y: number[], h: number): ModelForecast;
}

export type SingleFamily = FittedFamily['family'];

/** `ETS(M,Ad,M)` → its spec; null for the fallbacks (`Naive`). */
export function parseEtsName(model: string): EtsSpec | null {
  const m = /^ETS\(([AM]),(N|A|Ad),([NAM])\)$/.exec(model);
  return m ? { error: m[1] as EtsSpec['error'], trend: m[2] as EtsSpec['trend'], season: m[3] as EtsSpec['season'] } : null;
}

type Fitter = (y: number[], h: number, ctx: SeriesContext) => FittedFamily | null;

const plain = (f: EtsForecast): ModelForecast => ({ ...f, params: { ...f.params } });

/**
 * ETS refits keep the chosen form and start each origin's optimisation from the previous (shorter)
 * origin's estimates: never from the full-history fit, which has seen the held-back data and would make
 * the backtest look better than it is. 250 simulated paths are plenty for the coverage count.
 */
const ets: Fitter = (y, h, ctx) => {
  const forecast = plain(autoEts(y, { period: ctx.period, h, levels: ctx.levels }));
  const spec = parseEtsName(forecast.model);
  let previous: { n: number; params: EtsParams } | undefined;
  return {
    family: 'ets',
    forecast,
    refit: (y2, h2) => {
      if (!spec) return plain(autoEts(y2, { period: ctx.period, h: h2, levels: ctx.levels }));
      const start = previous && previous.n < y2.length ? previous.params : undefined;
      const f = fitEts(y2, spec, { period: ctx.period, h: h2, levels: ctx.levels, paths: 250, ...(start ? { start } : {}) });
      previous = { n: y2.length, params: f.params };
      return plain(f);
    },
  };
};

const theta: Fitter = (y, h, ctx) => {
  const run = (y2: number[], h2: number) => {
    const { components: _members, params, ...rest } = thetaForecast(y2, { period: ctx.period, h: h2, levels: ctx.levels, variant: 'auto' });
    return { ...rest, params: { ...params } };
  };
  return { family: 'theta', forecast: run(y, h), refit: run };
};

/**
 * ARIMA: the stepwise search ranks candidates by the exact likelihood at their CSS estimates; the
 * final exact-ML refit (`refit: 1`) costs 40% more for the same M3 accuracy, so it is skipped here, and
 * the backtest refits are CSS fits of the chosen orders, as the forecast itself is.
 */
const arima: Fitter = (y, h, ctx) => {
  const options = (h2: number) => ({ period: ctx.period, h: h2, levels: ctx.levels, refit: 0 });
  const forecast = autoArima(y, options(h));
  const o = forecast.params.order;
  const order: ArimaOrder | null =
    o.length === 7 ? { p: o[0]!, d: o[1]!, q: o[2]!, P: o[3]!, D: o[4]!, Q: o[5]!, constant: / with (drift|non-zero mean)$/.test(forecast.model) } : null;
  return {
    family: 'arima',
    forecast,
    refit: (y2, h2) => (order ? fitArima(y2, order, { ...options(h2), ml: false }) : autoArima(y2, options(h2))),
  };
};

const snaive: Fitter = (y, h, ctx) => ({
  family: 'snaive',
  forecast: seasonalNaiveModel(y, h, ctx.period, ctx.levels),
  refit: (y2, h2) => seasonalNaiveModel(y2, h2, ctx.period, ctx.levels),
});

const drift: Fitter = (y, h, ctx) => ({
  family: 'drift',
  forecast: driftModel(y, h, ctx.levels),
  refit: (y2, h2) => driftModel(y2, h2, ctx.levels),
});

const croston: Fitter = (y, h, ctx) => ({
  family: 'croston',
  forecast: crostonModel(y, h, ctx.levels),
  refit: (y2, h2) => crostonModel(y2, h2, ctx.levels),
});

/**
 * MSTL applies where single-season models fall short: several periods (days: week and year), or one
 * they cannot hold (weeks: 52.18, above ETS's 24 and not an integer).
 */
const mstl: Fitter = (y, h, ctx) => {
  const periods = ctx.periods;
  if (!(periods.length >= 2 || periods.some((p) => p > 24 || !Number.isInteger(p)))) return null;
  const run = (y2: number[], h2: number) => mstlForecast(y2, { period: ctx.period, periods, h: h2, levels: ctx.levels });
  const forecast = run(y, h);
  if (!forecast.model.startsWith('MSTL')) return null;
  return { family: 'mstl', forecast, refit: run };
};

export const FITTERS: Partial<Record<SingleFamily, Fitter>> = { ets, theta, arima, mstl, snaive, drift, croston };

/** Fits one family; null when it does not apply to this series (e.g. MSTL without a usable period). */
export function fitFamily(family: SingleFamily, y: number[], h: number, ctx: SeriesContext): FittedFamily | null {
  const fitter = FITTERS[family];
  return fitter ? fitter(y, h, ctx) : null;
}
