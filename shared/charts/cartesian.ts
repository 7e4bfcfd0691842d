import { AGGREGATE_ABOVE_POINTS, lineTarget, lttb, WEBGL_MIN_POINTS } from './decimate.js';
import { axisNumberFormat, dateTickFormat, hoverTemplateValue, type AxisNumberFormat } from './format.js';
import { baseLayout, dimensionAxis, PALETTE, percentStackAxis, titleLegend, valueAxis } from './layout.js';
import type { Cell } from '../analysis/spec.js';
import type { ChartNote, Figure, Trace } from './types.js';
import { ChartEncodingError, escapeHtml, maxAbs, numbersAt, sortRows, splitRows, type ColumnRef, type ResultView } from './view.js';

/** What a chart type contributes; buildFigure adds the config. */
export type FigureParts = Omit<Figure, 'config'>;

/** The x channel, or the first dimension when the encoding leaves it out. */
export function xColumn(view: ResultView): ColumnRef {
  if (view.chart.x !== undefined) return view.column(view.chart.x, 'x');
  const first = view.dimensions[0];
  if (!first) throw new ChartEncodingError(`A ${view.chart.type} chart needs an x column (a dimension)`);
  return first;
}

/** The y channel, or the first measure when the encoding leaves it out. */
export function yColumns(view: ResultView, channel: 'y' | 'y2' = 'y'): ColumnRef[] {
  const named = view.list(view.chart[channel], channel);
  if (named.length || channel === 'y2') return named;
  const measure = view.result.columns.find((c) => c.role !== 'dimension' && c.type === 'number');
  if (!measure) throw new ChartEncodingError(`A ${view.chart.type} chart needs a y column (a measure)`);
  return [view.column(measure.name, 'y')];
}

function requireNumbers(refs: ColumnRef[], channel: string): void {
  for (const ref of refs) {
    if (ref.column.type !== 'number') throw new ChartEncodingError(`The chart's ${channel} "${ref.column.name}" holds ${ref.column.type} values, not numbers`);
  }
}

/** Positions along a dimension axis: numbers (dates as epoch ms) on a continuous axis, else category labels. */
function positions(view: ResultView, x: ColumnRef, rows: Int32Array, continuous: boolean): Float64Array | string[] {
  if (continuous) return numbersAt(x, rows);
  const out: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = escapeHtml(view.text(x, x.values[rows[i]!] ?? null));
  return out;
}

/** Category labels in order of first appearance over all rows (the result's order). */
function categories(view: ResultView, x: ColumnRef): string[] {
  const seen = new Set<string>();
  for (const v of view.each(x.values)) seen.add(escapeHtml(view.text(x, v)));
  return [...seen];
}

function tooltips(view: ResultView, refs: ColumnRef[], rows: ArrayLike<number>): string[] {
  const out: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = refs.map((r) => view.line(r, rows[i]!)).join('<br>');
  return out;
}

function seriesName(view: ResultView, color: ColumnRef | undefined, key: Cell, y: ColumnRef, many: boolean): string {
  const colour = color ? escapeHtml(view.text(color, key)) : '';
  if (!colour) return escapeHtml(view.name(y));
  return many ? `${colour} · ${escapeHtml(view.name(y))}` : colour;
}

