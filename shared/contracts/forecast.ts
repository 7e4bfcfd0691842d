import { z } from 'zod';
import type { AnalysisSpec, Grain } from '../analysis/spec.js';
import type { Interval, ParamValue } from '../forecast/types.js';
import { defineContract } from './define.js';

export type { Interval, ParamValue } from '../forecast/types.js';

/**
 * Model families the analyst may ask for. `auto` lets rolling-origin backtests on the series itself
 * choose among the families (and the combination of the best ones); the others force one family,
 * whose own form (e.g. the ETS components or the ARIMA orders) is still chosen automatically.
 * `croston` (Croston's method, SBA) is for intermittent series: mostly zeros, like withdrawals at a
 * quiet ATM.
 */
export const FORECAST_MODELS = ['auto', 'ets', 'theta', 'arima', 'mstl', 'combination', 'snaive', 'drift', 'croston'] as const;
export type ForecastModel = (typeof FORECAST_MODELS)[number];

export const MAX_HORIZON = 1000;
export const MAX_FORECAST_SERIES = 10_000;

/**
 * Why a series got the model it got, as a code the UI translates plus an English sentence (CLI, logs).
 * - SHORT: too few observations for seasonal models or backtests; a simpler model was used.
 * - CONSTANT: every value is the same; the forecast is that value, with no spread.
 * - GAPS_FILLED: missing periods inside the history were filled (by interpolation) before fitting.
 * - LEADING_GAP: the series starts later than the others; only its own history is used.
 * - ZEROS / NEGATIVE: multiplicative models were left out because the data has zeros or negatives.
 * - INTERMITTENT: mostly zeros; a smoothed-rate model was used rather than a trend model.
 * - NO_BACKTEST: too short to hold back data; the model was chosen by its fit alone.
 * - FALLBACK: the chosen family could not fit this series; the named simpler model answered.
 * - EMPTY: no observations at all; nothing is forecast.
 * - PARTIAL_PERIOD: the data stop before the end of the last period (this month is not over), so that
 *   period was left out of the fit and is forecast instead.
 */
export const FORECAST_NOTES = ['SHORT', 'CONSTANT', 'GAPS_FILLED', 'LEADING_GAP', 'ZEROS', 'NEGATIVE', 'INTERMITTENT', 'NO_BACKTEST', 'FALLBACK', 'EMPTY', 'PARTIAL_PERIOD'] as const;
export type ForecastNoteCode = (typeof FORECAST_NOTES)[number];

export interface ForecastNote {
  code: ForecastNoteCode;
  message: string;
  /** Values the message mentions (counts, model names), for translation. */
  values?: Record<string, string | number>;
}

/** Accuracy on the series' own history: forecasts from several earlier origins, scored on what followed. */
export interface BacktestScore {
  /** Forecast origins used. */
  origins: number;
  /** Steps ahead scored from each origin. */
  horizon: number;
  /** Mean absolute scaled error (M4's definition; below 1 beats the in-sample seasonal naive). Null if undefined (constant history). */
  mase: number | null;
  /** Symmetric MAPE, percent (0 … 200). Null when every actual and forecast is 0. */
  smape: number | null;
  /** Share of held-back actuals that fell inside each interval (0 … 1). */
  coverage: Array<{ level: number; rate: number }>;
}

export interface ForecastCandidate {
  model: string;
  family: ForecastModel;
  /** Null when the series was too short to backtest. */
  mase: number | null;
  smape: number | null;
}

export interface SeriesForecast {
  /** Values of the group fields (empty without groups), in the order of `ForecastRun.groupFields`. */
  group: Array<string | number | boolean | null>;
  /** "Moscow · card", or the measure's name without groups. */
  label: string;
  /** Start of each history period (ISO dates), oldest first, with no gaps. */
  dates: string[];
  /** The measure per period; null where the period had no rows (before filling). */
  actual: Array<number | null>;
  /** Start of each forecast period. */
  forecastDates: string[];
  mean: number[];
  /** Intervals, widened when the backtests showed the model's own ones to be too narrow (see `calibration`). */
  intervals: Interval[];
  /** The model that answered: a single model's name, or `Median(ETS(A,N,A), Theta, ARIMA(0,1,1))`. */
  model: string;
  family: ForecastModel;
  params: Record<string, ParamValue>;
  /** The chosen model's backtest (null when the series was too short). */
  backtest: BacktestScore | null;
  /** Every family tried, best backtest first. */
  candidates: ForecastCandidate[];
  /**
   * Per level, the factor the model's interval half-widths were multiplied by so that the backtest
   * coverage reaches the nominal level (1: the model's own intervals were already wide enough).
   */
  calibration: Array<{ level: number; factor: number }>;
  notes: ForecastNote[];
}

