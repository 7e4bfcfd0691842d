import type { CancelToken, EngineResult, Plan } from '../../../shared/analysis/plan.js';
import type { Cell } from '../../../shared/analysis/spec.js';
import { StrongroomError } from '../../../shared/errors.js';
import { compileGroupingSet } from './compile.js';
import { toCell } from './convert.js';
import type { Dialect } from './sql-expr.js';

/** Something that runs one statement; cancellation reaches it through `onCancel`. */
export type StatementRunner = (sql: string, params: unknown[], cancel: { onCancel(fn: () => void): void }) => Promise<unknown[][]>;

/** A cancel token that can also notify a runner the moment it fires. */
export class Cancellation implements CancelToken {
  cancelled = false;
  private readonly listeners: Array<() => void> = [];
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const fn of this.listeners.splice(0)) fn();
  }
  onCancel(fn: () => void): void {
    if (this.cancelled) fn();
    else this.listeners.push(fn);
  }
  throwIfCancelled(): void {
    if (this.cancelled) throw new StrongroomError('CANCELLED', 'The analysis was cancelled.');
  }
}

/**
 * Executes a plan as SQL (the SQLite cache or the warehouse): one statement per grouping set, rows
 * converted to the output conventions, detail rows cut to the limit.
 */
export async function executeSql(plan: Plan, dialect: Dialect, relation: string, run: StatementRunner, cancel: Cancellation): Promise<EngineResult> {
  const width = plan.columns.length;
  const data: Cell[][] = Array.from({ length: width }, () => []);
  const grouping: number[] = [];
  let truncated = false;
  for (const mask of plan.groupingSets) {
    cancel.throwIfCancelled();
    const { sql, params } = compileGroupingSet(plan, mask, dialect, relation);
    let rows = await run(sql, params, cancel);
    if (rows.length > plan.limit) {
      rows = rows.slice(0, plan.limit);
      if (mask === 0) truncated = true;
    }
    for (let c = 0; c < width; c++) {
      const type = plan.columns[c]!.type;
      const column = data[c]!;
      for (const row of rows) column.push(toCell(row[c], type));
    }
    for (let r = 0; r < rows.length; r++) grouping.push(mask);
  }
  cancel.throwIfCancelled();
  return { data, rowCount: grouping.length, grouping, truncated };
}
