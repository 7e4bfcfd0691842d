import { formatValue, inferGrain, type ChartLocale, type NumberFormat } from '../../../shared/charts/format.js';
import type { AnalysisResult, Cell, ChartEncoding, ChartType, Grain, ResultColumn } from '../../../shared/analysis/spec.js';

/**
 * Pure planning for the PowerPoint export: which native chart (if any) a chart encoding becomes, its
 * series pivoted out of the long, columnar result, and Excel number-format codes. No pptxgenjs here,
 * so the plans are easy to test and the builder in pptx.ts stays about layout.
 */

/** Default series colours (the app's palette, shared/charts/layout.ts), as pptxgenjs wants them: RRGGBB. */
export const DECK_PALETTE = ['1D5FD1', 'E8871E', '2A9D8F', '8E6CC1', 'D1495B', '6B8E23', 'C9A227', '5D6879', '17A2B8', 'B5651D'];

/** Chart types PowerPoint draws natively; the rest become the renderer's PNG, else a table. */
export type NativeKind = 'bar' | 'column' | 'line' | 'area' | 'pie' | 'donut' | 'scatter' | 'bubble' | 'combo';
const NATIVE: ReadonlySet<ChartType> = new Set<ChartType>(['bar', 'column', 'line', 'area', 'pie', 'donut', 'scatter', 'bubble', 'combo']);

export function isNative(type: ChartType): type is NativeKind {
  return NATIVE.has(type);
}

export interface Series {
  name: string;
  /** null where the result has no row for a category (drawn as a gap). */
  values: Array<number | null>;
  sizes?: number[];
}

export interface ChartPlan {
  kind: NativeKind;
  /** Category labels (category charts); empty for scatter/bubble. */
  labels: string[];
  series: Series[];
  /** combo only: the line series on the second axis, and their format code. */
  series2: Series[];
  formatCode2: string;
  /** scatter/bubble only: the x values shared by every series. */
  xValues: number[];
  xTitle: string;
  yTitle: string;
  y2Title: string;
  formatCode: string;
  xFormatCode: string;
}

const TOTAL: Record<ChartLocale, string> = { en: 'Total', ru: 'Итого' };

export type Labels = Record<string, string> | undefined;
export const labelOf = (labels: Labels, name: string): string => labels?.[name] ?? name;

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function columnIndex(result: AnalysisResult, name: string): number {
  const i = result.columns.findIndex((c) => c.name === name);
  if (i < 0) throw new Error(`The chart names "${name}", which is not a column of the result`);
  return i;
}

/** Detail rows only: pivot results carry subtotal rows (grouping ≠ 0) that charts must not double count. */
function detailRows(result: AnalysisResult): number[] {
  const rows: number[] = [];
  for (let r = 0; r < result.rowCount; r++) if (!result.grouping?.[r]) rows.push(r);
  return rows;
}

/** Text of one cell for a category axis or a table, dates at the column's grain. */
export function cellText(result: AnalysisResult, col: number, value: Cell, locale: ChartLocale, format?: NumberFormat): string {
  const column = result.columns[col]!;
  const grain = column.type === 'date' || column.type === 'timestamp' ? grainOf(result, col) : undefined;
  return formatValue(value, column.type, format, locale, { grain: grain === 'instant' ? undefined : grain });
}

const grains = new WeakMap<Cell[], Grain | 'instant'>();
function grainOf(result: AnalysisResult, col: number): Grain | 'instant' {
  const values = result.data[col]!;
  let g = grains.get(values);
  if (!g) grains.set(values, (g = inferGrain(result.columns[col]!.name, values, result.columns[col]!.type)));
  return g;
}

const num = (v: Cell): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Excel number-format code for values in `format`. Codes are locale-neutral (`,` groups, `.` decimals);
 * PowerPoint shows them with the viewer's separators. Compact picks one unit from the largest value.
 */
export function formatCode(format: NumberFormat | undefined, locale: ChartLocale, maxAbs: number, integers: boolean): string {
  // Decimals only where they tell: axes over hundreds tick in whole numbers.
  switch (format ?? 'number') {
    case 'percent':
      return '0.0%';
    case 'currency':
      return locale === 'ru' ? '#,##0.00 "₽"' : '"₽"#,##0.00';
    case 'compact': {
      const units: Array<[number, string, string]> = [
        [1e9, ',,,', locale === 'ru' ? ' млрд' : 'B'],
        [1e6, ',,', locale === 'ru' ? ' млн' : 'M'],
        [1e3, ',', locale === 'ru' ? ' тыс.' : 'K'],
      ];
      const unit = units.find(([size]) => maxAbs >= size);
      return unit ? `#,##0.0${unit[1]}"${unit[2]}"` : '#,##0.#';
    }
    default:
      return integers || maxAbs >= 100 ? '#,##0' : '#,##0.0#';
  }
}