export interface ForecastRequest {
  /** An analysis spec with one date dimension (with a grain), one measure, and optional group dimensions. */
  spec: unknown;
  /** Steps of the date grain to forecast. */
  horizon: number;
  /** Interval levels in percent (default [80, 95]). */
  levels?: number[];
  model?: ForecastModel;
  /** An id the caller picks so it can `cancel` this run. */
  requestId?: string;
  /** Keep the run in the Forecasts list (default false: the answer is only returned). */
  save?: boolean;
  /** Title of the saved run (default: "<measure> by <date field>"). */
  title?: string;
}

export interface ForecastSummary {
  series: number;
  /** Mean backtest MASE and sMAPE over the series that could be backtested. */
  mase: number | null;
  smape: number | null;
  /** Pooled backtest coverage per level. */
  coverage: Array<{ level: number; rate: number }>;
  /** Series per chosen family. */
  families: Partial<Record<ForecastModel, number>>;
  /** Wall time of the modelling (not the query), ms. */
  ms: number;
  /** Worker threads used. */
  threads: number;
}

export interface ForecastRunSummary {
  /** Empty for a run that was not saved. */
  id: string;
  title: string;
  createdAt: string;
  extract: string;
  measure: string;
  dateField: string;
  grain: Grain;
  groupFields: string[];
  horizon: number;
  levels: number[];
  model: ForecastModel;
  summary: ForecastSummary;
  /** When the extract's data was last synced (ISO), if known. */
  dataSyncedAt: string | null;
}

export interface ForecastRun extends ForecastRunSummary {
  spec: AnalysisSpec;
  /** Seasonal periods used, from the grain (e.g. [7, 365.25] for days, as far as the history allows). */
  periods: number[];
  series: SeriesForecast[];
}

/** The forecast table as a file's contents; the renderer saves it. */
export interface ForecastTableExport {
  filename: string;
  mimeType: string;
  content: string;
  rows: number;
}

export interface ForecastService {
  /**
   * Queries the spec on the local cache and forecasts each group's series. Fails with
   * INVALID_ANALYSIS (not one date dimension with a grain and one measure), NOT_FOUND,
   * LEASE_EXPIRED, LOCKED, NOT_PERMITTED (a viewer-only workspace) or CANCELLED.
   */
  run(request: ForecastRequest): Promise<ForecastRun>;
  cancel(requestId: string): Promise<boolean>;
  /** Saved runs, newest first (only of extracts still in the cache). */
  list(): Promise<ForecastRunSummary[]>;
  /** A saved run. NOT_FOUND, or LEASE_EXPIRED when its extract's lease has run out. */
  get(id: string): Promise<ForecastRun>;
  remove(id: string): Promise<void>;
  /**
   * The run's forecast table (period, groups, actual, forecast, bounds) as CSV, UTF-8 with a BOM, with
   * the separator convention of `locale`. NOT_PERMITTED when the extract's export policy forbids CSV.
   * Audited as `forecast.export`.
   */
  exportTable(id: string, options?: { locale?: 'en' | 'ru' }): Promise<ForecastTableExport>;
}

const id = z.string().min(1).max(100);

export const forecastRequestSchema = z.strictObject({
  spec: z.unknown(),
  horizon: z.number().int().min(1).max(MAX_HORIZON),
  levels: z.array(z.number().gt(0).lt(100)).min(1).max(5).optional(),
  model: z.enum(FORECAST_MODELS).optional(),
  requestId: id.optional(),
  save: z.boolean().optional(),
  title: z.string().min(1).max(200).optional(),
});

export const forecastContract = defineContract<ForecastService>()({
  run: z.tuple([forecastRequestSchema]),
  cancel: z.tuple([id]),
  list: z.tuple([]),
  get: z.tuple([id]),
  remove: z.tuple([id]),
  exportTable: z.tuple([id, z.strictObject({ locale: z.enum(['en', 'ru']).optional() }).optional()]),
});
