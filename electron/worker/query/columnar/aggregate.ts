import type { Aggregation, Cell, ValueType } from '../../../../shared/analysis/spec.js';
import type { Groups } from './group.js';
import type { Keys } from './keys.js';
import { BATCH, type Pacer } from './pace.js';
import { formatDate, formatTimestamp } from './store.js';

/**
 * Aggregates per group over the selected rows.
 *
 * - count(*) is the group's row count; count(x) its non-null values; count_distinct the distinct
 *   non-null codes of the value's keys.
 * - sum: Neumaier-compensated (as SQLite's TOTAL and SUM of REAL); avg = that sum / count.
 * - min / max: numbers numerically, text by code point (through key ranks), dates and timestamps as
 *   instants, printed in their output form.
 * - stddev: sample standard deviation by Welford's method (as the SQLite engine's sr_stddev); null
 *   under two values.
 * - median / percentile: PostgreSQL's percentile_cont: the values sorted, position p * (n - 1),
 *   linear interpolation between its neighbours; found by quickselect, never a full sort.
 * Over no non-null values: count 0, everything else null.
 */

/** What an aggregate reads: numbers (dates, timestamps: epoch ms; NaN null) or keys (text, booleans, distinct values). */
export type Input =
  | {
      t: 'num';
      /** The value at selected position i is `values[sel ? sel[i] : i]`. */
      values: Float64Array;
      sel: Uint32Array | null;
      type: ValueType;
    }
  | { t: 'keys'; keys: Keys };

/** Per group id: an ordering number (NaN for null) and the output cell. */
export interface Result {
  readonly order: Float64Array;
  cell(g: number): Cell;
}

/** Runs `fn` over the input's numbers in batches: `x[j]` is the value at selected position `start + j`. */
async function numberBatches(input: Extract<Input, { t: 'num' }>, total: number, pace: Pacer, fn: (x: Float64Array, start: number, n: number) => void): Promise<void> {
  const { values, sel } = input;
  const scratch = sel ? new Float64Array(Math.min(BATCH, total)) : null;
  await pace.batches(total, (start, n) => {
    if (!scratch) return fn(values.subarray(start, start + n), start, n);
    for (let j = 0; j < n; j++) scratch[j] = values[sel![start + j]!]!;
    fn(scratch, start, n);
  });
}

/** A Neumaier sum's value: the running sum plus its compensation, unless the sum overflowed. */
export function compensated(sum: number, comp: number): number {
  return Number.isFinite(sum) ? sum + comp : sum;
}

export function numbers(order: Float64Array, type: ValueType = 'number'): Result {
  const format = type === 'date' ? formatDate : type === 'timestamp' ? formatTimestamp : null;
  return {
    order,
    cell: (g) => {
      const v = order[g]!;
      return v !== v ? null : format ? format(v) : v;
    },
  };
}

