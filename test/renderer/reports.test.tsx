// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReportsView } from '../../renderer/features/reports/ReportsView.js';
import { AppShell } from '../../renderer/features/shell/AppShell.js';
import type { Report } from '../../shared/contracts/index.js';
import { ANALYSES, DASHBOARD, lastRun, renderApp, runsOf } from './dashboards.fakes.js';

// plotly.js cannot draw in happy-dom (no layout, canvas or WebGL), so only the Chart is replaced: by a
// fake that renders one button per mark and reports clicks the way the real chart does.
vi.mock('../../renderer/components/chart/Chart.js', async () => ({ Chart: (await import('./dashboards.fakes.js')).FakeChart }));

afterEach(cleanup);

const inline = (ids: string[]) => Object.fromEntries(ids.map((id) => [id, { title: ANALYSES[id]!.title, spec: ANALYSES[id]!.spec }]));

const SALES: Report = {
  name: 'sales_overview',
  title: 'Sales overview',
  description: 'Card spend and staff by branch',
  extracts: ['branches', 'card_tx'],
  missingExtracts: [],
  roles: ['branch_staff'],
  publishedBy: 'anna',
  publishedAt: '2025-03-03T10:15:00.000Z',
  syncedAt: '2025-03-04T07:00:00.000Z',
  exportFormats: ['pdf', 'png'],
  connectionId: 'c1',
  definition: {
    version: 1,
    title: 'Sales overview',
    description: 'Card spend and staff by branch',
    tiles: [...DASHBOARD.tiles, { id: 't4', kind: 'text', text: 'Figures are monthly.\n\nAsk your regional office.', x: 6, y: 4, w: 6, h: 2 }],
    filters: [{ field: 'region', op: 'in', values: ['North'] }],
    crossFilter: true,
    analyses: inline(['a1', 'a2', 'a3']),
    exportFormats: ['pdf', 'png'],
  },
};

const STAFF_ONLY: Report = {
  ...SALES,
  name: 'staffing',
  title: 'Staffing',
  description: '',
  extracts: ['branches', 'payroll'],
  missingExtracts: ['payroll'],
  exportFormats: [],
  definition: { ...SALES.definition, title: 'Staffing', tiles: [DASHBOARD.tiles[2]!], filters: [], crossFilter: false, analyses: inline(['a3']), exportFormats: [] },
};

