// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ForecastsView } from '../../renderer/features/forecasts/ForecastsView.js';
import { TABLE_PAGE } from '../../renderer/features/forecasts/ForecastTable.js';
import { AppShell } from '../../renderer/features/shell/AppShell.js';
import { createI18n } from '../../renderer/i18n/index.js';
import { StoreProvider } from '../../renderer/store/context.js';
import { createAppStore } from '../../renderer/store/index.js';
import type { Api } from '../../shared/contracts/index.js';
import { StrongroomError } from '../../shared/errors.js';
import { renderApp } from './dashboards.fakes.js';
import { charts, fakeForecast, runOf, seriesOf, type ForecastFakeOptions } from './forecasts.fixtures.js';

vi.mock('../../renderer/components/chart/Chart.js', async () => ({ Chart: (await import('./forecasts.fixtures.js')).OverlayChart }));

afterEach(() => {
  cleanup();
  charts.length = 0;
  vi.restoreAllMocks();
});

const OLDER = runOf('r1', { title: 'Amount to year end', createdAt: '2026-01-02T10:00:00.000Z' });
const months = Array.from({ length: 40 }, (_, i) => `${2024 + Math.floor((i + 4) / 12)}-${String(((i + 4) % 12) + 1).padStart(2, '0')}-01`);
const grouped = (label: string) => seriesOf(label, [label], { forecastDates: months, mean: months.map((_, i) => 100 + i), intervals: [80, 95].map((level) => ({ level, lower: months.map(() => 90), upper: months.map(() => 130) })) });
const NEWER = runOf('r2', {
  title: 'Amount by channel',
  createdAt: '2026-02-05T09:30:00.000Z',
  groupFields: ['channel'],
  horizon: 40,
  model: 'ets',
  summary: { series: 2, mase: 1.5, smape: 20, coverage: [], families: { ets: 2 }, ms: 5, threads: 2 },
  series: [grouped('card'), grouped('cash')],
});

function renderView(options: ForecastFakeOptions = {}) {
  const { service, calls } = fakeForecast({ runs: [OLDER, NEWER], ...options });
  const api = { forecast: service, extracts: { list: async () => [] } } as unknown as Api;
  const store = createAppStore({ api });
  render(
    <I18nextProvider i18n={createI18n('en')}>
      <StoreProvider store={store} api={api}>
        <ForecastsView />
      </StoreProvider>
    </I18nextProvider>,
  );
  return { store, calls };
}