/** Bars (horizontal), columns, lines and areas: one series per colour value and per measure. */
export function seriesFigure(view: ResultView, widthPx: number): FigureParts {
  const { chart } = view;
  const type = chart.type as 'bar' | 'column' | 'line' | 'area';
  const x = xColumn(view);
  const ys = yColumns(view);
  requireNumbers(ys, 'y');
  const color = view.optional(chart.color, 'color');
  const isBar = type === 'bar' || type === 'column';
  // Bars of numeric ids read best as categories; numeric bins and every line want a continuous axis.
  const continuous = view.continuous(x) && (!isBar || x.column.type !== 'number' || x.column.name.endsWith('_bin'));
  const mode = chart.barMode ?? (type === 'area' ? 'stacked' : 'grouped');
  const percent = mode === 'percent';
  const axisFormat = axisNumberFormat(chart.format, view.locale, percent ? 0 : Math.max(...ys.map((y) => maxAbs(numbersAt(y, view.rows)))));
  const factor = percent ? 1 : axisFormat.factor;

  const data: Trace[] = [];
  const rowsOut: Array<Int32Array | null> = [];
  let note: ChartNote | null = null;
  let points = 0;
  let total = 0;
  const groups = splitRows(view.rows, color);
  for (const group of groups) {
    const rows = continuous && !isBar ? sortRows(group.rows, x) : group.rows;
    for (const y of ys) {
      total += rows.length;
      let values = numbersAt(y, rows, factor);
      let kept = rows;
      const target = lineTarget(widthPx);
      if (!isBar && rows.length > target) {
        const xs = continuous ? numbersAt(x, rows) : Float64Array.from(rows.keys());
        const indices = lttb(xs, values, target);
        kept = Int32Array.from(indices, (i) => rows[i]!);
        values = Float64Array.from(indices, (i) => values[i]!);
      }
      points += kept.length;
      const at = positions(view, x, kept, continuous);
      const colour = PALETTE[data.length % PALETTE.length]!;
      const trace: Trace = {
        type: isBar ? 'bar' : 'scatter',
        name: seriesName(view, color, group.key, y, ys.length > 1),
        customdata: view.customdata(kept),
        hovertext: tooltips(view, [x, ...(color ? [color] : []), y], kept),
        hoverinfo: 'text',
      };
      if (type === 'bar') Object.assign(trace, { x: values, y: at, orientation: 'h', marker: { color: colour } });
      else Object.assign(trace, { x: at, y: values });
      if (type === 'column') trace.marker = { color: colour };
      if (type === 'line') Object.assign(trace, { mode: kept.length <= 60 ? 'lines+markers' : 'lines', line: { color: colour, width: 2 }, marker: { color: colour, size: 5 } });
      if (type === 'area') {
        Object.assign(trace, { mode: 'lines', line: { color: colour, width: 1.5 } });
        if (mode === 'grouped') Object.assign(trace, { fill: 'tozeroy', opacity: 0.5 });
        else Object.assign(trace, { stackgroup: 'stack', ...(percent ? { groupnorm: 'percent' } : {}) });
      }
      data.push(trace);
      rowsOut.push(null);
    }
  }
  if (points < total) note = { kind: 'decimated', shown: points, total, method: 'lttb' };

  const legend = data.length > 1;
  const layout = baseLayout(view.locale, legend);
  titleLegend(layout, view, color);
  const title = ys.length === 1 ? view.name(ys[0]!) : undefined;
  const values = percent ? percentStackAxis(title, view.locale) : valueAxis(title, axisFormat);
  const dimension = dimensionAxis(view, x, continuous ? undefined : categories(view, x));
  if (!continuous) dimension.type = 'category';
  if (type === 'bar') {
    layout.xaxis = values;
    layout.yaxis = { ...dimension, autorange: 'reversed' };
  } else {
    layout.xaxis = dimension;
    layout.yaxis = values;
  }
  if (isBar) {
    layout.barmode = mode === 'grouped' ? 'group' : 'stack';
    if (percent) layout.barnorm = 'percent';
    layout.bargap = 0.25;
  }
  return { data, layout, note, points, rows: rowsOut, ...(factor !== 1 ? { factor } : {}) };
}

