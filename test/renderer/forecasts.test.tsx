// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AnalysesView } from '../../renderer/features/analyses/AnalysesView.js';
import { eligibility } from '../../renderer/features/forecasts/model.js';
import { createI18n } from '../../renderer/i18n/index.js';
import { StoreProvider } from '../../renderer/store/context.js';
import { createAppStore } from '../../renderer/store/index.js';
import { selectSpec } from '../../renderer/store/slices/builder/selectors.js';
import type { AnalysisResult, AnalysisSpec } from '../../shared/analysis/spec.js';
import type { Api, ForecastRun } from '../../shared/contracts/index.js';
import { StrongroomError } from '../../shared/errors.js';
import { dimensionName } from '../../shared/workbench/explore.js';
import { deferred, fakeApi, result } from './builder-fixtures.js';
import { charts, fakeForecast, runOf, seriesOf, type ForecastFakeOptions } from './forecasts.fixtures.js';

vi.mock('../../renderer/components/chart/Chart.js', async () => ({ Chart: (await import('./forecasts.fixtures.js')).OverlayChart }));

afterEach(() => {
  cleanup();
  charts.length = 0;
});

const LINE: AnalysisSpec = {
  extract: 'transactions',
  dimensions: [{ field: 'booked_on', grain: 'month' }],
  measures: [{ agg: 'sum', field: 'amount', as: 'amount' }],
  chart: { type: 'line', x: 'booked_on_month', y: 'amount' },
};

/** The fake engine: dates for every dimension, numbers for every measure. */
function engine(spec: AnalysisSpec): Promise<AnalysisResult> {
  const dims = (spec.dimensions ?? []).map((d) => dimensionName(d));
  return Promise.resolve(
    result(
      [...dims.map((name) => ({ name, type: 'date' as const, role: 'dimension' as const })), ...(spec.measures ?? []).map((m) => ({ name: m.as, type: 'number' as const, role: 'measure' as const }))],
      [...dims.map(() => ['2024-03-01', '2024-04-01']), ...(spec.measures ?? []).map(() => [100, 200])],
    ),
  );
}

async function renderBuilder(spec: AnalysisSpec, forecast: ForecastFakeOptions = {}) {
  const fake = fakeApi({ onRun: engine });
  const { service, calls } = fakeForecast(forecast);
  const api = { ...(fake.api as unknown as Record<string, unknown>), forecast: service } as unknown as Api;
  const store = createAppStore({ api });
  await store.getState().newAnalysis('transactions');
  store.getState().applySpec(spec);
  render(
    <I18nextProvider i18n={createI18n('en')}>
      <StoreProvider store={store} api={api}>
        <AnalysesView />
      </StoreProvider>
    </I18nextProvider>,
  );
  await screen.findByRole('figure', { name: /chart/ });
  return { store, calls };
}

const overlay = () => screen.queryByRole('list', { name: 'overlay traces' })?.textContent ?? '';

