import type { Cell } from '../analysis/spec.js';
import type { ChartLocale } from './format.js';

/**
 * The small part of plotly's figure schema the chart layer writes. Plain objects, JSON- and
 * structured-clone-safe (typed arrays included), so a figure can be built anywhere and drawn by the
 * renderer's Chart component or by a test page. See https://plotly.com/javascript/reference/.
 */
export type Datum = number | string | null;
export type DataArray = ArrayLike<Datum> | Float64Array | Int32Array;

export interface Marker {
  color?: string | DataArray;
  size?: number | DataArray;
  sizemode?: 'area' | 'diameter';
  sizeref?: number;
  sizemin?: number;
  opacity?: number;
  colorscale?: Array<[number, string]>;
  cmin?: number;
  cmax?: number;
  showscale?: boolean;
  colorbar?: Record<string, unknown>;
  line?: { color?: string; width?: number };
  colors?: string[];
}

export interface Trace {
  type: 'bar' | 'scatter' | 'scattergl' | 'pie' | 'heatmap' | 'histogram' | 'box';
  name?: string;
  x?: DataArray;
  y?: DataArray;
  z?: Array<Array<number | null>>;
  labels?: DataArray;
  values?: DataArray;
  orientation?: 'h' | 'v';
  mode?: string;
  fill?: 'none' | 'tozeroy' | 'tonexty' | 'toself';
  fillcolor?: string;
  stackgroup?: string;
  groupnorm?: '' | 'percent';
  hole?: number;
  sort?: boolean;
  direction?: 'clockwise' | 'counterclockwise';
  textinfo?: string;
  textposition?: string;
  insidetextorientation?: string;
  marker?: Marker;
  line?: { color?: string; width?: number; shape?: string; dash?: 'solid' | 'dash' | 'dot' | 'dashdot' };
  colorscale?: Array<[number, string]>;
  colorbar?: Record<string, unknown>;
  xgap?: number;
  ygap?: number;
  yaxis?: 'y' | 'y2';
  offsetgroup?: string;
  legendgroup?: string;
  showlegend?: boolean;
  /** Per point (per cell for heatmaps): the values of the result's dimension columns (click → MarkSelection). */
  customdata?: Cell[][] | Cell[][][];
  hovertext?: string[] | string[][];
  /** Text drawn on the plot beside each point (scatter `mode` with `text`). */
  text?: string[];
  textfont?: { size?: number; color?: string };
  hoverinfo?: string;
  hovertemplate?: string;
  hoveron?: string;
  boxpoints?: false | 'outliers' | 'all';
  boxmean?: boolean;
  nbinsx?: number;
  opacity?: number;
  connectgaps?: boolean;
  cliponaxis?: boolean;
}

export interface Axis {
  title?: { text: string; standoff?: number };
  type?: 'linear' | 'date' | 'category' | '-';
  tickformat?: string;
  tickprefix?: string;
  ticksuffix?: string;
  automargin?: boolean;
  autorange?: boolean | 'reversed';
  rangemode?: 'normal' | 'tozero';
  overlaying?: 'y';
  side?: 'left' | 'right';
  showgrid?: boolean;
  gridcolor?: string;
  zeroline?: boolean;
  zerolinecolor?: string;
  linecolor?: string;
  showline?: boolean;
  showticklabels?: boolean;
  ticks?: '' | 'outside';
  visible?: boolean;
  fixedrange?: boolean;
  scaleanchor?: 'x' | 'y';
  scaleratio?: number;
  range?: [number, number];
  nticks?: number;
  tickangle?: number | 'auto';
  categoryorder?: 'array' | 'trace';
  categoryarray?: string[];
  hoverformat?: string;
  /** Tick labels to replace, by the label as plotly would draw it (prefix and suffix included). */
  labelalias?: Record<string, string>;
}

