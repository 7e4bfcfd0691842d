import { DENSE_MAX, type Keys } from './keys.js';
import type { Pacer } from './pace.js';
import type { Codes } from './store.js';

/**
 * Groups of the selected rows by the codes of some keys (a grouping set's dimensions).
 *
 * - No keys: one group holding every row (present even when there are no rows).
 * - Small product of the keys' code ranges: the group id is the codes combined in one integer
 *   (mixed radix), with no hashing at all; a single key's codes are used as they are. Some ids may
 *   have no rows; `present` lists those that do.
 * - Otherwise keys are folded in one at a time: (group so far, next code) → dense group id, through
 *   a table while that product is small and a Map beyond.
 */
export interface Groups {
  /** Group id of each selected row. */
  readonly gid: Codes | Int32Array;
  /** Ids are below this. */
  readonly size: number;
  /** Rows per group id. */
  readonly counts: Float64Array;
  /** Ids of the groups to output, ascending. */
  readonly present: Int32Array;
  /** The code of key `k` in group `g`. */
  codeOf(k: number, g: number): number;
}

/** Largest sparse id range: at most this many ids, and not much more than twice the rows. */
function sparseLimit(total: number): number {
  return Math.min(DENSE_MAX, Math.max(65_536, 2 * total));
}

export async function groupRows(keys: readonly Keys[], total: number, pace: Pacer): Promise<Groups> {
  if (keys.length === 0) {
    return { gid: new Uint8Array(total), size: 1, counts: Float64Array.of(total), present: Int32Array.of(0), codeOf: () => 0 };
  }
  let product = 1;
  for (const k of keys) product *= k.card;

  if (product <= sparseLimit(total)) {
    const strides = keys.map((_, i) => keys.slice(0, i).reduce((s, k) => s * k.card, 1));
    let gid: Codes | Int32Array;
    if (keys.length === 1) {
      gid = keys[0]!.codes;
    } else {
      const combined = new Int32Array(total);
      await pace.batches(total, (start, n) => {
        for (let d = 0; d < keys.length; d++) {
          const codes = keys[d]!.codes;
          const stride = strides[d]!;
          for (let i = start; i < start + n; i++) combined[i] = combined[i]! + codes[i]! * stride;
        }
      });
      gid = combined;
    }
    const counts = new Float64Array(product);
    await pace.batches(total, (start, n) => {
      for (let i = start; i < start + n; i++) {
        const g = gid[i]!;
        counts[g] = counts[g]! + 1;
      }
    });
    let used = 0;
    for (let g = 0; g < product; g++) if (counts[g]! > 0) used++;
    const present = new Int32Array(used);
    for (let g = 0, j = 0; g < product; g++) if (counts[g]! > 0) present[j++] = g;
    return { gid, size: product, counts, present, codeOf: (k, g) => Math.floor(g / strides[k]!) % keys[k]!.card };
  }

  const gid = new Int32Array(total);
  const first = new Int32Array(total);
  let size = 1;
  for (const key of keys) {
    const codes = key.codes;
    const card = key.card;
    let next = 0;
    if (size * card <= DENSE_MAX) {
      const table = new Int32Array(size * card).fill(-1);
      await pace.batches(total, (start, n) => {
        for (let i = start; i < start + n; i++) {
          const k = gid[i]! * card + codes[i]!;
          let g = table[k]!;
          if (g < 0) {
            g = table[k] = next++;
            first[g] = i;
          }
          gid[i] = g;
        }
      });
    } else {
      const map = new Map<number, number>();
      await pace.batches(total, (start, n) => {
        for (let i = start; i < start + n; i++) {
          const k = gid[i]! * card + codes[i]!;
          let g = map.get(k);
          if (g === undefined) {
            g = next++;
            map.set(k, g);
            first[g] = i;
          }
          gid[i] = g;
        }
      });
    }
    size = next;
  }
  const counts = new Float64Array(size);
  await pace.batches(total, (start, n) => {
    for (let i = start; i < start + n; i++) {
      const g = gid[i]!;
      counts[g] = counts[g]! + 1;
    }
  });
  const present = new Int32Array(size);
  for (let g = 0; g < size; g++) present[g] = g;
  return { gid, size, counts, present, codeOf: (k, g) => keys[k]!.codes[first[g]!]! };
}
