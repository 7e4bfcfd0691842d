import type { Expr } from '../../../../shared/analysis/expr/ast.js';
import type { Aggregation } from '../../../../shared/analysis/spec.js';
import type { Input } from './aggregate.js';
import type { Evaluator } from './eval.js';
import { buildKeys, keyOf } from './keys.js';
import type { Pacer } from './pace.js';
import type { ColumnarTable } from './store.js';
import { numArray } from './vector.js';

/**
 * What aggregates read, over one selection, built once per expression and shared by the measures
 * (and top N rankings) that use it: a bare numeric column is read in place through the selection; a
 * calculated number is evaluated into an array; text, booleans and count_distinct get keys.
 */
export class Inputs {
  private readonly byColumn = new Map<string, Input>();
  private readonly byExpr = new Map<Expr, Input>();

  constructor(
    private readonly ev: Evaluator,
    private readonly table: ColumnarTable,
    private readonly sel: Uint32Array | null,
    private readonly total: number,
    private readonly pace: Pacer,
  ) {}

  /** The input of `agg(expr)`; null for count(*). */
  async of(expr: Expr | null, agg: Aggregation): Promise<Input | null> {
    if (expr === null) return null;
    const asKeys = agg === 'count_distinct' || expr.type === 'string' || expr.type === 'boolean';
    const name = expr.k === 'col' ? `${asKeys ? 'keys' : 'num'}:${expr.name}` : null;
    const known = name !== null ? this.byColumn.get(name) : asKeys ? undefined : this.byExpr.get(expr);
    if (known) return known;
    const input = asKeys ? await this.keys(expr) : await this.numbers(expr);
    if (name !== null) this.byColumn.set(name, input);
    else if (!asKeys) this.byExpr.set(expr, input);
    return input;
  }

  private async keys(expr: Expr): Promise<Input> {
    return { t: 'keys', keys: await buildKeys(this.ev, this.table, expr, keyOf(expr.type), this.sel, this.total, this.pace) };
  }

  private async numbers(expr: Expr): Promise<Input> {
    const type = expr.type === 'null' ? 'number' : expr.type;
    if (expr.k === 'col') {
      const col = this.table.column(expr.name);
      if (col && col.kind !== 'text' && col.kind !== 'boolean') return { t: 'num', values: col.values, sel: this.sel, type };
    }
    const values = new Float64Array(this.total);
    const sel = this.sel;
    await this.pace.batches(this.total, (start, n) => values.set(numArray(this.ev.eval(expr, { start, n, sel }), n), start));
    return { t: 'num', values, sel: null, type };
  }
}