export interface Layout {
  separators: string;
  font: { family: string; size: number; color: string };
  paper_bgcolor: string;
  plot_bgcolor: string;
  margin: { l: number; r: number; t: number; b: number; pad?: number };
  showlegend: boolean;
  legend?: Record<string, unknown>;
  hovermode?: 'closest' | 'x' | 'x unified' | false;
  hoverlabel?: Record<string, unknown>;
  barmode?: 'group' | 'stack' | 'relative' | 'overlay';
  barnorm?: '' | 'percent';
  boxmode?: 'group' | 'overlay';
  bargap?: number;
  colorway?: string[];
  xaxis?: Axis;
  yaxis?: Axis;
  yaxis2?: Axis;
  dragmode?: 'zoom' | 'pan' | false;
  autosize?: boolean;
  height?: number;
  uirevision?: string;
  annotations?: Array<Record<string, unknown>>;
}

/** plotly's config: the parts the chart layer sets (the renderer adds the modebar dictionary). */
export interface PlotConfig {
  displaylogo: false;
  showLink: false;
  showSendToCloud: false;
  showEditInChartStudio: false;
  showTips: false;
  responsive: false;
  displayModeBar: boolean | 'hover';
  modeBarButtonsToRemove: string[];
  scrollZoom: boolean;
  doubleClick: 'reset+autosize' | 'reset' | false;
  locale: ChartLocale;
  locales: Record<string, { dictionary: Record<string, string>; format: Record<string, unknown> }>;
}

/** Something the chart did to the data that the user should know; the Chart shows it as a caption. */
export type ChartNote =
  | { kind: 'decimated'; shown: number; total: number; method: 'lttb' | 'minmax' }
  | { kind: 'webgl'; points: number }
  /** More points than even WebGL draws comfortably: drawn anyway, but the analysis should aggregate. */
  | { kind: 'aggregate'; points: number }
  /** Pie slices beyond the largest few are summed into one "other" slice. */
  | { kind: 'folded'; shown: number; total: number }
  /** Map marks whose branch key is not among the known branch locations (and so are not drawn). */
  | { kind: 'unplaced'; count: number };

/** Translated words the figure itself draws (shared/ cannot use i18n). */
export interface ChartLabels {
  /** A missing dimension value: "(empty)". */
  empty: string;
  /** The slice that sums the smallest pie slices: "Other". */
  other: string;
  /** Histogram value axis: "Count". */
  count: string;
}

/** Where a branch is, from the branches extract (`branch_id`/`code`, `city`/`city_en`, `lat`, `lon`). */
export interface BranchLocation {
  key: string | number;
  name: string;
  lat: number;
  lon: number;
}

export interface FigureOptions {
  locale: ChartLocale;
  /** Plot width in CSS pixels; decides how far line series are decimated. */
  widthPx: number;
  labels: ChartLabels;
  /** `map` charts: where each branch key in `chart.x` is. */
  branchLocations?: ReadonlyArray<BranchLocation>;
  /**
   * What to call output columns in axis and legend titles, tooltips and mark lists (output name →
   * label, from shared/charts/labels.ts `columnLabels`); a column without one shows its name.
   */
  columnLabels?: Readonly<Record<string, string>>;
  /** Extra traces drawn over the chart (a forecast), given its own traces and its value axis's factor. */
  overlay?: FigureOverlay;
}

/** Builds traces to draw over a figure; `factor` divides values as on the figure's value axis. */
export type FigureOverlay = (base: { data: ReadonlyArray<Trace>; factor: number }) => Trace[];

/** A figure ready for `Plotly.react(div, data, layout, config)`. */
export interface Figure {
  data: Trace[];
  layout: Layout;
  config: PlotConfig;
  note: ChartNote | null;
  /** Points handed to plotly (after decimation). */
  points: number;
  /**
   * Per trace, the result row of each point, for traces whose points are result rows but carry no
   * customdata (WebGL scatters: a million small arrays would be a million objects). Null otherwise.
   */
  rows: Array<Int32Array | null>;
  /** Plotted value = value / factor on the value axis (compact axes: millions); absent means 1. */
  factor?: number;
}
