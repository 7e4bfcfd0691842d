import type { Cell } from '../analysis/spec.js';
import { xColumn, yColumns, type FigureParts } from './cartesian.js';
import { axisNumberFormat, colorbarFor, formatNumber } from './format.js';
import { baseLayout, dimensionAxis, PALETTE, SEQUENTIAL, titleLegend, valueAxis } from './layout.js';
import type { ChartNote, Trace } from './types.js';
import { ChartEncodingError, escapeHtml, maxAbs, numbersAt, splitRows, type ColumnRef, type ResultView } from './view.js';

/** Slices a pie keeps before summing the rest into "Other": more would be unreadable. */
export const MAX_SLICES = 10;
const OTHER_COLOUR = '#b8c2cf';
const MIN_LABELLED_SHARE = 0.04;

function numeric(ref: ColumnRef, channel: string): ColumnRef {
  if (ref.column.type !== 'number') throw new ChartEncodingError(`The chart's ${channel} "${ref.column.name}" holds ${ref.column.type} values, not numbers`);
  return ref;
}

/** Labels of a column's values, made once per distinct value (large results repeat few labels). */
function labeller(view: ResultView, ref: ColumnRef): (row: number) => string {
  const cache = new Map<Cell, string>();
  return (row) => {
    const v = ref.values[row] ?? null;
    let label = cache.get(v);
    if (label === undefined) cache.set(v, (label = escapeHtml(view.text(ref, v))));
    return label;
  };
}

/** Pie and donut: one slice per row, largest first, the smallest folded into "Other" beyond {@link MAX_SLICES}. */
export function pieFigure(view: ResultView): FigureParts {
  const label = view.chart.x !== undefined ? view.column(view.chart.x, 'x') : view.chart.color !== undefined ? view.column(view.chart.color, 'color') : xColumn(view);
  const y = numeric(yColumns(view)[0]!, 'y');
  const values = numbersAt(y, view.rows);
  // Negative and missing values have no slice.
  const order = Array.from(values.keys()).filter((i) => values[i]! > 0).sort((a, b) => values[b]! - values[a]! || a - b);
  const total = order.reduce((sum, i) => sum + values[i]!, 0);
  const kept = order.length > MAX_SLICES ? order.slice(0, MAX_SLICES - 1) : order;
  const folded = order.slice(kept.length);
  const share = (v: number) => formatNumber(total ? v / total : 0, 'percent', view.locale);
  const text = (v: number) => escapeHtml(view.text(y, v));
  // Shares on the slices themselves only where they fit; the tooltip always has them.
  const sliceText = (v: number) => (total && v / total >= MIN_LABELLED_SHARE ? share(v) : '');

  const labels: string[] = [];
  const texts: string[] = [];
  const sliceValues: number[] = [];
  const customdata: Cell[][] = [];
  const hovertext: string[] = [];
  const colors: string[] = [];
  for (const [k, i] of kept.entries()) {
    const row = view.rows[i]!;
    labels.push(escapeHtml(view.text(label, label.values[row] ?? null)));
    sliceValues.push(values[i]!);
    texts.push(sliceText(values[i]!));
    customdata.push(view.customdata([row])[0]!);
    hovertext.push(`${view.line(label, row)}<br>${view.line(y, row)}<br>${share(values[i]!)}`);
    colors.push(PALETTE[k % PALETTE.length]!);
  }
  let note: ChartNote | null = null;
  if (folded.length) {
    const rest = folded.reduce((sum, i) => sum + values[i]!, 0);
    labels.push(escapeHtml(view.labels.other));
    sliceValues.push(rest);
    texts.push(sliceText(rest));
    // "Other" is several rows: no single set of dimension values to filter on.
    customdata.push([]);
    hovertext.push(`${escapeHtml(view.labels.other)} (${folded.length})<br>${escapeHtml(view.name(y))}: <b>${text(rest)}</b><br>${share(rest)}`);
    colors.push(OTHER_COLOUR);
    note = { kind: 'folded', shown: kept.length, total: order.length };
  }
  const donut = view.chart.type === 'donut';
  const trace: Trace = {
    type: 'pie',
    labels,
    values: sliceValues,
    sort: false,
    direction: 'clockwise',
    text: texts,
    textinfo: 'text',
    textposition: 'inside',
    insidetextorientation: 'horizontal',
    marker: { colors, line: { color: '#ffffff', width: 1.5 } },
    customdata,
    hovertext,
    hoverinfo: 'text',
    ...(donut ? { hole: 0.55 } : {}),
  };
  const layout = baseLayout(view.locale, true);
  layout.legend = { orientation: 'v', x: 1.02, xanchor: 'left', y: 0.5, yanchor: 'middle', font: { size: 12 } };
  layout.margin = { l: 12, r: 12, t: 12, b: 12 };
  if (donut) {
    layout.annotations = [
      { text: `<b>${text(total)}</b><br><span style="font-size:11px">${escapeHtml(view.name(y))}</span>`, showarrow: false, x: 0.5, y: 0.5, xref: 'paper', yref: 'paper', font: { size: 15 } },
    ];
  }
  return { data: [trace], layout, note, points: labels.length, rows: [null] };
}