describe('Forecasts view', () => {
  it('lists saved runs newest first with their extract, measure, model, series and mean MASE', async () => {
    renderView();
    const table = await screen.findByRole('table', { name: 'Saved forecasts' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['Amount by channel', 'Amount to year end']);
    const cells = within(rows[0]!).getAllByRole('cell').map((c) => c.textContent);
    expect(cells.slice(0, 4)).toEqual(['transactions', 'amount', 'Exponential smoothing (ETS)', '2']);
    expect(cells[4]).toBe('1.5');
    expect(within(rows[1]!).getAllByRole('cell')[4]!.textContent).toBe('0.812');
  });

  it('opens a run: chart of the chosen series with its forecast, fit statistics, and a paged table', async () => {
    const { calls } = renderView();
    fireEvent.click(await screen.findByRole('button', { name: 'Open forecast Amount by channel' }));
    expect(await screen.findByRole('heading', { name: 'Amount by channel' })).toBeTruthy();
    expect(calls.get).toEqual(['r2']);
    expect(screen.getByRole('figure', { name: 'line chart card: history and forecast' })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'overlay traces' }).textContent).toContain('card forecast');
    expect(screen.getByText(/^2 series · mean MASE 1.5 · mean sMAPE 20%$/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Series'), { target: { value: '1' } });
    expect(screen.getByRole('figure', { name: 'line chart cash: history and forecast' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Fit statistics' }).textContent).toContain('ETS(A,A,N)');

    const section = screen.getByRole('region', { name: 'Forecast table' });
    const header = within(section).getAllByRole('columnheader').map((h) => h.textContent);
    expect(header).toEqual(['Period', 'Series', 'Forecast', 'Lower 80%', 'Upper 80%', 'Lower 95%', 'Upper 95%']);
    expect(within(section).getAllByRole('row')).toHaveLength(TABLE_PAGE + 1);
    const first = within(section).getAllByRole('row')[1]!;
    expect(first.textContent).toBe('May 2024card1009013090130');
    const pager = within(section).getByRole('navigation', { name: 'Forecast table pages' });
    expect(pager.textContent).toContain('Rows 1–50 of 80');
    fireEvent.click(within(pager).getByRole('button', { name: 'Next' }));
    expect(pager.textContent).toContain('Rows 51–80 of 80');
    expect(within(section).getAllByRole('row')).toHaveLength(31);
  });

  it('exports the table as a CSV download', async () => {
    const created: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => (created.push(blob), 'blob:forecast'));
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    const { calls } = renderView();
    fireEvent.click(await screen.findByRole('button', { name: 'Open forecast Amount to year end' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(calls.exportTable).toEqual([{ id: 'r1', options: { locale: 'en' } }]);
    expect(clicked[0]!.download).toBe('r1.csv');
    expect(clicked[0]!.href).toBe('blob:forecast');
    expect(created[0]!.type).toBe('text/csv;charset=utf-8');
    expect(await created[0]!.text()).toContain('period,forecast');
    expect(screen.getByText('Saved r1.csv (3 rows).')).toBeTruthy();
  });

  it('says when the export policy forbids CSV', async () => {
    renderView({ exportError: new StrongroomError('NOT_PERMITTED', 'transactions allows pdf, png') });
    fireEvent.click(await screen.findByRole('button', { name: 'Open forecast Amount to year end' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Export CSV' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Not exported: transactions allows pdf, png');
  });

  it('deletes a run after confirming in the dialog', async () => {
    const { calls } = renderView();
    fireEvent.click(await screen.findByRole('button', { name: 'Delete forecast Amount to year end' }));
    let dialog = screen.getByRole('dialog', { name: 'Delete forecast' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(calls.remove).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Delete forecast Amount to year end' }));
    dialog = screen.getByRole('dialog', { name: 'Delete forecast' });
    expect(dialog.textContent).toContain('Delete “Amount to year end”?');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(calls.remove).toEqual(['r1']));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Open forecast Amount to year end' })).toBeNull());
    expect(screen.getByRole('button', { name: 'Open forecast Amount by channel' })).toBeTruthy();
  });

  it('shows an empty state, and a run that cannot be opened', async () => {
    renderView({ runs: [] });
    expect(await screen.findByText('No saved forecasts')).toBeTruthy();
    cleanup();
    const { store } = renderView();
    await screen.findByRole('table', { name: 'Saved forecasts' });
    await store.getState().viewForecast('gone');
    expect((await screen.findByRole('alert')).textContent).toBe('The forecast could not be opened (NOT_FOUND): No forecast gone');
  });
});

describe('Forecasts navigation', () => {
  it('is offered to authors and hidden from viewer-only workspaces', async () => {
    const author = renderApp(<AppShell />, { capabilities: { author: true } });
    await waitFor(() => expect(author.store.getState().capabilities).toEqual({ author: true }));
    expect(within(screen.getByRole('navigation')).getByRole('button', { name: 'Forecasts' })).toBeTruthy();
    cleanup();
    const viewer = renderApp(<AppShell />, { capabilities: { author: false } }, (store) => store.getState().navigate('forecasts'));
    await waitFor(() => expect(viewer.store.getState().route).toBe('reports'));
    expect(within(screen.getByRole('navigation')).queryByRole('button', { name: 'Forecasts' })).toBeNull();
  });
});
