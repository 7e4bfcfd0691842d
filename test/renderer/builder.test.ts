import { describe, expect, it } from 'vitest';
import type { AnalysisSpec } from '../../shared/analysis/spec.js';
import { drill, exclude, keepOnly } from '../../shared/workbench/explore.js';
import { createAppStore } from '../../renderer/store/index.js';
import { addField, arrange, movePill, placePill, removePill, setChartType, updatePill } from '../../renderer/store/slices/builder/edits.js';
import { canRedo, canUndo, COALESCE_MS, commit, createHistory, redo, undo } from '../../renderer/store/slices/builder/history.js';
import { emptyDoc, fieldsOf, type BuilderDoc, type FieldInfo, type Pill } from '../../renderer/store/slices/builder/model.js';
import { selectCanUndo, selectDirty, selectDoc, selectSpec } from '../../renderer/store/slices/builder/selectors.js';
import { shelvesToSpec, specToShelves } from '../../renderer/store/slices/builder/shelves.js';
import { StrongroomError } from '../../shared/errors.js';
import { deferred, fakeApi, flush, result, TRANSACTION_COLUMNS } from './builder-fixtures.js';

const FIELDS = fieldsOf(TRANSACTION_COLUMNS);
const field = (name: string): FieldInfo => FIELDS.find((f) => f.name === name)!;

/** A document built the way the UI builds it: fields sent to shelves. */
function build(steps: Array<[Parameters<typeof addField>[1], string]>, type: BuilderDoc['chart']['type'] = null): BuilderDoc {
  let doc = emptyDoc('transactions');
  for (const [target, name] of steps) doc = addField(doc, target, field(name)).doc;
  return setChartType(doc, type);
}

/** Pills without their ids, to compare documents built at different times. */
const shape = (doc: BuilderDoc) => {
  const strip = (pills: Pill[]) => pills.map(({ id: _id, ...rest }) => rest);
  return { ...doc, columns: strip(doc.columns), rows: strip(doc.rows), color: strip(doc.color), size: strip(doc.size), filters: doc.filters.map(({ id: _id, ...rest }) => rest) };
};

describe('fields', () => {
  it('groups text, dates, yes/no and identifiers as dimensions and numbers as measures', () => {
    expect(FIELDS.filter((f) => f.role === 'measure').map((f) => f.name)).toEqual(['amount', 'mcc']);
    expect(field('branch_id').role).toBe('dimension');
    expect(field('txn_id')).toMatchObject({ role: 'dimension', key: true });
    expect(field('booked_on')).toMatchObject({ type: 'date', role: 'dimension' });
  });

  it('types calculated fields from their expression', () => {
    const fields = fieldsOf(TRANSACTION_COLUMNS, [{ name: 'signed', expr: "IF [direction] = 'debit' THEN -[amount] ELSE [amount] END" }, { name: 'big', expr: '[signed] > 1000' }]);
    expect(fields.slice(-2)).toEqual([
      { name: 'signed', type: 'number', role: 'measure', key: false, calculated: true },
      { name: 'big', type: 'boolean', role: 'dimension', key: false, calculated: true },
    ]);
  });
});

