// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DashboardsView } from '../../renderer/features/dashboards/DashboardsView.js';
import { exportBlockers, reportNameFrom } from '../../renderer/features/dashboards/PublishDialog.js';
import type { AnalysisResult } from '../../shared/analysis/spec.js';
import { StrongroomError } from '../../shared/errors.js';
import { isValidLayout } from '../../shared/workbench/layout.js';
import { ANALYSES, EXTRACTS, lastRun, renderApp, runsOf, type FakeOptions } from './dashboards.fakes.js';

// plotly.js cannot draw in happy-dom (no layout, canvas or WebGL), so only the Chart is replaced: by a
// fake that renders one button per mark and reports clicks the way the real chart does.
vi.mock('../../renderer/components/chart/Chart.js', async () => ({ Chart: (await import('./dashboards.fakes.js')).FakeChart }));

afterEach(cleanup);

const tileGroup = (name: string) => screen.getByRole('group', { name });

/** Renders the dashboards view and opens "Sales overview" (tiles t1 Spend by channel, t2 Transactions by branch, t3 Staff by region). */
async function openSalesOverview(options: FakeOptions = {}) {
  const app = renderApp(<DashboardsView />, options);
  fireEvent.click(await screen.findByRole('button', { name: 'Open Sales overview' }));
  await screen.findByRole('group', { name: 'Spend by channel' });
  return app;
}

async function settled(app: ReturnType<typeof renderApp>) {
  await waitFor(() => {
    for (const id of ['t1', 't2', 't3']) expect(runsOf(app.calls, id)).toBeGreaterThan(0);
  });
}

