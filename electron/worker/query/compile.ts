import type { Expr } from '../../../shared/analysis/expr/ast.js';
import type { Plan, PlanFilter, RankBy } from '../../../shared/analysis/plan.js';
import { binSql, exprToSql, grainSql, quoteIdent, sqliteTimestampKey, type Dialect, type SqlContext } from './sql-expr.js';

/** One SQL statement and its bound values, in placeholder order. */
export interface CompiledQuery {
  sql: string;
  params: Array<string | number | boolean | null>;
}

/**
 * Compiles one grouping set of a plan (see Plan.groupingSets) to SQL for SQLite or PostgreSQL.
 * Every value is a bound parameter; every identifier comes from the plan (checked against the
 * extract's schema by the planner) and is quoted here. Output columns are aliased c0, c1, … in plan
 * order (dimensions, then measures); a rolled-up dimension is NULL.
 *
 * `relation` is the quoted table reference (`"x_tx_…_v1"` in the cache, `"bank"."tx"` live).
 */
export function compileGroupingSet(plan: Plan, mask: number, dialect: Dialect, relation: string): CompiledQuery {
  const params: CompiledQuery['params'] = [];
  const ctx: SqlContext = {
    dialect,
    param(value) {
      params.push(value);
      return dialect === 'sqlite' ? '?' : `$${params.length}`;
    },
    column: (name) => quoteIdent(name),
  };
  const sql = (expr: Expr) => exprToSql(expr, ctx);
  // Strings by code point in both dialects; cached timestamps (text of varying precision) by instant.
  const ordered = (column: string, type: string, dir: 'asc' | 'desc') => {
    const key = dialect === 'postgres' ? (type === 'string' ? `${column} COLLATE "C"` : column) : type === 'timestamp' ? sqliteTimestampKey(column, 'timestamp') : column;
    return `${key} ${dir.toUpperCase()} NULLS LAST`;
  };

  const plain = plan.filters.filter((f) => f.op !== 'top');
  const tops = plan.filters.filter((f): f is Extract<PlanFilter, { op: 'top' }> => f.op === 'top');

  // Placeholders are positional in SQLite: the text must be generated in reading order.
  const parts: string[] = [];
  if (tops.length) {
    const ctes = tops.map((t, i) => {
      const e = sql(t.expr);
      const agg = aggregateSql(t.by, ctx, dialect);
      const where = whereClause(plain, ctx);
      const n = ctx.param(t.n);
      return (
        `top${i} AS (SELECT e FROM (SELECT ${e} AS e, ${agg} AS a FROM ${relation}${where} GROUP BY 1) ranked ` +
        `ORDER BY a ${t.bottom ? 'ASC' : 'DESC'} NULLS LAST, ${ordered('e', t.expr.type, 'asc')} LIMIT ${n})`
      );
    });
    parts.push(`WITH ${ctes.join(', ')}`);
  }

  const select: string[] = [];
  plan.dimensions.forEach((d, i) => {
    if (mask & (1 << i)) {
      select.push(`${nullOf(d.type, dialect)} AS c${i}`);
      return;
    }
    let value = sql(d.expr);
    if (d.grain) value = grainSql(value, d.expr.type as 'date' | 'timestamp', d.grain, dialect);
    else if (d.bin) value = binSql(value, d.bin.width, d.bin.origin, ctx);
    select.push(`${value} AS c${i}`);
  });
  plan.measures.forEach((m, j) => select.push(`${aggregateSql(m, ctx, dialect)} AS c${plan.dimensions.length + j}`));
  // The grouped query is wrapped so ORDER BY sees plain columns c0…: PostgreSQL cannot apply COLLATE
  // to an output alias, and GROUP BY uses positions so a source column named like an alias cannot capture it.
  parts.push(`SELECT * FROM (SELECT ${select.join(', ')} FROM ${relation}`);

  const conditions: string[] = [];
  const where = whereClause(plain, ctx);
  if (where) conditions.push(where.slice(' WHERE '.length));
  tops.forEach((t, i) => {
    const e = sql(t.expr);
    const e2 = sql(t.expr);
    conditions.push(`(${e} IN (SELECT e FROM top${i} WHERE e IS NOT NULL) OR (${e2} IS NULL AND EXISTS (SELECT 1 FROM top${i} WHERE e IS NULL)))`);
  });
  if (conditions.length) parts.push(`WHERE ${conditions.join(' AND ')}`);

  const grouped = plan.dimensions.map((_, i) => i).filter((i) => !(mask & (1 << i)));
  if (grouped.length) parts.push(`GROUP BY ${grouped.map((i) => i + 1).join(', ')}`);
  parts.push(') grouped');
  const order = plan.order.filter((o) => o.column >= plan.dimensions.length || !(mask & (1 << o.column)));
  if (order.length) parts.push(`ORDER BY ${order.map((o) => ordered(`c${o.column}`, plan.columns[o.column]!.type, o.dir)).join(', ')}`);
  if (grouped.length) parts.push(`LIMIT ${ctx.param(plan.limit + 1)}`);
  return { sql: parts.join(' '), params };
}

