// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nextProvider } from 'react-i18next';
import type { AnalysisResult, AnalysisSpec } from '../../shared/analysis/spec.js';
import { StrongroomError } from '../../shared/errors.js';
import * as explore from '../../shared/workbench/explore.js';
import type { ChartProps } from '../../renderer/components/chart/types.js';
import { AnalysesView } from '../../renderer/features/analyses/AnalysesView.js';
import { createI18n } from '../../renderer/i18n/index.js';
import { StoreProvider } from '../../renderer/store/context.js';
import { createAppStore } from '../../renderer/store/index.js';
import { selectCanUndo, selectDoc, selectSpec } from '../../renderer/store/slices/builder/selectors.js';
import { deferred, fakeApi, result } from './builder-fixtures.js';

// plotly cannot lay out or draw in happy-dom (no SVG text metrics, no canvas): the chart is replaced by
// a stand-in that shows the chart type, offers one button per mark, and hands over a PNG handle.
const charts: ChartProps[] = [];
vi.mock('../../renderer/components/chart/Chart.js', () => ({
  Chart(props: ChartProps) {
    charts.push(props);
    props.onReady?.({ toPng: async () => 'data:image/png;base64,iVBORw0KGgo=' });
    const dims = props.result.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.role === 'dimension');
    return (
      <figure aria-label={`${props.chart.type} chart ${props.title}`}>
        {Array.from({ length: props.result.rowCount }, (_, r) => (
          <button key={r} type="button" onClick={() => props.onMarkClick?.({ values: Object.fromEntries(dims.map(({ c, i }) => [c.name, props.result.data[i]![r] ?? null])), clientX: 10, clientY: 10 })}>
            {`mark ${r}`}
          </button>
        ))}
      </figure>
    );
  },
}));

// The mark menu must go through shared/workbench/explore.ts: the real functions, watched.
vi.mock('../../shared/workbench/explore.js', async (original) => {
  const real = await original<typeof import('../../shared/workbench/explore.js')>();
  return { ...real, keepOnly: vi.fn(real.keepOnly), exclude: vi.fn(real.exclude), drill: vi.fn(real.drill), viewDataSpec: vi.fn(real.viewDataSpec) };
});

afterEach(() => {
  cleanup();
  charts.length = 0;
  vi.clearAllMocks();
});

/** The fake engine: filter values, a field's range, and otherwise two months of amounts. */
function engine(spec: AnalysisSpec): Promise<AnalysisResult> {
  const m = spec.measures ?? [];
  if (m[0]?.as === 'value_count') return Promise.resolve(result([{ name: 'channel', type: 'string', role: 'dimension' }, { name: 'value_count', type: 'number', role: 'measure' }], [['card', 'branch', 'atm'], [1200, 500, 300]]));
  if (m[0]?.agg === 'min' && m[1]?.agg === 'max') return Promise.resolve(result([{ name: 'min', type: 'number', role: 'measure' }, { name: 'max', type: 'number', role: 'measure' }], [[0.5], [120000]]));
  if (spec.dimensions?.some((d) => d.field === 'txn_id')) return Promise.resolve(result([{ name: 'txn_id', type: 'number', role: 'dimension' }, { name: 'amount', type: 'number', role: 'dimension' }], [[1, 2], [10, 20]], { truncated: true }));
  const dims = (spec.dimensions ?? []).map((d) => explore.dimensionName(d));
  return Promise.resolve(
    result(
      [...dims.map((name) => ({ name, type: 'date' as const, role: 'dimension' as const })), ...(spec.measures ?? []).map((x) => ({ name: x.as, type: 'number' as const, role: 'measure' as const }))],
      [...dims.map(() => ['2024-03-01', '2024-04-01']), ...(spec.measures ?? []).map(() => [100, 200])],
    ),
  );
}