export async function aggregate(agg: Aggregation, p: number | undefined, input: Input | null, groups: Groups, total: number, pace: Pacer): Promise<Result> {
  const G = groups.size;
  const gid = groups.gid;
  if (input === null) return numbers(groups.counts);

  if (input.t === 'keys') {
    const { codes, nullCode } = input.keys;
    if (agg === 'count') {
      const cnt = new Float64Array(G);
      await pace.batches(total, (start, n) => {
        for (let i = start; i < start + n; i++) if (codes[i] !== nullCode) {
          const g = gid[i]!;
          cnt[g] = cnt[g]! + 1;
        }
      });
      return numbers(cnt);
    }
    if (agg === 'count_distinct') return countDistinct(input.keys, groups, total, pace);
    if (agg === 'min' || agg === 'max') {
      const rank = input.keys.order();
      const best = new Float64Array(G).fill(NaN);
      const bestCode = new Int32Array(G);
      const max = agg === 'max';
      await pace.batches(total, (start, n) => {
        for (let i = start; i < start + n; i++) {
          const r = rank[codes[i]!]!;
          if (r !== r) continue;
          const g = gid[i]!;
          const b = best[g]!;
          if (b !== b || (max ? r > b : r < b)) {
            best[g] = r;
            bestCode[g] = codes[i]!;
          }
        }
      });
      return { order: best, cell: (g) => (best[g] !== best[g] ? null : input.keys.cell(bestCode[g]!)) };
    }
    throw new Error(`internal: ${agg} of keys`);
  }

  switch (agg) {
    case 'count': {
      const cnt = new Float64Array(G);
      await numberBatches(input, total, pace, (x, start, n) => {
        for (let j = 0; j < n; j++) {
          if (x[j] !== x[j]) continue;
          const g = gid[start + j]!;
          cnt[g] = cnt[g]! + 1;
        }
      });
      return numbers(cnt);
    }
    case 'sum':
    case 'avg': {
      const sum = new Float64Array(G);
      const comp = new Float64Array(G);
      const cnt = new Float64Array(G);
      await numberBatches(input, total, pace, (x, start, n) => {
        for (let j = 0; j < n; j++) {
          const v = x[j]!;
          if (v !== v) continue;
          const g = gid[start + j]!;
          const s = sum[g]!;
          const t = s + v;
          comp[g] = comp[g]! + (Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s);
          sum[g] = t;
          cnt[g] = cnt[g]! + 1;
        }
      });
      const out = new Float64Array(G);
      for (let g = 0; g < G; g++) {
        const total = compensated(sum[g]!, comp[g]!);
        out[g] = cnt[g] === 0 ? NaN : agg === 'sum' ? total : total / cnt[g]!;
      }
      return numbers(out);
    }
    case 'min':
    case 'max': {
      const best = new Float64Array(G).fill(NaN);
      const max = agg === 'max';
      await numberBatches(input, total, pace, (x, start, n) => {
        for (let j = 0; j < n; j++) {
          const v = x[j]!;
          if (v !== v) continue;
          const g = gid[start + j]!;
          const b = best[g]!;
          if (b !== b || (max ? v > b : v < b)) best[g] = v;
        }
      });
      return numbers(best, input.type);
    }
    case 'stddev': {
      const cnt = new Float64Array(G);
      const mean = new Float64Array(G);
      const m2 = new Float64Array(G);
      await numberBatches(input, total, pace, (x, start, n) => {
        for (let j = 0; j < n; j++) {
          const v = x[j]!;
          if (v !== v) continue;
          const g = gid[start + j]!;
          const k = (cnt[g] = cnt[g]! + 1);
          const d = v - mean[g]!;
          mean[g] = mean[g]! + d / k;
          m2[g] = m2[g]! + d * (v - mean[g]!);
        }
      });
      const out = new Float64Array(G);
      for (let g = 0; g < G; g++) out[g] = cnt[g]! < 2 ? NaN : Math.sqrt(m2[g]! / (cnt[g]! - 1));
      return numbers(out);
    }
    case 'median':
    case 'percentile':
      return percentile(input, p ?? 0.5, groups, total, pace);
    case 'count_distinct':
      throw new Error('internal: count_distinct of numbers needs keys');
  }
}