describe('dashboard list', () => {
  it('creates, duplicates and deletes (after confirming) dashboards', async () => {
    const app = renderApp(<DashboardsView />);
    fireEvent.click(await screen.findByRole('button', { name: 'Duplicate Sales overview' }));
    await screen.findByText('Sales overview (copy)');
    expect(app.calls.duplicated).toEqual(['d1']);

    fireEvent.click(screen.getByRole('button', { name: 'Delete Sales overview (copy)' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Delete “Sales overview (copy)”?' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(app.calls.removed).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Delete Sales overview (copy)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete dashboard' }));
    await waitFor(() => expect(screen.queryByText('Sales overview (copy)')).toBeNull());
    expect(app.calls.removed).toEqual(['d1-copy']);

    fireEvent.click(screen.getByRole('button', { name: 'New dashboard' }));
    expect((screen.getByRole('textbox', { name: 'Dashboard title' }) as HTMLInputElement).value).toBe('Untitled dashboard');
  });

  it('builds a new dashboard from a saved analysis and a text tile and saves it', async () => {
    const app = renderApp(<DashboardsView />);
    fireEvent.click(await screen.findByRole('button', { name: 'New dashboard' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Dashboard title' }), { target: { value: 'Branch view' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add tile' }));
    const dialog = screen.getByRole('dialog', { name: 'Add a tile' });
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Add Transactions by branch' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    await within(await screen.findByRole('group', { name: 'Transactions by branch' })).findByRole('button', { name: 'mark branch_id=B1' });

    fireEvent.click(screen.getByRole('button', { name: 'Add tile' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Text of the new tile' }), { target: { value: 'Figures are monthly.\n\nSource: card_tx.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add text tile' }));
    const text = screen.getByRole('group', { name: 'Text' });
    expect(within(text).getByText('Source: card_tx.').tagName).toBe('P');

    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved');
    expect(app.calls.save).toHaveLength(1);
    const saved = app.calls.save[0]!;
    expect(saved).toMatchObject({ title: 'Branch view', filters: [], crossFilter: true });
    expect(saved.id).toBeUndefined();
    expect(saved.tiles.map(({ id: _id, ...t }) => t)).toEqual([
      { kind: 'analysis', analysisId: 'a2', x: 0, y: 0, w: 6, h: 4 },
      { kind: 'text', text: 'Figures are monthly.\n\nSource: card_tx.', x: 6, y: 0, w: 4, h: 2 },
    ]);
  });
});

describe('dashboard editor', () => {
  it('moves and resizes tiles by keyboard and by the labelled buttons, and saves that layout', async () => {
    const app = await openSalesOverview();
    const t1 = tileGroup('Spend by channel');
    t1.focus();
    fireEvent.keyDown(t1, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(t1);
    fireEvent.keyDown(t1, { key: 'ArrowDown', shiftKey: true });
    fireEvent.click(within(screen.getByRole('group', { name: 'Layout of Staff by region' })).getByRole('button', { name: 'Narrower' }));
    expect(screen.getByText('Unsaved changes')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved');
    const tiles = app.calls.save[0]!.tiles;
    expect(app.calls.save[0]!.id).toBe('d1');
    expect(tiles).toEqual([
      { id: 't1', kind: 'analysis', analysisId: 'a1', x: 1, y: 0, w: 6, h: 5 },
      { id: 't2', kind: 'analysis', analysisId: 'a2', x: 6, y: 5, w: 6, h: 4 },
      { id: 't3', kind: 'analysis', analysisId: 'a3', x: 0, y: 5, w: 5, h: 4 },
    ]);
    expect(isValidLayout(tiles)).toBe(true);
  });

  it('moves a tile by dragging its handle and resizes one by dragging its corner', async () => {
    const app = await openSalesOverview();
    // happy-dom lays nothing out, so the canvas falls back to 100px columns: a column step is 101px
    // (with the 12px gap spread over 12 columns) and a row step 84px (72px rows, 12px gap).
    const grip = app.container.querySelector('[data-tile-id="t1"] .tile-grip')!;
    fireEvent.pointerDown(grip, { button: 0, pointerId: 1, clientX: 10, clientY: 10 });
    fireEvent.pointerMove(grip, { pointerId: 1, clientX: 10, clientY: 10 + 5 * 84 });
    // While dragging, the others make way: Staff by region rises into the space.
    expect((app.container.querySelector('[data-tile-id="t3"]') as HTMLElement).style.gridRow).toBe('1 / span 4');
    fireEvent.pointerUp(grip, { pointerId: 1, clientX: 10, clientY: 10 + 5 * 84 });
    const corner = app.container.querySelector('[data-tile-id="t2"] .tile-resize')!;
    fireEvent.pointerDown(corner, { button: 0, pointerId: 2, clientX: 500, clientY: 300 });
    fireEvent.pointerMove(corner, { pointerId: 2, clientX: 500 - 2 * 101, clientY: 300 + 84 });
    fireEvent.pointerUp(corner, { pointerId: 2, clientX: 500 - 2 * 101, clientY: 300 + 84 });
    // A cancelled drag changes nothing.
    fireEvent.pointerDown(grip, { button: 0, pointerId: 3, clientX: 0, clientY: 0 });
    fireEvent.pointerMove(grip, { pointerId: 3, clientX: 600, clientY: 0 });
    fireEvent.pointerCancel(grip, { pointerId: 3 });

    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved');
    expect(app.calls.save[0]!.tiles.map((t) => [t.id, t.x, t.y, t.w, t.h])).toEqual([
      ['t1', 0, 4, 6, 4],
      ['t2', 6, 0, 4, 5],
      ['t3', 0, 0, 6, 4],
    ]);
  });

  it('removes a tile and says so when a keyboard move cannot go further', async () => {
    const app = await openSalesOverview();
    const t1 = tileGroup('Spend by channel');
    fireEvent.keyDown(t1, { key: 'ArrowLeft' });
    expect(screen.getByText('Spend by channel cannot go further that way')).toBeTruthy();
    fireEvent.click(within(screen.getByRole('group', { name: 'Layout of Spend by channel' })).getByRole('button', { name: 'Remove tile' }));
    expect(screen.queryByRole('group', { name: 'Spend by channel' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved');
    expect(app.calls.save[0]!.tiles.map((t) => [t.id, t.x, t.y])).toEqual([
      ['t2', 6, 0],
      ['t3', 0, 0],
    ]);
  });

  it('applies a global filter only to tiles whose extract has the field, and saves it', async () => {
    const app = await openSalesOverview();
    await settled(app);
    const add = screen.getByRole('combobox', { name: 'Add a filter' }) as HTMLSelectElement;
    await waitFor(() => expect(add.disabled).toBe(false));
    fireEvent.change(add, { target: { value: 'channel' } });
    fireEvent.click(await screen.findByRole('checkbox', { name: 'card' }));
    const filter = { field: 'channel', op: 'in', values: ['card'] };
    await waitFor(() => expect(lastRun(app.calls, 't1')?.filters).toEqual([filter]));
    await waitFor(() => expect(lastRun(app.calls, 't2')?.filters).toEqual([filter]));
    expect(runsOf(app.calls, 't3')).toBe(1);
    expect(lastRun(app.calls, 't3')?.filters).toBeUndefined();
    // The distinct values came from the engine, not from the tiles.
    expect(app.calls.run.some((c) => !c.options?.requestId && c.spec.dimensions?.[0]?.field === 'channel')).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved');
    expect(app.calls.save[0]!.filters).toEqual([filter]);

    fireEvent.click(screen.getByRole('button', { name: 'Remove the filter on channel' }));
    await waitFor(() => expect(lastRun(app.calls, 't1')?.filters).toBeUndefined());
  });

  it('a filter still without values restricts nothing and is not saved', async () => {
    const app = await openSalesOverview();
    await settled(app);
    const add = screen.getByRole('combobox', { name: 'Add a filter' }) as HTMLSelectElement;
    await waitFor(() => expect(add.disabled).toBe(false));
    fireEvent.change(add, { target: { value: 'region' } });
    await screen.findByRole('checkbox', { name: 'North' });
    expect(runsOf(app.calls, 't3')).toBe(1);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved');
    expect(app.calls.save[0]!.filters).toEqual([]);
  });

  it('cross-filters the other tiles from a clicked mark; the chip or a second click clears it', async () => {
    const app = await openSalesOverview();
    await settled(app);
    const channel = { field: 'channel', op: 'in', values: ['card'] };
    fireEvent.click(within(tileGroup('Spend by channel')).getByRole('button', { name: 'mark channel=card' }));
    await waitFor(() => expect(lastRun(app.calls, 't2')?.filters).toEqual([channel]));
    expect(screen.getByText('Filtered by: channel = card')).toBeTruthy();
    expect(runsOf(app.calls, 't1')).toBe(1); // the clicked tile keeps all its marks
    expect(runsOf(app.calls, 't3')).toBe(1); // branches has no channel field

    fireEvent.click(screen.getByRole('button', { name: 'Clear cross-filter' }));
    await waitFor(() => expect(lastRun(app.calls, 't2')?.filters).toBeUndefined());
    expect(screen.queryByText(/Filtered by/)).toBeNull();

    // A mark of a field both extracts have reaches every other tile; clicking it again clears.
    const b1 = () => within(tileGroup('Transactions by branch')).getByRole('button', { name: 'mark branch_id=B1' });
    fireEvent.click(b1());
    const branch = { field: 'branch_id', op: 'in', values: ['B1'] };
    await waitFor(() => {
      expect(lastRun(app.calls, 't3')?.filters).toEqual([branch]);
      expect(lastRun(app.calls, 't1')?.filters).toEqual([branch]);
    });
    expect(lastRun(app.calls, 't2')?.filters).toBeUndefined();
    fireEvent.click(b1());
    await waitFor(() => {
      expect(lastRun(app.calls, 't3')?.filters).toBeUndefined();
      expect(lastRun(app.calls, 't1')?.filters).toBeUndefined();
    });
    // Cross-filters are for exploring: they are not saved.
    expect(app.calls.save).toEqual([]);
  });

  it('re-runs a tile when its extract finishes a sync, and only that tile', async () => {
    const app = await openSalesOverview();
    await settled(app);
    act(() => app.store.getState().extractSynced('branches'));
    await waitFor(() => expect(runsOf(app.calls, 't3')).toBe(2));
    expect(runsOf(app.calls, 't1')).toBe(1);
    expect(runsOf(app.calls, 't2')).toBe(1);
    expect(app.calls.schema.filter((n) => n === 'branches')).toHaveLength(2);
  });

  it('shows a spinner with Cancel while a tile runs, cancels that run by its id, and can run again', async () => {
    let fail: ((e: unknown) => void) | undefined;
    const app = await openSalesOverview({
      onRun: (spec, o) => (o?.requestId?.startsWith('tile-t3-') && !fail ? new Promise<AnalysisResult>((_, reject) => (fail = reject)) : undefined),
    });
    const t3 = tileGroup('Staff by region');
    expect(await within(t3).findByRole('status')).toHaveProperty('textContent', expect.stringContaining('Running…'));
    fireEvent.click(within(t3).getByRole('button', { name: 'Cancel' }));
    const id = app.calls.run.find((c) => c.options?.requestId?.startsWith('tile-t3-'))!.options!.requestId!;
    expect(app.calls.cancel).toEqual([id]);
    await act(async () => fail!(new StrongroomError('CANCELLED', 'cancelled')));
    expect(within(t3).getByText('The run was cancelled.')).toBeTruthy();
    fireEvent.click(within(t3).getByRole('button', { name: 'Run again' }));
    await within(t3).findByRole('button', { name: 'mark region=North' });
    expect(runsOf(app.calls, 't3')).toBe(2);
    expect(new Set(app.calls.run.map((c) => c.options?.requestId).filter(Boolean)).size).toBe(app.calls.run.filter((c) => c.options?.requestId).length);
  });

  it('explains per tile a deleted analysis and an expired lease', async () => {
    const { a3: _deleted, ...analyses } = ANALYSES;
    const app = await openSalesOverview({
      analyses,
      onRun: (spec) => (spec.extract === 'card_tx' ? Promise.reject(new StrongroomError('LEASE_EXPIRED', 'lease ran out')) : undefined),
    });
    expect(await within(tileGroup('Unavailable analysis')).findByText(/This analysis was deleted/)).toBeTruthy();
    const t1 = tileGroup('Spend by channel');
    expect(await within(t1).findByText('The offline lease of card_tx has run out: sync the extract to see this tile.')).toBeTruthy();
    fireEvent.click(within(t1).getByRole('button', { name: 'Open the catalog' }));
    expect(app.store.getState().route).toBe('catalog');
  });
});

describe('publish dialog', () => {
  it('offers only the formats every extract allows, saying why, and sends the request', async () => {
    const app = await openSalesOverview();
    await settled(app);
    fireEvent.click(screen.getByRole('button', { name: 'Publish as report…' }));
    const dialog = screen.getByRole('dialog', { name: 'Publish as report' });
    const name = within(dialog).getByRole('textbox', { name: 'Report name' }) as HTMLInputElement;
    expect(name.value).toBe('sales_overview');
    expect((within(dialog).getByRole('textbox', { name: 'Roles' }) as HTMLInputElement).value).toBe('branch_staff');
    const box = (label: string) => within(dialog).getByRole('checkbox', { name: label }) as HTMLInputElement;
    await waitFor(() => expect(box('CSV').disabled).toBe(true));
    expect(within(dialog).getByText('Not allowed by branches')).toBeTruthy();
    expect(box('CSV').getAttribute('aria-describedby')).toBeTruthy();
    expect(box('Excel (.xlsx)').disabled).toBe(true);
    expect(box('PowerPoint (.pptx)').disabled).toBe(true);
    expect(box('PDF').disabled).toBe(false);
    expect(box('PNG image').disabled).toBe(false);

    fireEvent.change(name, { target: { value: 'Bad Name' } });
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect((within(dialog).getByRole('button', { name: 'Publish' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(name, { target: { value: 'sales_q1' } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Roles' }), { target: { value: 'branch_staff, regional_managers' } });
    fireEvent.click(box('PDF'));
    fireEvent.click(box('PNG image'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Publish' }));
    expect(await within(dialog).findByRole('status')).toHaveProperty('textContent', expect.stringMatching(/^Published “sales_q1” to branch_staff, regional_managers at .+ \(reads branches, card_tx\)\.$/));
    expect(app.calls.publish).toEqual([{ dashboardId: 'd1', name: 'sales_q1', title: 'Sales overview', roles: ['branch_staff', 'regional_managers'], exportFormats: ['pdf', 'png'] }]);
    expect(app.calls.save).toEqual([]);
    // A role the warehouse grants no access to an extract of the report is named, with what to do.
    const warning = within(dialog).getByRole('alert');
    expect(warning.textContent).toContain('regional_managers has no grant of card_tx');
    expect(warning.textContent).toContain('strongroom.grant_extract');
  });

  it('saves unsaved changes first, and shows a refusal plainly', async () => {
    const app = await openSalesOverview({ onPublish: () => Promise.reject(new StrongroomError('NOT_PERMITTED', 'not a member of strongroom_authors')) });
    fireEvent.change(screen.getByRole('textbox', { name: 'Dashboard title' }), { target: { value: 'Sales Q1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Publish as report…' }));
    const dialog = screen.getByRole('dialog', { name: 'Publish as report' });
    expect(within(dialog).getByText('Your unsaved changes are saved first.')).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Publish' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('Not published (NOT_PERMITTED): not a member of strongroom_authors');
    expect(alert.textContent).toContain('may not publish');
    expect(app.calls.save.map((s) => s.title)).toEqual(['Sales Q1']);
    expect(app.calls.publish[0]).toMatchObject({ dashboardId: 'd1', name: 'sales_q1', exportFormats: [] });
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('is not offered on a viewer-only workspace', async () => {
    const app = await openSalesOverview({ capabilities: { author: false } });
    expect(screen.getByRole('button', { name: 'Publish as report…' })).toBeTruthy();
    // The shell reads the capabilities on mount; here the view is rendered alone, so read them by hand.
    await act(() => app.store.getState().loadCapabilities());
    expect(screen.queryByRole('button', { name: 'Publish as report…' })).toBeNull();
  });

  it('derives report names and export blockers', () => {
    expect(reportNameFrom('Sales overview — Q1 2025')).toBe('sales_overview_q1_2025');
    expect(reportNameFrom('2025 plan')).toBe('report_2025_plan');
    expect(reportNameFrom('Продажи')).toBe('report');
    expect(reportNameFrom('x'.repeat(80))).toHaveLength(63);
    const blockers = exportBlockers(['branches', 'card_tx', 'gone'], EXTRACTS);
    expect(blockers.pdf).toEqual({ notAllowed: [], notCached: ['gone'] });
    expect(blockers.csv.notAllowed).toEqual(['branches']);
  });
});
