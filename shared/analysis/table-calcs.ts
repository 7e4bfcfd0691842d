import type { EngineResult, Plan, PlanTableCalc } from './plan.js';
import type { Cell } from './spec.js';

/**
 * Table calculations run on the result rows, after the engine, so every engine (cache, memory,
 * live) gets identical ones. They see the detail rows the analysis returns (after its limit);
 * pivot subtotal and total rows get null. Rows are partitioned by every dimension except `along`
 * and ordered by `along` ascending (nulls last); with no `along`, the whole result in its own order.
 *
 * - running_total: sum so far (a missing value adds nothing);
 * - percent_of_total: the value as a fraction of its partition's sum (0.25 = 25 %);
 * - difference / percent_difference: against the previous row of the partition (null on the first,
 *   and percent_difference is null when the previous value is 0 or missing);
 * - moving_average: mean of the present values among this row and the `window - 1` before it;
 * - rank: competition ranking (1, 2, 2, 4), largest first unless `dir` is asc; missing values unranked.
 */
export function applyTableCalcs(plan: Plan, result: EngineResult): Cell[][] {
  return plan.tableCalcs.map((calc) => computeCalc(plan, result, calc));
}

function computeCalc(plan: Plan, result: EngineResult, calc: PlanTableCalc): Cell[] {
  const out: Cell[] = new Array<Cell>(result.rowCount).fill(null);
  const values = result.data[calc.measure]!;
  const partitions = new Map<string, number[]>();
  for (let r = 0; r < result.rowCount; r++) {
    if (result.grouping[r] !== 0) continue;
    const key = calc.along === null ? '' : JSON.stringify(plan.dimensions.map((_, d) => (d === calc.along ? 0 : result.data[d]![r])));
    let rows = partitions.get(key);
    if (!rows) partitions.set(key, (rows = []));
    rows.push(r);
  }
  for (const rows of partitions.values()) {
    if (calc.along !== null) {
      const along = result.data[calc.along]!;
      rows.sort((a, b) => compareCells(along[a]!, along[b]!) || a - b);
    }
    const num = (r: number): number | null => (typeof values[r] === 'number' ? (values[r] as number) : null);
    switch (calc.calc) {
      case 'running_total': {
        let sum = 0;
        for (const r of rows) {
          sum += num(r) ?? 0;
          out[r] = sum;
        }
        break;
      }
      case 'percent_of_total': {
        let total = 0;
        for (const r of rows) total += num(r) ?? 0;
        for (const r of rows) {
          const v = num(r);
          out[r] = v === null || total === 0 ? null : v / total;
        }
        break;
      }
      case 'difference':
      case 'percent_difference':
        rows.forEach((r, i) => {
          const v = num(r);
          const prev = i > 0 ? num(rows[i - 1]!) : null;
          if (v === null || prev === null) return;
          out[r] = calc.calc === 'difference' ? v - prev : prev === 0 ? null : (v - prev) / Math.abs(prev);
        });
        break;
      case 'moving_average':
        rows.forEach((r, i) => {
          let sum = 0;
          let n = 0;
          for (let j = Math.max(0, i - calc.window + 1); j <= i; j++) {
            const v = num(rows[j]!);
            if (v !== null) {
              sum += v;
              n++;
            }
          }
          out[r] = n ? sum / n : null;
        });
        break;
      case 'rank': {
        const ranked = rows.filter((r) => num(r) !== null).sort((a, b) => (calc.dir === 'asc' ? num(a)! - num(b)! : num(b)! - num(a)!));
        ranked.forEach((r, i) => {
          out[r] = i > 0 && num(r) === num(ranked[i - 1]!) ? out[ranked[i - 1]!]! : i + 1;
        });
        break;
      }
    }
  }
  return out;
}

/** Result ordering: nulls last, numbers numerically, strings by code point, false before true. */
export function compareCells(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a ? 1 : -1;
  return compareCodePoints(String(a), String(b));
}

/** Orders strings by Unicode code point (as SQLite's BINARY and PostgreSQL's "C" collation do). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral characters) sort after every BMP character in code point order.
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
