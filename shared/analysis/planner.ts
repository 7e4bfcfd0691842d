import type { z } from 'zod';
import { StrongroomError } from '../errors.js';
import { addPeriods, parseIsoInstant, relativeRange } from './dates.js';
import type { Expr } from './expr/ast.js';
import { checkExpression, ExpressionError } from './expr/check.js';
import type { Plan, PlanDimension, PlanFilter, PlanMeasure, PlanTableCalc, RankBy } from './plan.js';
import {
  analysisSpecSchema,
  DEFAULT_LIMIT,
  SPEC_VERSION,
  type AnalysisSpec,
  type Filter,
  type ResultColumn,
  type ValueType,
} from './spec.js';

type Storage = Extract<Expr, { k: 'col' }>['storage'];

/** What the planner needs to know about an extract. */
export interface ExtractShape {
  name: string;
  /** Physical table (SQLite cache) or relation (warehouse); the compiler quotes it. */
  table: string;
  columns: ReadonlyArray<{ name: string; storage: Storage }>;
}

export function typeOfStorage(storage: Storage): ValueType {
  switch (storage) {
    case 'integer':
    case 'bigint':
    case 'real':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'timestamp':
      return 'timestamp';
    default:
      return 'string';
  }
}

/** Throws INVALID_ANALYSIS pointing at `path` (a JSON path like `filters[0].values[2]`). */
export function invalid(path: string, message: string, extra: Record<string, unknown> = {}): never {
  throw new StrongroomError('INVALID_ANALYSIS', path ? `${message} (at ${path})` : message, { path, ...extra });
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
}

/** Shape validation only (no schema): the parsed spec, or INVALID_ANALYSIS with the path of the first problem. */
export function parseSpec(raw: unknown): AnalysisSpec {
  if (raw && typeof raw === 'object' && typeof (raw as { version?: unknown }).version === 'number' && (raw as { version: number }).version > SPEC_VERSION) {
    invalid('version', `This analysis was saved by a newer Strongroom (spec version ${(raw as { version: number }).version}; this one reads version ${SPEC_VERSION}). Update Strongroom to open it`);
  }
  const parsed = analysisSpecSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = deepestIssue(parsed.error.issues);
    invalid(formatPath(issue.path), issue.message);
  }
  return parsed.data;
}

// A discriminated union reports "invalid option" at the filter itself; its nested issues name the field.
function deepestIssue(issues: z.core.$ZodIssue[]): z.core.$ZodIssue {
  const first = issues[0]!;
  if (first.code === 'invalid_union' && 'errors' in first && Array.isArray(first.errors)) {
    const nested = (first.errors as z.core.$ZodIssue[][]).flat();
    if (nested.length) {
      const inner = deepestIssue(nested);
      return { ...inner, path: [...first.path, ...inner.path] };
    }
  }
  return first;
}

export interface PlanOptions {
  /** The instant relative dates and TODAY() are computed from. */
  now: Date;
}

/**
 * Validates a spec against an extract and resolves it into a plan. Every failure is INVALID_ANALYSIS
 * with the JSON path of the part at fault; a plan that comes out is safe to compile to any dialect.
 */
export function planAnalysis(raw: unknown, shape: ExtractShape, options: PlanOptions): Plan {
  return planSpec(parseSpec(raw), shape, options);
}

