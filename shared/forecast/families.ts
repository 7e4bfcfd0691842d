import type { ForecastModel } from '../contracts/forecast.js';
import { autoEts, fitEts, type EtsForecast, type EtsSpec } from './ets.js';
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

const ets: Fitter = (y, h, ctx) => {
  const forecast = plain(autoEts(y, { period: ctx.period, h, levels: ctx.levels }));
  const spec = parseEtsName(forecast.model);
  return {
    family: 'ets',
    forecast,
    refit: (y2, h2) => plain(spec ? fitEts(y2, spec, { period: ctx.period, h: h2, levels: ctx.levels }) : autoEts(y2, { period: ctx.period, h: h2, levels: ctx.levels })),
  };
};

const theta: Fitter = (y, h, ctx) => {
  const run = (y2: number[], h2: number) => {
    const { components: _members, params, ...rest } = thetaForecast(y2, { period: ctx.period, h: h2, levels: ctx.levels, variant: 'auto' });
    return { ...rest, params: { ...params } };
  };
  return { family: 'theta', forecast: run(y, h), refit: run };
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

export const FITTERS: Partial<Record<SingleFamily, Fitter>> = { ets, theta, mstl, snaive, drift, croston };

/** Fits one family; null when it does not apply to this series (e.g. MSTL without a usable period). */
export function fitFamily(family: SingleFamily, y: number[], h: number, ctx: SeriesContext): FittedFamily | null {
  const fitter = FITTERS[family];
  return fitter ? fitter(y, h, ctx) : null;
}
