import type { PlanFilter } from '../../../../shared/analysis/plan.js';
import { compareCodePoints } from '../../../../shared/analysis/table-calcs.js';
import type { Evaluator } from './eval.js';
import type { Pacer } from './pace.js';
import { BOOL_NULL } from './store.js';
import { type Rows, type Vec } from './vector.js';

/**
 * Row filters (every kind but top N, which needs groups: see top.ts) as masks over a batch, and the
 * selection they leave: the table row indices that pass all of them, in table order.
 *
 * - in / not_in: values are never null; `includeNull` says whether null matches (in) or, for
 *   not_in, whether null rows are dropped (they survive otherwise);
 * - range: min <= v and v <= max (v < max when maxExclusive); null never passes;
 * - contains: substring; unless case-sensitive both sides are lower-cased; null never passes;
 * - null / not_null.
 */
export type RowFilter = Exclude<PlanFilter, { op: 'top' }>;

/** Whether a value passes, per value kind; applied per dictionary entry for text. */
interface Predicate {
  num(x: number): boolean;
  str(s: string | null): boolean;
  /** 0, 1 or BOOL_NULL. */
  bool(b: number): boolean;
}

function predicate(f: RowFilter): Predicate {
  const never = () => false;
  switch (f.op) {
    case 'in':
    case 'not_in': {
      const keep = f.op === 'in';
      const onNull = keep ? f.includeNull : !f.includeNull;
      const nums = new Set<number>();
      const strs = new Set<string>();
      let t = false;
      let fl = false;
      for (const v of f.values) {
        if (typeof v === 'number') nums.add(v);
        else if (typeof v === 'string') strs.add(v);
        else if (v) t = true;
        else fl = true;
      }
      return {
        num: (x) => (x !== x ? onNull : nums.has(x) === keep),
        str: (s) => (s === null ? onNull : strs.has(s) === keep),
        bool: (b) => (b === BOOL_NULL ? onNull : (b === 1 ? t : fl) === keep),
      };
    }
    case 'range': {
      const { min, max, maxExclusive } = f;
      return {
        num: (x) => x === x && (min === undefined || x >= (min as number)) && (max === undefined || (maxExclusive ? x < (max as number) : x <= (max as number))),
        str: (s) => {
          if (s === null) return false;
          if (min !== undefined && compareCodePoints(s, String(min)) < 0) return false;
          if (max === undefined) return true;
          const c = compareCodePoints(s, String(max));
          return maxExclusive ? c < 0 : c <= 0;
        },
        bool: never,
      };
    }
    case 'contains': {
      const needle = f.caseSensitive ? f.value : f.value.toLowerCase();
      return {
        num: never,
        str: (s) => s !== null && (f.caseSensitive ? s : s.toLowerCase()).includes(needle),
        bool: never,
      };
    }
    case 'null':
    case 'not_null': {
      const want = f.op === 'null';
      return { num: (x) => (x !== x) === want, str: (s) => (s === null) === want, bool: (b) => (b === BOOL_NULL) === want };
    }
  }
}

/** 1 for each row of the batch that passes. */
export function filterMask(f: RowFilter, vec: Vec, n: number): Uint8Array {
  const out = new Uint8Array(n);
  // Numeric fast paths: the common range (dates, amounts) and null tests as plain loops.
  if (vec.t === 'num') {
    const x = vec.v;
    if (f.op === 'range') {
      const lo = f.min === undefined ? -Infinity : (f.min as number);
      const hi = f.max === undefined ? Infinity : (f.max as number);
      if (f.maxExclusive) for (let i = 0; i < n; i++) out[i] = x[i]! >= lo && x[i]! < hi ? 1 : 0;
      else for (let i = 0; i < n; i++) out[i] = x[i]! >= lo && x[i]! <= hi ? 1 : 0;
      return out;
    }
    if (f.op === 'null' || f.op === 'not_null') {
      const want = f.op === 'null' ? 1 : 0;
      for (let i = 0; i < n; i++) out[i] = (x[i] !== x[i] ? 1 : 0) === want ? 1 : 0;
      return out;
    }
    const p = predicate(f);
    for (let i = 0; i < n; i++) out[i] = p.num(x[i]!) ? 1 : 0;
    return out;
  }
  const p = predicate(f);
  switch (vec.t) {
    case 'bool': {
      const table = [p.bool(0) ? 1 : 0, p.bool(1) ? 1 : 0, p.bool(BOOL_NULL) ? 1 : 0];
      const x = vec.v;
      for (let i = 0; i < n; i++) out[i] = table[x[i]!]!;
      return out;
    }
    case 'dict': {
      const { codes, dict } = vec;
      const table = new Uint8Array(dict.length);
      for (let c = 0; c < dict.length; c++) table[c] = p.str(dict[c]!) ? 1 : 0;
      for (let i = 0; i < n; i++) out[i] = table[codes[i]!]!;
      return out;
    }
    case 'str': {
      const x = vec.v;
      for (let i = 0; i < n; i++) out[i] = p.str(x[i]!) ? 1 : 0;
      return out;
    }
    case 'const': {
      const pass = vec.kind === 'num' ? p.num(vec.value as number) : vec.kind === 'bool' ? p.bool(vec.value as number) : p.str(vec.value as string | null);
      return pass ? out.fill(1) : out;
    }
  }
}

/** The table rows of a batch for which `mask` is 1. */
export function keepRows(rows: Rows, mask: Uint8Array): Uint32Array {
  // Branch-free: masks are often random, and mispredicted branches cost more than the writes.
  const n = rows.n;
  const out = new Uint32Array(n);
  const { start, sel } = rows;
  let j = 0;
  if (sel) {
    for (let i = 0; i < n; i++) {
      out[j] = sel[start + i]!;
      j += mask[i]!;
    }
  } else {
    for (let i = 0; i < n; i++) {
      out[j] = start + i;
      j += mask[i]!;
    }
  }
  return j === n ? out : out.slice(0, j);
}

export function concat(pieces: Uint32Array[], total: number): Uint32Array {
  if (pieces.length === 1) return pieces[0]!;
  const out = new Uint32Array(total);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The rows of `within` (a selection, or every row when null) that pass every filter, in order.
 * Filters run one after another on the survivors of the previous ones.
 */
export async function selectRows(ev: Evaluator, filters: readonly RowFilter[], within: Uint32Array | null, rowCount: number, pace: Pacer): Promise<Uint32Array> {
  const pieces: Uint32Array[] = [];
  let total = 0;
  await pace.batches(within ? within.length : rowCount, (start, n) => {
    let rows: Rows = { start, n, sel: within };
    let kept: Uint32Array | null = null;
    for (const f of filters) {
      kept = keepRows(rows, filterMask(f, ev.eval(f.expr, rows), rows.n));
      rows = { start: 0, n: kept.length, sel: kept };
      if (kept.length === 0) break;
    }
    if (!kept) kept = keepRows(rows, new Uint8Array(n).fill(1));
    if (kept.length) {
      pieces.push(kept);
      total += kept.length;
    }
  });
  return pieces.length ? concat(pieces, total) : new Uint32Array(0);
}