describe('shelvesToSpec', () => {
  it('turns a month of booked_on on Columns and amount on Rows into a bar chart spec', () => {
    const doc = build([['columns', 'booked_on'], ['rows', 'amount']], 'bar');
    expect(shelvesToSpec(doc, FIELDS)).toEqual({
      version: 1,
      extract: 'transactions',
      dimensions: [{ field: 'booked_on', grain: 'month' }],
      measures: [{ agg: 'sum', field: 'amount', as: 'amount_sum' }],
      chart: { type: 'bar', x: 'booked_on_month', y: 'amount_sum' },
    });
  });

  it('asks nothing while no field is placed, and leaves unconfigured filters out', () => {
    expect(shelvesToSpec(emptyDoc('transactions'), FIELDS)).toBeNull();
    const doc = build([['rows', 'amount'], ['filters', 'channel']], 'kpi');
    expect(shelvesToSpec(doc, FIELDS)?.filters).toBeUndefined();
  });

  it('picks the top suggestion while the chart type is automatic', () => {
    expect(shelvesToSpec(build([['columns', 'booked_on'], ['rows', 'amount']]), FIELDS)?.chart).toEqual({ type: 'line', x: 'booked_on_month', y: 'amount_sum' });
    expect(shelvesToSpec(build([['rows', 'amount']]), FIELDS)?.chart?.type).toBe('kpi');
  });

  it('puts Color and Size on their channels and several measures on y', () => {
    const doc = build([['columns', 'booked_on'], ['rows', 'amount'], ['rows', 'mcc'], ['color', 'channel']], 'column');
    const spec = shelvesToSpec(doc, FIELDS)!;
    expect(spec.dimensions).toEqual([{ field: 'booked_on', grain: 'month' }, { field: 'channel' }]);
    expect(spec.chart).toMatchObject({ type: 'column', x: 'booked_on_month', y: ['amount_sum', 'mcc_sum'], color: 'channel' });
  });

  it('reads a measure on Columns with a category on Rows as horizontal bars (x stays the category)', () => {
    const doc = build([['columns', 'amount'], ['rows', 'channel']], 'bar');
    expect(shelvesToSpec(doc, FIELDS)?.chart).toEqual({ type: 'bar', x: 'channel', y: 'amount_sum' });
  });

  it('splits a pivot into row fields (Rows) and column fields (the rest)', () => {
    const doc = build([['columns', 'booked_on'], ['rows', 'channel'], ['rows', 'amount']], 'pivot');
    expect(shelvesToSpec(doc, FIELDS)?.pivot).toEqual({ rows: ['channel'], columns: ['booked_on_month'] });
  });

  it('drops a kept sort or table calculation whose column left the shelves', () => {
    const doc: BuilderDoc = { ...build([['columns', 'channel'], ['rows', 'amount']], 'column'), extras: { sort: [{ by: 'mcc_sum', dir: 'desc' }, { by: 'amount_sum', dir: 'desc' }], tableCalcs: [{ calc: 'rank', measure: 'mcc_sum', as: 'r' }] } };
    const spec = shelvesToSpec(doc, FIELDS)!;
    expect(spec.sort).toEqual([{ by: 'amount_sum', dir: 'desc' }]);
    expect(spec.tableCalcs).toBeUndefined();
  });
});

describe('specToShelves', () => {
  const docs: Array<[string, BuilderDoc]> = [
    ['bar by month', build([['columns', 'booked_on'], ['rows', 'amount'], ['filters', 'channel']], 'bar')],
    ['stacked columns with colour', build([['columns', 'booked_on'], ['rows', 'amount'], ['color', 'channel']], 'column')],
    ['scatter of two measures', build([['columns', 'amount'], ['rows', 'mcc'], ['color', 'channel']], 'scatter')],
    ['pivot', build([['columns', 'booked_on'], ['rows', 'category'], ['rows', 'amount']], 'pivot')],
    ['automatic type', build([['columns', 'channel'], ['rows', 'amount']])],
    ['combo', build([['columns', 'booked_on'], ['rows', 'amount'], ['rows', 'mcc']], 'combo')],
  ];

  it.each(docs)('gives the same spec back: %s', (_name, doc) => {
    const spec = shelvesToSpec(doc, FIELDS)!;
    expect(shelvesToSpec(specToShelves(spec), FIELDS)).toEqual(spec);
  });

  it('puts each field back on the shelf it came from', () => {
    let doc = build([['columns', 'booked_on'], ['rows', 'amount'], ['color', 'channel']], 'column');
    doc = updatePill(doc, doc.rows[0]!.id, { agg: 'avg' });
    doc = { ...doc, filters: [{ id: 'f', field: 'channel', filter: { field: 'channel', op: 'in', values: ['card'] } }] };
    expect(shape(specToShelves(shelvesToSpec(doc, FIELDS)!))).toEqual(shape({ ...doc, chart: { type: 'column' } }));
  });

  it('keeps what the shelves do not edit (calculated fields, sort, limit, table calculations, facet)', () => {
    const spec: AnalysisSpec = {
      version: 1,
      extract: 'transactions',
      calculated: [{ name: 'signed', expr: '-[amount]' }],
      dimensions: [{ field: 'booked_on', grain: 'month' }, { field: 'category' }, { field: 'channel' }],
      measures: [{ agg: 'sum', field: 'signed', as: 'net' }],
      sort: [{ by: 'net', dir: 'desc' }],
      limit: 500,
      tableCalcs: [{ calc: 'running_total', measure: 'net', as: 'net_running' }],
      chart: { type: 'column', x: 'booked_on_month', y: 'net', color: 'channel', facet: 'category' },
    };
    const doc = specToShelves(spec);
    expect(doc.rows[0]).toMatchObject({ field: 'signed', agg: 'sum', as: 'net' });
    expect(doc.columns.map((p) => p.field)).toEqual(['booked_on', 'category']);
    expect(shelvesToSpec(doc, fieldsOf(TRANSACTION_COLUMNS, spec.calculated))).toEqual(spec);
  });

  it('opens the specs exploring produces (keep only, exclude, drill down) without changing them', () => {
    const base = shelvesToSpec(build([['columns', 'booked_on'], ['rows', 'amount'], ['color', 'channel']], 'column'), FIELDS)!;
    const mark = { values: { booked_on_month: '2024-03-01', channel: 'card' } };
    for (const next of [keepOnly(base, mark), exclude(base, mark)!, drill(base, mark, TRANSACTION_COLUMNS)!]) {
      const fields = fieldsOf(TRANSACTION_COLUMNS, next.calculated);
      expect(shelvesToSpec(specToShelves(next), fields)).toEqual(next);
    }
  });
});

