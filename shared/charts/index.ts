/**
 * The chart layer: pure functions from an analysis result and its chart encoding to plotly figures,
 * KPI figures, mark lists, number and date formats, and chart suggestions. No DOM, no plotly import:
 * the renderer's Chart component draws what these build.
 */
export { buildFigure, dimensionValues, isPlotted, markList, PLOTTED_TYPES, type MarkItem } from './figure.js';
export { AGGREGATE_ABOVE_POINTS, LINE_POINTS_PER_PIXEL, lineTarget, lttb, minMaxPerPixel, WEBGL_MIN_POINTS } from './decimate.js';
export {
  axisNumberFormat,
  dateTickFormat,
  formatDate,
  formatNumber,
  formatValue,
  inferGrain,
  parseDateMs,
  plotlyLocale,
  plotlySeparators,
  type ChartLocale,
  type NumberFormat,
} from './format.js';
export { formatSigned, kpiSummary, type KpiSummary } from './kpi.js';
export { columnLabels, labelOf, type ColumnLabelWords } from './labels.js';
export { plotlyConfig, PALETTE } from './layout.js';
export { branchLocationsFrom, outlineBounds, project } from './map.js';
export { defaultPivot, pivotModel, type PivotLine, type PivotModel } from './pivot.js';
export { defaultEncoding, suggestCharts, type SuggestColumn } from './suggest.js';
export type { BranchLocation, ChartLabels, ChartNote, Figure, FigureOptions, Layout, PlotConfig, Trace } from './types.js';
export { ChartEncodingError, detailRows } from './view.js';