/** {@link planAnalysis} for a spec that already passed {@link parseSpec}. */
export function planSpec(spec: AnalysisSpec, shape: ExtractShape, options: PlanOptions): Plan {
  if (spec.extract !== shape.name) invalid('extract', `The spec is for extract "${spec.extract}", not "${shape.name}"`);
  const nowMs = options.now.getTime();

  const columns = new Map(shape.columns.map((c) => [c.name, c]));
  const calcSources = new Map<string, { index: number; expr: string }>();
  (spec.calculated ?? []).forEach((c, i) => {
    if (columns.has(c.name)) invalid(`calculated[${i}].name`, `"${c.name}" is already a column of ${shape.name}; pick another name`);
    if (calcSources.has(c.name)) invalid(`calculated[${i}].name`, `Two calculated fields are called "${c.name}"`);
    calcSources.set(c.name, { index: i, expr: c.expr });
  });
  const calcs = new Map<string, Expr>();
  const resolving: string[] = [];

  const resolveCalc = (name: string): Expr => {
    const done = calcs.get(name);
    if (done) return done;
    const source = calcSources.get(name)!;
    const path = `calculated[${source.index}].expr`;
    if (resolving.includes(name)) invalid(path, `Calculated field "${name}" refers to itself (${[...resolving.slice(resolving.indexOf(name)), name].join(' → ')})`);
    resolving.push(name);
    let expr: Expr;
    try {
      expr = checkExpression(source.expr, lookup, { now: options.now });
    } catch (err) {
      if (err instanceof ExpressionError) invalid(path, `${err.message}`, { position: err.position });
      throw err;
    } finally {
      resolving.pop();
    }
    if (expr.type === 'null') invalid(path, `Calculated field "${name}" is always empty (NULL); give it a value`);
    calcs.set(name, expr);
    return expr;
  };
  function lookup(name: string): { type: ValueType; expr: Expr } | null {
    const column = columns.get(name);
    if (column) {
      const type = typeOfStorage(column.storage);
      return { type, expr: { k: 'col', type, name: column.name, storage: column.storage } };
    }
    if (calcSources.has(name)) {
      const expr = resolveCalc(name);
      return { type: expr.type as ValueType, expr };
    }
    return null;
  }
  // Check every calculated field, used or not: a broken one is a broken analysis.
  for (const name of calcSources.keys()) resolveCalc(name);

  const field = (name: string, path: string): { type: ValueType; expr: Expr } => {
    const found = lookup(name);
    if (!found) invalid(path, `No field "${name}" in ${shape.name}${suggest(name, [...columns.keys(), ...calcSources.keys()])}`);
    return found;
  };

  const outputs = new Map<string, string>();
  const claim = (name: string, path: string) => {
    const other = outputs.get(name);
    if (other) invalid(path, `Two output columns are called "${name}" (also ${other}); give one of them another name with "as"`);
    outputs.set(name, path);
  };

  const dimensions: PlanDimension[] = (spec.dimensions ?? []).map((d, i) => {
    const path = `dimensions[${i}]`;
    const { type, expr } = field(d.field, `${path}.field`);
    if (d.grain && d.bin) invalid(`${path}.bin`, 'A dimension takes a date grain or numeric bins, not both');
    if (d.grain && type !== 'date' && type !== 'timestamp') invalid(`${path}.grain`, `"${d.field}" is ${article(type)}, not a date; grains apply to dates and timestamps`);
    if (d.bin && type !== 'number') invalid(`${path}.bin`, `"${d.field}" is ${article(type)}; bins apply to numbers`);
    const name = d.as ?? (d.grain ? `${d.field}_${d.grain}` : d.bin ? `${d.field}_bin` : d.field);
    claim(name, d.as ? `${path}.as` : path);
    return {
      name,
      expr,
      ...(d.grain ? { grain: d.grain } : {}),
      ...(d.bin ? { bin: { width: d.bin.width, origin: d.bin.origin ?? 0 } } : {}),
      type: d.grain ? 'date' : d.bin ? 'number' : type,
    };
  });

  const aggregate = (m: { agg: PlanMeasure['agg']; field?: string | undefined; p?: number | undefined }, path: string): RankBy & { type: ValueType } => {
    if (m.agg === 'percentile' && m.p === undefined) invalid(`${path}.p`, 'A percentile needs p, a fraction between 0 and 1 (0.9 for the 90th percentile)');
    if (m.agg !== 'percentile' && m.p !== undefined) invalid(`${path}.p`, `p only applies to percentile, not ${m.agg}`);
    if (m.field === undefined) {
      if (m.agg !== 'count') invalid(`${path}.field`, `${m.agg} needs a field`);
      return { agg: 'count', expr: null, type: 'number' };
    }
    const { type, expr } = field(m.field, `${path}.field`);
    const numeric = ['sum', 'avg', 'median', 'percentile', 'stddev'].includes(m.agg);
    if (numeric && type !== 'number') invalid(`${path}.field`, `${m.agg} needs a number; "${m.field}" is ${article(type)}`);
    if ((m.agg === 'min' || m.agg === 'max') && type === 'boolean') invalid(`${path}.field`, `${m.agg} does not apply to true/false values; count them instead`);
    const p = m.agg === 'median' ? 0.5 : m.p;
    return { agg: m.agg, expr, ...(p !== undefined ? { p } : {}), type: m.agg === 'min' || m.agg === 'max' ? type : 'number' };
  };

  const measures: PlanMeasure[] = (spec.measures ?? []).map((m, i) => {
    const path = `measures[${i}]`;
    const resolved = aggregate(m, path);
    claim(m.as, `${path}.as`);
    return { name: m.as, ...resolved };
  });
  if (dimensions.length === 0 && measures.length === 0) invalid('dimensions', 'An analysis needs at least one dimension or measure');

  const filters: PlanFilter[] = (spec.filters ?? []).map((f, i) => planFilter(f, `filters[${i}]`, field, aggregate, nowMs));

  const columnsOut: ResultColumn[] = [
    ...dimensions.map((d) => ({ name: d.name, type: d.type, role: 'dimension' as const })),
    ...measures.map((m) => ({ name: m.name, type: m.type, role: 'measure' as const })),
  ];
  const indexOf = new Map(columnsOut.map((c, i) => [c.name, i]));

  const order: Plan['order'] = [];
  (spec.sort ?? []).forEach((s, i) => {
    const column = indexOf.get(s.by);
    if (column === undefined) invalid(`sort[${i}].by`, `Cannot sort by "${s.by}": it is not a dimension or measure of this analysis`);
    if (order.some((o) => o.column === column)) invalid(`sort[${i}].by`, `"${s.by}" is sorted on twice`);
    order.push({ column, dir: s.dir ?? 'asc' });
  });
  dimensions.forEach((_, i) => {
    if (!order.some((o) => o.column === i)) order.push({ column: i, dir: 'asc' });
  });

  const groupingSets = planGroupingSets(spec, dimensions);

  const tableCalcs: PlanTableCalc[] = (spec.tableCalcs ?? []).map((t, i) => {
    const path = `tableCalcs[${i}]`;
    const measure = indexOf.get(t.measure);
    if (measure === undefined || measure < dimensions.length) invalid(`${path}.measure`, `"${t.measure}" is not a measure of this analysis`);
    let along: number | null;
    if (t.along !== undefined) {
      const d = indexOf.get(t.along);
      if (d === undefined || d >= dimensions.length) invalid(`${path}.along`, `"${t.along}" is not a dimension of this analysis`);
      along = d;
    } else if (t.calc === 'percent_of_total' || t.calc === 'rank') {
      along = null;
    } else {
      const dated = dimensions.findIndex((d) => d.type === 'date' || d.type === 'timestamp');
      along = dated >= 0 ? dated : dimensions.length ? 0 : null;
    }
    if (t.window !== undefined && t.calc !== 'moving_average') invalid(`${path}.window`, 'window only applies to moving_average');
    claim(t.as, `${path}.as`);
    return { calc: t.calc, measure, name: t.as, along, window: t.window ?? 3, dir: t.dir ?? 'desc' };
  });

  if (spec.chart) {
    const names = new Set([...columnsOut.map((c) => c.name), ...tableCalcs.map((t) => t.name)]);
    for (const channel of ['x', 'y', 'y2', 'color', 'size', 'facet', 'lat', 'lon'] as const) {
      const value = spec.chart[channel];
      const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
      list.forEach((name, j) => {
        if (!names.has(name)) invalid(Array.isArray(value) ? `chart.${channel}[${j}]` : `chart.${channel}`, `The chart's ${channel} "${name}" is not a column of this analysis`);
      });
    }
  }

  const plan: Omit<Plan, 'key'> = {
    extract: shape.name,
    table: shape.table,
    dimensions,
    measures,
    filters,
    order,
    limit: spec.limit ?? DEFAULT_LIMIT,
    groupingSets,
    columns: columnsOut,
    tableCalcs,
  };
  return { ...plan, key: JSON.stringify(plan) };
}

