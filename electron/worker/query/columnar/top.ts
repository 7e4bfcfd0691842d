import type { PlanFilter } from '../../../../shared/analysis/plan.js';
import { aggregate } from './aggregate.js';
import type { Evaluator } from './eval.js';
import { groupRows } from './group.js';
import { Inputs } from './inputs.js';
import { buildKeys, keyOf } from './keys.js';
import { firstInOrder } from './order.js';
import type { Pacer } from './pace.js';
import type { ColumnarTable } from './store.js';

export type TopFilter = Extract<PlanFilter, { op: 'top' }>;

/**
 * Top / bottom N filters. Each ranks the values of its expression (null is a value like any other)
 * by its `by` aggregate over the rows that pass every other non-top filter (`sel`): largest first
 * (smallest with `bottom`), aggregate nulls last, ties broken by the value ascending, nulls last.
 * The rows kept are those of `sel` whose value is among the `n` best for every top filter.
 */
export async function applyTopFilters(
  ev: Evaluator,
  table: ColumnarTable,
  tops: readonly TopFilter[],
  sel: Uint32Array | null,
  rowCount: number,
  pace: Pacer,
): Promise<Uint32Array> {
  const total = sel ? sel.length : rowCount;
  const inputs = new Inputs(ev, table, sel, total, pace);
  const keep = new Uint8Array(total).fill(1);
  for (const t of tops) {
    const keys = await buildKeys(ev, table, t.expr, keyOf(t.expr.type), sel, total, pace);
    const groups = await groupRows([keys], total, pace);
    const ranked = await aggregate(t.by.agg, t.by.p, await inputs.of(t.by.expr, t.by.agg), groups, total, pace);
    const valueOrder = keys.order();
    const byValue = new Float64Array(groups.size);
    for (const g of groups.present) byValue[g] = valueOrder[groups.codeOf(0, g)]!;
    const best = firstInOrder(
      groups.present,
      [
        { values: ranked.order, desc: !t.bottom },
        { values: byValue, desc: false },
      ],
      t.n,
    );
    const chosen = new Uint8Array(groups.size);
    for (const g of best) chosen[g] = 1;
    const gid = groups.gid;
    await pace.batches(total, (start, n) => {
      for (let i = start; i < start + n; i++) keep[i] = keep[i]! & chosen[gid[i]!]!;
    });
  }
  // Branch-free compaction (which rows survive is data, not pattern).
  const out = new Uint32Array(total);
  let j = 0;
  if (sel) {
    for (let i = 0; i < total; i++) {
      out[j] = sel[i]!;
      j += keep[i]!;
    }
  } else {
    for (let i = 0; i < total; i++) {
      out[j] = i;
      j += keep[i]!;
    }
  }
  return out.slice(0, j);
}
