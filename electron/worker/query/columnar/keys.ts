import type { Expr } from '../../../../shared/analysis/expr/ast.js';
import type { Cell, Grain, ValueType } from '../../../../shared/analysis/spec.js';
import { compareCodePoints } from '../../../../shared/analysis/table-calcs.js';
import { DayMemo, ordinalStartDay, periodOrdinal } from './calendar.js';
import type { Evaluator } from './eval.js';
import type { Pacer } from './pace.js';
import { BOOL_NULL, type Codes, type ColumnarTable, DAY_MS, formatDate, formatTimestamp } from './store.js';
import { boolArray, numArray, type Rows, type Vec } from './vector.js';

/**
 * Keys: the values of an expression over the selected rows as small integer codes, one per row,
 * with each code's output cell and sort order. Dimensions group on them, top N filters rank them,
 * count_distinct counts them. Null is a code like any other.
 *
 * - text: codes of the column's dictionary when the expression is a bare column (no copy when every
 *   row is selected), else a dictionary built as values arrive; code 0 is null;
 * - booleans: 0 false, 1 true, 2 null;
 * - numbers, dates, timestamps, date grains, bins: a number key per row (the value, the period's
 *   ordinal, the bin index) mapped to codes densely (`key - min + 1`) when the column's
 *   bounds are known and close, else through a hash map; code 0 is null.
 */
export interface Keys {
  /** One code per selected row. */
  readonly codes: Codes | Int32Array;
  /** Every code is below this. */
  readonly card: number;
  /** The code of null (rows whose value is null). */
  readonly nullCode: number;
  /** The output cell of a code. */
  cell(code: number): Cell;
  /** Per code, a number ordered like the values (NaN for null and for unused codes). */
  order(): Float64Array;
}

/** How a numeric value becomes a key: itself, its period's first day, or its bin. */
export type KeyOf = { kind: 'value'; type: 'number' | 'timestamp' } | { kind: 'day'; grain: Grain } | { kind: 'bin'; width: number; origin: number };

/** Largest dense code range (4M codes, 16 MB of Int32 group tables). */
export const DENSE_MAX = 1 << 22;

/** Which key a dimension (or another grouped expression) has. */
export function keyOf(type: ValueType | 'null', grain?: Grain, bin?: { width: number; origin: number }): KeyOf | null {
  if (grain) return { kind: 'day', grain };
  if (bin) return { kind: 'bin', width: bin.width, origin: bin.origin };
  if (type === 'date') return { kind: 'day', grain: 'day' };
  if (type === 'number' || type === 'timestamp' || type === 'null') return { kind: 'value', type: type === 'timestamp' ? 'timestamp' : 'number' };
  return null;
}

/** Ranks of strings by code point (NaN for null). Distinct strings assumed. */
export function rankStrings(values: readonly (string | null)[]): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  const idx: number[] = [];
  let astral = false;
  for (let i = 0; i < values.length; i++) {
    const s = values[i];
    if (s === null || s === undefined) continue;
    idx.push(i);
    // UTF-16 order is code point order unless surrogates meet U+E000–U+FFFF.
    if (!astral && /[\ud800-\uffff]/.test(s)) astral = true;
  }
  if (astral) idx.sort((a, b) => compareCodePoints(values[a]!, values[b]!));
  else idx.sort((a, b) => (values[a]! < values[b]! ? -1 : values[a]! > values[b]! ? 1 : 0));
  for (let r = 0; r < idx.length; r++) out[idx[r]!] = r;
  return out;
}

class TextKeys implements Keys {
  readonly nullCode = 0;
  private cachedOrder: Float64Array | null = null;
  constructor(
    readonly codes: Codes | Int32Array,
    private readonly values: readonly (string | null)[],
  ) {}
  get card(): number {
    return this.values.length;
  }
  cell(code: number): Cell {
    return this.values[code] ?? null;
  }
  order(): Float64Array {
    return (this.cachedOrder ??= rankStrings(this.values));
  }
}

const BOOL_CELLS: Cell[] = [false, true, null];

class BoolKeys implements Keys {
  readonly nullCode = BOOL_NULL;
  readonly card = 3;
  constructor(readonly codes: Uint8Array) {}
  cell(code: number): Cell {
    return BOOL_CELLS[code]!;
  }
  order(): Float64Array {
    return Float64Array.of(0, 1, NaN);
  }
}

class NumKeys implements Keys {
  readonly nullCode = 0;
  constructor(
    readonly codes: Int32Array,
    private readonly keyOfCode: (code: number) => number,
    readonly card: number,
    private readonly key: KeyOf,
  ) {}
  cell(code: number): Cell {
    if (code === 0) return null;
    const k = this.keyOfCode(code);
    switch (this.key.kind) {
      case 'day':
        return formatDate(ordinalStartDay(k, this.key.grain) * DAY_MS);
      case 'bin':
        return this.key.width * k + this.key.origin;
      case 'value':
        return this.key.type === 'timestamp' ? formatTimestamp(k) : k;
    }
  }
  order(): Float64Array {
    const out = new Float64Array(this.card);
    out[0] = NaN;
    for (let c = 1; c < this.card; c++) out[c] = this.keyOfCode(c);
    return out;
  }
}