describe('edits', () => {
  it('Color holds one field: a second replaces the first; a field twice on one shelf stays once', () => {
    let doc = build([['color', 'channel'], ['color', 'category']]);
    expect(doc.color.map((p) => p.field)).toEqual(['category']);
    const again = addField(doc, 'color', field('category'));
    expect(again.doc).toBe(doc);
    doc = build([['columns', 'channel'], ['columns', 'channel']]);
    expect(doc.columns).toHaveLength(1);
  });

  it('moves pills within and across shelves, and removes them', () => {
    let doc = build([['columns', 'booked_on'], ['columns', 'channel'], ['rows', 'amount']]);
    const [date, channel] = doc.columns;
    doc = movePill(doc, channel!.id, 'columns', 0);
    expect(doc.columns.map((p) => p.field)).toEqual(['channel', 'booked_on']);
    doc = movePill(doc, date!.id, 'color', 0);
    expect(doc.columns.map((p) => p.field)).toEqual(['channel']);
    expect(doc.color[0]).toMatchObject({ id: date!.id, grain: 'month' });
    expect(removePill(doc, channel!.id).columns).toEqual([]);
  });

  it('changes grain and aggregation, and switches a pill between dimension and measure', () => {
    let doc = build([['columns', 'booked_on'], ['rows', 'amount']]);
    doc = updatePill(doc, doc.columns[0]!.id, { grain: 'quarter' });
    doc = updatePill(doc, doc.rows[0]!.id, { agg: 'median' });
    expect(shelvesToSpec(doc, FIELDS)).toMatchObject({ dimensions: [{ field: 'booked_on', grain: 'quarter' }], measures: [{ agg: 'median', field: 'amount', as: 'amount_median' }] });
    doc = updatePill(doc, doc.rows[0]!.id, { role: 'dimension' }, field('amount'));
    expect(doc.rows[0]).toEqual({ id: doc.rows[0]!.id, field: 'amount', role: 'dimension' });
    doc = updatePill(doc, doc.columns[0]!.id, { role: 'measure' }, field('booked_on'));
    expect(doc.columns[0]).toMatchObject({ role: 'measure', agg: 'count_distinct' });
  });

  it('arranges the shelves to match a suggestion', () => {
    const doc = build([['columns', 'channel'], ['rows', 'amount'], ['rows', 'booked_on']]);
    const arranged = arrange(doc, { type: 'area', x: 'booked_on_month', y: 'amount_sum', color: 'channel', barMode: 'stacked' });
    expect(arranged.columns.map((p) => p.field)).toEqual(['booked_on']);
    expect(arranged.color.map((p) => p.field)).toEqual(['channel']);
    expect(arranged.chart).toEqual({ type: 'area', barMode: 'stacked' });
    expect(placePill(arranged, 'size', arranged.rows[0]!).doc.size).toHaveLength(1);
  });
});