function whereClause(filters: PlanFilter[], ctx: SqlContext): string {
  const conditions = filters.map((f) => filterSql(f, ctx));
  return conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
}

const lit = (type: Expr['type'], value: number | string | boolean | null): Expr => ({ k: 'lit', type, value });

function filterSql(f: PlanFilter, ctx: SqlContext): string {
  const sql = (expr: Expr) => exprToSql(expr, ctx);
  switch (f.op) {
    case 'in':
    case 'not_in': {
      const { expr } = f;
      const alternatives: string[] = [];
      if (f.values.length) {
        if (expr.type === 'timestamp') {
          // Cached timestamps are text of varying precision: compare as instants, not as strings.
          alternatives.push(...f.values.map((v) => sql({ k: 'bin', type: 'boolean', op: '=', left: expr, right: lit(expr.type, v) })));
        } else {
          const target = sql(expr);
          alternatives.push(`${target} IN (${f.values.map((v) => sql(lit(expr.type, v))).join(', ')})`);
        }
      }
      const matches = alternatives.length ? `(${alternatives.join(' OR ')})` : 'FALSE';
      if (f.op === 'in') return f.includeNull ? `(${matches} OR ${sql(expr)} IS NULL)` : `COALESCE(${matches}, FALSE)`;
      // not_in: a missing value survives unless null is listed.
      return f.includeNull ? `(${sql(expr)} IS NOT NULL AND NOT COALESCE(${matches}, FALSE))` : `(${sql(expr)} IS NULL OR NOT COALESCE(${matches}, FALSE))`;
    }
    case 'range': {
      const conditions: string[] = [];
      if (f.min !== undefined) conditions.push(sql({ k: 'bin', type: 'boolean', op: '>=', left: f.expr, right: lit(f.expr.type, f.min) }));
      if (f.max !== undefined) conditions.push(sql({ k: 'bin', type: 'boolean', op: f.maxExclusive ? '<' : '<=', left: f.expr, right: lit(f.expr.type, f.max) }));
      return `COALESCE(${conditions.join(' AND ')}, FALSE)`;
    }
    case 'contains': {
      const subject: Expr = f.caseSensitive ? f.expr : { k: 'call', type: 'string', fn: 'LOWER', args: [f.expr] };
      const needle = lit('string', f.caseSensitive ? f.value : f.value.toLowerCase());
      return `COALESCE(${sql({ k: 'call', type: 'boolean', fn: 'CONTAINS', args: [subject, needle] })}, FALSE)`;
    }
    case 'null':
      return `${sql(f.expr)} IS NULL`;
    case 'not_null':
      return `${sql(f.expr)} IS NOT NULL`;
    case 'top':
      throw new Error('top filters are compiled as CTEs');
  }
}

function aggregateSql(m: RankBy, ctx: SqlContext, dialect: Dialect): string {
  if (m.expr === null) return 'COUNT(*)';
  const x = exprToSql(m.expr, ctx);
  const pg = dialect === 'postgres';
  switch (m.agg) {
    case 'count':
      return `COUNT(${x})`;
    case 'count_distinct':
      return `COUNT(DISTINCT ${x})`;
    case 'sum':
      // SQLite's TOTAL never overflows (SUM of integers can) and sums with compensation, like SUM of REAL.
      // Compiled twice rather than repeated: SQLite placeholders are positional, each use binds its own values.
      return pg ? `(SUM(${x}))::float8` : `(CASE WHEN COUNT(${x}) = 0 THEN NULL ELSE TOTAL(${exprToSql(m.expr, ctx)}) END)`;
    case 'avg':
      return pg ? `(AVG(${x}))::float8` : `AVG(${x})`;
    case 'min':
    case 'max':
      // The least/greatest instant, not the least text: as its sort key, which toCell reads back.
      return `${m.agg.toUpperCase()}(${!pg && m.expr.type === 'timestamp' ? sqliteTimestampKey(x, 'timestamp') : x})`;
    case 'median':
    case 'percentile':
      return pg ? `percentile_cont(${ctx.param(m.p ?? 0.5)}::float8) WITHIN GROUP (ORDER BY (${x})::float8)` : `percentile_cont(${x}, ${ctx.param(m.p ?? 0.5)})`;
    case 'stddev':
      return pg ? `(stddev_samp(${x}))::float8` : `sr_stddev(${x})`;
  }
}

function nullOf(type: string, dialect: Dialect): string {
  if (dialect === 'sqlite') return 'NULL';
  return { number: 'NULL::float8', string: 'NULL::text', boolean: 'NULL::boolean', date: 'NULL::date', timestamp: 'NULL::timestamptz' }[type] ?? 'NULL';
}
