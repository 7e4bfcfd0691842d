/**
 * The in-memory columnar engine against the naive reference executor (test/helpers/reference-engine.ts)
 * on seeded random transactions with nulls, hostile text, refunds and fractional timestamps. Plans are
 * built by hand. COLUMNAR_BENCH=1 (or =10m) adds a timing run on synthetic data (printed, not asserted).
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { executePlan } from '../../electron/worker/query/columnar/execute.js';
import { loadTable } from '../../electron/worker/query/columnar/load.js';
import { ColumnarTable, TableBuilder, type Column } from '../../electron/worker/query/columnar/store.js';
import { sqliteType, storageFor } from '../../electron/worker/sync/types.js';
import type { Expr, FunctionName } from '../../shared/analysis/expr/ast.js';
import type { EngineResult, Plan, PlanFilter, RankBy } from '../../shared/analysis/plan.js';
import { typeOfStorage } from '../../shared/analysis/planner.js';
import type { Aggregation, Grain, ValueType } from '../../shared/analysis/spec.js';
import { StrongroomError } from '../../shared/errors.js';
import { BRANCHES, mulberry32, TX_COLUMNS, txRows } from '../helpers/analysis-data.js';
import { referenceExecute } from '../helpers/reference-engine.js';

// ---- data ----------------------------------------------------------------------------------------

const SPECS = TX_COLUMNS.map((c) => ({ name: c.name, storage: storageFor(c.pgType) }));
const ODD = TX_COLUMNS[8].name;

function build(rows: unknown[][]): ColumnarTable {
  const b = new TableBuilder(SPECS, rows.length);
  for (let i = 0; i < rows.length; i += 1000) b.appendRows(rows.slice(i, i + 1000));
  return b.finish();
}
const records = (rows: unknown[][]) => rows.map((r) => Object.fromEntries(SPECS.map((c, i) => [c.name, r[i]])));

const RAW = txRows(3000, 7);
const TX = build(RAW);
const ROWS = records(RAW);

// ---- expressions -----------------------------------------------------------------------------------

type E = Expr;
const col = (name: string): E => {
  const storage = SPECS.find((c) => c.name === name)!.storage;
  return { k: 'col', type: typeOfStorage(storage), name, storage };
};
const C = {
  id: col('id'), branch: col('branch'), channel: col('channel'), amount: col('amount'), booked: col('booked_at'),
  day: col('value_date'), rev: col('is_reversal'), cat: col('category'), odd: col(ODD),
};
const lit = (value: number | string | boolean | null, type: E['type']): E => ({ k: 'lit', type, value });
const n = (v: number | null) => lit(v, 'number');
const s = (v: string | null) => lit(v, 'string');
const date = (iso: string) => lit(Date.parse(`${iso}T00:00:00Z`), 'date');
const ts = (iso: string) => lit(Date.parse(iso), 'timestamp');
const ARITH = new Set(['+', '-', '*', '/', '%']);
const bin = (op: Extract<E, { k: 'bin' }>['op'], left: E, right: E): E => ({
  k: 'bin', op, left, right, type: ARITH.has(op) ? 'number' : op === '&' ? 'string' : 'boolean',
});
const call = (fn: FunctionName, type: ValueType, ...args: E[]): E => ({ k: 'call', fn, type, args });
const iff = (when: E, then: E, otherwise: E | null): E => ({ k: 'case', type: then.type, whens: [{ when, then }], else: otherwise });
const not = (arg: E): E => ({ k: 'un', type: 'boolean', op: 'not', arg });
const isnull = (arg: E, negate = false): E => ({ k: 'isnull', type: 'boolean', arg, negate });

// ---- plans -----------------------------------------------------------------------------------------

interface Q {
  dims?: Array<{ expr: E; grain?: Grain; bin?: { width: number; origin: number } }>;
  measures?: Array<{ agg: Aggregation; expr?: E | null; p?: number }>;
  filters?: PlanFilter[];
  order?: Plan['order'];
  limit?: number;
  sets?: number[];
}

function plan(q: Q): Plan {
  const dimensions = (q.dims ?? []).map((d, i) => ({
    name: `d${i}`, expr: d.expr, ...(d.grain ? { grain: d.grain } : {}), ...(d.bin ? { bin: d.bin } : {}),
    type: (d.grain ? 'date' : d.bin ? 'number' : d.expr.type) as ValueType,
  }));
  const measures = (q.measures ?? []).map((m, j) => ({
    name: `m${j}`, agg: m.agg, expr: m.expr ?? null, ...(m.p !== undefined ? { p: m.p } : m.agg === 'median' ? { p: 0.5 } : {}),
    type: (m.agg === 'min' || m.agg === 'max' ? m.expr!.type : 'number') as ValueType,
  }));
  const order = [...(q.order ?? [])];
  dimensions.forEach((_, i) => order.some((o) => o.column === i) || order.push({ column: i, dir: 'asc' }));
  return {
    extract: 'tx', table: 'tx', dimensions, measures, filters: q.filters ?? [], order, limit: q.limit ?? 10_000,
    groupingSets: q.sets ?? [0], tableCalcs: [], key: '',
    columns: [...dimensions.map((d) => ({ name: d.name, type: d.type, role: 'dimension' as const })), ...measures.map((m) => ({ name: m.name, type: m.type, role: 'measure' as const }))],
  };
}

function expectSame(got: EngineResult, want: EngineResult, label: string) {
  expect(got.rowCount, label).toBe(want.rowCount);
  expect(got.grouping, label).toEqual(want.grouping);
  expect(got.truncated, label).toBe(want.truncated);
  want.data.forEach((column, c) =>
    column.forEach((cell, r) => {
      const other = got.data[c]![r];
      if (typeof cell === 'number' && typeof other === 'number' && cell !== other) {
        expect(Math.abs(other - cell), `${label} [${c}][${r}] ${other} vs ${cell}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(cell)));
      } else expect(other, `${label} [${c}][${r}]`).toEqual(cell);
    }),
  );
}

async function check(q: Q, label = JSON.stringify(q).slice(0, 160), table = TX, rows = ROWS): Promise<EngineResult> {
  const p = plan(q);
  const got = await executePlan(p, table);
  expectSame(got, referenceExecute(p, rows), label);
  return got;
}

const count: Q['measures'] = [{ agg: 'count' }];
const sumCount: Q['measures'] = [{ agg: 'sum', expr: C.amount }, { agg: 'count' }];

// ---- tests -----------------------------------------------------------------------------------------

describe('filters', () => {
  const cases: Array<[string, PlanFilter]> = [
    ['in text', { op: 'in', expr: C.branch, values: [BRANCHES[0]!, BRANCHES[3]!], includeNull: false }],
    ['in text with null', { op: 'in', expr: C.branch, values: ['Kazan'], includeNull: true }],
    ['in nothing but null', { op: 'in', expr: C.cat, values: [], includeNull: true }],
    ['not_in text', { op: 'not_in', expr: C.cat, values: ['fuel', 'rent'], includeNull: false }],
    ['not_in drops null', { op: 'not_in', expr: C.cat, values: ['fuel'], includeNull: true }],
    ['in numbers', { op: 'in', expr: C.odd, values: [0, 1, 2, -10, 39], includeNull: false }],
    ['in boolean', { op: 'in', expr: C.rev, values: [true], includeNull: false }],
    ['in dates', { op: 'in', expr: C.day, values: [Date.UTC(2023, 0, 1), Date.UTC(2024, 1, 29)], includeNull: false }],
    ['in timestamp instant', { op: 'in', expr: C.booked, values: [Date.parse(`${RAW[5]![4]}`)], includeNull: false }],
    ['range number', { op: 'range', expr: C.amount, min: -50, max: 100, maxExclusive: false }],
    ['range min only', { op: 'range', expr: C.odd, min: 30, maxExclusive: false }],
    ['range max exclusive', { op: 'range', expr: C.booked, max: Date.UTC(2023, 5, 1), maxExclusive: true }],
    ['range dates', { op: 'range', expr: C.day, min: Date.UTC(2023, 11, 31), max: Date.UTC(2024, 0, 31), maxExclusive: false }],
    ['range text', { op: 'range', expr: C.branch, min: 'O', max: 'Zz', maxExclusive: false }],
    ['contains folded', { op: 'contains', expr: C.cat, value: 'TRAVEL', caseSensitive: false }],
    ['contains exact', { op: 'contains', expr: C.cat, value: 'TRAVEL', caseSensitive: true }],
    ['contains cyrillic', { op: 'contains', expr: C.branch, value: 'москва', caseSensitive: false }],
    ['contains %', { op: 'contains', expr: C.cat, value: '%', caseSensitive: true }],
    ['null', { op: 'null', expr: C.amount }],
    ['not_null', { op: 'not_null', expr: C.booked }],
    ['null text', { op: 'null', expr: C.branch }],
    ['on an expression', { op: 'in', expr: call('UPPER', 'string', C.channel), values: ['ATM', 'CARD'], includeNull: false }],
    ['boolean expression', { op: 'in', expr: bin('>', C.amount, n(1000)), values: [false], includeNull: true }],
  ];
  it.each(cases)('%s', async (label, f) => {
    await check({ dims: [{ expr: C.channel }], measures: sumCount, filters: [f] }, label);
    await check({ measures: [{ agg: 'count' }, { agg: 'max', expr: C.id }], filters: [f] }, `${label} (total)`);
  });

  it('several at once, and nothing left', async () => {
    await check({ dims: [{ expr: C.branch }], measures: sumCount, filters: [cases[0]![1], cases[9]![1], cases[19]![1]] });
    const none = await check({ dims: [{ expr: C.branch }], measures: sumCount, filters: [{ op: 'range', expr: C.amount, min: 1e12, maxExclusive: false }] });
    expect(none.rowCount).toBe(0);
    const total = await check({ measures: [...sumCount!, { agg: 'median', expr: C.amount }], filters: [{ op: 'range', expr: C.amount, min: 1e12, maxExclusive: false }] });
    expect(total.data.map((c) => c[0])).toEqual([null, 0, null]);
  });
});

describe('aggregations', () => {
  const all = (e: E): Q['measures'] => [
    { agg: 'count', expr: e }, { agg: 'count_distinct', expr: e }, { agg: 'min', expr: e }, { agg: 'max', expr: e },
  ];
  it.each([
    ['number', [...all(C.amount)!, { agg: 'sum', expr: C.amount }, { agg: 'avg', expr: C.amount }, { agg: 'stddev', expr: C.amount }, { agg: 'median', expr: C.amount }]],
    ['percentiles', [0, 0.1, 0.25, 0.9, 0.999, 1].map((p) => ({ agg: 'percentile' as const, expr: C.amount, p }))],
    ['integers', [...all(C.odd)!, { agg: 'sum', expr: C.odd }, { agg: 'median', expr: C.odd }, { agg: 'stddev', expr: C.odd }]],
    ['text', all(C.branch)],
    ['dates', all(C.day)],
    ['timestamps', all(C.booked)],
    ['booleans', [{ agg: 'count', expr: C.rev }, { agg: 'count_distinct', expr: C.rev }]],
  ] as Array<[string, Q['measures']]>)('%s', async (label, measures) => {
    await check({ dims: [{ expr: C.channel }, { expr: C.rev }], measures }, label);
    await check({ dims: [{ expr: C.cat }], measures }, `${label} by category`);
    await check({ measures }, `${label} total`);
  });

  it('stddev and percentiles of tiny groups (one value, two values)', async () => {
    await check({ dims: [{ expr: C.id }], measures: [{ agg: 'stddev', expr: C.amount }, { agg: 'median', expr: C.amount }], filters: [{ op: 'range', expr: C.id, max: 40, maxExclusive: false }] });
    await check({ dims: [{ expr: iff(bin('<', C.id, n(21)), n(1), n(2)) }], measures: [{ agg: 'stddev', expr: C.amount }, { agg: 'percentile', expr: C.amount, p: 0.3 }], filters: [{ op: 'range', expr: C.id, max: 22, maxExclusive: false }] });
  });
});

describe('dimensions', () => {
  it.each(['day', 'week', 'month', 'quarter', 'year'] as Grain[])('grain %s on timestamps and dates', async (grain) => {
    await check({ dims: [{ expr: C.booked, grain }], measures: sumCount });
    await check({ dims: [{ expr: C.day, grain }, { expr: C.rev }], measures: count });
  });

  it('plain values of every type', async () => {
    for (const expr of [C.id, C.branch, C.channel, C.amount, C.booked, C.day, C.rev, C.cat, C.odd]) await check({ dims: [{ expr }], measures: count });
  });

  it('bins', async () => {
    await check({ dims: [{ expr: C.amount, bin: { width: 500, origin: 0 } }], measures: sumCount });
    await check({ dims: [{ expr: C.odd, bin: { width: 7, origin: 3 } }], measures: count });
    await check({ dims: [{ expr: C.amount, bin: { width: 0.5, origin: 0.25 } }], measures: count, limit: 50, order: [{ column: 1, dir: 'desc' }] });
  });

  it('many groups: dense and hashed keys, folded group ids', async () => {
    await check({ dims: [{ expr: C.id }, { expr: C.booked }], measures: sumCount });
    await check({ dims: [{ expr: C.amount }, { expr: C.branch }, { expr: C.day }], measures: count, limit: 100, order: [{ column: 3, dir: 'desc' }] });
  });
});

describe('grouping sets, order, limit', () => {
  const pivot = [0, 0b010, 0b110, 0b100, 0b011, 0b111];
  it('pivot subtotals and totals match the reference and add up', async () => {
    const got = await check({ dims: [{ expr: C.channel }, { expr: C.rev }, { expr: C.booked, grain: 'year' }], measures: [...sumCount!, { agg: 'median', expr: C.amount }], sets: pivot });
    const rowsOf = (mask: number) => got.grouping.flatMap((g, r) => (g === mask ? [r] : []));
    const n = got.data[4]!;
    expect(rowsOf(0b111).map((r) => n[r])).toEqual([3000]);
    for (const mask of pivot) expect(rowsOf(mask).reduce((a, r) => a + (n[r] as number), 0)).toBe(3000);
    const sum = (mask: number) => rowsOf(mask).reduce((a, r) => a + ((got.data[3]![r] as number | null) ?? 0), 0);
    expect(sum(0b010)).toBeCloseTo(sum(0), 4);
    expect(sum(0b111)).toBeCloseTo(sum(0), 4);
  });

  it('orders by measures both ways with nulls last; limit applies to every set', async () => {
    const q: Q = { dims: [{ expr: C.branch }, { expr: C.cat }], measures: [{ agg: 'max', expr: C.odd }, { agg: 'min', expr: C.branch }], order: [{ column: 2, dir: 'desc' }] };
    await check(q);
    await check({ ...q, order: [{ column: 3, dir: 'asc' }, { column: 1, dir: 'desc' }] });
    const cut = await check({ ...q, limit: 5, sets: [0, 0b01, 0b11] });
    expect(cut.truncated).toBe(true);
    expect(cut.grouping).toEqual([0, 0, 0, 0, 0, 0b01, 0b01, 0b01, 0b01, 0b01, 0b11]);
    const exact = await check({ dims: [{ expr: C.channel }], measures: count, limit: 4 });
    expect([exact.rowCount, exact.truncated]).toEqual([4, false]);
    const ids = await check({ dims: [{ expr: C.id }], limit: 10 });
    expect(ids.data[0]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('no dimensions: one row, even when nothing matches', async () => {
    const empty = await check({ measures: [{ agg: 'count' }, { agg: 'sum', expr: C.amount }, { agg: 'count_distinct', expr: C.branch }, { agg: 'min', expr: C.day }], filters: [{ op: 'in', expr: C.channel, values: ['nope'], includeNull: false }] });
    expect(empty.data.map((c) => c[0])).toEqual([0, null, 0, null]);
    await check({ dims: [{ expr: C.channel }], measures: count, filters: [{ op: 'in', expr: C.channel, values: ['nope'], includeNull: false }], sets: [0, 1] });
    const nothing = build([]);
    await check({ measures: [{ agg: 'count' }, { agg: 'avg', expr: C.amount }], sets: [0] }, 'empty table', nothing, []);
    expect((await check({ dims: [{ expr: C.branch }], measures: count, sets: [0, 1] }, 'empty table, total', nothing, [])).rowCount).toBe(1);
  });
});

describe('top and bottom N', () => {
  const top = (expr: E, k: number, by: RankBy, bottom = false): PlanFilter => ({ op: 'top', expr, n: k, by, bottom });
  it.each([
    ['top branches by sum', top(C.branch, 2, { agg: 'sum', expr: C.amount })],
    ['bottom branches by sum', top(C.branch, 3, { agg: 'sum', expr: C.amount }, true)],
    ['null is a value (top categories by count)', top(C.cat, 3, { agg: 'count', expr: null })],
    ['ties broken by value', top(C.rev, 1, { agg: 'count_distinct', expr: C.channel })],
    ['by median', top(C.channel, 2, { agg: 'median', expr: C.amount }, true)],
    ['by max of text', top(C.cat, 2, { agg: 'max', expr: C.branch })],
    ['aggregate nulls last', top(C.odd, 4, { agg: 'min', expr: iff(bin('>', C.odd, n(35)), C.amount, null) })],
    ['months', top(C.day, 5, { agg: 'avg', expr: C.amount })],
  ] as Array<[string, PlanFilter]>)('%s', async (label, f) => {
    await check({ dims: [{ expr: C.branch }, { expr: C.channel }], measures: sumCount, filters: [f] }, label);
    await check({ dims: [{ expr: C.rev }], measures: sumCount, filters: [{ op: 'range', expr: C.booked, min: Date.UTC(2024, 0, 1), maxExclusive: false }, f] }, `${label} + range`);
  });

  it('two top filters rank over the other filters independently', async () => {
    await check({
      dims: [{ expr: C.branch }, { expr: C.cat }],
      measures: sumCount,
      filters: [top(C.branch, 3, { agg: 'count', expr: null }), { op: 'not_null', expr: C.amount }, top(C.cat, 2, { agg: 'sum', expr: C.amount }, true)],
    });
  });
});

describe('expressions', () => {
  const D = C.day;
  const exprs: Array<[string, E]> = [
    ['IF refund', iff(bin('<', C.amount, n(0)), s('refund'), s('payment'))],
    ['concat', bin('&', bin('&', call('UPPER', 'string', C.branch), s(' / ')), C.channel)],
    ['CONCAT nulls', call('CONCAT', 'string', C.cat, s('|'), C.branch)],
    ['CONTAINS LOWER', call('CONTAINS', 'boolean', call('LOWER', 'string', C.cat), s('travel'))],
    ['STARTSWITH/ENDSWITH', bin('or', call('STARTSWITH', 'boolean', C.branch, s('Mo')), call('ENDSWITH', 'boolean', C.cat, s('l')))],
    ['LENGTH LEFT RIGHT', bin('&', call('LEFT', 'string', C.branch, n(3)), call('RIGHT', 'string', C.branch, bin('-', call('LENGTH', 'number', C.branch), n(12))))],
    ['SUBSTR', call('SUBSTR', 'string', C.branch, n(-1), n(4))],
    ['SUBSTR open', call('SUBSTR', 'string', C.cat, n(3))],
    ['REPLACE TRIM', call('TRIM', 'string', call('REPLACE', 'string', C.cat, s('a'), s('  ')))],
    ['COALESCE', call('COALESCE', 'number', C.amount, C.odd, n(0))],
    ['CASE channel', { k: 'case', type: 'number', whens: [{ when: bin('=', C.channel, s('atm')), then: n(1) }, { when: bin('=', C.channel, s('card')), then: n(2) }], else: n(3) }],
    ['divide by zero', bin('/', C.amount, bin('-', C.odd, C.odd))],
    ['remainder', bin('%', C.id, n(7))],
    ['decimal remainder', bin('%', C.amount, n(2.5))],
    ['ROUND', call('ROUND', 'number', C.amount, n(1))],
    ['ROUND tens', call('ROUND', 'number', C.amount, n(-2))],
    ['FLOOR CEIL ABS', bin('+', call('FLOOR', 'number', C.amount), call('CEIL', 'number', call('ABS', 'number', C.amount)))],
    ['SQRT of negatives', call('FLOOR', 'number', call('SQRT', 'number', C.amount))],
    ['LN EXP POWER', call('ROUND', 'number', bin('+', call('LN', 'number', C.amount), call('POWER', 'number', C.odd, n(-1))), n(3))],
    ['three-valued logic', bin('and', not(C.rev), bin('>', C.amount, n(10)))],
    ['isnull', bin('or', isnull(C.amount), isnull(C.branch, true))],
    ['date vs timestamp', bin('<', D, C.booked)],
    ['YEAR QUARTER MONTH', bin('+', bin('*', call('YEAR', 'number', C.booked), n(100)), bin('+', call('MONTH', 'number', D), bin('*', call('QUARTER', 'number', D), n(1000))))],
    ['DAY WEEKDAY HOUR', bin('+', call('DAY', 'number', D), bin('*', call('WEEKDAY', 'number', C.booked), call('HOUR', 'number', C.booked)))],
    ...(['day', 'week', 'month', 'quarter', 'year'] as const).flatMap((u): Array<[string, E]> => [
      [`DATETRUNC ${u}`, call('DATETRUNC', 'date', s(u), C.booked)],
      [`DATEDIFF ${u}`, call('DATEDIFF', 'number', s(u), D, date('2024-06-30'))],
      [`DATEADD ${u}`, call('DATEADD', 'date', s(u), n(u === 'month' ? 1 : -2.7), D)],
      [`DATEADD ${u} timestamp`, call('DATEADD', 'timestamp', s(u), bin('%', C.id, n(5)), C.booked)],
    ]),
    ['DATEDIFF timestamp literal', call('DATEDIFF', 'number', s('week'), ts('2023-03-05T23:59:59.5Z'), C.booked)],
  ];
  it.each(exprs)('%s', async (label, expr) => {
    await check({ dims: [{ expr }], measures: sumCount, limit: 500 }, label);
    const filter: PlanFilter = { op: 'not_null', expr };
    await check({ dims: [{ expr: C.channel }], measures: [{ agg: 'count_distinct', expr }, { agg: 'max', expr }], filters: [filter] }, `${label} as measure`);
  });

  it('as measures, filters and top N at once', async () => {
    const refund = exprs[0]![1];
    const net = call('COALESCE', 'number', C.amount, n(0));
    await check({
      dims: [{ expr: refund }, { expr: call('DATETRUNC', 'date', s('quarter'), D) }],
      measures: [{ agg: 'sum', expr: net }, { agg: 'avg', expr: bin('*', net, n(2)) }, { agg: 'median', expr: call('ABS', 'number', net) }],
      filters: [{ op: 'in', expr: refund, values: ['refund'], includeNull: false }, { op: 'top', expr: C.branch, n: 2, by: { agg: 'sum', expr: net }, bottom: false }],
    });
  });
});

describe('random plans (seeded) against the reference', () => {
  it('300 plans', async () => {
    const rnd = mulberry32(20261125);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
    const grains: Grain[] = ['day', 'week', 'month', 'quarter', 'year'];
    const refund = iff(bin('<', C.amount, n(0)), s('refund'), s('payment'));
    const dims = (): NonNullable<Q['dims']>[number] =>
      pick([
        { expr: C.branch }, { expr: C.channel }, { expr: C.cat }, { expr: C.rev }, { expr: C.odd }, { expr: C.day },
        { expr: C.day, grain: pick(grains) }, { expr: C.booked, grain: pick(grains) }, { expr: C.amount, bin: { width: pick([250, 0.5, 1000]), origin: pick([0, -100]) } },
        { expr: refund }, { expr: call('YEAR', 'number', C.booked) }, { expr: call('LOWER', 'string', C.cat) }, { expr: bin('>', C.odd, n(20)) },
      ]);
    const numeric = [C.amount, C.odd, call('COALESCE', 'number', C.amount, n(0)), bin('*', C.amount, n(2)), bin('/', C.amount, C.odd)];
    const any = [...numeric, C.branch, C.day, C.booked, C.cat, C.rev, refund];
    const measure = (): NonNullable<Q['measures']>[number] => {
      const agg = pick(['count', 'count', 'count_distinct', 'sum', 'avg', 'min', 'max', 'median', 'percentile', 'stddev'] as const);
      if (agg === 'count') return rnd() < 0.5 ? { agg } : { agg, expr: pick(any) };
      if (agg === 'count_distinct') return { agg, expr: pick(any) };
      if (agg === 'min' || agg === 'max') return { agg, expr: pick([...numeric, C.branch, C.day, C.booked, C.cat]) };
      return { agg, expr: pick(numeric), ...(agg === 'percentile' ? { p: pick([0, 0.3, 0.9, 1]) } : {}) };
    };
    const filter = (): PlanFilter =>
      pick<() => PlanFilter>([
        () => ({ op: 'in', expr: C.channel, values: ['atm', 'card'].slice(0, 1 + Math.floor(rnd() * 2)), includeNull: rnd() < 0.5 }),
        () => ({ op: 'not_in', expr: C.cat, values: ['fuel', 'Travel'], includeNull: rnd() < 0.5 }),
        () => ({ op: 'in', expr: C.odd, values: [1, 2, 3, 5, 8, 13], includeNull: rnd() < 0.5 }),
        () => ({ op: 'range', expr: C.amount, min: -100, max: pick([50, 500, 5000]), maxExclusive: rnd() < 0.5 }),
        () => ({ op: 'range', expr: C.booked, min: Date.UTC(2023, pick([0, 6]), 1), maxExclusive: false }),
        () => ({ op: 'range', expr: C.day, max: Date.UTC(2024, 2, 31), maxExclusive: false }),
        () => ({ op: 'contains', expr: C.branch, value: pick(['o', 'О', 'sons']), caseSensitive: rnd() < 0.5 }),
        () => ({ op: pick(['null', 'not_null'] as const), expr: pick([C.amount, C.branch, C.booked, C.odd]) }),
        () => ({ op: 'top', expr: pick([C.branch, C.cat, C.odd, C.rev]), n: 1 + Math.floor(rnd() * 4), by: { expr: null, ...measure() } as RankBy, bottom: rnd() < 0.4 }),
      ])();
    let rows = 0;
    for (let i = 0; i < 300; i++) {
      const q: Q = {
        dims: Array.from({ length: Math.floor(rnd() * 4) }, dims),
        measures: Array.from({ length: 1 + Math.floor(rnd() * 3) }, measure),
        filters: Array.from({ length: Math.floor(rnd() * 3) }, filter),
        limit: pick([3, 10, 10_000]),
      };
      const nd = q.dims!.length;
      if (rnd() < 0.3) q.order = [{ column: nd + Math.floor(rnd() * q.measures!.length), dir: pick(['asc', 'desc'] as const) }];
      if (nd > 0 && rnd() < 0.4) q.sets = [0, ...new Set(Array.from({ length: 3 }, () => 1 + Math.floor(rnd() * ((1 << nd) - 1))))];
      rows += (await check(q, `plan ${i}: ${JSON.stringify(q).slice(0, 300)}`)).rowCount;
    }
    expect(rows).toBeGreaterThan(1000);
  }, 120_000);
});

describe('bigger tables, other loaders, cancellation', () => {
  it('several batches: dictionary caches, gathers, many groups', async () => {
    const raw = txRows(150_000, 3);
    const table = build(raw);
    const rows = records(raw);
    const go = (q: Q) => check(q, JSON.stringify(q).slice(0, 120), table, rows);
    await go({ dims: [{ expr: call('UPPER', 'string', C.branch) }, { expr: C.booked, grain: 'month' }], measures: [...sumCount!, { agg: 'median', expr: C.amount }] });
    await go({ dims: [{ expr: C.cat }], measures: [{ agg: 'count_distinct', expr: C.booked }, { agg: 'stddev', expr: C.amount }], filters: [{ op: 'in', expr: C.channel, values: ['card', 'atm'], includeNull: false }, { op: 'not_null', expr: C.odd }] });
    await go({ dims: [{ expr: C.id }], measures: [{ agg: 'sum', expr: C.amount }], order: [{ column: 1, dir: 'desc' }], limit: 100 });
    await go({ dims: [{ expr: C.booked }], measures: count, order: [{ column: 1, dir: 'desc' }], limit: 20, filters: [{ op: 'top', expr: C.branch, n: 3, by: { agg: 'count', expr: null }, bottom: true }] });
  }, 120_000);

  it('a table loaded from SQLite gives the same answers', async () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE t (${SPECS.map((c, i) => `c${i} ${sqliteType(c.storage)}`).join(', ')})`);
    const insert = db.prepare(`INSERT INTO t VALUES (${SPECS.map(() => '?').join(', ')})`);
    db.transaction(() => RAW.forEach((r) => insert.run(r)))();
    const loaded = await loadTable(db, 't', SPECS.map((c, i) => ({ name: `c${i}`, storage: c.storage })), { chunkRows: 700 });
    db.close();
    const renamed = new ColumnarTable(loaded.rowCount, loaded.columns.map((c, i): Column => ({ ...c, name: SPECS[i]!.name })));
    for (const q of [{ dims: [{ expr: C.branch }, { expr: C.day, grain: 'week' as const }], measures: sumCount }, { measures: [{ agg: 'max' as const, expr: C.booked }, { agg: 'count_distinct' as const, expr: C.cat }] }]) {
      await check(q, 'loaded', renamed);
    }
  });

  it('cancellation: before the start, and between chunks of a big table', async () => {
    const q = plan({ dims: [{ expr: C.channel }], measures: sumCount });
    const cancelled = await executePlan(q, TX, { cancelled: true }).catch((e: unknown) => e);
    expect(cancelled).toBeInstanceOf(StrongroomError);
    expect((cancelled as StrongroomError).code).toBe('CANCELLED');

    const rnd = mulberry32(5);
    const rows = 3_000_000;
    const amount = Float64Array.from({ length: rows }, () => Math.round(rnd() * 1e5) / 100);
    const big = new ColumnarTable(rows, [
      { kind: 'number', name: 'amount', storage: 'real', values: amount, nullCount: 0, min: 0, max: 1000, integral: false },
      { kind: 'text', name: 'channel', storage: 'text', codes: Uint8Array.from({ length: rows }, (_, i) => 1 + (i % 4)), dict: [null, 'atm', 'card', 'branch', 'online'], nullCount: 0 },
    ]);
    const token = { cancelled: false };
    let turns = 0;
    const tick = () => {
      turns++;
      if (!token.cancelled) setImmediate(tick);
    };
    setImmediate(tick);
    const done = await executePlan(q, big, token);
    token.cancelled = true;
    expect(done.data[2]!.reduce((a, b) => (a as number) + (b as number), 0)).toBe(rows);
    expect(turns).toBeGreaterThan(1); // the event loop ran during the analysis

    const token2 = { cancelled: false };
    const running = executePlan(q, big, token2).catch((e: unknown) => e);
    setImmediate(() => (token2.cancelled = true));
    const err = await running;
    expect((err as StrongroomError).code).toBe('CANCELLED');
  }, 60_000);
});

describe.runIf(process.env.COLUMNAR_BENCH)('timings (printed, not asserted)', () => {
  it('1M and 10M rows', async () => {
    await runBench(process.env.COLUMNAR_BENCH === '10m' ? [1_000_000, 10_000_000] : [1_000_000]);
  }, 1_200_000);
});

// ---- timing run --------------------------------------------------------------------------------------

/** Synthetic bank transactions, 8 columns, built straight into typed arrays (no row objects). */
function synthetic(rows: number): ColumnarTable {
  const rnd = mulberry32(42);
  const branches = [null, ...Array.from({ length: 30 }, (_, i) => `Branch ${i} ${'Москва'.slice(0, i % 6)}`)];
  const channels = [null, 'atm', 'card', 'branch', 'online', 'transfer'];
  const id = new Float64Array(rows);
  const account = new Float64Array(rows);
  const amount = new Float64Array(rows);
  const booked = new Float64Array(rows);
  const day = new Float64Array(rows);
  const branch = new Uint8Array(rows);
  const channel = new Uint8Array(rows);
  const reversal = new Uint8Array(rows);
  const start = Date.UTC(2023, 0, 1);
  for (let i = 0; i < rows; i++) {
    id[i] = i + 1;
    account[i] = Math.floor(rnd() * 100_000);
    amount[i] = rnd() < 0.02 ? NaN : Math.round((rnd() < 0.1 ? -1 : 1) * Math.exp(rnd() * 10) * 100) / 100;
    booked[i] = start + Math.floor(rnd() * 1100 * 86_400) * 1000 + (rnd() < 0.3 ? Math.floor(rnd() * 1000) : 0);
    day[i] = Math.floor(booked[i]! / 86_400_000) * 86_400_000;
    branch[i] = 1 + Math.floor(rnd() ** 2 * 30);
    channel[i] = 1 + Math.floor(rnd() * 5);
    reversal[i] = rnd() < 0.03 ? 1 : 0;
  }
  const num = (name: string, values: Float64Array, kind: 'number' | 'date' | 'timestamp', integral: boolean): Column => {
    let min = Infinity;
    let max = -Infinity;
    let nulls = 0;
    for (const v of values) {
      if (v !== v) {
        nulls++;
        continue;
      }
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return { kind, name, storage: kind === 'number' ? (integral ? 'bigint' : 'real') : kind, values, nullCount: nulls, min, max, integral };
  };
  return new ColumnarTable(rows, [
    num('id', id, 'number', true),
    num('account_id', account, 'number', true),
    { kind: 'text', name: 'branch', storage: 'text', codes: branch, dict: branches, nullCount: 0 },
    { kind: 'text', name: 'channel', storage: 'text', codes: channel, dict: channels, nullCount: 0 },
    num('amount', amount, 'number', false),
    num('booked_at', booked, 'timestamp', false),
    num('value_date', day, 'date', true),
    { kind: 'boolean', name: 'is_reversal', storage: 'boolean', values: reversal, nullCount: 0 },
  ]);
}

async function runBench(sizes: number[]): Promise<void> {
  const B = {
    branch: { k: 'col', type: 'string', name: 'branch', storage: 'text' } as E,
    channel: { k: 'col', type: 'string', name: 'channel', storage: 'text' } as E,
    amount: { k: 'col', type: 'number', name: 'amount', storage: 'real' } as E,
    account: { k: 'col', type: 'number', name: 'account_id', storage: 'integer' } as E,
    booked: { k: 'col', type: 'timestamp', name: 'booked_at', storage: 'timestamp' } as E,
    day: { k: 'col', type: 'date', name: 'value_date', storage: 'date' } as E,
  };
  const plans: Array<[string, Q]> = [
    ['group by text + sum', { dims: [{ expr: B.branch }], measures: [{ agg: 'sum', expr: B.amount }, { agg: 'count' }], order: [{ column: 1, dir: 'desc' }] }],
    ['month grain + count', { dims: [{ expr: B.booked, grain: 'month' }], measures: [{ agg: 'count' }] }],
    ['filter + avg', { measures: [{ agg: 'avg', expr: B.amount }], filters: [{ op: 'in', expr: B.channel, values: ['card', 'online'], includeNull: false }, { op: 'range', expr: B.day, min: Date.UTC(2024, 0, 1), max: Date.UTC(2025, 0, 1), maxExclusive: true }] }],
    ['median by group', { dims: [{ expr: B.channel }], measures: [{ agg: 'median', expr: B.amount }] }],
    ['count distinct', { dims: [{ expr: B.branch }], measures: [{ agg: 'count_distinct', expr: B.account }] }],
    ['two dims', { dims: [{ expr: B.branch }, { expr: B.channel }], measures: [{ agg: 'sum', expr: B.amount }, { agg: 'count' }] }],
    ['calc dim + top 5 + week', { dims: [{ expr: iff(bin('<', B.amount, n(0)), s('refund'), s('payment')) }, { expr: B.day, grain: 'week' }], measures: [{ agg: 'sum', expr: B.amount }], filters: [{ op: 'top', expr: B.branch, n: 5, by: { agg: 'sum', expr: B.amount }, bottom: false }] }],
  ];
  for (const rows of sizes) {
    const t0 = performance.now();
    const table = synthetic(rows);
    const built = performance.now() - t0;
    let peak = process.memoryUsage().rss;
    const lines: string[] = [];
    for (const [label, q] of plans) {
      const p = plan(q);
      const times: number[] = [];
      for (let run = 0; run < 4; run++) {
        const t = performance.now();
        await executePlan(p, table);
        times.push(performance.now() - t);
        peak = Math.max(peak, process.memoryUsage().rss);
      }
      const warm = times.slice(1).sort((a, b) => a - b);
      lines.push(`  ${label.padEnd(26)} first ${times[0]!.toFixed(0).padStart(5)} ms   median ${warm[1]!.toFixed(0).padStart(5)} ms`);
    }
    console.log(`columnar engine, ${rows.toLocaleString('en')} rows (${(table.byteSize() / 2 ** 20).toFixed(0)} MiB of columns, built in ${built.toFixed(0)} ms), peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB:\n${lines.join('\n')}`);
  }
}
