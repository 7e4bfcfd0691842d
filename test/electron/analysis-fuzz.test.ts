/**
 * Random specs (fast-check): each one either runs, or fails with INVALID_ANALYSIS whose path points
 * into the spec. Never a raw SQL error, never an injection: hostile names and values are data. When
 * both the SQLite cache and the in-memory engine answer, they give the same answer.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerRuntime, type WorkerRuntime } from '../../electron/worker/runtime.js';
import type { AnalysisResult } from '../../shared/analysis/spec.js';
import type { Api } from '../../shared/contracts/index.js';
import { StrongroomError } from '../../shared/errors.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';
import { TEST_SCRYPT, tempProfile } from '../helpers/profile.js';
import { seedExtract } from '../helpers/seed-extract.js';
import { BRANCHES, TX_COLUMNS, txRows } from '../helpers/analysis-data.js';

let runtime: WorkerRuntime;
let api: Api;
const NOW = '2024-06-30T10:00:00Z';

beforeAll(async () => {
  runtime = createWorkerRuntime({ profileDir: tempProfile(), scrypt: TEST_SCRYPT });
  api = createClient<Api>(createLoopbackTransport((r) => runtime.server.handle(r))).api;
  await api.session.create({ passphrase: 'fuzz passphrase' });
  seedExtract(runtime.vault.db(), { name: 'tx', columns: [...TX_COLUMNS], rows: txRows(400, 11) });
  runtime.vault.db().exec('CREATE TABLE canary (x INTEGER); INSERT INTO canary VALUES (42);');
  await api.analysis.warm('tx');
});
afterAll(() => runtime.close());

const HOSTILE = ["'", '"', '";--', "'; DROP TABLE canary; --", '/* x */', ']', '[amount]', 'Привет', '🏦', '\u0000', '%', '_', '\\', 'a b', ''];
const columnNames = TX_COLUMNS.map((c) => c.name);
const fieldName = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...columnNames, 'calc1', 'calc2') },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
);
const scalar = fc.oneof(
  fc.constantFrom(...BRANCHES, ...HOSTILE, 'atm', 'card', null, true, false, 0, -1, 1.5, 1e9, '2024-01-01', '2023-12-31T23:59:59Z', 'not a date'),
  fc.string({ maxLength: 8 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
);
const grain = fc.constantFrom('day', 'week', 'month', 'quarter', 'year');
const agg = fc.constantFrom('count', 'count_distinct', 'sum', 'avg', 'min', 'max', 'median', 'percentile', 'stddev');
const expression = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(
    "IF [amount] < 0 THEN 'refund' ELSE 'payment' END",
    '[amount] * 2 + 1',
    '[amount] / 0',
    "UPPER([branch]) & ' / ' & [channel]",
    "CONTAINS(LOWER([category]), 'travel')",
    'YEAR([booked_at])',
    "DATETRUNC('month', [value_date])",
    "DATEDIFF('day', [value_date], DATE('2024-06-30'))",
    'COALESCE([amount], 0)',
    "CASE [channel] WHEN 'atm' THEN 1 WHEN 'card' THEN 2 ELSE 3 END",
    '[odd "name"; --\']] + 1',
    "'; DROP TABLE canary; --",
    '[amount] +',
    'SUM([amount])',
  ) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);
const filter = fc.oneof(
  fc.record({ field: fieldName, op: fc.constantFrom('in', 'not_in'), values: fc.array(scalar, { maxLength: 4 }) }),
  fc.record({ field: fieldName, op: fc.constant('range'), min: fc.option(scalar, { nil: undefined }), max: fc.option(scalar, { nil: undefined }) }, { requiredKeys: ['field', 'op'] }),
  fc.record({ field: fieldName, op: fc.constant('contains'), value: fc.oneof(fc.constantFrom(...HOSTILE.filter(Boolean), 'RAV', 'москва'), fc.string({ minLength: 1, maxLength: 5 })), caseSensitive: fc.boolean() }),
  fc.record({ field: fieldName, op: fc.constantFrom('null', 'not_null') }),
  fc.record({ field: fieldName, op: fc.constant('relative'), last: fc.integer({ min: 1, max: 30 }), unit: grain }),
  fc.record({ field: fieldName, op: fc.constant('top'), n: fc.integer({ min: 1, max: 5 }), by: fc.record({ agg, field: fieldName }, { requiredKeys: ['agg'] }), bottom: fc.boolean() }),
);
const rare = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
const spec = fc
  .record(
    {
      extract: fc.constantFrom('tx', 'tx', 'tx', 'tx', 'tx', 'tx', 'tx', 'tx', 'tx', 'nope'),
      calculated: fc.array(expression, { maxLength: 2 }),
      dimensions: fc.array(fc.record({ field: fieldName, grain: rare(grain), bin: rare(fc.record({ width: fc.constantFrom(10, 100, 0.5, 0.5, 7, -1) })) }, { requiredKeys: ['field'] }), { maxLength: 3 }),
      measures: fc.array(fc.record({ agg, field: fc.option(fieldName, { nil: undefined }), p: rare(fc.constantFrom(0, 0.5, 0.9, 1)) }, { requiredKeys: ['agg'] }), { maxLength: 3 }),
      filters: fc.array(filter, { maxLength: 2 }),
      limit: fc.constantFrom(1, 5, 1000, 1000, 1000, 1000, 1000, 0),
      hostileAlias: fc.boolean(),
    },
    { requiredKeys: ['extract'] },
  )
  .map(({ calculated, measures, hostileAlias, ...rest }) => ({
    ...rest,
    ...(calculated ? { calculated: calculated.map((expr, i) => ({ name: `calc${i + 1}`, expr })) } : {}),
    ...(measures ? { measures: measures.map((m, i) => ({ ...m, agg: m.agg === 'percentile' && m.p === undefined ? 'median' : m.agg, as: hostileAlias && i === 0 ? "m'; --" : `m${i + 1}` })) } : {}),
  }));

/** Well-formed specs: valid structure and types, hostile values and aliases. Most must run. */
const TEXT = ['branch', 'channel', 'category'];
const NUMBER = ['amount', 'id', "odd \"name\"; --'"];
const DATED = ['booked_at', 'value_date'];
const VALID_EXPR = [
  { expr: "IF [amount] < 0 THEN 'refund' ELSE 'payment' END", type: 'string' },
  { expr: "UPPER([branch]) & ' / ' & [channel]", type: 'string' },
  { expr: '[amount] / 0', type: 'number' },
  { expr: "DATEDIFF('month', [value_date], DATE('2024-06-30'))", type: 'number' },
  { expr: "CASE [channel] WHEN 'atm' THEN 1 WHEN 'card' THEN 2 ELSE 3 END", type: 'number' },
  { expr: "DATEADD('month', 1, [booked_at])", type: 'date' },
  { expr: '[odd "name"; --\']] % 7', type: 'number' },
  { expr: "SUBSTR(COALESCE([category], '∅'), 2, 3)", type: 'string' },
];
const hostileText = fc.oneof(fc.constantFrom(...BRANCHES, ...HOSTILE.filter(Boolean), 'atm', 'Travel'), fc.string({ minLength: 1, maxLength: 6 }));
const wellFormed = fc
  .record({
    calc: fc.constantFrom(...VALID_EXPR),
    dims: fc.array(
      fc.oneof(
        fc.record({ field: fc.constantFrom(...TEXT, 'is_reversal', 'calc') }),
        fc.record({ field: fc.constantFrom(...DATED), grain }),
        fc.record({ field: fc.constantFrom(...NUMBER), bin: fc.record({ width: fc.constantFrom(1, 50, 0.25, 1000) }) }),
      ),
      { maxLength: 2 },
    ),
    measures: fc.array(
      fc.oneof(
        fc.record({ agg: fc.constantFrom('sum', 'avg', 'median', 'stddev', 'min', 'max'), field: fc.constantFrom(...NUMBER) }),
        fc.record({ agg: fc.constantFrom('count', 'count_distinct'), field: fc.constantFrom(...TEXT, ...DATED, ...NUMBER) }),
        fc.record({ agg: fc.constant('percentile'), field: fc.constant('amount'), p: fc.double({ min: 0, max: 1, noNaN: true }) }),
        fc.record({ agg: fc.constant('count') }),
      ),
      { minLength: 1, maxLength: 3 },
    ),
    filters: fc.array(
      fc.oneof(
        fc.record({ field: fc.constantFrom(...TEXT), op: fc.constantFrom('in', 'not_in'), values: fc.array(fc.oneof(hostileText, fc.constant(null)), { maxLength: 4 }) }),
        fc.record({ field: fc.constantFrom(...TEXT), op: fc.constant('contains'), value: hostileText, caseSensitive: fc.boolean() }),
        fc.record({ field: fc.constant('amount'), op: fc.constant('range'), min: fc.integer({ min: -5000, max: 5000 }), max: fc.integer({ min: 0, max: 50000 }) }),
        fc.record({ field: fc.constantFrom(...DATED), op: fc.constant('relative'), last: fc.integer({ min: 1, max: 24 }), unit: grain }),
        fc.record({ field: fc.constantFrom(...TEXT), op: fc.constant('top'), n: fc.integer({ min: 1, max: 4 }), by: fc.record({ agg: fc.constantFrom('sum', 'avg', 'max'), field: fc.constant('amount') }), bottom: fc.boolean() }),
        fc.record({ field: fc.constantFrom(...TEXT, ...DATED, 'amount'), op: fc.constantFrom('null', 'not_null') }),
      ),
      { maxLength: 3 },
    ),
    sortDesc: fc.boolean(),
    limit: fc.constantFrom(3, 50, 1000),
  })
  .map(({ calc, dims, measures, filters, sortDesc, limit }) => {
    const dimensions = dims.map((d, i) => ({ ...d, as: `d${i}` }));
    const named = measures.map((m, i) => ({ ...m, as: i === 0 ? "m'; --" : `m${i}` }));
    return {
      extract: 'tx',
      calculated: [{ name: 'calc', expr: calc.expr }],
      dimensions,
      measures: named,
      filters,
      sort: [{ by: named[0]!.as, dir: sortDesc ? ('desc' as const) : ('asc' as const) }],
      limit,
    };
  });

/** Does `path` (as the planner formats it) name something inside `value`? */
function pathExists(value: unknown, path: string): boolean {
  if (path === '') return true;
  let cursor: unknown = value;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (cursor === null || typeof cursor !== 'object') return false;
    const key = /^\d+$/.test(part) && Array.isArray(cursor) ? Number(part) : part;
    if (!(key in (cursor as object))) return typeof key === 'string'; // a missing required key is named by its own path
    cursor = (cursor as Record<string | number, unknown>)[key];
  }
  return true;
}

