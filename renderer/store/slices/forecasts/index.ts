import type { AnalysisSpec } from '../../../../shared/analysis/spec.js';
import type { ForecastModel, ForecastRun, ForecastRunSummary, ForecastTableExport } from '../../../../shared/contracts/index.js';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { SliceCreator } from '../../types.js';
import { errorInfo } from '../builder/index.js';

/** What the analyst asked the builder's forecast panel for. */
export interface ForecastOptions {
  horizon: number;
  levels: number[];
  model: ForecastModel;
}

/** The builder's forecast: drawn over the chart while the spec asks the same question. */
export interface BuilderForecast {
  status: 'idle' | 'running' | 'done' | 'error' | 'cancelled';
  requestId: string | null;
  run: ForecastRun | null;
  /** The query (the spec without its chart encoding) the run answers. */
  queryKey: string | null;
  options: ForecastOptions | null;
  error: ErrorInfo | null;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export interface ForecastsSlice {
  builderForecast: BuilderForecast;
  /** Saved runs, newest first; null before the first load. */
  forecastRuns: ForecastRunSummary[] | null;
  forecastRunsError: ErrorInfo | null;
  /** The saved run being viewed, or null when the list is shown. */
  openForecast: ForecastRun | null;
  openingForecast: string | null;
  openForecastError: ErrorInfo | null;

  /** Forecasts the spec (a run in flight is cancelled first). */
  runBuilderForecast(spec: AnalysisSpec, options: ForecastOptions): Promise<void>;
  cancelBuilderForecast(): Promise<void>;
  /** Removes the forecast from the chart. */
  clearBuilderForecast(): void;
  /** Runs the spec again and keeps it in the Forecasts list under `title`. */
  saveBuilderForecast(spec: AnalysisSpec, options: ForecastOptions, title: string): Promise<Outcome<ForecastRun>>;
  loadForecastRuns(): Promise<void>;
  viewForecast(id: string): Promise<void>;
  closeForecast(): void;
  /** Deletes a saved run, then reloads the list. */
  removeForecast(id: string): Promise<Outcome<null>>;
  exportForecast(id: string, locale: 'en' | 'ru'): Promise<Outcome<ForecastTableExport>>;
  /** Forgets everything read from the cache (on lock). */
  resetForecasts(): void;
}

/** A spec's question, whatever the chart: a forecast stays valid while this is unchanged. */
export function queryKeyOf(spec: AnalysisSpec): string {
  const { chart: _chart, ...query } = spec;
  return JSON.stringify(query);
}

const IDLE: BuilderForecast = { status: 'idle', requestId: null, run: null, queryKey: null, options: null, error: null };

export const createForecastsSlice: SliceCreator<ForecastsSlice> = (set, get, { api }) => {
  let sequence = 0;
  let opening = 0;
  const request = (spec: AnalysisSpec, options: ForecastOptions) => ({ spec, horizon: options.horizon, levels: options.levels, model: options.model });
  return {
    builderForecast: IDLE,
    forecastRuns: null,
    forecastRunsError: null,
    openForecast: null,
    openingForecast: null,
    openForecastError: null,

    async runBuilderForecast(spec, options) {
      const previous = get().builderForecast;
      if (previous.status === 'running' && previous.requestId) void api.forecast.cancel(previous.requestId).catch(() => undefined);
      const requestId = `forecast-${Date.now().toString(36)}-${++sequence}`;
      const queryKey = queryKeyOf(spec);
      set({ builderForecast: { status: 'running', requestId, run: null, queryKey, options, error: null } });
      try {
        const run = await api.forecast.run({ ...request(spec, options), requestId });
        if (get().builderForecast.requestId !== requestId) return;
        set({ builderForecast: { status: 'done', requestId: null, run, queryKey, options, error: null } });
      } catch (err) {
        if (get().builderForecast.requestId !== requestId) return;
        const error = errorInfo(err);
        set({ builderForecast: { status: error.code === 'CANCELLED' ? 'cancelled' : 'error', requestId: null, run: null, queryKey, options, error: error.code === 'CANCELLED' ? null : error } });
      }
    },
    async cancelBuilderForecast() {
      const { requestId, queryKey, options } = get().builderForecast;
      if (!requestId) return;
      set({ builderForecast: { status: 'cancelled', requestId: null, run: null, queryKey, options, error: null } });
      try {
        await api.forecast.cancel(requestId);
      } catch {
        // Already finished or locked: its answer is dropped either way.
      }
    },
    clearBuilderForecast() {
      const { requestId } = get().builderForecast;
      if (requestId) void api.forecast.cancel(requestId).catch(() => undefined);
      set({ builderForecast: IDLE });
    },
    async saveBuilderForecast(spec, options, title) {
      try {
        const run = await api.forecast.run({ ...request(spec, options), save: true, title });
        // The saved run answers the same question: show it (its numbers are the ones kept).
        if (get().builderForecast.queryKey === queryKeyOf(spec) && get().builderForecast.status !== 'running') {
          set({ builderForecast: { status: 'done', requestId: null, run, queryKey: queryKeyOf(spec), options, error: null } });
        }
        if (get().forecastRuns !== null) void get().loadForecastRuns();
        return { ok: true, value: run };
      } catch (err) {
        return { ok: false, error: errorInfo(err) };
      }
    },
    async loadForecastRuns() {
      try {
        set({ forecastRuns: await api.forecast.list(), forecastRunsError: null });
      } catch (err) {
        set({ forecastRunsError: errorInfo(err) });
      }
    },
    async viewForecast(id) {
      const mine = ++opening;
      set({ openingForecast: id, openForecastError: null });
      try {
        const run = await api.forecast.get(id);
        if (mine === opening) set({ openForecast: run, openingForecast: null });
      } catch (err) {
        if (mine === opening) set({ openingForecast: null, openForecastError: errorInfo(err) });
      }
    },
    closeForecast() {
      opening++;
      set({ openForecast: null, openingForecast: null, openForecastError: null });
    },
    async removeForecast(id) {
      try {
        await api.forecast.remove(id);
        if (get().openForecast?.id === id) get().closeForecast();
        set((s) => ({ forecastRuns: s.forecastRuns?.filter((r) => r.id !== id) ?? null }));
        void get().loadForecastRuns();
        return { ok: true, value: null };
      } catch (err) {
        return { ok: false, error: errorInfo(err) };
      }
    },
    async exportForecast(id, locale) {
      try {
        return { ok: true, value: await api.forecast.exportTable(id, { locale }) };
      } catch (err) {
        return { ok: false, error: errorInfo(err) };
      }
    },
    resetForecasts() {
      opening++;
      set({ builderForecast: IDLE, forecastRuns: null, forecastRunsError: null, openForecast: null, openingForecast: null, openForecastError: null });
    },
  };
};