async function renderBuilder(onRun: (spec: AnalysisSpec) => Promise<AnalysisResult> = engine, open = true) {
  const fake = fakeApi({ onRun });
  const store = createAppStore({ api: fake.api });
  if (open) await store.getState().newAnalysis('transactions');
  render(
    <I18nextProvider i18n={createI18n('en')}>
      <StoreProvider store={store} api={fake.api}>
        <AnalysesView />
      </StoreProvider>
    </I18nextProvider>,
  );
  return { ...fake, store };
}

/** Field button → "Add … to" menu → shelf item: the click/keyboard path (buttons are pressed with Enter or Space). */
function addTo(field: string, shelf: string) {
  fireEvent.click(screen.getByRole('button', { name: field }));
  fireEvent.click(within(screen.getByRole('menu', { name: `Add ${field} to` })).getByRole('menuitem', { name: shelf }));
}
const shelf = (name: string) => screen.getByRole('list', { name: `${name} shelf` });

describe('builder view', () => {
  it('adds fields to shelves from their menus, keyboard-operable, and draws the chart', async () => {
    const { store, callsOf } = await renderBuilder();
    const field = screen.getByRole('button', { name: 'booked_on' });
    fireEvent.click(field);
    const menu = screen.getByRole('menu', { name: 'Add booked_on to' });
    expect(document.activeElement).toBe(within(menu).getByRole('menuitem', { name: 'Columns' }));
    fireEvent.keyDown(menu, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(within(menu).getByRole('menuitem', { name: 'Rows' }));
    fireEvent.keyDown(menu, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    addTo('booked_on', 'Columns');
    addTo('amount', 'Rows');
    expect(within(shelf('Columns')).getByRole('button', { name: 'booked_on · Month' })).toBeTruthy();
    expect(within(shelf('Rows')).getByRole('button', { name: 'Sum of amount' })).toBe(document.activeElement);
    await waitFor(() => expect(screen.getByRole('figure', { name: 'line chart Untitled analysis' })).toBeTruthy());
    expect(callsOf('analysis.run').at(-1)!.args[0]).toEqual(selectSpec(store.getState()));

    fireEvent.change(screen.getByRole('combobox', { name: 'Date grain of booked_on' }), { target: { value: 'quarter' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Aggregation of amount' }), { target: { value: 'avg' } });
    expect(selectSpec(store.getState())).toMatchObject({ dimensions: [{ field: 'booked_on', grain: 'quarter' }], measures: [{ agg: 'avg', as: 'amount_avg' }] });
  });

  it('reorders pills with Alt+arrows and removes them with Delete or ×', async () => {
    const { store } = await renderBuilder();
    addTo('booked_on', 'Columns');
    addTo('channel', 'Columns');
    const channel = within(shelf('Columns')).getByRole('button', { name: 'channel' });
    fireEvent.keyDown(channel, { key: 'ArrowLeft', altKey: true });
    expect(selectDoc(store.getState()).columns.map((p) => p.field)).toEqual(['channel', 'booked_on']);
    expect(document.activeElement?.textContent).toBe('channel');
    fireEvent.keyDown(within(shelf('Columns')).getByRole('button', { name: 'channel' }), { key: 'Delete' });
    expect(selectDoc(store.getState()).columns.map((p) => p.field)).toEqual(['booked_on']);
    expect(document.activeElement?.getAttribute('aria-label')).toBe('booked_on · Month');
    fireEvent.click(screen.getByRole('button', { name: 'Remove booked_on · Month from Columns' }));
    expect(selectDoc(store.getState()).columns).toEqual([]);
  });

  it('changes the chart type; Undo (button and Ctrl+Z) restores it, Ctrl+Y redoes', async () => {
    const { store } = await renderBuilder();
    addTo('booked_on', 'Columns');
    addTo('amount', 'Rows');
    fireEvent.click(screen.getByRole('radio', { name: 'Bar' }));
    fireEvent.click(screen.getByRole('radio', { name: 'Line' }));
    expect(selectDoc(store.getState()).chart.type).toBe('line');
    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    expect(selectDoc(store.getState()).chart.type).toBe('bar');
    expect((screen.getByRole('radio', { name: 'Bar' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    expect(selectDoc(store.getState()).chart.type).toBeNull();
    fireEvent.keyDown(window, { key: 'y', ctrlKey: true });
    expect(selectDoc(store.getState()).chart.type).toBe('bar');
    // Inside a text box Ctrl+Z is the box's own undo.
    fireEvent.keyDown(screen.getByRole('searchbox', { name: 'Search fields' }), { key: 'z', ctrlKey: true });
    expect(selectDoc(store.getState()).chart.type).toBe('bar');
    await waitFor(() => expect(charts.at(-1)?.chart.type).toBe('bar'));
  });

  it('builds date filters: relative presets and an explicit range', async () => {
    const { store } = await renderBuilder();
    addTo('amount', 'Rows');
    addTo('booked_on', 'Filters');
    fireEvent.change(screen.getByRole('combobox', { name: 'Dates of booked_on' }), { target: { value: 'rel:12:month' } });
    expect(selectDoc(store.getState()).filters[0]!.filter).toEqual({ field: 'booked_on', op: 'relative', last: 12, unit: 'month' });
    expect(screen.getByRole('button', { name: 'booked_on: last 12 months' })).toBeTruthy();
    fireEvent.change(screen.getByRole('combobox', { name: 'Dates of booked_on' }), { target: { value: 'range' } });
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2024-01-01' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2024-03-31' } });
    expect(selectDoc(store.getState()).filters[0]!.filter).toEqual({ field: 'booked_on', op: 'range', min: '2024-01-01', max: '2024-03-31' });
    fireEvent.change(screen.getByRole('combobox', { name: 'Dates of booked_on' }), { target: { value: 'not_null' } });
    expect(selectDoc(store.getState()).filters[0]!.filter).toEqual({ field: 'booked_on', op: 'not_null' });
  });

  it('builds a multi-select from the values the engine lists, and excludes them on request', async () => {
    const { store, callsOf } = await renderBuilder();
    addTo('amount', 'Rows');
    addTo('channel', 'Filters');
    const list = await screen.findByRole('list', { name: 'Values of channel' });
    expect(callsOf('analysis.run').some((c) => JSON.stringify(c.args[0]) === JSON.stringify({ extract: 'transactions', dimensions: [{ field: 'channel' }], measures: [{ agg: 'count', as: 'value_count' }], sort: [{ by: 'value_count', dir: 'desc' }], limit: 1000 }))).toBe(true);
    fireEvent.click(within(list).getByRole('checkbox', { name: /card/ }));
    fireEvent.click(within(list).getByRole('checkbox', { name: /atm/ }));
    expect(selectDoc(store.getState()).filters[0]!.filter).toEqual({ field: 'channel', op: 'in', values: ['card', 'atm'] });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search values of channel' }), { target: { value: 'bra' } });
    expect(within(list).getAllByRole('checkbox')).toHaveLength(1);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Exclude the selected values' }));
    expect(selectDoc(store.getState()).filters[0]!.filter).toEqual({ field: 'channel', op: 'not_in', values: ['card', 'atm'] });
    expect(screen.getByRole('button', { name: 'channel: not card, atm' })).toBeTruthy();
  });

  it('builds a numeric range (typing is one undo step) and shows the data’s range', async () => {
    const { store } = await renderBuilder();
    addTo('booked_on', 'Columns');
    addTo('amount', 'Filters');
    await screen.findByText('The data runs from 0.5 to 120,000.');
    const min = screen.getByRole('spinbutton', { name: 'Minimum amount' });
    const before = store.getState().builderHistory!.past.length;
    for (const value of ['1', '10', '100']) fireEvent.change(min, { target: { value } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Maximum amount' }), { target: { value: '5000' } });
    expect(selectDoc(store.getState()).filters[0]!.filter).toEqual({ field: 'amount', op: 'range', min: 100, max: 5000 });
    expect(store.getState().builderHistory!.past.length).toBe(before + 2);
    act(() => store.getState().undoBuilder());
    expect(selectDoc(store.getState()).filters[0]!.filter).toEqual({ field: 'amount', op: 'range', min: 100 });
  });

  it('opens a mark menu that keeps only, excludes, drills down and views the data through explore.ts', async () => {
    const { store } = await renderBuilder();
    addTo('booked_on', 'Columns');
    addTo('amount', 'Rows');
    fireEvent.click(await screen.findByRole('button', { name: 'mark 0' }));
    const resultSpec = store.getState().builderRun.resultSpec!;
    const mark = { values: { booked_on_month: '2024-03-01' }, clientX: 10, clientY: 10 };
    let menu = screen.getByRole('menu', { name: /^Explore booked_on_month: 1 Mar 2024/ });
    fireEvent.keyDown(menu, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'mark 0' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Keep only' }));
    expect(explore.keepOnly).toHaveBeenCalledWith(resultSpec, mark);
    expect(selectSpec(store.getState())?.filters).toEqual([{ field: 'booked_on', op: 'range', min: '2024-03-01', max: '2024-03-31' }]);
    expect(selectCanUndo(store.getState())).toBe(true);
    act(() => store.getState().undoBuilder());

    fireEvent.click(screen.getByRole('button', { name: 'mark 0' }));
    menu = screen.getByRole('menu');
    expect(explore.exclude).toHaveBeenCalledWith(resultSpec, mark);
    expect(explore.drill).toHaveBeenCalledWith(resultSpec, mark, expect.arrayContaining([expect.objectContaining({ name: 'booked_on' })]));
    fireEvent.click(within(menu).getByRole('menuitem', { name: 'Drill down' }));
    expect(selectSpec(store.getState())?.dimensions).toEqual([{ field: 'booked_on', grain: 'day' }]);
    act(() => store.getState().undoBuilder());

    await waitFor(() => expect(store.getState().builderRun.status).toBe('done'));
    fireEvent.click(screen.getByRole('button', { name: 'mark 0' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'View data' }));
    const dialog = screen.getByRole('dialog', { name: 'Rows behind the mark' });
    expect(explore.viewDataSpec).toHaveBeenCalled();
    await within(dialog).findByText(/2 rows \(the first 2; more match\)/);
    expect(within(dialog).getByRole('grid', { name: 'Rows behind the mark' })).toBeTruthy();
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows a slow run’s Cancel after a moment and cancels that request', async () => {
    const pending = deferred<AnalysisResult>();
    const { callsOf } = await renderBuilder(() => pending.promise);
    addTo('amount', 'Rows');
    expect(screen.queryByRole('button', { name: 'Cancel run' })).toBeNull();
    const cancel = await screen.findByRole('button', { name: 'Cancel run' }, { timeout: 2000 });
    expect(screen.getAllByRole('status').some((s) => s.textContent?.includes('Running the analysis'))).toBe(true);
    const requestId = (callsOf('analysis.run')[0]!.args[1] as { requestId: string }).requestId;
    fireEvent.click(cancel);
    await waitFor(() => expect(callsOf('analysis.cancel').map((c) => c.args[0])).toContain(requestId));
    expect(screen.queryByRole('button', { name: 'Cancel run' })).toBeNull();
    pending.reject(new StrongroomError('CANCELLED', 'cancelled'));
  });

  it('explains errors plainly: a bad spec by where it points, an expired lease by what to do', async () => {
    let error = new StrongroomError('INVALID_ANALYSIS', 'No values', { path: 'filters[0].values' });
    const { store } = await renderBuilder(() => Promise.reject(error));
    act(() => store.getState().editBuilder((doc) => ({ ...doc, filters: [{ id: 'f1', field: 'channel', filter: { field: 'channel', op: 'in', values: [] } }] })));
    addTo('amount', 'Rows');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('No values');
    expect(alert.textContent).toContain('Check the filter on channel.');
    error = new StrongroomError('LEASE_EXPIRED', 'expired');
    fireEvent.change(screen.getByRole('combobox', { name: 'Aggregation of amount' }), { target: { value: 'max' } });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Sync the extract'));
    fireEvent.click(screen.getByRole('button', { name: 'Go to the catalog to sync' }));
    expect(store.getState().route).toBe('catalog');
  });

  it('saves with title, description, tags and a thumbnail; the list then shows it', async () => {
    const { store, callsOf } = await renderBuilder();
    addTo('booked_on', 'Columns');
    addTo('amount', 'Rows');
    await screen.findByRole('figure');
    fireEvent.click(screen.getByRole('button', { name: 'Save…' }));
    const dialog = screen.getByRole('dialog', { name: 'Save analysis' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(within(dialog).getByText('Give the analysis a title.')).toBeTruthy();
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Title' }), { target: { value: 'Monthly amounts' } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Description' }), { target: { value: 'Card and branch' } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Tags' }), { target: { value: 'retail, monthly, retail' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(callsOf('analyses.save')[0]!.args[0]).toEqual({ title: 'Monthly amounts', description: 'Card and branch', tags: ['retail', 'monthly'], spec: selectSpec(store.getState()), thumbnail: 'data:image/png;base64,iVBORw0KGgo=' });

    fireEvent.click(screen.getByRole('button', { name: 'All analyses' }));
    const cards = await screen.findByRole('list', { name: 'Saved analyses' });
    expect(within(cards).getByRole('heading', { name: 'Monthly amounts' })).toBeTruthy();
    fireEvent.click(within(cards).getByRole('button', { name: 'Delete Monthly amounts' }));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Delete “Monthly amounts”?' })).getByRole('button', { name: 'Delete analysis' }));
    await waitFor(() => expect(callsOf('analyses.remove')).toHaveLength(1));
  });

  it('starts a new analysis from the list by picking an extract', async () => {
    const { store } = await renderBuilder(engine, false);
    const extract = { name: 'transactions', title: 'Card and branch transactions', description: '', classification: 'internal' as const, rowCount: 2000, syncedAt: null, leaseExpiresAt: null, allowedExports: [], version: 1, warehouseUser: null, hiddenColumns: [], leaseExpired: false };
    act(() => store.setState({ extracts: [extract, { ...extract, name: 'loans', leaseExpired: true }] }));
    await screen.findByRole('heading', { name: 'No analyses yet' });
    fireEvent.click(screen.getByRole('button', { name: 'New analysis' }));
    const dialog = screen.getByRole('dialog', { name: 'New analysis' });
    expect((within(dialog).getByRole('radio', { name: 'loans' }) as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(within(dialog).getByRole('radio', { name: 'transactions' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    await screen.findByRole('button', { name: 'booked_on' });
    expect(selectDoc(store.getState()).extract).toBe('transactions');
  });

  it('suggests charts for the placed fields and arranges the shelves for the one picked', async () => {
    const { store } = await renderBuilder();
    addTo('booked_on', 'Columns');
    addTo('channel', 'Rows');
    addTo('amount', 'Rows');
    fireEvent.click(screen.getByRole('button', { name: 'Suggest' }));
    const menu = screen.getByRole('menu', { name: 'Suggested charts' });
    const items = within(menu).getAllByRole('menuitem').map((i) => i.textContent);
    expect(items[0]).toBe('Line: booked_on_month, amount_sum, channel');
    fireEvent.click(within(menu).getByRole('menuitem', { name: 'Area: booked_on_month, amount_sum, channel' }));
    const doc = selectDoc(store.getState());
    expect({ type: doc.chart.type, barMode: doc.chart.barMode, columns: doc.columns.map((p) => p.field), rows: doc.rows.map((p) => p.field), color: doc.color.map((p) => p.field) }).toEqual({ type: 'area', barMode: undefined, columns: ['booked_on'], rows: ['amount'], color: ['channel'] });
  });
});