/** The dense key range of a bare numeric column, if its bounds are known and close enough. */
function denseRange(table: ColumnarTable, expr: Expr, key: KeyOf): { lo: number; size: number } | null {
  if (expr.k !== 'col') return null;
  const col = table.column(expr.name);
  if (!col || col.kind === 'text' || col.kind === 'boolean' || !Number.isFinite(col.min) || !Number.isFinite(col.max)) return null;
  let lo: number;
  let hi: number;
  if (key.kind === 'value') {
    if (!col.integral) return null;
    lo = col.min;
    hi = col.max;
  } else if (key.kind === 'day') {
    lo = periodOrdinal(Math.floor(col.min / DAY_MS), key.grain);
    hi = periodOrdinal(Math.floor(col.max / DAY_MS), key.grain);
  } else {
    lo = Math.floor((col.min - key.origin) / key.width);
    hi = Math.floor((col.max - key.origin) / key.width);
  }
  const size = hi - lo + 2;
  return Number.isFinite(size) && size <= DENSE_MAX ? { lo, size } : null;
}

/** Number keys of a batch, NaN for null. */
function numberKeys(x: Float64Array, n: number, key: KeyOf, memo: DayMemo | null): Float64Array {
  if (key.kind === 'value') return x;
  const out = new Float64Array(n);
  if (key.kind === 'day') {
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      out[i] = v !== v ? NaN : memo!.get(Math.floor(v / DAY_MS));
    }
  } else {
    const { width, origin } = key;
    for (let i = 0; i < n; i++) out[i] = Math.floor((x[i]! - origin) / width);
  }
  return out;
}

/**
 * Keys of `expr` over the selection (`sel`, or every row when null; `total` rows), evaluated in batches.
 * `key` says how numbers become keys (see {@link keyOf}); null for text and booleans.
 */
export async function buildKeys(ev: Evaluator, table: ColumnarTable, expr: Expr, key: KeyOf | null, sel: Uint32Array | null, total: number, pace: Pacer): Promise<Keys> {
  const col = expr.k === 'col' ? table.column(expr.name) : undefined;
  // Bare text and boolean columns: their own codes (a view when every row is selected).
  if (col?.kind === 'text' && !sel) return new TextKeys(col.codes, col.dict);
  if (col?.kind === 'boolean' && !sel) return new BoolKeys(col.values);
  if (col?.kind === 'text' && sel) {
    const codes = new (col.codes.constructor as new (n: number) => Codes)(total);
    const src = col.codes;
    await pace.batches(total, (start, n) => {
      for (let i = start; i < start + n; i++) codes[i] = src[sel[i]!]!;
    });
    return new TextKeys(codes, col.dict);
  }

  if (expr.type === 'boolean') {
    const codes = new Uint8Array(total);
    await pace.batches(total, (start, n) => codes.set(boolArray(ev.eval(expr, { start, n, sel }), n), start));
    return new BoolKeys(codes);
  }

  if (expr.type === 'string') {
    const codes = new Int32Array(total);
    const values: (string | null)[] = [null];
    const lookup = new Map<string, number>();
    const codeOf = (s: string | null): number => {
      if (s === null) return 0;
      let c = lookup.get(s);
      if (c === undefined) {
        c = values.length;
        values.push(s);
        lookup.set(s, c);
      }
      return c;
    };
    let lastDict: readonly (string | null)[] | null = null;
    let remap = new Int32Array(0);
    await pace.batches(total, (start, n) => {
      const v: Vec = ev.eval(expr, { start, n, sel });
      if (v.t === 'dict') {
        if (v.dict !== lastDict) {
          lastDict = v.dict;
          remap = new Int32Array(v.dict.length).fill(-1);
        }
        const { codes: src, dict } = v;
        for (let i = 0; i < n; i++) {
          const k = src[i]!;
          let c = remap[k]!;
          if (c < 0) c = remap[k] = codeOf(dict[k]!);
          codes[start + i] = c;
        }
      } else if (v.t === 'str') {
        for (let i = 0; i < n; i++) codes[start + i] = codeOf(v.v[i]!);
      } else if (v.t === 'const') {
        codes.fill(codeOf(v.value as string | null), start, start + n);
      }
    });
    return new TextKeys(codes, values);
  }

  const k = key ?? { kind: 'value', type: 'number' };
  const memo = k.kind === 'day' ? new DayMemo((day) => periodOrdinal(day, k.grain)) : null;
  const codes = new Int32Array(total);
  const dense = denseRange(table, expr, k);
  if (dense) {
    const base = dense.lo - 1;
    await pace.batches(total, (start, n) => {
      const keys = numberKeys(numArray(ev.eval(expr, { start, n, sel }), n), n, k, memo);
      for (let i = 0; i < n; i++) {
        const key = keys[i]!;
        codes[start + i] = key !== key ? 0 : key - base;
      }
    });
    return new NumKeys(codes, (c) => c + base, dense.size, k);
  }
  const lookup = new Map<number, number>();
  const keysOfCodes: number[] = [NaN];
  await pace.batches(total, (start, n) => {
    const keys = numberKeys(numArray(ev.eval(expr, { start, n, sel }), n), n, k, memo);
    let last = NaN;
    let lastCode = 0;
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      let c: number | undefined;
      if (key !== key) c = 0;
      else if (key === last) c = lastCode;
      else {
        c = lookup.get(key);
        if (c === undefined) {
          c = keysOfCodes.length;
          keysOfCodes.push(key);
          lookup.set(key, c);
        }
        last = key;
        lastCode = c;
      }
      codes[start + i] = c;
    }
  });
  return new NumKeys(codes, (c) => keysOfCodes[c]!, keysOfCodes.length, k);
}
