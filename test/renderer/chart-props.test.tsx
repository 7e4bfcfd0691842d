// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { columnLabelWords } from '../../renderer/components/chart/useColumnLabels.js';
import type { ChartProps } from '../../renderer/components/chart/types.js';
import { DashboardsView } from '../../renderer/features/dashboards/DashboardsView.js';
import { createI18n } from '../../renderer/i18n/index.js';
import type { AnalysisResult, AnalysisSpec } from '../../shared/analysis/spec.js';
import { columnLabels } from '../../shared/charts/labels.js';
import type { Dashboard, ExtractColumn, SavedAnalysis } from '../../shared/contracts/index.js';
import { DASHBOARD, renderApp, resultFor, SCHEMAS, type FakeOptions } from './dashboards.fakes.js';

// What the tiles hand the Chart: the last props of each chart, by title.
const drawn = new Map<string, ChartProps>();
vi.mock('../../renderer/components/chart/Chart.js', () => ({
  Chart: (props: ChartProps) => {
    drawn.set(props.title, props);
    return <figure aria-label={`chart ${props.title}`} />;
  },
}));

afterEach(() => {
  cleanup();
  drawn.clear();
});

describe('column labels in the user language', () => {
  const spec: AnalysisSpec = {
    extract: 'transactions',
    dimensions: [{ field: 'booked_on', grain: 'month' }],
    measures: [
      { agg: 'sum', field: 'amount', as: 'amount_sum' },
      { agg: 'count', as: 'count' },
    ],
  };

  it('English and Russian words come from the charts strings', () => {
    const en = createI18n('en');
    const ru = createI18n('ru');
    expect(columnLabels(spec, columnLabelWords(en.t.bind(en)), 'en')).toEqual({ booked_on_month: 'booked_on (month)', amount_sum: 'Sum of amount', count: 'Number of rows' });
    expect(columnLabels(spec, columnLabelWords(ru.t.bind(ru)), 'ru')).toEqual({ booked_on_month: 'booked_on (месяц)', amount_sum: 'Сумма amount', count: 'Число строк' });
  });
});

const col = (name: string, storage: ExtractColumn['storage'], key = false): ExtractColumn => ({ name, pgType: storage, storage, key });
const BRANCH_COLUMNS = [col('branch_id', 'text', true), col('code', 'text'), col('city', 'text'), col('city_en', 'text'), col('lat', 'real'), col('lon', 'real')];
const BRANCHES: AnalysisResult = {
  ...resultFor({ extract: 'branches' }),
  columns: BRANCH_COLUMNS.map((c) => ({ name: c.name, type: c.storage === 'real' ? 'number' : 'string', role: 'dimension' })),
  data: [['B1', 'B2'], ['msk', 'spb'], ['Москва', 'Санкт-Петербург'], ['Moscow', 'Saint Petersburg'], [55.75, 59.93], [37.62, 30.34]],
  rowCount: 2,
};

const MAP: AnalysisSpec = {
  extract: 'card_tx',
  dimensions: [{ field: 'branch_id' }],
  measures: [{ agg: 'sum', field: 'amount', as: 'amount_sum' }],
  chart: { type: 'map', x: 'branch_id', y: 'amount_sum' },
};
const saved = (id: string, title: string, spec: AnalysisSpec): SavedAnalysis => ({
  id, title, description: '', tags: [], extract: spec.extract, chartType: spec.chart?.type ?? null, thumbnail: null, createdAt: DASHBOARD.createdAt, updatedAt: DASHBOARD.updatedAt, spec,
});
const MAPS: Dashboard = {
  ...DASHBOARD,
  tileCount: 2,
  tiles: [
    { id: 't1', kind: 'analysis', analysisId: 'm1', x: 0, y: 0, w: 6, h: 4 },
    { id: 't2', kind: 'analysis', analysisId: 'm2', x: 6, y: 0, w: 6, h: 4 },
  ],
};

async function openMaps(options: Partial<FakeOptions> = {}) {
  const app = renderApp(<DashboardsView />, {
    analyses: { m1: saved('m1', 'Amount on the map', MAP), m2: saved('m2', 'Amount on the map again', MAP) },
    dashboards: [MAPS],
    onRun: (spec) => (spec.extract === 'branches' ? Promise.resolve(BRANCHES) : undefined),
    ...options,
  });
  fireEvent.click(await screen.findByRole('button', { name: 'Open Sales overview' }));
  await screen.findByRole('figure', { name: 'chart Amount on the map' });
  return app;
}

describe('dashboard tiles give the chart labels and branch locations', () => {
  it('labels the columns and reads the branches extract once for every map on the page', async () => {
    const app = await openMaps({ schemas: { ...SCHEMAS, branches: BRANCH_COLUMNS } });
    await waitFor(() => expect(drawn.get('Amount on the map')?.branchLocations).toEqual([
      { key: 'B1', name: 'Moscow', lat: 55.75, lon: 37.62 },
      { key: 'B2', name: 'Saint Petersburg', lat: 59.93, lon: 30.34 },
    ]));
    expect(drawn.get('Amount on the map again')?.branchLocations).toHaveLength(2);
    expect(drawn.get('Amount on the map')?.columnLabels).toEqual({ amount_sum: 'Sum of amount' });
    const branchRuns = app.calls.run.filter((c) => c.spec.extract === 'branches');
    expect(branchRuns).toHaveLength(1);
    expect(branchRuns[0]!.spec.dimensions?.map((d) => d.field)).toEqual(['branch_id', 'code', 'city', 'city_en', 'lat', 'lon']);

    // In Russian the cities are named in Russian, from the same answer.
    act(() => app.store.getState().setLocale('ru'));
    await waitFor(() => expect(drawn.get('Amount on the map')?.branchLocations?.[0]?.name).toBe('Москва'));
    expect(app.calls.run.filter((c) => c.spec.extract === 'branches')).toHaveLength(1);

    // A sync of the branches extract reads it again; locking forgets it.
    act(() => app.store.getState().extractSynced('branches'));
    await waitFor(() => expect(app.calls.run.filter((c) => c.spec.extract === 'branches')).toHaveLength(2));
    act(() => app.store.getState().clearWorkspace());
    expect(app.store.getState().branchRows).toBeNull();
  });

  it('without the branches extract in the cache, the map gets no locations (it notes its unplaced marks)', async () => {
    const { branches: _none, ...withoutBranches } = SCHEMAS;
    const app = await openMaps({ schemas: withoutBranches });
    await waitFor(() => expect(app.store.getState().branchRows).toEqual({ generation: 0, rows: null }));
    expect(drawn.get('Amount on the map')?.branchLocations).toBeUndefined();
    expect(app.calls.run.filter((c) => c.spec.extract === 'branches')).toHaveLength(0);
  });

  it('charts other than maps ask for no locations', async () => {
    const app = renderApp(<DashboardsView />);
    fireEvent.click(await screen.findByRole('button', { name: 'Open Sales overview' }));
    await screen.findByRole('figure', { name: 'chart Spend by channel' });
    expect(drawn.get('Spend by channel')?.branchLocations).toBeUndefined();
    expect(app.store.getState().branchRows).toBeNull();
  });
});
