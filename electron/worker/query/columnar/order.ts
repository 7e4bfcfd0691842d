import { select } from './aggregate.js';

/**
 * Result ordering over group ids. Every output column gives each group a number that sorts like its
 * value (numbers and instants themselves, text its code-point rank, false 0 and true 1; NaN for
 * null). Nulls sort last in both directions.
 */
export interface SortKey {
  /** Indexed by group id. */
  readonly values: Float64Array;
  readonly desc: boolean;
}

/** Compares two ids by the keys in turn, then by id (so the order is total and stable). */
export function comparator(keys: readonly SortKey[]): (x: number, y: number) => number {
  return (x, y) => {
    for (const { values, desc } of keys) {
      const a = values[x]!;
      const b = values[y]!;
      const an = a !== a;
      const bn = b !== b;
      if (an || bn) {
        if (an && bn) continue;
        return an ? 1 : -1;
      }
      if (a === b) continue;
      return a < b !== desc ? -1 : 1;
    }
    return x - y;
  };
}

/** Below this many ids a plain sort is as fast as anything. */
const SMALL = 4096;

/**
 * The first `limit` of `ids` in key order. With many more ids than `limit`, only the ids whose
 * first key is within the `limit` best values are sorted (quickselect finds the cut-off).
 */
export function firstInOrder(ids: Int32Array, keys: readonly SortKey[], limit: number): Int32Array {
  if (limit <= 0) return new Int32Array(0);
  let candidates = ids;
  if (ids.length > limit && ids.length > SMALL && keys.length > 0) {
    const { values, desc } = keys[0]!;
    // Ascending transform of the first key: nulls (last either way) to +Infinity, which only adds ties.
    const t = new Float64Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const v = values[ids[i]!]!;
      t[i] = v !== v ? Infinity : desc ? -v : v;
    }
    const cut = select(t.slice(), 0, t.length - 1, limit - 1);
    let count = 0;
    for (let i = 0; i < t.length; i++) if (t[i]! <= cut) count++;
    if (count < ids.length) {
      candidates = new Int32Array(count);
      for (let i = 0, j = 0; i < t.length; i++) if (t[i]! <= cut) candidates[j++] = ids[i]!;
    }
  }
  const sorted = Int32Array.from(candidates).sort(comparator(keys));
  return sorted.length > limit ? sorted.subarray(0, limit) : sorted;
}
