import type { AnalysisResult } from '../analysis/spec.js';
import type { ForecastRun, SeriesForecast } from '../contracts/forecast.js';
import { formatDate, formatNumber, parseDateMs, type ChartLocale, type NumberFormat } from './format.js';
import { PALETTE } from './layout.js';
import type { FigureOverlay, Trace } from './types.js';
import { escapeHtml } from './view.js';

/**
 * A forecast drawn over a line chart: per series a dashed line of the mean and one translucent band per
 * interval level, each starting at the last actual so the forecast joins its history. Pure: plotly
 * traces as plain objects, in the data's own units divided by `factor` (the chart's compact value axis).
 */

/** Translated words the overlay draws (shared/ cannot use i18n). */
export interface ForecastOverlayLabels {
  /** Legend name of a series' forecast line: "Moscow forecast" (the overlay escapes it). */
  forecast(label: string): string;
  /** Legend name of a level's band: "80 % interval". */
  interval(level: number): string;
  /** The one legend entry of every forecast line when there are many series: "Forecasts (dashed)". */
  all: string;
}

/** Above this many series, the forecast lines share one legend entry rather than crowd the legend. */
export const LEGEND_EACH_UP_TO = 5;

export interface ForecastOverlayOptions {
  labels: ForecastOverlayLabels;
  locale: ChartLocale;
  /** Plotted value = value / factor, as on the chart's value axis (default 1). */
  factor?: number;
  /** Number format of the tooltips (the chart's `format`). */
  format?: NumberFormat;
  /**
   * The chart's own traces: a forecast series takes the colour of the history trace with its name
   * (its label, or its single group value); otherwise the palette colour of its position.
   */
  base?: ReadonlyArray<Trace>;
}

export type ForecastOverlayRun = Pick<ForecastRun, 'series' | 'levels' | 'grain'>;