function planGroupingSets(spec: AnalysisSpec, dimensions: PlanDimension[]): number[] {
  if (!spec.pivot) return [0];
  const { rows, columns } = spec.pivot;
  const index = new Map(dimensions.map((d, i) => [d.name, i]));
  const seen = new Set<string>();
  const resolve = (names: string[], side: 'rows' | 'columns') =>
    names.map((name, j) => {
      const i = index.get(name);
      if (i === undefined) invalid(`pivot.${side}[${j}]`, `"${name}" is not a dimension of this analysis`);
      if (seen.has(name)) invalid(`pivot.${side}[${j}]`, `"${name}" is placed in the pivot twice`);
      seen.add(name);
      return i;
    });
  const r = resolve(rows, 'rows');
  const c = resolve(columns, 'columns');
  const missing = dimensions.find((d) => !seen.has(d.name));
  if (missing) invalid('pivot', `Dimension "${missing.name}" is in neither the pivot's rows nor its columns`);
  const subtotals = spec.pivot.subtotals ?? true;
  const grand = spec.pivot.grandTotals ?? true;
  // Levels kept on one side: all of its fields, each leading part (subtotals), none (grand total).
  const levels = (fields: number[]) => {
    const out = [fields.length];
    if (subtotals) for (let k = fields.length - 1; k >= 1; k--) out.push(k);
    if (grand && fields.length > 0) out.push(0);
    return out;
  };
  const masks: number[] = [];
  for (const rk of levels(r)) {
    for (const ck of levels(c)) {
      let mask = 0;
      for (const i of r.slice(rk)) mask |= 1 << i;
      for (const i of c.slice(ck)) mask |= 1 << i;
      if (!masks.includes(mask)) masks.push(mask);
    }
  }
  return masks;
}

