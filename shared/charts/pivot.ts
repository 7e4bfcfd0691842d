import type { AnalysisResult, Cell, ResultColumn } from '../analysis/spec.js';

/** One row (or column) of a pivot: the values of its fields, and how many of them are kept. */
export interface PivotLine {
  /** A value per field; fields past `depth` are rolled up (null). */
  values: Cell[];
  /** Fields kept: all of them for a detail line, fewer for a subtotal, 0 for the grand total. */
  depth: number;
}

export interface PivotModel {
  rowFields: ResultColumn[];
  columnFields: ResultColumn[];
  /** The measures (and table calculations) shown in every cell group. */
  measures: Array<{ column: ResultColumn; index: number }>;
  rows: PivotLine[];
  columns: PivotLine[];
  /** The result row holding the values of pivot row `row` × pivot column `column`, if any. */
  cell(row: number, column: number): number | undefined;
}

/**
 * Lays a pivot result out as rows × columns. A result row's `grouping` mask says which dimensions it
 * rolls up (bit i: dimension i, in result order); that places it in a subtotal or total line. Lines
 * keep the order in which the result first lists their values, with each total after the lines it
 * sums; a result without `grouping` is all detail lines.
 */
export function pivotModel(result: AnalysisResult, pivot: { rows: string[]; columns: string[] }): PivotModel {
  const dims = result.columns.flatMap((c, i) => (c.role === 'dimension' ? [{ column: c, index: i, bit: 0 }] : []));
  dims.forEach((d, bit) => (d.bit = bit));
  const field = (name: string) => {
    const found = dims.find((d) => d.column.name === name);
    if (!found) throw new Error(`"${name}" is not a dimension of the result`);
    return found;
  };
  const rowFields = pivot.rows.map(field);
  const columnFields = pivot.columns.map(field);
  const measures = result.columns.flatMap((column, index) => (column.role === 'dimension' ? [] : [{ column, index }]));

  // Order of first appearance of each value, per dimension: lines sort by it level by level.
  const firstSeen = dims.map(() => new Map<Cell, number>());
  const n = result.rowCount;
  for (let r = 0; r < n; r++) {
    const mask = result.grouping?.[r] ?? 0;
    for (const d of dims) {
      if (mask & (1 << d.bit)) continue;
      const v = result.data[d.index]?.[r] ?? null;
      if (!firstSeen[d.bit]!.has(v)) firstSeen[d.bit]!.set(v, firstSeen[d.bit]!.size);
    }
  }

  const side = (fields: typeof rowFields) => {
    const keys = new Map<string, number>();
    const lines: PivotLine[] = [];
    const of = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const mask = result.grouping?.[r] ?? 0;
      let depth = 0;
      while (depth < fields.length && !(mask & (1 << fields[depth]!.bit))) depth++;
      const values = fields.map((f, k) => (k < depth ? (result.data[f.index]?.[r] ?? null) : null));
      const key = JSON.stringify([depth, values]);
      let i = keys.get(key);
      if (i === undefined) {
        keys.set(key, (i = lines.length));
        lines.push({ values, depth });
      }
      of[r] = i;
    }
    const order = lines.map((_, i) => i).sort((a, b) => compare(lines[a]!, lines[b]!, fields));
    const position = new Int32Array(lines.length);
    order.forEach((line, p) => (position[line] = p));
    return { lines: order.map((i) => lines[i]!), of: Int32Array.from(of, (i) => position[i]!) };
  };
  const compare = (a: PivotLine, b: PivotLine, fields: typeof rowFields) => {
    for (let k = 0; k < fields.length; k++) {
      const aTotal = k >= a.depth;
      const bTotal = k >= b.depth;
      if (aTotal || bTotal) return aTotal === bTotal ? 0 : aTotal ? 1 : -1;
      const seen = firstSeen[fields[k]!.bit]!;
      const diff = (seen.get(a.values[k]!) ?? 0) - (seen.get(b.values[k]!) ?? 0);
      if (diff) return diff;
    }
    return 0;
  };
  const rowSide = side(rowFields);
  const columnSide = side(columnFields);
  const cells = new Map<number, number>();
  const width = columnSide.lines.length;
  for (let r = 0; r < n; r++) cells.set(rowSide.of[r]! * width + columnSide.of[r]!, r);

  return {
    rowFields: rowFields.map((f) => f.column),
    columnFields: columnFields.map((f) => f.column),
    measures,
    rows: rowSide.lines,
    columns: columnSide.lines,
    cell: (row, column) => cells.get(row * width + column),
  };
}

/** The default pivot of a result: the last dimension across, the others down. */
export function defaultPivot(result: AnalysisResult): { rows: string[]; columns: string[] } {
  const dims = result.columns.filter((c) => c.role === 'dimension').map((c) => c.name);
  return dims.length < 2 ? { rows: dims, columns: [] } : { rows: dims.slice(0, -1), columns: dims.slice(-1) };
}
