import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planAnalysis } from '../../shared/analysis/planner.js';
import type { AnalysisResult, AnalysisSpec } from '../../shared/analysis/spec.js';
import { createWorkerRuntime, type WorkerRuntime } from '../../electron/worker/runtime.js';
import { getLocalExtract } from '../../electron/worker/db/repositories/local-extracts.js';
import { createAnalysisService } from '../../electron/worker/services/analysis.js';
import { createDemoRegistry } from '../../electron/worker/services/connections.js';
import type { Api } from '../../shared/contracts/index.js';
import type { StrongroomError } from '../../shared/errors.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';
import { TEST_SCRYPT, tempProfile } from '../helpers/profile.js';
import { seedExtract } from '../helpers/seed-extract.js';
import { BRANCHES, TX_COLUMNS, txRows } from '../helpers/analysis-data.js';
import { SPECS } from '../helpers/analysis-specs.js';
import { referenceExecute } from '../helpers/reference-engine.js';
import { applyTableCalcs } from '../../shared/analysis/table-calcs.js';
import { failure } from '../helpers/failure.js';

const PASS = 'analysis test passphrase';
const NOW = '2024-12-15T12:00:00Z';
let runtime: WorkerRuntime;
let api: Api;

/** Row-major view of a result, for readable assertions. */
function rows(result: AnalysisResult): unknown[][] {
  return Array.from({ length: result.rowCount }, (_, r) => result.data.map((c) => c[r]));
}

beforeEach(async () => {
  runtime = createWorkerRuntime({ profileDir: tempProfile(), scrypt: TEST_SCRYPT });
  api = createClient<Api>(createLoopbackTransport((r) => runtime.server.handle(r))).api;
  await api.session.create({ passphrase: PASS });
  seedExtract(runtime.vault.db(), { name: 'tx', columns: [...TX_COLUMNS], rows: txRows(3000) });
});
afterEach(() => runtime.close());

