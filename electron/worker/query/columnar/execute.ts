import type { CancelToken, EngineResult, Plan } from '../../../../shared/analysis/plan.js';
import type { Cell } from '../../../../shared/analysis/spec.js';
import { aggregate, compensated, numbers, type Result } from './aggregate.js';
import { Evaluator } from './eval.js';
import { selectRows, type RowFilter } from './filters.js';
import { groupRows, type Groups } from './group.js';
import { Inputs } from './inputs.js';
import { buildKeys, keyOf, type Keys } from './keys.js';
import { firstInOrder, type SortKey } from './order.js';
import { Pacer } from './pace.js';
import type { ColumnarTable } from './store.js';
import { applyTopFilters, type TopFilter } from './top.js';

/**
 * The in-memory engine: executes an analysis plan over a {@link ColumnarTable} with the semantics
 * every engine shares (shared/analysis/plan.ts, shared/analysis/expr/ast.ts and the conventions of
 * electron/worker/query/sql-expr.ts).
 *
 * 1. Row filters narrow the table to a selection of row indices (none when there are no filters).
 * 2. Top N filters rank their values over that selection and narrow it further.
 * 3. Each dimension becomes keys (an integer code per selected row); each measure's input is read
 *    in place or evaluated once.
 * 4. Per grouping set (in plan order): groups from the kept dimensions' codes, aggregates per
 *    group, the plan's order (nulls last), cut to the limit.
 *
 * Work is done in batches of 64K rows; every ~1M rows of work the cancel token is checked and the
 * event loop gets a turn (CANCELLED is thrown if the analysis was cancelled).
 */
export async function executePlan(plan: Plan, table: ColumnarTable, cancel?: CancelToken): Promise<EngineResult> {
  const pace = new Pacer(cancel);
  pace.check();
  const ev = new Evaluator(table);

  const rowFilters = plan.filters.filter((f): f is RowFilter => f.op !== 'top');
  const tops = plan.filters.filter((f): f is TopFilter => f.op === 'top');
  let sel: Uint32Array | null = rowFilters.length ? await selectRows(ev, rowFilters, null, table.rowCount, pace) : null;
  if (tops.length) sel = await applyTopFilters(ev, table, tops, sel, table.rowCount, pace);
  const total = sel ? sel.length : table.rowCount;

  // Keys of every dimension some grouping set keeps.
  const dimKeys: Array<Keys | null> = [];
  for (let d = 0; d < plan.dimensions.length; d++) {
    const dim = plan.dimensions[d]!;
    const kept = plan.groupingSets.some((mask) => (mask & (1 << d)) === 0);
    dimKeys.push(kept ? await buildKeys(ev, table, dim.expr, keyOf(dim.expr.type, dim.grain, dim.bin), sel, total, pace) : null);
  }
  const inputs = new Inputs(ev, table, sel, total, pace);
  const measureInputs = [];
  for (const m of plan.measures) measureInputs.push(await inputs.of(m.expr, m.agg));

  const nd = plan.dimensions.length;
  const data: Cell[][] = plan.columns.map(() => []);
  const grouping: number[] = [];
  let truncated = false;
  // Pivot subtotals of counts and sums come from the detail groups (a few hundred) rather than
  // another pass over every row; the other aggregations are not decomposable and rescan.
  const rollsUp = plan.groupingSets[0] === 0 && plan.measures.every((m) => m.agg === 'count' || m.agg === 'sum');
  let detail: { groups: Groups; results: Result[] } | null = null;
  for (const mask of plan.groupingSets) {
    const kept: number[] = [];
    for (let d = 0; d < nd; d++) if ((mask & (1 << d)) === 0) kept.push(d);
    let groups: Groups;
    let results: Result[];
    if (mask !== 0 && detail && rollsUp && detail.groups.present.length > 0) {
      ({ groups, results } = rollUp(detail, kept, plan.measures.length));
    } else {
      groups = await groupRows(
        kept.map((d) => dimKeys[d]!),
        total,
        pace,
      );
      results = [];
      for (let j = 0; j < plan.measures.length; j++) {
        const m = plan.measures[j]!;
        results.push(await aggregate(m.agg, m.p, measureInputs[j]!, groups, total, pace));
      }
      if (mask === 0) detail = { groups, results };
    }

    const sortKeys: SortKey[] = [];
    for (const o of plan.order) {
      if (o.column >= nd) {
        const r = results[o.column - nd];
        if (r) sortKeys.push({ values: r.order, desc: o.dir === 'desc' });
        continue;
      }
      const k = kept.indexOf(o.column);
      if (k < 0) continue; // rolled up: null in every row
      const codeOrder = dimKeys[o.column]!.order();
      const values = new Float64Array(groups.size);
      for (const g of groups.present) values[g] = codeOrder[groups.codeOf(k, g)]!;
      sortKeys.push({ values, desc: o.dir === 'desc' });
    }
    if (mask === 0 && groups.present.length > plan.limit) truncated = true;
    const ids = firstInOrder(groups.present, sortKeys, plan.limit);

    for (let d = 0; d < nd; d++) {
      const column = data[d]!;
      const k = kept.indexOf(d);
      if (k < 0) {
        for (let r = 0; r < ids.length; r++) column.push(null);
        continue;
      }
      const keys = dimKeys[d]!;
      for (const g of ids) column.push(keys.cell(groups.codeOf(k, g)));
    }
    for (let j = 0; j < results.length; j++) {
      const column = data[nd + j]!;
      const r = results[j]!;
      for (const g of ids) column.push(r.cell(g));
    }
    for (let r = 0; r < ids.length; r++) grouping.push(mask);
  }
  pace.check();
  return { data, rowCount: grouping.length, grouping, truncated };
}

/** Totals over some dimensions, from the detail groups' counts and sums (Neumaier-compensated). */
function rollUp(detail: { groups: Groups; results: Result[] }, kept: number[], measureCount: number): { groups: Groups; results: Result[] } {
  const parents = new Map<string, number>();
  const codes: number[][] = [];
  const counts: number[] = [];
  const sums = Array.from({ length: measureCount }, () => [] as number[]);
  const comps = Array.from({ length: measureCount }, () => [] as number[]);
  const any = Array.from({ length: measureCount }, () => [] as boolean[]);
  for (const g of detail.groups.present) {
    const c = kept.map((d) => detail.groups.codeOf(d, g));
    const key = c.join(',');
    let p = parents.get(key);
    if (p === undefined) {
      p = codes.length;
      parents.set(key, p);
      codes.push(c);
      counts.push(0);
      for (let j = 0; j < measureCount; j++) {
        sums[j]!.push(0);
        comps[j]!.push(0);
        any[j]!.push(false);
      }
    }
    counts[p] = counts[p]! + detail.groups.counts[g]!;
    for (let j = 0; j < measureCount; j++) {
      const v = detail.results[j]!.order[g]!;
      if (v !== v) continue;
      const s = sums[j]!;
      const t = s[p]! + v;
      comps[j]![p] = comps[j]![p]! + (Math.abs(s[p]!) >= Math.abs(v) ? s[p]! - t + v : v - t + s[p]!);
      s[p] = t;
      any[j]![p] = true;
    }
  }
  const size = codes.length;
  const groups: Groups = {
    gid: new Int32Array(0),
    size,
    counts: Float64Array.from(counts),
    present: Int32Array.from({ length: size }, (_, i) => i),
    codeOf: (k, p) => codes[p]![k]!,
  };
  const results = sums.map((s, j) => numbers(Float64Array.from(s, (v, p) => (any[j]![p] ? compensated(v, comps[j]![p]!) : NaN))));
  return { groups, results };
}