/** Scatters and bubbles: each detail row is a point. Above {@link WEBGL_MIN_POINTS} points, WebGL. */
export function scatterFigure(view: ResultView): FigureParts {
  const { chart } = view;
  const bubble = chart.type === 'bubble';
  const x = xColumn(view);
  const [y] = yColumns(view);
  requireNumbers([y!], 'y');
  const size = bubble ? view.optional(chart.size, 'size') : undefined;
  if (bubble && !size) throw new ChartEncodingError('A bubble chart needs a size column (a measure)');
  if (size) requireNumbers([size], 'size');
  const color = view.optional(chart.color, 'color');
  const total = view.rows.length;
  const webgl = total > WEBGL_MIN_POINTS;
  const continuousX = view.continuous(x);
  const yFormat = axisNumberFormat(chart.format, view.locale, maxAbs(numbersAt(y!, view.rows)));
  const xFormat = x.column.role === 'dimension' ? undefined : axisNumberFormat(chart.format, view.locale, maxAbs(numbersAt(x, view.rows)));

  // Bubble areas are proportional to the size measure; the largest is 44 px across.
  let sizeref = 1;
  if (size) sizeref = (2 * maxAbs(numbersAt(size, view.rows))) / 44 ** 2 || 1;

  const data: Trace[] = [];
  const rowsOut: Array<Int32Array | null> = [];
  for (const group of splitRows(view.rows, color)) {
    const rows = group.rows;
    const colour = PALETTE[data.length % PALETTE.length]!;
    const trace: Trace = {
      type: webgl ? 'scattergl' : 'scatter',
      mode: 'markers',
      name: seriesName(view, color, group.key, y!, false),
      x: continuousX ? numbersAt(x, rows, xFormat?.factor ?? 1) : positions(view, x, rows, false),
      y: numbersAt(y!, rows, yFormat.factor),
      marker: { color: colour, size: webgl ? 3 : 7, opacity: webgl ? 0.45 : 0.75, line: { width: 0 } },
    };
    if (size) {
      const sizes = numbersAt(size, rows);
      for (let i = 0; i < sizes.length; i++) if (!(sizes[i]! > 0)) sizes[i] = 0;
      trace.marker = { ...trace.marker, size: sizes, sizemode: 'area', sizeref, sizemin: 3, opacity: 0.7, line: { color: '#ffffff', width: 1 } };
    }
    if (webgl) {
      // No per-point tooltips or customdata at this size: a template formats the numbers, and
      // `rows` maps a clicked point back to its result row.
      const value = (v: 'x' | 'y', ref: ColumnRef, axis: AxisNumberFormat | undefined) =>
        !view.continuous(ref)
          ? `%{${v}}`
          : ref.column.type === 'date' || ref.column.type === 'timestamp'
          ? `%{${v}|${ref.grain && ref.grain !== 'instant' ? dateTickFormat(ref.grain, view.locale) : '%-d %b %Y %H:%M'}}`
          : hoverTemplateValue(v, axis ?? { tickformat: '', factor: 1 }, ref.column.role === 'dimension' ? 'number' : chart.format);
      trace.hovertemplate =
        `${escapeHtml(view.name(x))}: <b>${value('x', x, xFormat)}</b><br>` +
        `${escapeHtml(view.name(y!))}: <b>${value('y', y!, yFormat)}</b>` +
        `<extra>${color ? escapeHtml(view.text(color, group.key)) : ''}</extra>`;
      rowsOut.push(rows);
    } else {
      trace.customdata = view.customdata(rows);
      trace.hovertext = tooltips(view, [x, ...(color ? [color] : []), y!, ...(size ? [size] : [])], rows);
      trace.hoverinfo = 'text';
      rowsOut.push(null);
    }
    data.push(trace);
  }

  const layout = baseLayout(view.locale, data.length > 1);
  titleLegend(layout, view, color);
  layout.xaxis = continuousX && xFormat ? { ...valueAxis(view.name(x), xFormat), zeroline: false } : dimensionAxis(view, x, continuousX ? undefined : categories(view, x));
  layout.yaxis = valueAxis(view.name(y!), yFormat);
  const note: ChartNote | null = total > AGGREGATE_ABOVE_POINTS ? { kind: 'aggregate', points: total } : webgl ? { kind: 'webgl', points: total } : null;
  return { data, layout, note, points: total, rows: rowsOut };
}

/** Bars of `y` on the left axis with lines of `y2` on a second axis on the right. */
export function comboFigure(view: ResultView): FigureParts {
  const x = xColumn(view);
  const bars = yColumns(view, 'y');
  const lines = yColumns(view, 'y2');
  if (!lines.length) throw new ChartEncodingError('A combo chart needs y2 (the measures drawn as lines on the second axis)');
  requireNumbers([...bars, ...lines], 'y');
  const continuous = x.column.type === 'date' || x.column.type === 'timestamp';
  const rows = continuous ? sortRows(view.rows, x) : view.rows;
  const at = positions(view, x, rows, continuous);
  const left = axisNumberFormat(view.format, view.locale, Math.max(...bars.map((b) => maxAbs(numbersAt(b, rows)))));
  const right = axisNumberFormat(view.format, view.locale, Math.max(...lines.map((b) => maxAbs(numbersAt(b, rows)))));
  const customdata = view.customdata(rows);
  const data: Trace[] = [];
  for (const [k, ref] of [...bars, ...lines].entries()) {
    const line = k >= bars.length;
    const colour = PALETTE[k % PALETTE.length]!;
    data.push({
      type: line ? 'scatter' : 'bar',
      name: escapeHtml(view.name(ref)),
      x: at,
      y: numbersAt(ref, rows, (line ? right : left).factor),
      ...(line
        ? { mode: rows.length <= 60 ? 'lines+markers' : 'lines', yaxis: 'y2' as const, line: { color: colour, width: 2.5 }, marker: { color: colour, size: 6 } }
        : { marker: { color: colour }, yaxis: 'y' as const }),
      customdata,
      hovertext: tooltips(view, [x, ref], rows),
      hoverinfo: 'text',
    });
  }
  const layout = baseLayout(view.locale, true);
  layout.barmode = 'group';
  layout.bargap = 0.25;
  layout.xaxis = dimensionAxis(view, x, continuous ? undefined : categories(view, x));
  layout.yaxis = valueAxis(bars.length === 1 ? view.name(bars[0]!) : undefined, left);
  layout.yaxis2 = { ...valueAxis(lines.length === 1 ? view.name(lines[0]!) : undefined, right), overlaying: 'y', side: 'right', showgrid: false, zeroline: false };
  return { data, layout, note: null, points: rows.length * data.length, rows: data.map(() => null) };
}
