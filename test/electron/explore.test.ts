import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisResult, AnalysisSpec, Cell } from '../../shared/analysis/spec.js';
import type { Api } from '../../shared/contracts/index.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';
import { applyFilters, drill, exclude, keepOnly, markFilters, viewDataSpec, type Mark } from '../../shared/workbench/explore.js';
import { createWorkerRuntime, type WorkerRuntime } from '../../electron/worker/runtime.js';
import { TEST_SCRYPT, tempProfile } from '../helpers/profile.js';
import { seedExtract } from '../helpers/seed-extract.js';
import { TX_COLUMNS, txRows } from '../helpers/analysis-data.js';

// Exploring from a chart, checked against the engine itself: the rows a mark's filters select must be
// exactly the rows the mark counted, whatever the dimension (category, null, date period of a date or
// a timestamp, numeric bin) and whichever engine answers.
let runtime: WorkerRuntime;
let api: Api;
const ROWS = 4000;

beforeAll(async () => {
  runtime = createWorkerRuntime({ profileDir: tempProfile(), scrypt: TEST_SCRYPT });
  api = createClient<Api>(createLoopbackTransport((r) => runtime.server.handle(r))).api;
  await api.session.create({ passphrase: 'explore test passphrase' });
  seedExtract(runtime.vault.db(), { name: 'tx', columns: [...TX_COLUMNS], rows: txRows(ROWS) });
});
afterAll(() => runtime.close());

const count = { agg: 'count' as const, as: 'n' };
const total = async (spec: AnalysisSpec, mode: 'sqlite' | 'memory') => {
  const r = await api.analysis.run({ ...spec, dimensions: [], measures: [count], sort: [], chart: undefined, pivot: undefined }, { mode });
  return r.data[0]![0] as number;
};
const marksOf = (result: AnalysisResult, dims: string[]): Array<{ mark: Mark; n: number }> => {
  const nIndex = result.columns.findIndex((c) => c.name === 'n');
  return Array.from({ length: result.rowCount }, (_, r) => ({
    mark: { values: Object.fromEntries(dims.map((d) => [d, result.data[result.columns.findIndex((c) => c.name === d)]![r] as Cell])) },
    n: result.data[nIndex]![r] as number,
  }));
};

const CASES: Array<[string, AnalysisSpec, string[]]> = [
  ['a category with nulls', { extract: 'tx', dimensions: [{ field: 'branch' }], measures: [count] }, ['branch']],
  ['months of a timestamp', { extract: 'tx', dimensions: [{ field: 'booked_at', grain: 'month' }], measures: [count] }, ['booked_at_month']],
  ['quarters of a date, by channel', { extract: 'tx', dimensions: [{ field: 'value_date', grain: 'quarter' }, { field: 'channel' }], measures: [count] }, ['value_date_quarter', 'channel']],
  ['weeks of a date', { extract: 'tx', dimensions: [{ field: 'value_date', grain: 'week', as: 'wk' }], measures: [count] }, ['wk']],
  ['amount bins', { extract: 'tx', dimensions: [{ field: 'amount', bin: { width: 250, origin: 10 } }], measures: [count] }, ['amount_bin']],
  ['a yes/no field under a filter', { extract: 'tx', dimensions: [{ field: 'is_reversal' }], measures: [count], filters: [{ field: 'channel', op: 'in', values: ['card', 'atm'] }] }, ['is_reversal']],
];

describe.each(['sqlite', 'memory'] as const)('marks select exactly their rows (%s engine)', (mode) => {
  it.each(CASES)('%s: keep only, exclude and view data agree with the mark', async (_title, spec, dims) => {
    const result = await api.analysis.run(spec, { mode });
    const all = await total(spec, mode);
    const marks = marksOf(result, dims);
    expect(marks.length).toBeGreaterThan(1);
    // A sample keeps the test quick; it always includes the null mark when there is one.
    const sample = marks.filter((m, i) => i % Math.ceil(marks.length / 6) === 0 || Object.values(m.mark.values).includes(null));
    for (const { mark, n } of sample) {
      expect(await total(keepOnly(spec, mark), mode)).toBe(n);
      const without = exclude(spec, mark);
      expect(without).not.toBeNull();
      expect(await total(without!, mode)).toBe(all - n);
      const rows = await api.analysis.run(viewDataSpec(spec, mark, (await api.extracts.schema({ name: 'tx' })).columns), { mode });
      expect(rows.rowCount).toBe(n);
      expect(rows.truncated).toBe(false);
    }
  });
});

describe('drill down', () => {
  it('a month opens into its days, which add up to the month', async () => {
    const spec: AnalysisSpec = { extract: 'tx', dimensions: [{ field: 'booked_at', grain: 'month' }], measures: [count], chart: { type: 'column', x: 'booked_at_month', y: 'n' } };
    const result = await api.analysis.run(spec, { mode: 'sqlite' });
    const { mark, n } = marksOf(result, ['booked_at_month'])[3]!;
    const columns = (await api.extracts.schema({ name: 'tx' })).columns;
    const days = drill(spec, mark, columns)!;
    expect(days.dimensions).toEqual([{ field: 'booked_at', grain: 'day' }]);
    expect(days.chart?.x).toBe('booked_at_day');
    const daily = await api.analysis.run(days, { mode: 'sqlite' });
    expect(daily.rowCount).toBeGreaterThan(20);
    expect((daily.data[1] as number[]).reduce((a, b) => a + b, 0)).toBe(n);
    expect(drill(days, { values: { booked_at_day: daily.data[0]![0]! } }, columns)).toBeNull();
  });

  it('a category opens into the next text field, kept to that category', async () => {
    const spec: AnalysisSpec = { extract: 'tx', dimensions: [{ field: 'channel' }], measures: [count], chart: { type: 'bar', x: 'channel', y: 'n' } };
    const columns = (await api.extracts.schema({ name: 'tx' })).columns;
    const next = drill(spec, { values: { channel: 'card' } }, columns)!;
    expect(next.dimensions).toEqual([{ field: 'category' }]);
    expect(next.chart?.x).toBe('category');
    const byCategory = await api.analysis.run(next, { mode: 'sqlite' });
    const cardOnly = await api.analysis.run(keepOnly(spec, { values: { channel: 'card' } }), { mode: 'sqlite' });
    expect((byCategory.data[1] as number[]).reduce((a, b) => a + b, 0)).toBe(cardOnly.data[1]![0]);
  });
});

describe('dashboard filters', () => {
  it('apply only where the tile has the field, and do not pile up', () => {
    const spec: AnalysisSpec = { extract: 'tx', dimensions: [{ field: 'channel' }], measures: [count] };
    const fields = new Set(TX_COLUMNS.map((c) => c.name));
    const filters = markFilters({ extract: 'other', dimensions: [{ field: 'channel' }, { field: 'region' }] }, { values: { channel: 'card', region: 'North' } });
    const once = applyFilters(spec, filters, fields);
    expect(once.filters).toEqual([{ field: 'channel', op: 'in', values: ['card'] }]);
    expect(applyFilters(once, filters, fields)).toEqual(once);
  });
});