async function countDistinct(keys: Keys, groups: Groups, total: number, pace: Pacer): Promise<Result> {
  const G = groups.size;
  const gid = groups.gid;
  const { codes, nullCode, card } = keys;
  const cnt = new Float64Array(G);
  // Group ids can be sparse (a month grain keyed by day spans ~30 ids per group): number the groups
  // that occur densely, so the seen-bitmap stays small enough instead of falling back to a Set.
  const slot = new Int32Array(G);
  groups.present.forEach((g, i) => (slot[g] = i));
  const P = groups.present.length;
  if (P * card <= 1 << 28) {
    const bits = new Int32Array(Math.ceil((P * card) / 32));
    await pace.batches(total, (start, n) => {
      for (let i = start; i < start + n; i++) {
        const c = codes[i]!;
        if (c === nullCode) continue;
        const g = gid[i]!;
        const k = slot[g]! * card + c;
        const word = k >>> 5;
        const bit = 1 << (k & 31);
        if ((bits[word]! & bit) === 0) {
          bits[word] = bits[word]! | bit;
          cnt[g] = cnt[g]! + 1;
        }
      }
    });
  } else {
    const seen = new Set<number>();
    await pace.batches(total, (start, n) => {
      for (let i = start; i < start + n; i++) {
        const c = codes[i]!;
        if (c === nullCode) continue;
        const g = gid[i]!;
        const k = g * card + c;
        if (!seen.has(k)) {
          seen.add(k);
          cnt[g] = cnt[g]! + 1;
        }
      }
    });
  }
  return numbers(cnt);
}

// Values gathered by group, kept for the other percentiles of the same input in the same grouping
// (median and p90 side by side gather once). Quickselect only reorders within a group, so reuse is safe.
const gathered = new WeakMap<Groups, Map<Input, { cnt: Float64Array; offset: Float64Array; buf: Float64Array }>>();

async function percentile(input: Extract<Input, { t: 'num' }>, p: number, groups: Groups, total: number, pace: Pacer): Promise<Result> {
  const G = groups.size;
  let byInput = gathered.get(groups);
  if (!byInput) gathered.set(groups, (byInput = new Map()));
  let values = byInput.get(input);
  if (!values) byInput.set(input, (values = await gather(input, groups, total, pace)));
  const { cnt, offset, buf } = values;
  const out = new Float64Array(G).fill(NaN);
  for (let g = 0; g < G; g++) {
    const n = cnt[g]!;
    if (n === 0) continue;
    const lo = offset[g]!;
    const pos = p * (n - 1);
    const k = Math.floor(pos);
    const a = select(buf, lo, lo + n - 1, lo + k);
    if (pos === k) {
      out[g] = a;
      continue;
    }
    // After selection everything right of k is >= a: the next order statistic is their minimum.
    let b = Infinity;
    for (let i = lo + k + 1; i < lo + n; i++) if (buf[i]! < b) b = buf[i]!;
    out[g] = a + (pos - k) * (b - a);
  }
  return numbers(out);
}

async function gather(input: Extract<Input, { t: 'num' }>, groups: Groups, total: number, pace: Pacer) {
  const G = groups.size;
  const gid = groups.gid;
  const cnt = new Float64Array(G);
  await numberBatches(input, total, pace, (x, start, n) => {
    for (let j = 0; j < n; j++) {
      if (x[j] !== x[j]) continue;
      const g = gid[start + j]!;
      cnt[g] = cnt[g]! + 1;
    }
  });
  // Values grouped together (a counting sort by group), then each group's order statistics.
  const offset = new Float64Array(G + 1);
  for (let g = 0; g < G; g++) offset[g + 1] = offset[g]! + cnt[g]!;
  const buf = new Float64Array(offset[G]!);
  const fill = offset.slice(0, G);
  await numberBatches(input, total, pace, (x, start, n) => {
    for (let j = 0; j < n; j++) {
      const v = x[j]!;
      if (v !== v) continue;
      const g = gid[start + j]!;
      buf[fill[g]!] = v;
      fill[g] = fill[g]! + 1;
    }
  });
  return { cnt, offset, buf };
}

/** The k-th smallest of a[lo..hi] (inclusive), partially reordering that range (Hoare quickselect). */
export function select(a: Float64Array, lo: number, hi: number, k: number): number {
  while (hi > lo) {
    const mid = lo + ((hi - lo) >> 1);
    // Median of three as the pivot.
    let x = a[lo]!;
    let y = a[mid]!;
    const z = a[hi]!;
    if (x > y) [x, y] = [y, x];
    const pivot = z < x ? x : z > y ? y : z;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}
