import { dateTickFormat, plotlyLocale, plotlySeparators, type AxisNumberFormat, type ChartLocale } from './format.js';
import type { Axis, Layout, PlotConfig } from './types.js';
import { escapeHtml, type ColumnRef, type ResultView } from './view.js';

/**
 * Series colours: the app's accent blue first, then hues that stay apart for the common forms of
 * colour blindness (after Tableau 10 / Okabe–Ito), none of them the danger red of the app's errors.
 */
export const PALETTE = ['#1d5fd1', '#e8871e', '#2a9d8f', '#8e6cc1', '#d1495b', '#6b8e23', '#c9a227', '#5d6879', '#17a2b8', '#b5651d'];
/** Sequential scale for heatmaps and map marks, from near-white to the app's navy. */
export const SEQUENTIAL: Array<[number, string]> = [
  [0, '#eef4fd'],
  [0.35, '#9fc0f2'],
  [0.7, '#3f7fe0'],
  [1, '#11203a'],
];

const INK = '#17202e';
const GRID = '#e6eaf0';
const AXIS_LINE = '#c5cdd8';
const FONT = "'Segoe UI', system-ui, -apple-system, 'Helvetica Neue', 'DejaVu Sans', Arial, sans-serif";

export function baseLayout(locale: ChartLocale, legend: boolean): Layout {
  return {
    separators: plotlySeparators(locale),
    font: { family: FONT, size: 12, color: INK },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    // Axes grow their own margins (automargin); the top leaves room for a legend row.
    margin: { l: 12, r: 12, t: legend ? 36 : 12, b: 12, pad: 2 },
    showlegend: legend,
    legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1.02, yanchor: 'bottom', font: { size: 12 }, bgcolor: 'rgba(255,255,255,0)' },
    hovermode: 'closest',
    hoverlabel: { bgcolor: '#ffffff', bordercolor: AXIS_LINE, font: { family: FONT, size: 12, color: INK }, align: 'left' },
    colorway: PALETTE,
    dragmode: 'zoom',
    autosize: true,
  };
}

/** Names the colour channel before its legend entries ("channel: ■ card ■ atm"), when there is a legend. */
export function titleLegend(layout: Layout, view: ResultView, color: ColumnRef | undefined): void {
  if (!layout.showlegend || !color) return;
  layout.legend = { ...layout.legend, title: { text: escapeHtml(view.name(color)), font: { size: 12, color: '#4a5668' } } };
}

function baseAxis(title: string | undefined): Axis {
  return {
    ...(title ? { title: { text: escapeHtml(title), standoff: 8 } } : {}),
    automargin: true,
    showgrid: true,
    gridcolor: GRID,
    zeroline: true,
    zerolinecolor: AXIS_LINE,
    linecolor: AXIS_LINE,
    showline: true,
    ticks: '',
  };
}

/** A measure axis in the chart's number format. */
export function valueAxis(title: string | undefined, format: AxisNumberFormat): Axis {
  return {
    ...baseAxis(title),
    type: 'linear',
    tickformat: format.tickformat,
    ...(format.tickprefix ? { tickprefix: format.tickprefix } : {}),
    ...(format.ticksuffix ? { ticksuffix: format.ticksuffix } : {}),
    ...(format.labelalias ? { labelalias: format.labelalias } : {}),
  };
}

/** The axis of a dimension: dates as a date axis in the locale, numbers linear, anything else categories in result order. */
export function dimensionAxis(view: ResultView, ref: ColumnRef, categories?: string[]): Axis {
  const { locale } = view;
  const axis = baseAxis(view.name(ref));
  axis.showgrid = false;
  if (ref.column.type === 'date' || ref.column.type === 'timestamp') {
    const grain = ref.grain ?? 'day';
    return { ...axis, type: 'date', ...(grain !== 'instant' ? { tickformat: dateTickFormat(grain, locale) } : {}), zeroline: false };
  }
  if (ref.column.type === 'number') return { ...axis, type: 'linear', tickformat: ',~r', zeroline: false };
  return { ...axis, type: 'category', zeroline: false, ...(categories ? { categoryorder: 'array', categoryarray: categories } : {}) };
}

/** The value axis of a 100% stack: 0–100 with a percent sign. */
export function percentStackAxis(title: string | undefined, locale: ChartLocale): Axis {
  return { ...valueAxis(title, { tickformat: ',~r', ticksuffix: locale === 'ru' ? '\u00a0%' : '%', factor: 1 }), range: [0, 100] };
}

const MODEBAR_REMOVE = [
  'select2d',
  'lasso2d',
  'zoomIn2d',
  'zoomOut2d',
  'autoScale2d',
  'toggleSpikelines',
  'hoverClosestCartesian',
  'hoverCompareCartesian',
  'toImage',
  'sendDataToCloud',
  'editInChartStudio',
  'hoverClosestPie',
];

/**
 * plotly config: no plotly logo or links to plot.ly / Chart Studio, a small modebar (zoom, pan, reset)
 * and the locale's month names and separators. `dictionary` translates the modebar's tooltips.
 */
export function plotlyConfig(locale: ChartLocale, dictionary: Record<string, string> = {}): PlotConfig {
  return {
    displaylogo: false,
    showLink: false,
    showSendToCloud: false,
    showEditInChartStudio: false,
    showTips: false,
    responsive: false,
    displayModeBar: 'hover',
    modeBarButtonsToRemove: MODEBAR_REMOVE,
    scrollZoom: false,
    doubleClick: 'reset+autosize',
    locale,
    locales: { [locale]: { dictionary, format: plotlyLocale(locale) } },
  };
}
