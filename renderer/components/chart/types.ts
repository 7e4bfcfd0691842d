import type { AnalysisResult, Cell, ChartEncoding } from '../../../shared/analysis/spec.js';
import type { BranchLocation, FigureOverlay } from '../../../shared/charts/types.js';

/**
 * A clicked mark: the values of the result's dimension columns for that mark (output column name →
 * value). A bar of "March 2024 / card" gives `{ booked_on_month: '2024-03-01', channel: 'card' }`.
 * shared/workbench/explore.ts turns it into filters (keep only, exclude, drill, view data, cross-filter).
 */
export interface MarkSelection {
  values: Record<string, Cell>;
  /** Where on the page it was clicked (client pixels), to place a menu. */
  clientX: number;
  clientY: number;
}

/** What a rendered chart offers its owner. */
export interface ChartHandle {
  /** The chart as a PNG data URL at this size (for thumbnails and, later, exports). */
  toPng(width: number, height: number): Promise<string>;
}

export interface ChartProps {
  result: AnalysisResult;
  chart: ChartEncoding;
  /** Accessible name of the chart (the analysis title). */
  title: string;
  /** Pixel height; width follows the container. */
  height?: number;
  /** Called when the user clicks (or presses Enter on) a mark. */
  onMarkClick?(mark: MarkSelection): void;
  /** Called after every paint with the time from receiving props to the paint (benchmarks read this). */
  onRendered?(info: { ms: number; points: number; decimated: boolean }): void;
  /** Receives the handle once the chart is ready. */
  onReady?(handle: ChartHandle): void;
  /**
   * `pivot` charts: the analysis's pivot row and column fields (spec.pivot). Without it, the last
   * dimension becomes the columns and the others the rows.
   */
  pivot?: { rows: string[]; columns: string[] };
  /** `map` charts: where each branch key in `chart.x` is, from the branches extract (useBranchLocations). */
  branchLocations?: ReadonlyArray<BranchLocation>;
  /**
   * What to call output columns wherever the chart names one (axis and legend titles, tooltips, the
   * mark list, table headers): output name → label, e.g. from useColumnLabels(spec). Columns without
   * a label show their name.
   */
  columnLabels?: Readonly<Record<string, string>>;
  /** Plotted charts: extra traces drawn over the chart (a forecast), built from its own traces. */
  overlay?: FigureOverlay;
}