/** Heatmap: x × a second dimension (the colour channel, else the other dimension) → a matrix of the measure. */
export function heatmapFigure(view: ResultView): FigureParts {
  const x = xColumn(view);
  const second = view.chart.color !== undefined ? view.column(view.chart.color, 'color') : view.dimensions.find((d) => d.index !== x.index);
  if (!second) throw new ChartEncodingError('A heatmap needs two dimensions: x and a second one (in color)');
  const z = numeric(yColumns(view)[0]!, 'y');
  const xLabel = labeller(view, x);
  const yLabel = labeller(view, second);
  const columns = new Map<string, number>();
  const lines = new Map<string, number>();
  for (const row of view.rows) {
    const cx = xLabel(row);
    const cy = yLabel(row);
    if (!columns.has(cx)) columns.set(cx, columns.size);
    if (!lines.has(cy)) lines.set(cy, lines.size);
  }
  const matrix = Array.from({ length: lines.size }, () => new Array<number | null>(columns.size).fill(null));
  const hovertext = Array.from({ length: lines.size }, () => new Array<string>(columns.size).fill(''));
  const customdata = Array.from({ length: lines.size }, () => new Array<Cell[]>(columns.size).fill([]));
  const format = axisNumberFormat(view.format, view.locale, maxAbs(numbersAt(z, view.rows)));
  for (const row of view.rows) {
    const i = columns.get(xLabel(row))!;
    const j = lines.get(yLabel(row))!;
    const v = z.values[row];
    matrix[j]![i] = typeof v === 'number' ? v / format.factor : null;
    hovertext[j]![i] = [x, second, z].map((ref) => view.line(ref, row)).join('<br>');
    customdata[j]![i] = view.customdata([row])[0]!;
  }
  const trace: Trace = {
    type: 'heatmap',
    x: [...columns.keys()],
    y: [...lines.keys()],
    z: matrix,
    colorscale: SEQUENTIAL,
    colorbar: colorbarFor(escapeHtml(view.name(z)), format),
    xgap: 1,
    ygap: 1,
    hovertext,
    hoverinfo: 'text',
    customdata,
  };
  const layout = baseLayout(view.locale, false);
  layout.xaxis = { ...dimensionAxis(view, x), type: 'category', showline: false };
  layout.yaxis = { ...dimensionAxis(view, second), type: 'category', autorange: 'reversed', showline: false };
  return { data: [trace], layout, note: null, points: columns.size * lines.size, rows: [null] };
}

/** Histogram of a numeric column's values (the first y, else x), one overlaid series per colour value. */
export function histogramFigure(view: ResultView): FigureParts {
  const source = view.chart.y !== undefined ? view.list(view.chart.y, 'y')[0]! : view.chart.x !== undefined ? view.column(view.chart.x, 'x') : yColumns(view)[0]!;
  const ref = numeric(source, view.chart.y !== undefined ? 'y' : 'x');
  const color = view.optional(view.chart.color, 'color');
  const format = axisNumberFormat(view.format, view.locale, maxAbs(numbersAt(ref, view.rows)));
  const groups = splitRows(view.rows, color);
  const data: Trace[] = groups.map((group, k) => {
    const all = numbersAt(ref, group.rows, format.factor);
    const values = all.filter((v) => !Number.isNaN(v));
    return {
      type: 'histogram',
      name: color ? escapeHtml(view.text(color, group.key)) : escapeHtml(view.name(ref)),
      x: values,
      marker: { color: PALETTE[k % PALETTE.length]!, line: { color: '#ffffff', width: 1 } },
      ...(groups.length > 1 ? { opacity: 0.6 } : {}),
      hovertemplate: `${escapeHtml(view.name(ref))}: <b>${escapeHtml(format.tickprefix ?? '')}%{x}${escapeHtml(format.ticksuffix ?? '')}</b><br>${escapeHtml(view.labels.count)}: <b>%{y}</b><extra></extra>`,
    };
  });
  const layout = baseLayout(view.locale, data.length > 1);
  titleLegend(layout, view, color);
  layout.barmode = 'overlay';
  layout.bargap = 0.04;
  layout.xaxis = { ...valueAxis(view.name(ref), format), zeroline: false };
  layout.yaxis = valueAxis(view.labels.count, { tickformat: ',~r', factor: 1 });
  return { data, layout, note: null, points: view.rows.length, rows: data.map(() => null) };
}

/** Box plots: the distribution of y's values for each x value (one box per value), a series per colour value. */
export function boxFigure(view: ResultView): FigureParts {
  const y = numeric(yColumns(view)[0]!, 'y');
  const x = view.chart.x !== undefined ? view.column(view.chart.x, 'x') : undefined;
  const color = view.optional(view.chart.color, 'color');
  const format = axisNumberFormat(view.format, view.locale, maxAbs(numbersAt(y, view.rows)));
  const groups = splitRows(view.rows, color);
  const xLabel = x ? labeller(view, x) : undefined;
  const data: Trace[] = groups.map((group, k) => {
    const colour = PALETTE[k % PALETTE.length]!;
    const trace: Trace = {
      type: 'box',
      name: color ? escapeHtml(view.text(color, group.key)) : escapeHtml(view.name(y)),
      y: numbersAt(y, group.rows, format.factor),
      boxpoints: 'outliers',
      marker: { color: colour, size: 4, opacity: 0.6 },
      line: { color: colour, width: 1.5 },
      fillcolor: `${colour}33`,
    };
    if (xLabel) trace.x = Array.from(group.rows, xLabel);
    return trace;
  });
  const layout = baseLayout(view.locale, data.length > 1);
  titleLegend(layout, view, color);
  if (data.length > 1) layout.boxmode = 'group';
  layout.xaxis = x ? { ...dimensionAxis(view, x), type: 'category' } : { showticklabels: false, showgrid: false, zeroline: false, showline: false };
  const hoverformat = format.factor !== 1 ? ',.3~f' : view.format === 'percent' ? ',.1%' : ',.2~f';
  layout.yaxis = { ...valueAxis(view.name(y), format), hoverformat };
  return { data, layout, note: null, points: view.rows.length, rows: data.map(() => null) };
}