async function outcome(s: unknown, mode: 'sqlite' | 'memory'): Promise<AnalysisResult | StrongroomError> {
  try {
    return await api.analysis.run(s, { mode, now: NOW, noCache: true });
  } catch (err) {
    return err as StrongroomError;
  }
}

function sameAnswer(a: AnalysisResult, b: AnalysisResult) {
  expect(b.columns).toEqual(a.columns);
  expect(b.rowCount).toBe(a.rowCount);
  expect(b.truncated).toBe(a.truncated);
  a.data.forEach((column, c) =>
    column.forEach((cell, r) => {
      const other = b.data[c]![r];
      if (typeof cell === 'number' && typeof other === 'number') expect(other).toBeCloseTo(cell, Math.max(0, 6 - Math.ceil(Math.log10(Math.abs(cell) + 1))));
      else expect(other).toEqual(cell);
    }),
  );
}

describe('random specs', () => {
  it('well-formed specs with hostile values run, and SQLite and memory agree', async () => {
    let ran = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(wellFormed, async (s) => {
        const lite = await outcome(s, 'sqlite');
        const mem = await outcome(s, 'memory');
        if (lite instanceof Error || mem instanceof Error) {
          const e = (lite instanceof Error ? lite : mem) as StrongroomError;
          expect(e.code, `${e.message} in ${JSON.stringify(s)}`).toBe('INVALID_ANALYSIS');
          expect((mem as StrongroomError).details?.path).toEqual((lite as StrongroomError).details?.path);
          refused++;
          return;
        }
        sameAnswer(lite, mem);
        ran++;
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: Number(process.env.FUZZ_SEED ?? 20261125) },
    );
    console.log(`well-formed random specs: ${ran} ran, ${refused} refused`);
    expect(ran).toBeGreaterThan(refused * 4);
  }, 240_000);

  it('hostile specs run or fail with INVALID_ANALYSIS at a real path; SQLite and memory agree', async () => {
    let ran = 0;
    let invalid = 0;
    const reasons = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const lite = await outcome(s, 'sqlite');
        const mem = await outcome(s, 'memory');
        for (const o of [lite, mem]) {
          if (o instanceof Error) {
            expect(o).toBeInstanceOf(StrongroomError);
            expect(['INVALID_ANALYSIS', 'NOT_FOUND'], `${o.code}: ${o.message}`).toContain(o.code);
            if (o.code === 'INVALID_ANALYSIS') expect(pathExists(s, String(o.details?.path)), `${String(o.details?.path)} in ${JSON.stringify(s)}`).toBe(true);
          }
        }
        if (lite instanceof Error || mem instanceof Error) {
          expect((mem as StrongroomError).code).toBe((lite as StrongroomError).code);
          expect((mem as StrongroomError).details?.path).toEqual((lite as StrongroomError).details?.path);
          invalid++;
          const e = (lite instanceof Error ? lite : mem) as StrongroomError;
          reasons.set(e.message.replace(/".*?"/g, '"…"').slice(0, 60), (reasons.get(e.message.replace(/".*?"/g, '"…"').slice(0, 60)) ?? 0) + 1);
        } else {
          sameAnswer(lite, mem);
          ran++;
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: Number(process.env.FUZZ_SEED ?? 20261125) },
    );
    console.log(`random specs: ${ran} ran, ${invalid} refused`, process.env.FUZZ_VERBOSE ? [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 15) : '');
    expect(ran + invalid).toBe(Number(process.env.FUZZ_RUNS ?? 300));
    expect(runtime.vault.db().prepare('SELECT x FROM canary').get()).toEqual({ x: 42 });
    expect((runtime.vault.db().prepare('SELECT row_count FROM extracts WHERE name = ?').get('tx') as { row_count: number }).row_count).toBe(400);
  }, 240_000);
});
