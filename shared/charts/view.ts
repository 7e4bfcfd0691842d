import type { AnalysisResult, Cell, ChartEncoding, Grain, ResultColumn } from '../analysis/spec.js';
import { formatValue, inferGrain, parseDateMs, type ChartLocale, type NumberFormat } from './format.js';
import { labelOf } from './labels.js';
import type { ChartLabels } from './types.js';

/** A chart encoding that does not fit the result (a missing column, a measure where a number is needed). */
export class ChartEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChartEncodingError';
  }
}

/** One column of the result as the chart layer reads it. */
export interface ColumnRef {
  index: number;
  column: ResultColumn;
  values: Cell[];
  /** For dates and timestamps: the grain the values are truncated to. */
  grain?: Grain | 'instant';
}

/**
 * The result as charts see it: only detail rows (a pivot's subtotal and total rows would be drawn as
 * extra bars), columns found by name, and cells formatted in the chart's locale.
 */
export class ResultView {
  /** Indices of the detail rows, in result order. */
  readonly rows: Int32Array;
  /** The dimension columns, in result order: the values a clicked mark reports. */
  readonly dimensions: ColumnRef[];
  private readonly refs = new Map<string, ColumnRef>();

  constructor(
    readonly result: AnalysisResult,
    readonly chart: ChartEncoding,
    readonly locale: ChartLocale,
    readonly labels: ChartLabels,
    /** Labels of output columns (`amount_sum` → "Sum of amount"); a column without one shows its name. */
    readonly columnLabels: Readonly<Record<string, string>> = {},
  ) {
    this.rows = detailRows(result);
    this.dimensions = result.columns.flatMap((c) => (c.role === 'dimension' ? [this.column(c.name)] : []));
  }

  get format(): NumberFormat | undefined {
    return this.chart.format;
  }

  /** The column called `name`; a ChartEncodingError naming the channel if there is none. */
  column(name: string, channel = 'field'): ColumnRef {
    const found = this.refs.get(name);
    if (found) return found;
    const index = this.result.columns.findIndex((c) => c.name === name);
    if (index < 0) throw new ChartEncodingError(`The chart's ${channel} "${name}" is not a column of the result`);
    const column = this.result.columns[index]!;
    const values = this.result.data[index] ?? [];
    const ref: ColumnRef = { index, column, values };
    if (column.type === 'date' || column.type === 'timestamp') ref.grain = inferGrain(name, this.each(values), column.type);
    this.refs.set(name, ref);
    return ref;
  }

  optional(name: string | undefined, channel: string): ColumnRef | undefined {
    return name === undefined ? undefined : this.column(name, channel);
  }

  /** The measures named by `y` (or `y2`): one or several columns. */
  list(names: string | string[] | undefined, channel: string): ColumnRef[] {
    if (names === undefined) return [];
    return (Array.isArray(names) ? names : [names]).map((n) => this.column(n, channel));
  }

  *each(values: Cell[]): Iterable<Cell> {
    for (let i = 0; i < this.rows.length; i++) yield values[this.rows[i]!] ?? null;
  }

  /** A cell as text in the chart's locale; numbers of measures in the chart's format. */
  text(ref: ColumnRef, value: Cell): string {
    const format = ref.column.role === 'dimension' ? undefined : this.format;
    return formatValue(value, ref.column.type, format, this.locale, { grain: ref.grain === 'instant' ? undefined : ref.grain, empty: this.labels.empty });
  }

  /** What the column is called where people read it: its label, else its name (not HTML-escaped). */
  name(ref: ColumnRef): string {
    return labelOf(this.columnLabels, ref.column.name);
  }

  /** `column: value` for a tooltip line. */
  line(ref: ColumnRef, row: number): string {
    return `${escapeHtml(this.name(ref))}: <b>${escapeHtml(this.text(ref, ref.values[row] ?? null))}</b>`;
  }

  /** The dimension values of each of `rows`, for `customdata`. */
  customdata(rows: ArrayLike<number>): Cell[][] {
    const out: Cell[][] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = this.dimensions.map((d) => d.values[rows[i]!] ?? null);
    return out;
  }

  /** Whether the column's values place marks on a continuous axis (numbers, dates) rather than as categories. */
  continuous(ref: ColumnRef): boolean {
    return ref.column.type === 'number' || ref.column.type === 'date' || ref.column.type === 'timestamp';
  }
}

/** Detail rows of a result: all of them, or with a pivot's `grouping` only those with grouping 0. */
export function detailRows(result: AnalysisResult): Int32Array {
  const n = result.rowCount;
  const grouping = result.grouping;
  if (!grouping) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  let count = 0;
  for (let i = 0; i < n; i++) if (grouping[i] === 0) count++;
  const out = new Int32Array(count);
  for (let i = 0, j = 0; i < n; i++) if (grouping[i] === 0) out[j++] = i;
  return out;
}

/** A cell as a number for plotting: numbers as they are, dates as epoch milliseconds, anything else NaN. */
export function toNumber(value: Cell, type: ResultColumn['type']): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && (type === 'date' || type === 'timestamp')) return parseDateMs(value);
  return Number.NaN;
}

/** The numbers of `values` at `rows`, in a Float64Array (no per-point objects, whatever the size). */
export function numbersAt(ref: ColumnRef, rows: ArrayLike<number>, factor = 1): Float64Array {
  const out = new Float64Array(rows.length);
  const { values } = ref;
  const type = ref.column.type;
  for (let i = 0; i < rows.length; i++) {
    const v = values[rows[i]!] ?? null;
    out[i] = (typeof v === 'number' ? v : toNumber(v, type)) / factor;
  }
  return out;
}

/** Rows split by the value of a column, groups in order of first appearance; one group when `by` is absent. */
export function splitRows(rows: Int32Array, by: ColumnRef | undefined): Array<{ key: Cell; rows: Int32Array }> {
  if (!by) return [{ key: null, rows }];
  const index = new Map<Cell, number>();
  const groupOf = new Int32Array(rows.length);
  const counts: number[] = [];
  const keys: Cell[] = [];
  for (let i = 0; i < rows.length; i++) {
    const key = by.values[rows[i]!] ?? null;
    let g = index.get(key);
    if (g === undefined) {
      index.set(key, (g = keys.length));
      keys.push(key);
      counts.push(0);
    }
    groupOf[i] = g;
    counts[g]!++;
  }
  const groups = counts.map((c) => new Int32Array(c));
  const fill = new Int32Array(keys.length);
  for (let i = 0; i < rows.length; i++) {
    const g = groupOf[i]!;
    groups[g]![fill[g]!++] = rows[i]!;
  }
  return keys.map((key, g) => ({ key, rows: groups[g]! }));
}

/** `rows` ordered by the column's numeric value (stable; missing values last). */
export function sortRows(rows: Int32Array, by: ColumnRef): Int32Array {
  const keys = numbersAt(by, rows);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) {
    const a = keys[i - 1]!;
    const b = keys[i]!;
    sorted = Number.isNaN(a) ? Number.isNaN(b) : Number.isNaN(b) || a <= b;
  }
  if (sorted) return rows;
  const order = Array.from(rows.keys()).sort((a, b) => {
    const ka = keys[a]!;
    const kb = keys[b]!;
    if (Number.isNaN(ka)) return Number.isNaN(kb) ? a - b : 1;
    if (Number.isNaN(kb)) return -1;
    return ka - kb || a - b;
  });
  return Int32Array.from(order, (i) => rows[i]!);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Largest absolute finite value (0 if none). */
export function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]!);
    if (v > max && Number.isFinite(v)) max = v;
  }
  return max;
}