function codeFor(series: Series[], format: NumberFormat | undefined, locale: ChartLocale): string {
  let max = 0;
  let integers = true;
  for (const s of series) {
    for (const v of s.values) {
      if (v === null) continue;
      max = Math.max(max, Math.abs(v));
      if (!Number.isInteger(v)) integers = false;
    }
  }
  return formatCode(format, locale, max, integers);
}

/** The x channel, else the first dimension. */
function xIndex(result: AnalysisResult, chart: ChartEncoding): number {
  if (chart.x !== undefined) return columnIndex(result, chart.x);
  const i = result.columns.findIndex((c) => c.role === 'dimension' && c.name !== chart.color);
  if (i < 0) throw new Error(`A ${chart.type} chart needs an x column (a dimension)`);
  return i;
}

/** The y channel, else the first numeric measure. */
function yIndexes(result: AnalysisResult, chart: ChartEncoding, channel: 'y' | 'y2' = 'y'): number[] {
  const named = list(chart[channel]).map((n) => columnIndex(result, n));
  if (named.length || channel === 'y2') return named;
  const i = result.columns.findIndex((c) => c.role !== 'dimension' && c.type === 'number');
  if (i < 0) throw new Error(`A ${chart.type} chart needs a y column (a measure)`);
  return [i];
}

/**
 * Category series: categories from x in order of first appearance; one series per y, or, with a
 * colour, one per distinct colour value (× y when there are several). Several rows for one cell sum.
 */
function categorySeries(
  result: AnalysisResult,
  x: number,
  ys: number[],
  color: number | undefined,
  rows: number[],
  labels: Labels,
  locale: ChartLocale,
): { labels: string[]; series: Series[] } {
  const catIndex = new Map<string, number>();
  const cats: string[] = [];
  const rowCat: number[] = [];
  for (const r of rows) {
    const text = cellText(result, x, result.data[x]![r] ?? null, locale);
    let i = catIndex.get(text);
    if (i === undefined) catIndex.set(text, (i = cats.push(text) - 1));
    rowCat.push(i);
  }
  const groupIndex = new Map<string, number>();
  const groups: string[] = [];
  const rowGroup: number[] = [];
  for (const r of rows) {
    const text = color === undefined ? '' : cellText(result, color, result.data[color]![r] ?? null, locale) || '—';
    let g = groupIndex.get(text);
    if (g === undefined) groupIndex.set(text, (g = groups.push(text) - 1));
    rowGroup.push(g);
  }
  const series: Series[] = [];
  for (let g = 0; g < groups.length; g++) {
    for (const y of ys) {
      const yName = labelOf(labels, result.columns[y]!.name);
      const name = color === undefined ? yName : ys.length > 1 ? `${groups[g]} · ${yName}` : groups[g]!;
      const values: Array<number | null> = new Array(cats.length).fill(null);
      rows.forEach((r, k) => {
        if (rowGroup[k] !== g) return;
        const v = num(result.data[y]![r] ?? null);
        if (v === null) return;
        const c = rowCat[k]!;
        values[c] = (values[c] ?? 0) + v;
      });
      series.push({ name, values });
    }
  }
  return { labels: cats, series };
}

/** Scatter/bubble: shared x values (one per row); each colour group's y is null on the others' rows. */
function pointSeries(result: AnalysisResult, chart: ChartEncoding, rows: number[], labels: Labels, locale: ChartLocale) {
  const x = xIndex(result, chart);
  const y = yIndexes(result, chart)[0]!;
  const color = chart.color === undefined ? undefined : columnIndex(result, chart.color);
  const size = chart.type === 'bubble' && chart.size !== undefined ? columnIndex(result, chart.size) : undefined;
  const kept = rows.filter((r) => num(result.data[x]![r] ?? null) !== null && num(result.data[y]![r] ?? null) !== null);
  const xValues = kept.map((r) => num(result.data[x]![r] ?? null)!);
  const groups = new Map<string, Series>();
  kept.forEach((r, k) => {
    const key = color === undefined ? labelOf(labels, result.columns[y]!.name) : cellText(result, color, result.data[color]![r] ?? null, locale) || '—';
    let s = groups.get(key);
    if (!s) groups.set(key, (s = { name: key, values: new Array(kept.length).fill(null), ...(size !== undefined ? { sizes: new Array(kept.length).fill(0) } : {}) }));
    s.values[k] = num(result.data[y]![r] ?? null);
    if (s.sizes && size !== undefined) s.sizes[k] = Math.abs(num(result.data[size]![r] ?? null) ?? 0);
  });
  return { x, y, xValues, series: [...groups.values()] };
}