describe('INVALID_ANALYSIS names the offending part of the spec', () => {
  const cases: Array<[string, unknown, string]> = [
    ['not an object', 42, ''],
    ['missing extract', { dimensions: [{ field: 'branch' }] }, 'extract'],
    ['unknown field', { extract: 'tx', dimensions: [{ field: 'branch' }, { field: 'brnach' }] }, 'dimensions[1].field'],
    ['grain on text', { extract: 'tx', dimensions: [{ field: 'branch', grain: 'month' }] }, 'dimensions[0].grain'],
    ['unknown grain', { extract: 'tx', dimensions: [{ field: 'booked_at', grain: 'fortnight' }] }, 'dimensions[0].grain'],
    ['bin on a date', { extract: 'tx', dimensions: [{ field: 'value_date', bin: { width: 5 } }] }, 'dimensions[0].bin'],
    ['sum of text', { extract: 'tx', measures: [{ agg: 'sum', field: 'branch', as: 's' }] }, 'measures[0].field'],
    ['percentile without p', { extract: 'tx', measures: [{ agg: 'percentile', field: 'amount', as: 'p' }] }, 'measures[0].p'],
    ['p out of range', { extract: 'tx', measures: [{ agg: 'percentile', field: 'amount', p: 1.5, as: 'p' }] }, 'measures[0].p'],
    ['duplicate output', { extract: 'tx', dimensions: [{ field: 'channel' }], measures: [{ agg: 'count', as: 'channel' }] }, 'measures[0].as'],
    ['nothing asked', { extract: 'tx' }, 'dimensions'],
    ['value of the wrong type', { extract: 'tx', measures: [{ agg: 'count', as: 'n' }], filters: [{ field: 'amount', op: 'in', values: [1, 'two'] }] }, 'filters[0].values[1]'],
    ['bad date', { extract: 'tx', measures: [{ agg: 'count', as: 'n' }], filters: [{ field: 'value_date', op: 'range', min: '2024-02-30' }] }, 'filters[0].min'],
    ['unknown filter op', { extract: 'tx', measures: [{ agg: 'count', as: 'n' }], filters: [{ field: 'amount', op: 'like', value: 'x' }] }, 'filters[0].op'],
    ['contains on a number', { extract: 'tx', measures: [{ agg: 'count', as: 'n' }], filters: [{ field: 'amount', op: 'contains', value: '1' }] }, 'filters[0].field'],
    ['relative on text', { extract: 'tx', measures: [{ agg: 'count', as: 'n' }], filters: [{ field: 'branch', op: 'relative', last: 3, unit: 'month' }] }, 'filters[0].field'],
    ['top by a text sum', { extract: 'tx', measures: [{ agg: 'count', as: 'n' }], filters: [{ field: 'branch', op: 'top', n: 3, by: { agg: 'sum', field: 'channel' } }] }, 'filters[0].by.field'],
    ['sort by a stranger', { extract: 'tx', dimensions: [{ field: 'channel' }], sort: [{ by: 'total' }] }, 'sort[0].by'],
    ['negative limit', { extract: 'tx', dimensions: [{ field: 'channel' }], limit: -1 }, 'limit'],
    ['pivot leaves a dimension out', { extract: 'tx', dimensions: [{ field: 'channel' }, { field: 'branch' }], measures: [{ agg: 'count', as: 'n' }], pivot: { rows: ['channel'], columns: [] } }, 'pivot'],
    ['pivot names a stranger', { extract: 'tx', dimensions: [{ field: 'channel' }], pivot: { rows: ['channel'], columns: ['nope'] } }, 'pivot.columns[0]'],
    ['table calc of a dimension', { extract: 'tx', dimensions: [{ field: 'channel' }], measures: [{ agg: 'count', as: 'n' }], tableCalcs: [{ calc: 'rank', measure: 'channel', as: 'r' }] }, 'tableCalcs[0].measure'],
    ['chart of a stranger', { extract: 'tx', dimensions: [{ field: 'channel' }], measures: [{ agg: 'count', as: 'n' }], chart: { type: 'bar', x: 'channel', y: ['n', 'm'] } }, 'chart.y[1]'],
    ['extra key', { extract: 'tx', dimensions: [{ field: 'channel', sql: '1; DROP TABLE extracts' }] }, 'dimensions[0]'],
    ['newer spec version', { version: 9, extract: 'tx', dimensions: [{ field: 'channel' }] }, 'version'],
    ['calculated field shadows a column', { extract: 'tx', calculated: [{ name: 'amount', expr: '1' }], dimensions: [{ field: 'channel' }] }, 'calculated[0].name'],
    ['calculated field syntax', { extract: 'tx', calculated: [{ name: 'c', expr: '[amount] * (2 + ' }], dimensions: [{ field: 'c' }] }, 'calculated[0].expr'],
    ['calculated field cycle', { extract: 'tx', calculated: [{ name: 'a', expr: '[b] + 1' }, { name: 'b', expr: '[a] + 1' }], dimensions: [{ field: 'a' }] }, 'calculated[0].expr'],
  ];
  it.each(cases)('%s', async (_, spec, path) => {
    const err = await failure(api.analysis.run(spec, { now: NOW }));
    expect(err.code).toBe('INVALID_ANALYSIS');
    expect(err.details?.path).toBe(path);
    expect(err.message.length).toBeGreaterThan(10);
    // validate() reports the same problem without running anything.
    const again = await failure(api.analysis.validate(spec));
    expect(again.details?.path).toBe(path);
  });

  it('expression errors carry the character position', async () => {
    const err = await failure(api.analysis.run({ extract: 'tx', calculated: [{ name: 'c', expr: '[amount] + [brnch]' }], dimensions: [{ field: 'c' }] }));
    expect(err.details).toMatchObject({ path: 'calculated[0].expr', position: 11 });
  });
});

describe('other typed errors', () => {
  it('NOT_FOUND for an extract that is not in the cache', async () => {
    expect((await failure(api.analysis.run({ extract: 'nope', measures: [{ agg: 'count', as: 'n' }] }))).code).toBe('NOT_FOUND');
  });

  it('LEASE_EXPIRED once the offline lease has ended, in every mode', async () => {
    seedExtract(runtime.vault.db(), { name: 'old', columns: [{ name: 'x', pgType: 'integer' }], rows: [[1]], leaseExpiresAt: '2020-01-01T00:00:00Z' });
    for (const mode of ['auto', 'sqlite', 'memory', 'live'] as const) {
      expect((await failure(api.analysis.run({ extract: 'old', measures: [{ agg: 'count', as: 'n' }] }, { mode }))).code).toBe('LEASE_EXPIRED');
    }
  });

  it('LOCKED when the cache is locked, and lock drops in-memory copies and cached answers', async () => {
    await api.analysis.warm('tx');
    expect((await api.analysis.memory()).map((m) => m.state)).toEqual(['ready']);
    await api.session.lock();
    expect((await failure(api.analysis.run({ extract: 'tx', measures: [{ agg: 'count', as: 'n' }] }))).code).toBe('LOCKED');
    await api.session.unlock({ passphrase: PASS });
    expect(await api.analysis.memory()).toEqual([]);
    const first = await api.analysis.run({ extract: 'tx', measures: [{ agg: 'count', as: 'n' }] });
    expect(first.cached).toBe(false);
  });
});