describe('history', () => {
  it('undoes and redoes, and a new edit drops the redo branch', () => {
    let h = createHistory('a');
    h = commit(h, 'b', { now: 0 });
    h = commit(h, 'c', { now: 10_000 });
    h = undo(h);
    expect(h.present).toBe('b');
    expect(canRedo(h)).toBe(true);
    h = redo(h);
    expect(h.present).toBe('c');
    h = undo(undo(h));
    expect(h.present).toBe('a');
    expect(canUndo(h)).toBe(false);
    expect(undo(h)).toBe(h);
    h = commit(h, 'd', { now: 20_000 });
    expect(canRedo(h)).toBe(false);
    expect(h.past).toEqual(['a']);
  });

  it('coalesces rapid edits with the same key into one step', () => {
    let h = createHistory('');
    h = commit(h, '1', { key: 'min', now: 1000 });
    h = commit(h, '12', { key: 'min', now: 1000 + COALESCE_MS - 1 });
    h = commit(h, '123', { key: 'min', now: 1000 + 2 * COALESCE_MS - 2 });
    expect(h.past).toEqual(['']);
    expect(undo(h).present).toBe('');
    // A pause, another key or an undo in between starts a new step.
    const paused = commit(h, '1234', { key: 'min', now: 10_000 });
    expect(paused.past).toEqual(['', '123']);
    expect(commit(h, 'x', { key: 'max', now: 1000 + 2 * COALESCE_MS }).past).toEqual(['', '123']);
    expect(commit(undo(h), 'y', { key: 'min', now: 1000 + 2 * COALESCE_MS }).past).toEqual(['']);
  });

  it('keeps at most the cap of steps, and committing the same snapshot is no step', () => {
    let h = createHistory(0);
    for (let i = 1; i <= 10; i++) h = commit(h, i, { cap: 4, now: i * 10_000 });
    expect(h.past).toEqual([6, 7, 8, 9]);
    expect(commit(h, h.present)).toBe(h);
  });
});

