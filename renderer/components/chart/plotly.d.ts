/**
 * The part of plotly.js the Chart component uses. `plotly.js-strict-dist-min` is plotly's CSP-safe
 * bundle (no eval or new Function, which the app's CSP forbids) and ships no types.
 */
declare module 'plotly.js-strict-dist-min' {
  export interface PlotlyPoint {
    curveNumber: number;
    /** Index into the trace's arrays; [row, column] for heatmaps. */
    pointNumber?: number | number[];
    pointIndex?: number | number[];
    customdata?: unknown;
  }
  export interface PlotlyClickEvent {
    points: PlotlyPoint[];
    event?: MouseEvent;
  }
  export interface PlotlyElement extends HTMLDivElement {
    on(event: 'plotly_click', handler: (event: PlotlyClickEvent) => void): void;
    on(event: 'plotly_afterplot', handler: () => void): void;
    removeAllListeners?(event: string): void;
  }
  interface Plotly {
    react(root: HTMLElement, data: unknown[], layout: unknown, config?: unknown): Promise<PlotlyElement>;
    relayout(root: HTMLElement, update: Record<string, unknown>): Promise<PlotlyElement>;
    purge(root: HTMLElement): void;
    toImage(root: HTMLElement, options: { format: 'png' | 'svg'; width: number; height: number }): Promise<string>;
  }
  const plotly: Plotly;
  export default plotly;
}