describe('answers', () => {
  const byBranch: AnalysisSpec = {
    extract: 'tx',
    dimensions: [{ field: 'branch' }],
    measures: [
      { agg: 'sum', field: 'amount', as: 'total' },
      { agg: 'count', as: 'n' },
    ],
    sort: [{ by: 'total', dir: 'desc' }],
  };

  it('sums by branch exactly as plain JS does, with hostile names passed through as data', async () => {
    const data = txRows(3000);
    const expected = new Map<unknown, { total: number; n: number; seen: boolean }>();
    for (const r of data) {
      const e = expected.get(r[1]) ?? { total: 0, n: 0, seen: false };
      if (r[3] !== null) {
        e.total += r[3] as number;
        e.seen = true;
      }
      e.n++;
      expected.set(r[1], e);
    }
    for (const mode of ['sqlite', 'memory'] as const) {
      const result = await api.analysis.run(byBranch, { mode, now: NOW, noCache: true });
      expect(result.engine).toBe(mode);
      expect(result.columns).toEqual([
        { name: 'branch', type: 'string', role: 'dimension' },
        { name: 'total', type: 'number', role: 'measure' },
        { name: 'n', type: 'number', role: 'measure' },
      ]);
      expect(new Set(result.data[0])).toEqual(new Set([...BRANCHES, null]));
      for (const [branch, total, n] of rows(result)) {
        const e = expected.get(branch)!;
        expect(n).toBe(e.n);
        expect(total as number).toBeCloseTo(e.total, 6);
      }
      const totals = result.data[1] as number[];
      expect([...totals].sort((a, b) => b - a)).toEqual(totals);
    }
    // The cache table survived the names.
    expect(getLocalExtract(runtime.vault.db(), 'tx')?.rowCount).toBe(3000);
  });

  it('caches answers by spec and extract state, and a new sync invalidates them', async () => {
    const first = await api.analysis.run(byBranch, { mode: 'sqlite' });
    const second = await api.analysis.run(byBranch, { mode: 'sqlite' });
    expect([first.cached, second.cached]).toEqual([false, true]);
    expect(second.data).toEqual(first.data);
    seedExtract(runtime.vault.db(), { name: 'tx', columns: [...TX_COLUMNS], rows: txRows(100), syncedAt: new Date(Date.now() + 1000).toISOString() });
    const third = await api.analysis.run(byBranch, { mode: 'sqlite' });
    expect(third.cached).toBe(false);
    expect((third.data[2] as number[]).reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('auto mode answers from SQLite first, then from the in-memory copy once it is loaded', async () => {
    const spec = { extract: 'tx', dimensions: [{ field: 'channel' }], measures: [{ agg: 'avg', field: 'amount', as: 'avg' }] };
    const first = await api.analysis.run(spec, { noCache: true });
    expect(first.engine).toBe('sqlite');
    await api.analysis.warm('tx');
    const second = await api.analysis.run(spec, { noCache: true });
    expect(second.engine).toBe('memory');
    expect(second.data[0]).toEqual(first.data[0]);
    (second.data[1] as number[]).forEach((v, i) => expect(v).toBeCloseTo(first.data[1]![i] as number, 9));
  });

  it('auto mode waits for the in-memory copy of a large extract instead of scanning SQLite', async () => {
    const { service } = createAnalysisService(runtime.vault, createDemoRegistry(runtime.vault, 0.01), { autoWaitRows: 1000 });
    const result = await service.run({ extract: 'tx', measures: [{ agg: 'count', as: 'n' }] });
    expect(result).toMatchObject({ engine: 'memory', data: [[3000]] });
    // A cancel ends this run's wait; the shared load is not disturbed for others.
    const small = createAnalysisService(runtime.vault, createDemoRegistry(runtime.vault, 0.01), { autoWaitRows: 1000 }).service;
    const waiting = small.run({ extract: 'tx', measures: [{ agg: 'count', as: 'n' }] }, { requestId: 'w' }).catch((e: StrongroomError) => e);
    await small.cancel('w');
    expect(await waiting).toMatchObject({ code: 'CANCELLED' });
  });

  it('pivot subtotals and grand totals add up', async () => {
    const spec: AnalysisSpec = {
      extract: 'tx',
      dimensions: [{ field: 'channel' }, { field: 'is_reversal' }, { field: 'booked_at', grain: 'year', as: 'year' }],
      measures: [
        { agg: 'sum', field: 'amount', as: 'total' },
        { agg: 'count', as: 'n' },
      ],
      pivot: { rows: ['channel', 'is_reversal'], columns: ['year'] },
    };
    for (const mode of ['sqlite', 'memory'] as const) {
      const result = await api.analysis.run(spec, { mode, now: NOW });
      const g = result.grouping!;
      const all = rows(result).map((row, i) => ({ channel: row[0], rev: row[1], year: row[2], total: (row[3] as number | null) ?? 0, n: row[4] as number, g: g[i]! }));
      const detail = all.filter((r) => r.g === 0);
      const grand = all.filter((r) => r.g === 0b111);
      expect(grand).toHaveLength(1);
      expect(grand[0]!.n).toBe(3000);
      expect(grand[0]!.total).toBeCloseTo(detail.reduce((s, r) => s + r.total, 0), 4);
      // Channel subtotal per year (is_reversal rolled up) = sum of its detail rows.
      for (const sub of all.filter((r) => r.g === 0b010)) {
        const parts = detail.filter((r) => r.channel === sub.channel && r.year === sub.year);
        expect(sub.n).toBe(parts.reduce((s, r) => s + r.n, 0));
        expect(sub.total).toBeCloseTo(parts.reduce((s, r) => s + r.total, 0), 4);
      }
      // Column totals (year rolled up) per channel × is_reversal.
      for (const sub of all.filter((r) => r.g === 0b100)) {
        const parts = detail.filter((r) => r.channel === sub.channel && r.rev === sub.rev);
        expect(sub.n).toBe(parts.reduce((s, r) => s + r.n, 0));
      }
      expect(new Set(g)).toEqual(new Set([0, 0b010, 0b110, 0b100, 0b011, 0b111]));
    }
  });

  it('table calculations: running total, share, change, moving average and rank', async () => {
    const spec: AnalysisSpec = {
      extract: 'tx',
      dimensions: [{ field: 'booked_at', grain: 'quarter', as: 'quarter' }],
      measures: [{ agg: 'count', as: 'n' }],
      filters: [{ field: 'booked_at', op: 'not_null' }],
      tableCalcs: [
        { calc: 'running_total', measure: 'n', as: 'cum' },
        { calc: 'percent_of_total', measure: 'n', as: 'share' },
        { calc: 'difference', measure: 'n', as: 'diff' },
        { calc: 'percent_difference', measure: 'n', as: 'pct' },
        { calc: 'moving_average', measure: 'n', as: 'ma', window: 2 },
        { calc: 'rank', measure: 'n', as: 'rank' },
      ],
    };
    const result = await api.analysis.run(spec, { mode: 'memory' });
    const n = result.data[1] as number[];
    const [cum, share, diff, pct, ma, rank] = result.data.slice(2) as number[][];
    const total = n.reduce((a, b) => a + b, 0);
    n.forEach((v, i) => {
      expect(cum![i]).toBe(n.slice(0, i + 1).reduce((a, b) => a + b, 0));
      expect(share![i]).toBeCloseTo(v / total, 12);
      expect(diff![i]).toBe(i === 0 ? null : v - n[i - 1]!);
      expect(pct![i]).toBe(i === 0 ? null : (v - n[i - 1]!) / n[i - 1]!);
      expect(ma![i]).toBe(i === 0 ? v : (v + n[i - 1]!) / 2);
      expect(rank![i]).toBe(1 + n.filter((x) => x > v).length);
    });
    expect(result.columns.slice(2).every((c) => c.role === 'table_calc')).toBe(true);
  });

  it('relative dates and top N', async () => {
    const spec: AnalysisSpec = {
      extract: 'tx',
      dimensions: [{ field: 'branch' }],
      measures: [{ agg: 'sum', field: 'amount', as: 'total' }],
      filters: [
        { field: 'booked_at', op: 'relative', last: 3, unit: 'month' },
        { field: 'branch', op: 'top', n: 2, by: { agg: 'sum', field: 'amount' } },
      ],
    };
    const inWindow = txRows(3000).filter((r) => r[4] !== null && (r[4] as string) >= '2024-10-01' && (r[4] as string) < '2025-01-01');
    const sums = new Map<unknown, number>();
    for (const r of inWindow) sums.set(r[1], (sums.get(r[1]) ?? 0) + ((r[3] as number | null) ?? 0));
    const top2 = [...sums].sort((a, b) => b[1] - a[1]).slice(0, 2);
    for (const mode of ['sqlite', 'memory'] as const) {
      const result = await api.analysis.run(spec, { mode, now: NOW });
      expect(result.rowCount).toBe(2);
      const got = new Map(rows(result).map((r) => [r[0], r[1] as number]));
      for (const [branch, total] of top2) expect(got.get(branch)).toBeCloseTo(total, 6);
    }
  });

  it('cached timestamps of varying precision order and compare as instants', async () => {
    const stamps = ['2024-01-01T10:00:00Z', '2024-01-01T10:00:00.5Z', '2024-01-01T09:59:59.900001Z', '2024-01-01T10:00:00.25', null];
    seedExtract(runtime.vault.db(), { name: 'ts', columns: [{ name: 'at', pgType: 'timestamp with time zone' }, { name: 'k', pgType: 'integer' }], rows: stamps.map((t, i) => [t, i]) });
    const spec = { extract: 'ts', dimensions: [{ field: 'at' }], measures: [{ agg: 'min' as const, field: 'k', as: 'k' }], sort: [{ by: 'at', dir: 'desc' as const }] };
    const extremes = { extract: 'ts', measures: [{ agg: 'min' as const, field: 'at', as: 'first' }, { agg: 'max' as const, field: 'at', as: 'last' }] };
    for (const mode of ['sqlite', 'memory'] as const) {
      const ordered = await api.analysis.run(spec, { mode, noCache: true });
      expect(ordered.data[0], mode).toEqual(['2024-01-01T10:00:00.500Z', '2024-01-01T10:00:00.250Z', '2024-01-01T10:00:00.000Z', '2024-01-01T09:59:59.900Z', null]);
      const { data } = await api.analysis.run(extremes, { mode, noCache: true });
      expect(data, mode).toEqual([['2024-01-01T09:59:59.900Z'], ['2024-01-01T10:00:00.500Z']]);
      const later = await api.analysis.run({ ...extremes, filters: [{ field: 'at', op: 'range', min: '2024-01-01T10:00:00.3Z' }] }, { mode, noCache: true });
      expect(later.data, mode).toEqual([['2024-01-01T10:00:00.500Z'], ['2024-01-01T10:00:00.500Z']]);
    }
  });

  it('limit cuts the detail rows and says so', async () => {
    const result = await api.analysis.run({ extract: 'tx', dimensions: [{ field: 'id' }], limit: 10 }, { mode: 'sqlite' });
    expect(result.rowCount).toBe(10);
    expect(result.truncated).toBe(true);
    expect(result.data[0]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it.each(SPECS)('$title: SQLite and memory match a naive plain-JS computation', async ({ spec }) => {
    const local = getLocalExtract(runtime.vault.db(), 'tx')!;
    const plan = planAnalysis(spec, { name: 'tx', table: local.tableName!, columns: local.columns }, { now: new Date(NOW) });
    const objects = txRows(3000).map((row) => Object.fromEntries(TX_COLUMNS.map((c, i) => [c.name, row[i]])));
    const expected = referenceExecute(plan, objects);
    const expectedData = [...expected.data, ...applyTableCalcs(plan, expected)];
    for (const mode of ['sqlite', 'memory'] as const) {
      const result = await api.analysis.run(spec, { mode, now: NOW, noCache: true });
      expect(result.rowCount, mode).toBe(expected.rowCount);
      expect(result.truncated, mode).toBe(expected.truncated);
      if (plan.groupingSets.length > 1) expect(result.grouping, mode).toEqual(expected.grouping);
      expectedData.forEach((column, c) =>
        column.forEach((cell, r) => {
          const got = result.data[c]![r];
          if (typeof cell === 'number' && typeof got === 'number') expect(Math.abs(got - cell), `${mode} ${result.columns[c]!.name}[${r}]`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(cell)));
          else expect(got, `${mode} ${result.columns[c]!.name}[${r}]`).toEqual(cell);
        }),
      );
    }
  });

  it('the plan never carries user text into SQL identifiers unchecked', () => {
    const local = getLocalExtract(runtime.vault.db(), 'tx')!;
    const plan = planAnalysis(
      { extract: 'tx', dimensions: [{ field: "odd \"name\"; --'" }], filters: [{ field: 'branch', op: 'in', values: ["'; DROP TABLE extracts; --"] }] },
      { name: 'tx', table: local.tableName!, columns: local.columns },
      { now: new Date(NOW) },
    );
    expect(plan.dimensions[0]!.expr).toMatchObject({ k: 'col', name: "odd \"name\"; --'" });
  });
});