describe('reports list', () => {
  it('lists the synced reports with who published them, their data, and the extracts to sync', async () => {
    renderApp(<ReportsView />, { reports: [SALES, STAFF_ONLY] });
    const list = await screen.findByRole('list', { name: 'Reports' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(within(items[0]!).getByRole('heading', { name: 'Sales overview' })).toBeTruthy();
    expect(items[0]!.textContent).toContain('Card spend and staff by branch');
    expect(items[0]!.textContent).toMatch(/Published by anna on .+ · Data: branches, card_tx/);
    expect(items[0]!.textContent).not.toContain('Not in this cache');
    expect(items[1]!.textContent).toContain('Not in this cache: payroll. Sync them in the Catalog to see every tile.');
  });

  it('says plainly when there are none', async () => {
    renderApp(<ReportsView />);
    expect(await screen.findByText('No reports yet')).toBeTruthy();
  });
});

describe('report viewer', () => {
  it('opens a report read-only, with the banner and the export policy, and no editing controls', async () => {
    const app = renderApp(<ReportsView />, { reports: [SALES] });
    app.store.getState().extractSynced('card_tx'); // the viewer reads extracts at their current generation
    fireEvent.click(await screen.findByRole('button', { name: 'Open report Sales overview' }));
    const banner = await screen.findByRole('note', { name: 'Read-only report' });
    expect(app.calls.opened).toEqual(['sales_overview']);
    await waitFor(() => expect(banner.textContent).toContain('synced'));
    expect(banner.textContent).toMatch(/^Read-only report · published by anna on .+ · data: your permitted rows of branches, synced .+, card_tx, synced .+$/);
    expect(screen.getByText('Exports this report allows:').parentElement!.textContent).toBe('Exports this report allows: PDF, PNG image');

    await screen.findByRole('group', { name: 'Staff by region' });
    for (const name of [/^move /i, /remove tile/i, /^save$/i, /publish/i, /add tile/i, /builder/i, /edit text/i, /wider|narrower|taller|shorter/i, /export|download/i])
      expect(screen.queryByRole('button', { name })).toBeNull();
    expect(screen.queryByRole('textbox', { name: /title/i })).toBeNull();
    for (const tile of screen.getAllByRole('group').filter((g) => g.classList.contains('tile'))) expect(tile.hasAttribute('tabindex')).toBe(false);
    expect(within(screen.getByRole('group', { name: 'Text' })).getByText('Ask your regional office.')).toBeTruthy();
  });

  it('applies the report’s filters where the field exists and lets the viewer cross-filter without saving', async () => {
    const app = renderApp(<ReportsView />, { reports: [SALES] });
    fireEvent.click(await screen.findByRole('button', { name: 'Open report Sales overview' }));
    await waitFor(() => {
      for (const id of ['t1', 't2', 't3']) expect(runsOf(app.calls, id)).toBe(1);
    });
    expect(lastRun(app.calls, 't3')?.filters).toEqual([{ field: 'region', op: 'in', values: ['North'] }]);
    expect(lastRun(app.calls, 't1')?.filters).toBeUndefined();

    fireEvent.click(within(screen.getByRole('group', { name: 'Transactions by branch' })).getByRole('button', { name: 'mark branch_id=B2' }));
    const b2 = { field: 'branch_id', op: 'in', values: ['B2'] };
    // Both other tiles re-run, each on its own timing: wait for both.
    await waitFor(() => {
      expect(lastRun(app.calls, 't1')?.filters).toEqual([b2]);
      expect(lastRun(app.calls, 't3')?.filters).toEqual([{ field: 'region', op: 'in', values: ['North'] }, b2]);
    });
    expect(runsOf(app.calls, 't2')).toBe(1);
    expect(screen.getByText('Filtered by: branch_id = B2')).toBeTruthy();

    // The viewer may drop the report's filter for this visit.
    fireEvent.click(screen.getByRole('button', { name: 'Remove the filter on region' }));
    await waitFor(() => expect(lastRun(app.calls, 't3')?.filters).toEqual([b2]));
    expect(app.calls.save).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: /All reports/ }));
    expect(await screen.findByRole('list', { name: 'Reports' })).toBeTruthy();
  });

  it('shows "none" for a report that allows no exports, and no cross-filter when the author turned it off', async () => {
    const app = renderApp(<ReportsView />, { reports: [STAFF_ONLY] });
    fireEvent.click(await screen.findByRole('button', { name: 'Open report Staffing' }));
    expect((await screen.findByText('Exports this report allows:')).parentElement!.textContent).toBe('Exports this report allows: none');
    expect(screen.getByRole('note', { name: 'Read-only report' }).textContent).toContain('payroll, not synced');
    expect(screen.getByText(/Not in this cache: payroll/)).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'mark region=North' }));
    expect(screen.queryByText(/Filtered by/)).toBeNull();
    expect(runsOf(app.calls, 't3')).toBe(1);
  });

  it('says why a report cannot be opened', async () => {
    const app = renderApp(<ReportsView />, { reports: [SALES] });
    await screen.findByRole('button', { name: 'Open report Sales overview' });
    await act(() => app.store.getState().viewReport('gone'));
    expect(screen.getByRole('alert').textContent).toBe('The report could not be opened (NOT_FOUND): report gone not found');
  });
});

describe('viewer-only workspace', () => {
  it('hides the authoring views and makes Reports the home', async () => {
    const app = renderApp(<AppShell />, { capabilities: { author: false }, reports: [SALES] });
    await waitFor(() => expect(app.store.getState().route).toBe('reports'));
    const nav = screen.getByRole('navigation');
    expect(within(nav).queryByRole('button', { name: 'Dashboards' })).toBeNull();
    expect(within(nav).queryByRole('button', { name: 'Analyses' })).toBeNull();
    expect(within(nav).getByRole('button', { name: 'Reports' }).getAttribute('aria-current')).toBe('page');
    expect(await screen.findByRole('button', { name: 'Open report Sales overview' })).toBeTruthy();
    // A later answer does not pull the user away from a view they chose.
    act(() => app.store.getState().navigate('catalog'));
    await act(() => app.store.getState().loadCapabilities());
    expect(app.store.getState().route).toBe('catalog');
  });

  it('keeps them for authors', async () => {
    const app = renderApp(<AppShell />, { capabilities: { author: true } });
    await waitFor(() => expect(app.store.getState().capabilities).toEqual({ author: true }));
    const nav = screen.getByRole('navigation');
    expect(within(nav).getByRole('button', { name: 'Dashboards' })).toBeTruthy();
    expect(within(nav).getByRole('button', { name: 'Analyses' })).toBeTruthy();
    expect(app.store.getState().route).toBe('catalog');
  });
});