describe('builder slice', () => {
  async function open(options: Parameters<typeof fakeApi>[0] = {}) {
    const fake = fakeApi(options);
    const store = createAppStore({ api: fake.api });
    await store.getState().newAnalysis('transactions');
    return { ...fake, store };
  }

  it('opens an extract, places fields and runs the spec with a request id', async () => {
    const { store, callsOf } = await open();
    expect(callsOf('extracts.schema')).toEqual([{ method: 'extracts.schema', args: [{ name: 'transactions' }] }]);
    expect(store.getState().addToShelf('columns', 'booked_on')).toEqual(expect.any(String));
    store.getState().addToShelf('rows', 'amount');
    expect(store.getState().addToShelf('rows', 'no_such_field')).toBeNull();
    await store.getState().runBuilder();
    const [run] = callsOf('analysis.run');
    expect(run!.args[0]).toEqual(selectSpec(store.getState()));
    expect(run!.args[1]).toEqual({ requestId: expect.stringMatching(/^builder-/), mode: 'auto' });
    expect(store.getState().builderRun).toMatchObject({ status: 'done', requestId: null, resultSpec: run!.args[0] });
  });

  it('a chart-only change redraws the last answer without asking the engine again; a forced run asks', async () => {
    const { store, callsOf } = await open();
    store.getState().addToShelf('columns', 'booked_on');
    store.getState().addToShelf('rows', 'amount');
    await store.getState().runBuilder();
    // Line (automatic) → area: both fetch every point, so the question is the same.
    store.getState().editBuilder((doc) => setChartType(doc, 'area'));
    await store.getState().runBuilder();
    expect(callsOf('analysis.run')).toHaveLength(1);
    expect(store.getState().builderRun.resultSpec?.chart?.type).toBe('area');
    await store.getState().runBuilder(true);
    expect(callsOf('analysis.run')).toHaveLength(2);
    store.getState().addToShelf('color', 'channel');
    await store.getState().runBuilder();
    expect(callsOf('analysis.run')).toHaveLength(3);
  });

  it('cancels the run in flight when a newer one starts, and drops the stale answer', async () => {
    const runs = [deferred<ReturnType<typeof result>>(), deferred<ReturnType<typeof result>>()];
    let i = 0;
    const { store, callsOf } = await open({ onRun: () => runs[i++]!.promise });
    store.getState().addToShelf('rows', 'amount');
    const first = store.getState().runBuilder();
    const firstId = (callsOf('analysis.run')[0]!.args[1] as { requestId: string }).requestId;
    store.getState().addToShelf('columns', 'channel');
    const second = store.getState().runBuilder();
    expect(callsOf('analysis.cancel').map((c) => c.args[0])).toEqual([firstId]);
    runs[1]!.resolve(result([{ name: 'channel', type: 'string', role: 'dimension' }], [['card']]));
    await second;
    runs[0]!.resolve(result([{ name: 'stale', type: 'string', role: 'dimension' }], [['x']]));
    await first;
    expect(store.getState().builderRun.result?.columns[0]!.name).toBe('channel');
  });

  it('cancel frees the UI at once and asks the worker to stop that run', async () => {
    const pending = deferred<ReturnType<typeof result>>();
    const { store, callsOf } = await open({ onRun: () => pending.promise });
    store.getState().addToShelf('rows', 'amount');
    const run = store.getState().runBuilder();
    const requestId = store.getState().builderRun.requestId;
    await store.getState().cancelBuilderRun();
    expect(callsOf('analysis.cancel').map((c) => c.args[0])).toEqual([requestId]);
    expect(store.getState().builderRun.status).toBe('cancelled');
    pending.reject(new StrongroomError('CANCELLED', 'cancelled'));
    await run;
    expect(store.getState().builderRun).toMatchObject({ status: 'cancelled', error: null });
  });

  it('surfaces a typed error with its path, and a worker-side cancel quietly', async () => {
    let fail: unknown = new StrongroomError('INVALID_ANALYSIS', 'No field "x"', { path: 'filters[0].field' });
    const { store } = await open({ onRun: () => Promise.reject(fail) });
    store.getState().addToShelf('rows', 'amount');
    await store.getState().runBuilder();
    expect(store.getState().builderRun).toMatchObject({ status: 'error', error: { code: 'INVALID_ANALYSIS', details: { path: 'filters[0].field' } } });
    fail = new StrongroomError('CANCELLED', 'cancelled');
    await store.getState().runBuilder();
    expect(store.getState().builderRun).toMatchObject({ status: 'cancelled', error: null });
  });

  it('saves with the thumbnail, then overwrites, then saves a copy; the list follows', async () => {
    const { store, callsOf } = await open();
    await store.getState().loadAnalyses();
    store.getState().addToShelf('columns', 'booked_on');
    store.getState().addToShelf('rows', 'amount');
    expect(selectDirty(store.getState())).toBe(true);
    const png = 'data:image/png;base64,AAAA';
    const first = await store.getState().saveAnalysis({ title: 'Monthly amounts', description: 'All channels', tags: ['retail'], thumbnail: png });
    expect(callsOf('analyses.save')[0]!.args[0]).toEqual({ title: 'Monthly amounts', description: 'All channels', tags: ['retail'], spec: selectSpec(store.getState()), thumbnail: png });
    expect(selectDirty(store.getState())).toBe(false);
    expect(store.getState().builderAnalyses?.map((a) => a.title)).toEqual(['Monthly amounts']);
    await store.getState().saveAnalysis({ title: 'Monthly amounts v2', description: '', tags: [] });
    expect(callsOf('analyses.save')[1]!.args[0]).toMatchObject({ id: first!.id });
    expect(callsOf('analyses.save')[1]!.args[0]).not.toHaveProperty('thumbnail');
    const copy = await store.getState().saveAnalysis({ title: 'Copy', description: '', tags: [], asCopy: true });
    expect(callsOf('analyses.save')[2]!.args[0]).not.toHaveProperty('id');
    expect(store.getState().builderMeta.id).toBe(copy!.id);
    expect(store.getState().builderAnalyses?.map((a) => a.title)).toEqual(['Copy', 'Monthly amounts v2']);
  });

  it('reports a refused save without throwing', async () => {
    const { store } = await open();
    expect(await store.getState().saveAnalysis({ title: 'x', description: '', tags: [] })).toBeNull();
    expect(store.getState().builderSaveError?.code).toBe('INVALID_ANALYSIS');
    store.getState().addToShelf('rows', 'amount');
    expect(await store.getState().saveAnalysis({ title: 'forbidden', description: '', tags: [] })).toBeNull();
    expect(store.getState()).toMatchObject({ builderSaving: false, builderSaveError: { code: 'NOT_PERMITTED' } });
  });

  it('opens a saved analysis on the shelves, clean; undo and redo walk the edits', async () => {
    const { store } = await open();
    store.getState().addToShelf('columns', 'booked_on');
    store.getState().addToShelf('rows', 'amount');
    const saved = await store.getState().saveAnalysis({ title: 'T', description: '', tags: [] });
    const spec = selectSpec(store.getState());
    store.getState().resetBuilder();
    expect(store.getState().builderHistory).toBeNull();
    expect(await store.getState().openAnalysis(saved!.id)).toBe(true);
    expect(selectSpec(store.getState())).toEqual(spec);
    expect(selectDirty(store.getState())).toBe(false);
    expect(selectCanUndo(store.getState())).toBe(false);
    expect(spec!.chart!.type).toBe('line');
    store.getState().editBuilder((doc) => setChartType(doc, 'column'));
    expect(selectDirty(store.getState())).toBe(true);
    store.getState().undoBuilder();
    expect(selectDoc(store.getState()).chart.type).toBe('line');
    expect(selectDirty(store.getState())).toBe(false);
    store.getState().redoBuilder();
    expect(selectDoc(store.getState()).chart.type).toBe('column');
    expect(await store.getState().openAnalysis('missing')).toBe(false);
    expect(store.getState().builderListError?.code).toBe('NOT_FOUND');
  });

  it('applies an explore spec as one undoable step', async () => {
    const { store } = await open();
    store.getState().addToShelf('columns', 'channel');
    store.getState().addToShelf('rows', 'amount');
    const before = selectSpec(store.getState())!;
    store.getState().applySpec(keepOnly(before, { values: { channel: 'card' } }));
    expect(selectSpec(store.getState())?.filters).toEqual([{ field: 'channel', op: 'in', values: ['card'] }]);
    store.getState().undoBuilder();
    expect(selectSpec(store.getState())).toEqual(before);
  });

  it('duplicates and deletes from the list; a lease that ran out shows on the field list', async () => {
    const { store } = await open();
    store.getState().addToShelf('rows', 'amount');
    const saved = await store.getState().saveAnalysis({ title: 'One', description: '', tags: [] });
    await store.getState().loadAnalyses();
    await store.getState().duplicateAnalysis(saved!.id);
    expect(store.getState().builderAnalyses?.map((a) => a.title)).toEqual(['One (copy)', 'One']);
    await store.getState().removeAnalysis(saved!.id);
    expect(store.getState().builderAnalyses?.map((a) => a.title)).toEqual(['One (copy)']);
    expect(store.getState().builderMeta.id).toBeNull();
    await store.getState().newAnalysis('expired');
    expect(store.getState().builderSchemaError?.code).toBe('LEASE_EXPIRED');
    await flush();
  });
});

describe('row limits of point charts', () => {
  it('lines and scatters fetch every point (the chart decimates); bars keep the default, also after a switch back', () => {
    const line = shelvesToSpec(build([['columns', 'booked_on'], ['rows', 'amount']], 'line'), FIELDS)!;
    expect(line.limit).toBe(1_000_000);
    const bars = shelvesToSpec(build([['columns', 'booked_on'], ['rows', 'amount']], 'column'), FIELDS)!;
    expect(bars.limit).toBeUndefined();
    const reopened = specToShelves(line);
    expect(shelvesToSpec(setChartType(reopened, 'column'), FIELDS)!.limit).toBeUndefined();
    expect(shelvesToSpec(reopened, FIELDS)).toEqual(line);
  });
});