describe('forecast on the builder chart', () => {
  it('runs a forecast from the panel, overlays it, shows its fit statistics, and removes it', async () => {
    const pending = deferred<ForecastRun>();
    const { store, calls } = await renderBuilder(LINE, { onRun: () => pending.promise });
    const toggle = screen.getByRole('button', { name: 'Forecast' });
    expect(toggle.getAttribute('aria-disabled')).toBe('false');
    fireEvent.click(toggle);
    const panel = screen.getByRole('form', { name: 'Forecast settings' });
    expect((within(panel).getByLabelText('Horizon (months)') as HTMLInputElement).value).toBe('12');
    fireEvent.change(within(panel).getByLabelText('Prediction interval'), { target: { value: '80' } });
    const model = within(panel).getByLabelText('Model') as HTMLSelectElement;
    expect([...model.options].map((o) => o.text)).toContain('Exponential smoothing (ETS)');
    fireEvent.change(model, { target: { value: 'ets' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Apply' }));

    await waitFor(() => expect(calls.run).toHaveLength(1));
    const request = calls.run[0]!;
    expect(request).toMatchObject({ horizon: 12, levels: [80], model: 'ets' });
    expect(request.spec).toEqual(selectSpec(store.getState()));
    expect(request.requestId).toMatch(/^forecast-/);
    expect(screen.getByText('Forecasting…')).toBeTruthy();
    expect(within(panel).getByRole('button', { name: 'Cancel forecast' })).toBeTruthy();

    await act(async () => pending.resolve(runOf('', { horizon: 12, levels: [80, 95] })));
    await waitFor(() => expect(overlay()).toContain('amount forecast'));
    expect(overlay()).toContain('80% interval');
    expect(screen.getByText('Forecast shown: 1 series, horizon 12.')).toBeTruthy();

    const stats = screen.getByRole('region', { name: 'Fit statistics' });
    expect(stats.textContent).toContain('ETS(A,A,N)');
    expect(stats.textContent).toContain('α = 0.312, β = 0.1, φ = 0.98');
    expect(stats.textContent).not.toContain('sigma2');
    expect(stats.textContent).toContain('0.812');
    expect(stats.textContent).toContain('12%');
    expect(stats.textContent).toContain('80%: 78% of backtest actuals inside; 95%: 93% of backtest actuals inside');
    expect(stats.textContent).toContain('80% intervals widened ×1.25 to match the backtests');
    expect(stats.textContent).not.toContain('95% intervals widened');
    expect(within(stats).getByRole('list', { name: 'Notes' }).textContent).toBe('Periods without data: 1. They were filled in before fitting (as zero for sums and counts, by interpolation otherwise).');

    fireEvent.click(screen.getByRole('button', { name: 'Remove forecast' }));
    await waitFor(() => expect(overlay()).toBe(''));
    expect(screen.queryByRole('region', { name: 'Fit statistics' })).toBeNull();
  });

  it('cancels a running forecast by its request id', async () => {
    const pending = deferred<ForecastRun>();
    const { calls, store } = await renderBuilder(LINE, { onRun: () => pending.promise });
    fireEvent.click(screen.getByRole('button', { name: 'Forecast' }));
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(calls.run).toHaveLength(1));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel forecast' }));
    await waitFor(() => expect(calls.cancel).toEqual([calls.run[0]!.requestId]));
    expect(await screen.findByText('Forecast cancelled.')).toBeTruthy();
    // The late answer of the cancelled run is dropped.
    await act(async () => pending.resolve(runOf('')));
    expect(store.getState().builderForecast.run).toBeNull();
    expect(overlay()).toBe('');
  });

  it('clears a forecast when the spec asks another question, and keeps it across a line/area switch', async () => {
    const { store } = await renderBuilder(LINE);
    fireEvent.click(screen.getByRole('button', { name: 'Forecast' }));
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(overlay()).toContain('amount forecast'));
    act(() => store.getState().applySpec({ ...LINE, chart: { type: 'area', x: 'booked_on_month', y: 'amount' } }));
    await waitFor(() => expect(charts.at(-1)?.chart.type).toBe('area'));
    expect(overlay()).toContain('amount forecast');
    act(() => store.getState().applySpec({ ...LINE, filters: [{ field: 'channel', op: 'in', values: ['card'] }] }));
    await waitFor(() => expect(store.getState().builderForecast.status).toBe('idle'));
    await waitFor(() => expect(overlay()).toBe(''));
  });

  it('saves a forecast under a title and says where to find it', async () => {
    const { store, calls } = await renderBuilder(LINE);
    fireEvent.click(screen.getByRole('button', { name: 'Forecast' }));
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Save forecast…' }));
    const dialog = screen.getByRole('dialog', { name: 'Save forecast' });
    const title = within(dialog).getByLabelText('Title') as HTMLInputElement;
    expect(title.value).toBe('amount forecast');
    fireEvent.change(title, { target: { value: 'Monthly amount to year end' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.run).toHaveLength(2));
    expect(calls.run[1]).toMatchObject({ save: true, title: 'Monthly amount to year end', horizon: 12, levels: [80, 95], model: 'auto' });
    expect(await within(dialog).findByText('Saved “Monthly amount to year end”. Find it in the Forecasts view.')).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Open Forecasts' }));
    expect(store.getState().route).toBe('forecasts');
  });

  it('disables the control, with the reason, when the chart cannot carry a forecast', async () => {
    await renderBuilder({ ...LINE, chart: { type: 'column', x: 'booked_on_month', y: 'amount' } });
    const toggle = screen.getByRole('button', { name: 'Forecast' });
    expect(toggle.getAttribute('aria-disabled')).toBe('true');
    expect(toggle.getAttribute('title')).toBe('Forecasts are drawn on line and area charts. Choose a line chart.');
    fireEvent.click(toggle);
    expect(screen.queryByRole('form', { name: 'Forecast settings' })).toBeNull();
  });

  it('shows a run that fails INVALID_ANALYSIS plainly', async () => {
    await renderBuilder(LINE, { onRun: () => Promise.reject(new StrongroomError('INVALID_ANALYSIS', 'The date dimension needs a grain')) });
    fireEvent.click(screen.getByRole('button', { name: 'Forecast' }));
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('This analysis cannot be forecast: The date dimension needs a grain');
    expect(overlay()).toBe('');
  });

  it('tabulates the fit statistics of several series', async () => {
    const grouped: AnalysisSpec = { ...LINE, dimensions: [...LINE.dimensions!, { field: 'channel' }], chart: { ...LINE.chart!, color: 'channel' } };
    const run = runOf('', { groupFields: ['channel'], series: [seriesOf('card', ['card']), seriesOf('cash', ['cash'], { backtest: null, notes: [{ code: 'SHORT', message: 'short', values: { count: 9 } }] })] });
    await renderBuilder(grouped, { onRun: () => Promise.resolve(run) });
    fireEvent.click(screen.getByRole('button', { name: 'Forecast' }));
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    const stats = await screen.findByRole('region', { name: 'Fit statistics' });
    const rows = within(stats).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByRole('rowheader').textContent).toBe('card');
    expect(rows[2]!.textContent).toContain('not backtested (too short)');
    expect(rows[2]!.textContent).toContain('Short history (9 periods): seasonal models and backtests need more');
    expect(overlay()).toContain('card forecast');
    expect(overlay()).toContain('cash forecast');
  });
});

describe('forecast eligibility', () => {
  const fields = [{ name: 'booked_on', type: 'date' as const, role: 'dimension' as const, key: false, calculated: false }];
  it('wants a line or area over one dated x, one measure on y and at most one colour group', () => {
    expect(eligibility(LINE)).toEqual({ ok: true, grain: 'month', dateColumn: 'booked_on_month', measure: 'amount' });
    expect(eligibility(null)).toEqual({ ok: false, reason: 'chartType' });
    expect(eligibility({ ...LINE, dimensions: [{ field: 'booked_on' }], chart: { type: 'line', x: 'booked_on' } }, fields)).toEqual({ ok: false, reason: 'noGrain' });
    expect(eligibility({ ...LINE, measures: [...LINE.measures!, { agg: 'count', as: 'n' }] })).toEqual({ ok: false, reason: 'measures' });
    expect(eligibility({ ...LINE, dimensions: [...LINE.dimensions!, { field: 'channel' }] })).toEqual({ ok: false, reason: 'groups' });
    const area = { ...LINE, dimensions: [...LINE.dimensions!, { field: 'channel' }], chart: { type: 'area' as const, x: 'booked_on_month', y: 'amount', color: 'channel' } };
    expect(eligibility(area)).toEqual({ ok: false, reason: 'stacked' });
    expect(eligibility({ ...area, chart: { ...area.chart, barMode: 'grouped' } }).ok).toBe(true);
  });
});