type FieldLookup = (name: string, path: string) => { type: ValueType; expr: Expr };
type AggregateLookup = (m: { agg: PlanMeasure['agg']; field?: string | undefined; p?: number | undefined }, path: string) => RankBy & { type: ValueType };

function planFilter(f: Filter, path: string, field: FieldLookup, aggregate: AggregateLookup, nowMs: number): PlanFilter {
  const { type, expr } = field(f.field, `${path}.field`);
  switch (f.op) {
    case 'in':
    case 'not_in': {
      const values: Array<number | string | boolean> = [];
      let includeNull = false;
      f.values.forEach((v, j) => {
        if (v === null) includeNull = true;
        else values.push(literal(v, type, `${path}.values[${j}]`).value);
      });
      return { op: f.op, expr, values, includeNull };
    }
    case 'range': {
      if (f.min === undefined && f.max === undefined) invalid(path, 'A range filter needs min, max or both');
      if (type === 'boolean') invalid(`${path}.field`, `"${f.field}" is true/false; use an "in" filter`);
      const min = f.min === undefined ? undefined : literal(f.min, type, `${path}.min`);
      const max = f.max === undefined ? undefined : literal(f.max, type, `${path}.max`);
      // A date-only upper bound on a timestamp means "through the end of that day".
      const wholeDay = type === 'timestamp' && max?.dateOnly === true;
      const upper = max === undefined ? undefined : wholeDay ? addPeriods(max.value as number, 'day', 1) : max.value;
      if (min !== undefined && upper !== undefined && (wholeDay ? min.value >= upper : min.value > upper)) invalid(path, 'The range is empty: min is after max');
      return {
        op: 'range',
        expr,
        ...(min !== undefined ? { min: min.value as number | string } : {}),
        ...(upper !== undefined ? { max: upper as number | string } : {}),
        maxExclusive: wholeDay,
      };
    }
    case 'contains':
      if (type !== 'string') invalid(`${path}.field`, `"contains" applies to text; "${f.field}" is ${article(type)}`);
      return { op: 'contains', expr, value: f.value, caseSensitive: f.caseSensitive ?? false };
    case 'null':
    case 'not_null':
      return { op: f.op, expr };
    case 'relative': {
      if (type !== 'date' && type !== 'timestamp') invalid(`${path}.field`, `Relative dates apply to dates and timestamps; "${f.field}" is ${article(type)}`);
      const { start, end } = relativeRange(nowMs, f.last, f.unit);
      return { op: 'range', expr, min: start, max: end, maxExclusive: true };
    }
    case 'top': {
      const by = aggregate(f.by, `${path}.by`);
      return { op: 'top', expr, n: f.n, by: { agg: by.agg, expr: by.expr, ...(by.p !== undefined ? { p: by.p } : {}) }, bottom: f.bottom ?? false };
    }
  }
}

/** Converts a JSON value to the field's type (dates to epoch ms), or INVALID_ANALYSIS at `path`. */
function literal(v: string | number | boolean, type: ValueType, path: string): { value: number | string | boolean; dateOnly?: boolean } {
  switch (type) {
    case 'number':
      if (typeof v !== 'number') invalid(path, `Expected a number, got ${JSON.stringify(v)}`);
      return { value: v };
    case 'string':
      if (typeof v !== 'string') invalid(path, `Expected text, got ${JSON.stringify(v)}`);
      return { value: v };
    case 'boolean':
      if (typeof v !== 'boolean') invalid(path, `Expected true or false, got ${JSON.stringify(v)}`);
      return { value: v };
    case 'date':
    case 'timestamp': {
      const parsed = typeof v === 'string' ? parseIsoInstant(v) : null;
      if (!parsed) invalid(path, `Expected a date like 2024-03-31${type === 'timestamp' ? ' or a date-time like 2024-03-31T09:30:00Z' : ''}, got ${JSON.stringify(v)}`);
      if (type === 'date' && !parsed.dateOnly) invalid(path, `"${String(v)}" has a time of day, but this field holds dates`);
      return { value: parsed.ms, dateOnly: parsed.dateOnly };
    }
  }
}

function article(type: ValueType): string {
  return { number: 'a number', string: 'text', boolean: 'true/false', date: 'a date', timestamp: 'a timestamp' }[type];
}

function suggest(name: string, candidates: string[]): string {
  const lower = name.toLowerCase();
  const best = candidates
    .map((c) => ({ c, d: distance(lower, c.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(1, Math.floor(name.length / 3)))
    .sort((a, b) => a.d - b.d)[0];
  return best ? ` (did you mean "${best.c}"?)` : '';
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length]!;
}