/** `#1d5fd1` → `rgba(29, 95, 209, 0.2)`; other colour notations are returned as they are. */
export function translucent(colour: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (!m) return colour;
  return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${alpha})`;
}

/** Band opacity per level: the narrowest level darkest, wider ones lighter (0.32 … 0.12). */
export function bandAlpha(levels: ReadonlyArray<number>, level: number): number {
  const sorted = [...new Set(levels)].sort((a, b) => a - b);
  const i = sorted.indexOf(level);
  if (sorted.length <= 1 || i < 0) return 0.22;
  return Math.round((0.32 - (0.2 * i) / (sorted.length - 1)) * 100) / 100;
}

function traceColour(trace: Trace): string | undefined {
  const c = trace.line?.color ?? (typeof trace.marker?.color === 'string' ? trace.marker.color : undefined);
  return typeof c === 'string' ? c : undefined;
}

/** The colour of each series: its history trace's where one has its name, else the palette's. */
export function seriesColours(series: ReadonlyArray<SeriesForecast>, base: ReadonlyArray<Trace> = []): string[] {
  const byName = new Map<string, string>();
  for (const trace of base) {
    const colour = traceColour(trace);
    if (trace.name !== undefined && colour && !byName.has(trace.name)) byName.set(trace.name, colour);
  }
  const lone = base.length === 1 && series.length === 1 ? traceColour(base[0]!) : undefined;
  return series.map((s, i) => {
    const names = [escapeHtml(s.label), ...(s.group.length === 1 ? [escapeHtml(String(s.group[0] ?? ''))] : [])];
    for (const name of names) {
      const found = byName.get(name);
      if (found) return found;
    }
    return lone ?? PALETTE[i % PALETTE.length]!;
  });
}

/** The last period with an actual value, or null when the history is empty. */
export function lastActual(series: SeriesForecast): { date: string; value: number } | null {
  for (let i = series.actual.length - 1; i >= 0; i--) {
    const v = series.actual[i];
    if (typeof v === 'number' && Number.isFinite(v) && series.dates[i] !== undefined) return { date: series.dates[i]!, value: v };
  }
  return null;
}

/**
 * The overlay's traces: every band first (widest level underneath), then the mean lines on top.
 * Bands have one legend entry per level (on the first series that has one); lines one per series.
 */
export function forecastTraces(run: ForecastOverlayRun, options: ForecastOverlayOptions): Trace[] {
  const factor = options.factor ?? 1;
  const format = options.format ?? 'number';
  const colours = seriesColours(run.series, options.base);
  const levels = [...run.levels].sort((a, b) => b - a);
  const bands: Trace[] = [];
  const lines: Trace[] = [];
  const legended = new Set<number>();
  const text = (v: number) => (format === 'percent' ? formatNumber(v, 'percent', options.locale) : formatNumber(v, format, options.locale));

  const many = run.series.length > LEGEND_EACH_UP_TO;
  run.series.forEach((series, index) => {
    if (series.forecastDates.length === 0 || series.mean.length === 0) return;
    const colour = colours[index]!;
    const start = lastActual(series);
    const xs = [...(start ? [parseDateMs(start.date)] : []), ...series.forecastDates.map(parseDateMs)];
    const join = (values: ReadonlyArray<number>) => [...(start ? [start.value / factor] : []), ...values.map((v) => v / factor)];
    const label = escapeHtml(series.label);

    for (const level of levels) {
      const interval = series.intervals.find((i) => i.level === level);
      if (!interval) continue;
      const upper = join(interval.upper);
      const lower = join(interval.lower);
      bands.push({
        type: 'scatter',
        name: escapeHtml(options.labels.interval(level)),
        // One closed polygon: along the upper bound, back along the lower one.
        x: [...xs, ...[...xs].reverse()],
        y: [...upper, ...[...lower].reverse()],
        mode: 'lines',
        fill: 'toself',
        fillcolor: translucent(colour, bandAlpha(run.levels, level)),
        line: { color: 'rgba(0, 0, 0, 0)', width: 0 },
        hoverinfo: 'skip',
        legendgroup: `forecast-interval-${level}`,
        showlegend: !legended.has(level),
      });
      legended.add(level);
    }

    const hovertext = xs.map((ms, i) => {
      const step = start ? i - 1 : i;
      const when = formatDate(ms, run.grain, options.locale);
      if (step < 0) return `${label}<br>${when}: ${text(start!.value)}`;
      const bounds = levels
        .map((level) => {
          const interval = series.intervals.find((x) => x.level === level);
          const lo = interval?.lower[step];
          const hi = interval?.upper[step];
          return lo === undefined || hi === undefined ? '' : `<br>${escapeHtml(options.labels.interval(level))}: ${text(lo)} … ${text(hi)}`;
        })
        .join('');
      return `${escapeHtml(options.labels.forecast(series.label))}<br>${when}: ${text(series.mean[step] ?? Number.NaN)}${bounds}`;
    });
    lines.push({
      type: 'scatter',
      name: escapeHtml(options.labels.forecast(series.label)),
      x: xs,
      y: join(series.mean),
      mode: 'lines',
      line: { color: colour, width: 2, dash: 'dash' },
      hovertext,
      hoverinfo: 'text',
      legendgroup: many ? 'forecast-all' : `forecast-${index}`,
      showlegend: !many,
    });
  });
  if (many && lines.length > 0) {
    // A legend-only trace: clicking it shows or hides every forecast line at once.
    lines.push({ type: 'scatter', name: escapeHtml(options.labels.all), x: [null], y: [null], mode: 'lines', line: { color: '#5b6472', width: 2, dash: 'dash' }, hoverinfo: 'skip', legendgroup: 'forecast-all', showlegend: true });
  }
  return [...bands, ...lines];
}

/** The overlay for Chart's `overlay` prop: the figure supplies its own traces (colours) and factor. */
export function forecastOverlay(run: ForecastOverlayRun, options: Omit<ForecastOverlayOptions, 'base' | 'factor'>): FigureOverlay {
  return ({ data, factor }) => forecastTraces(run, { ...options, base: data, factor });
}

/**
 * A series' history as an analysis result (a date column and the measure), so the Chart draws it as a
 * line chart like any analysis and the overlay adds its forecast.
 */
export function historyResult(series: SeriesForecast, dateColumn: string, measure: string): AnalysisResult {
  return {
    columns: [
      { name: dateColumn, type: 'date', role: 'dimension' },
      { name: measure, type: 'number', role: 'measure' },
    ],
    data: [[...series.dates], [...series.actual]],
    rowCount: series.dates.length,
    truncated: false,
    engine: 'memory',
    cached: false,
    extractVersion: 0,
    syncedAt: null,
    elapsedMs: 0,
  };
}
