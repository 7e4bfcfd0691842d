import type { AnalysisResult, Cell, ChartEncoding, ChartType } from '../analysis/spec.js';
import { comboFigure, scatterFigure, seriesFigure, type FigureParts } from './cartesian.js';
import { baseLayout, plotlyConfig } from './layout.js';
import { mapFigure } from './map.js';
import { boxFigure, heatmapFigure, histogramFigure, pieFigure } from './parts.js';
import type { ChartLabels, Figure, FigureOptions } from './types.js';
import { ResultView } from './view.js';

/** Chart types drawn by plotly; `kpi`, `table` and `pivot` are HTML (KpiTile, ResultTable, PivotTable). */
export const PLOTTED_TYPES: ReadonlySet<ChartType> = new Set<ChartType>([
  'bar', 'column', 'line', 'area', 'scatter', 'bubble', 'pie', 'donut', 'heatmap', 'histogram', 'box', 'combo', 'map',
]);

export function isPlotted(type: ChartType): boolean {
  return PLOTTED_TYPES.has(type);
}

/**
 * The plotly figure of a result drawn as `chart`: traces, layout and config as plain objects, and a
 * note when the data was thinned or drawn specially. Pure: the same input gives the same figure.
 * Throws ChartEncodingError when the encoding does not fit the result (a missing or non-numeric column).
 * For `kpi`, `table` and `pivot` the figure is empty: those are drawn as HTML.
 */
export function buildFigure(result: AnalysisResult, chart: ChartEncoding, options: FigureOptions): Figure {
  const view = new ResultView(result, chart, options.locale, options.labels, options.columnLabels);
  const parts = build(view, options);
  // Long tick labels (`600 млн ₽`) need room on a horizontal number axis: one tick per ~110 px at most.
  const x = parts.layout.xaxis;
  if (x && x.type === 'linear' && x.visible !== false) x.nticks = Math.max(3, Math.floor(options.widthPx / 110));
  // The same uirevision across rebuilds keeps the user's zoom when only the data changes.
  parts.layout.uirevision = `${chart.type}:${JSON.stringify([chart.x, chart.y, chart.y2, chart.color])}`;
  if (options.overlay) {
    const extra = options.overlay({ data: parts.data, factor: parts.factor ?? 1 });
    parts.data.push(...extra);
    parts.rows.push(...extra.map(() => null));
    if (extra.length && !parts.layout.showlegend) {
      parts.layout.showlegend = true;
      parts.layout.margin = { ...parts.layout.margin, t: 36 };
    }
  }
  return { ...parts, config: plotlyConfig(options.locale) };
}

function build(view: ResultView, options: FigureOptions): FigureParts {
  switch (view.chart.type) {
    case 'bar':
    case 'column':
    case 'line':
    case 'area':
      return seriesFigure(view, options.widthPx);
    case 'scatter':
    case 'bubble':
      return scatterFigure(view);
    case 'combo':
      return comboFigure(view);
    case 'pie':
    case 'donut':
      return pieFigure(view);
    case 'heatmap':
      return heatmapFigure(view);
    case 'histogram':
      return histogramFigure(view);
    case 'box':
      return boxFigure(view);
    case 'map':
      return mapFigure(view, options.branchLocations);
    case 'kpi':
    case 'table':
    case 'pivot':
      return { data: [], layout: baseLayout(view.locale, false), note: null, points: 0, rows: [] };
  }
}

/** One mark of a chart as keyboard users reach it: a detail row, its text, and its dimension values. */
export interface MarkItem {
  row: number;
  /** "Moscow · Mar 2024 — Sum of amount: 1 234,5". */
  label: string;
  values: Record<string, Cell>;
}

/**
 * The marks of a chart as a list (the first `limit` detail rows), for the visually hidden mark list
 * that lets keyboard and screen-reader users pick a mark. Each row of the result is one mark of the
 * chart (a bar, a point, a slice, a cell), so a row's dimension values are what a click on it reports.
 * Measures are named by `columnLabels` where it has them.
 */
export function markList(
  result: AnalysisResult,
  chart: ChartEncoding,
  locale: FigureOptions['locale'],
  labels: ChartLabels,
  limit = 500,
  columnLabels: Readonly<Record<string, string>> = {},
): MarkItem[] {
  const view = new ResultView(result, chart, locale, labels, columnLabels);
  const measures = result.columns.flatMap((c) => (c.role === 'dimension' ? [] : [view.column(c.name)]));
  const out: MarkItem[] = [];
  for (let i = 0; i < view.rows.length && out.length < limit; i++) {
    const row = view.rows[i]!;
    const values: Record<string, Cell> = {};
    for (const d of view.dimensions) values[d.column.name] = d.values[row] ?? null;
    const head = view.dimensions.map((d) => view.text(d, d.values[row] ?? null)).join(' · ');
    const tail = measures.map((m) => `${view.name(m)}: ${view.text(m, m.values[row] ?? null)}`).join(', ');
    out.push({ row, label: head ? `${head} — ${tail}` : tail, values });
  }
  return out;
}

/** The dimension values of a result row, as a MarkSelection wants them. */
export function dimensionValues(result: AnalysisResult, row: number): Record<string, Cell> {
  const values: Record<string, Cell> = {};
  result.columns.forEach((c, i) => {
    if (c.role === 'dimension') values[c.name] = result.data[i]?.[row] ?? null;
  });
  return values;
}