/** What to draw for a native chart type, or throws when the encoding does not fit the result. */
export function planChart(result: AnalysisResult, chart: ChartEncoding & { type: NativeKind }, labels: Labels, locale: ChartLocale): ChartPlan {
  const rows = detailRows(result);
  const name = (i: number) => labelOf(labels, result.columns[i]!.name);
  if (chart.type === 'scatter' || chart.type === 'bubble') {
    const p = pointSeries(result, chart, rows, labels, locale);
    const xCode = codeFor([{ name: '', values: p.xValues }], 'number', locale);
    return {
      kind: p.series.some((s) => s.sizes) ? 'bubble' : 'scatter',
      labels: [],
      series: p.series,
      series2: [],
      formatCode2: '',
      xValues: p.xValues,
      xTitle: name(p.x),
      yTitle: name(p.y),
      y2Title: '',
      formatCode: codeFor(p.series, chart.format, locale),
      xFormatCode: xCode,
    };
  }
  const pie = chart.type === 'pie' || chart.type === 'donut';
  // A pie's slices are x (or the colour, when only that is set); it has one series.
  const x = pie && chart.x === undefined && chart.color !== undefined ? columnIndex(result, chart.color) : xIndex(result, chart);
  const color = pie || chart.color === undefined || chart.type === 'combo' ? undefined : columnIndex(result, chart.color);
  const ys = pie ? yIndexes(result, chart).slice(0, 1) : yIndexes(result, chart);
  const main = categorySeries(result, x, ys, color, rows, labels, locale);
  const y2 = chart.type === 'combo' ? yIndexes(result, chart, 'y2') : [];
  const second = y2.length ? categorySeries(result, x, y2, undefined, rows, labels, locale).series : [];
  return {
    kind: chart.type,
    labels: main.labels,
    series: main.series,
    series2: second,
    formatCode2: codeFor(second, chart.format, locale),
    xValues: [],
    xTitle: name(x),
    yTitle: ys.length === 1 ? name(ys[0]!) : '',
    y2Title: y2.length === 1 ? name(y2[0]!) : '',
    formatCode: codeFor(main.series, chart.format, locale),
    xFormatCode: '',
  };
}

export interface TablePage {
  header: string[];
  /** Right-aligned (numeric) columns. */
  numeric: boolean[];
  rows: string[][];
}

/** Rows per table slide, and the most rows and columns a deck table shows (the rest are noted). */
export const TABLE_ROWS_PER_SLIDE = 15;
export const TABLE_MAX_ROWS = 300;
export const TABLE_MAX_COLUMNS = 12;

/**
 * The result as text, paginated. Numbers use `format` for the chart's y columns (every measure when
 * the encoding names none); rolled-up dimensions of pivot subtotal rows read "Total".
 */
export function tablePages(result: AnalysisResult, chart: ChartEncoding | undefined, labels: Labels, locale: ChartLocale): { pages: TablePage[]; shownRows: number; shownColumns: number } {
  const columns = result.columns.slice(0, TABLE_MAX_COLUMNS);
  const ys = new Set([...list(chart?.y), ...list(chart?.y2)]);
  const formatted = (c: ResultColumn) => (ys.size ? ys.has(c.name) : c.role !== 'dimension');
  const dims = result.columns.filter((c) => c.role === 'dimension').map((c) => c.name);
  const shown = Math.min(result.rowCount, TABLE_MAX_ROWS);
  const header = columns.map((c) => labelOf(labels, c.name));
  const numeric = columns.map((c) => c.type === 'number');
  const pages: TablePage[] = [];
  for (let start = 0; start < shown || (start === 0 && pages.length === 0); start += TABLE_ROWS_PER_SLIDE) {
    const rows: string[][] = [];
    for (let r = start; r < Math.min(shown, start + TABLE_ROWS_PER_SLIDE); r++) {
      const mask = result.grouping?.[r] ?? 0;
      rows.push(
        columns.map((c, i) => {
          const d = dims.indexOf(c.name);
          if (d >= 0 && mask & (1 << d)) return TOTAL[locale];
          return cellText(result, i, result.data[i]![r] ?? null, locale, formatted(c) ? chart?.format : undefined);
        }),
      );
    }
    pages.push({ header, numeric, rows });
    if (shown === 0) break;
  }
  return { pages, shownRows: shown, shownColumns: columns.length };
}
