/**
 * What every forecasting model answers, so the selector (auto.ts), the worker pool, the service and the
 * UI treat ETS, Theta, ARIMA, MSTL and the baselines alike.
 */

export interface Interval {
  /** Coverage in percent (e.g. 80, 95). */
  level: number;
  lower: number[];
  upper: number[];
}

/** A parameter value as shown to the analyst ("α = 0.31", "AR = [0.42, −0.1]", "season = multiplicative"). */
export type ParamValue = number | string | number[];

export interface ModelForecast {
  /** Display name, e.g. `ETS(M,Ad,M)`, `ARIMA(0,1,1)(0,1,1)[12]`, `MSTL(7,365.25)+ETS(A,N,N)`. */
  model: string;
  params: Record<string, ParamValue>;
  /** Point forecasts, one per step ahead. */
  mean: number[];
  intervals: Interval[];
  /** One-step in-sample predictions, when the model has them. */
  fitted?: number[];
  /** AICc, when the model was chosen by it. */
  aicc?: number;
}

export interface ModelOptions {
  /** The main seasonal period (1: none). */
  period: number;
  /** Every seasonal period, shortest first (MSTL uses them all; other models use `period`). */
  periods?: number[];
  /** Forecast horizon, in steps. */
  h: number;
  /** Prediction interval levels, percent. Default [80, 95]. */
  levels?: number[];
}
