import type { Trace } from '../../shared/charts/types.js';
import type { ChartProps } from '../../renderer/components/chart/types.js';
import type { ForecastRequest, ForecastRun, ForecastRunSummary, ForecastTableExport, SeriesForecast } from '../../shared/contracts/index.js';
import { StrongroomError } from '../../shared/errors.js';

/** Chart props seen by the stand-in chart, newest last. */
export const charts: ChartProps[] = [];

/**
 * Stand-in for the plotly Chart (plotly cannot draw in happy-dom): names the chart and lists the
 * overlay's traces, built the way buildFigure builds them (from the chart's own traces, factor 1).
 */
export function OverlayChart(props: ChartProps) {
  charts.push(props);
  const traces: Trace[] = props.overlay ? props.overlay({ data: [], factor: 1 }) : [];
  return (
    <figure aria-label={`${props.chart.type} chart ${props.title}`}>
      <ul aria-label="overlay traces">
        {traces.map((t, i) => (
          <li key={i}>{t.name}</li>
        ))}
      </ul>
    </figure>
  );
}

export function seriesOf(label: string, group: string[], overrides: Partial<SeriesForecast> = {}): SeriesForecast {
  return {
    group,
    label,
    dates: ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'],
    actual: [100, 120, null, 160],
    forecastDates: ['2024-05-01', '2024-06-01', '2024-07-01'],
    mean: [170, 180, 190],
    intervals: [
      { level: 80, lower: [150, 155, 160], upper: [190, 205, 220] },
      { level: 95, lower: [140, 142, 145], upper: [200, 218, 235] },
    ],
    model: 'ETS(A,A,N)',
    family: 'ets',
    params: { alpha: 0.31234, beta: 0.1, phi: 0.98, level: 150, season: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], sigma2: 4 },
    backtest: { origins: 3, horizon: 3, mase: 0.8123, smape: 12.34, coverage: [{ level: 80, rate: 0.78 }, { level: 95, rate: 0.93 }] },
    candidates: [],
    calibration: [{ level: 80, factor: 1.25 }, { level: 95, factor: 1 }],
    notes: [{ code: 'GAPS_FILLED', message: '1 missing period was filled', values: { count: 1, how: 'interpolate' } }],
    ...overrides,
  };
}

export function runOf(id: string, overrides: Partial<ForecastRun> = {}): ForecastRun {
  return {
    id,
    title: 'Amount forecast',
    createdAt: '2026-01-02T10:00:00.000Z',
    extract: 'transactions',
    measure: 'amount',
    dateField: 'booked_on',
    grain: 'month',
    groupFields: [],
    horizon: 3,
    levels: [80, 95],
    model: 'auto',
    summary: { series: 1, mase: 0.8123, smape: 12.34, coverage: [{ level: 80, rate: 0.78 }], families: { ets: 1 }, ms: 12, threads: 1 },
    dataSyncedAt: '2026-01-01T08:00:00.000Z',
    spec: { extract: 'transactions', dimensions: [{ field: 'booked_on', grain: 'month' }], measures: [{ agg: 'sum', field: 'amount', as: 'amount' }], chart: { type: 'line' } },
    periods: [12],
    series: [seriesOf('amount', [])],
    ...overrides,
  };
}

export interface ForecastCalls {
  run: ForecastRequest[];
  cancel: string[];
  get: string[];
  remove: string[];
  exportTable: Array<{ id: string; options?: { locale?: 'en' | 'ru' } }>;
}

export interface ForecastFakeOptions {
  runs?: ForecastRun[];
  /** Answers a run: a promise to control it, or undefined for the default (the first saved run, or one built). */
  onRun?(request: ForecastRequest): Promise<ForecastRun> | undefined;
  exportError?: StrongroomError;
}

/** A fake forecast service recording every call. */
export function fakeForecast(options: ForecastFakeOptions = {}) {
  const calls: ForecastCalls = { run: [], cancel: [], get: [], remove: [], exportTable: [] };
  let runs = [...(options.runs ?? [])];
  let n = 0;
  const summary = ({ spec: _s, periods: _p, series: _x, ...rest }: ForecastRun): ForecastRunSummary => rest;
  const service = {
    run(request: ForecastRequest) {
      calls.run.push(structuredClone(request));
      const custom = options.onRun?.(request);
      if (custom) return custom;
      const made = runOf(request.save ? `saved-${++n}` : '', { title: request.title ?? 'amount by booked_on', horizon: request.horizon, levels: request.levels ?? [80, 95] });
      if (request.save) runs = [made, ...runs];
      return Promise.resolve(made);
    },
    async cancel(id: string) {
      calls.cancel.push(id);
      return true;
    },
    list: async () => runs.map(summary),
    async get(id: string) {
      calls.get.push(id);
      const run = runs.find((r) => r.id === id);
      if (!run) throw new StrongroomError('NOT_FOUND', `No forecast ${id}`);
      return run;
    },
    async remove(id: string) {
      calls.remove.push(id);
      runs = runs.filter((r) => r.id !== id);
    },
    async exportTable(id: string, opts?: { locale?: 'en' | 'ru' }): Promise<ForecastTableExport> {
      calls.exportTable.push({ id, ...(opts ? { options: opts } : {}) });
      if (options.exportError) throw options.exportError;
      return { filename: `${id}.csv`, mimeType: 'text/csv;charset=utf-8', content: '\ufeffperiod,forecast\n2024-05-01,170\n', rows: 3 };
    },
  };
  return { service, calls };
}
