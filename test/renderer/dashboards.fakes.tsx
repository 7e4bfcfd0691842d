import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { createI18n } from '../../renderer/i18n/index.js';
import type { ChartProps } from '../../renderer/components/chart/types.js';
import { createAppStore, type AppStore } from '../../renderer/store/index.js';
import { StoreProvider } from '../../renderer/store/context.js';
import type { AnalysisResult, AnalysisSpec } from '../../shared/analysis/spec.js';
import type {
  Api,
  CacheStatus,
  Dashboard,
  ExtractColumn,
  ExtractSummary,
  PublishReportRequest,
  PublishReportResult,
  Report,
  RunOptions,
  SaveDashboardRequest,
  SavedAnalysis,
  WorkbenchCapabilities,
} from '../../shared/contracts/index.js';
import { StrongroomError } from '../../shared/errors.js';
import { dimensionName } from '../../shared/workbench/explore.js';

/**
 * Stand-in for the plotly Chart in component tests: plotly cannot draw in happy-dom, so this renders
 * one button per mark (a result row), whose click reports the mark like the real chart does.
 */
export function FakeChart({ result, title, onMarkClick }: ChartProps) {
  const dims = result.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.role === 'dimension');
  const rows = Array.from({ length: result.rowCount }, (_, r) => Object.fromEntries(dims.map(({ c, i }) => [c.name, result.data[i]![r] ?? null])));
  return (
    <figure aria-label={`chart ${title}`}>
      {rows.map((values, r) => (
        <button key={r} type="button" onClick={() => onMarkClick?.({ values, clientX: 0, clientY: 0 })}>
          {`mark ${Object.entries(values).map(([k, v]) => `${k}=${String(v)}`).join(',')}`}
        </button>
      ))}
    </figure>
  );
}

const col = (name: string, storage: ExtractColumn['storage'], key = false): ExtractColumn => ({ name, pgType: storage, storage, key });

export const SCHEMAS: Record<string, ExtractColumn[]> = {
  card_tx: [col('tx_id', 'bigint', true), col('booked_on', 'date'), col('channel', 'text'), col('branch_id', 'text'), col('amount', 'real')],
  branches: [col('branch_id', 'text', true), col('region', 'text'), col('staff', 'integer')],
};

/** Distinct values the fake engine answers for each field. */
const VALUES: Record<string, string[]> = { channel: ['card', 'cash'], branch_id: ['B1', 'B2'], region: ['North', 'South'] };

export const SPEND: AnalysisSpec = { extract: 'card_tx', dimensions: [{ field: 'channel' }], measures: [{ agg: 'sum', field: 'amount', as: 'spend' }], chart: { type: 'bar', x: 'channel', y: 'spend' } };
export const BY_BRANCH: AnalysisSpec = { extract: 'card_tx', dimensions: [{ field: 'branch_id' }], measures: [{ agg: 'count', as: 'n' }], chart: { type: 'column', x: 'branch_id', y: 'n' } };
export const STAFF: AnalysisSpec = { extract: 'branches', dimensions: [{ field: 'region' }], measures: [{ agg: 'sum', field: 'staff', as: 'staff' }], chart: { type: 'bar', x: 'region', y: 'staff' } };

const stamp = '2025-03-01T09:00:00.000Z';
const analysis = (id: string, title: string, spec: AnalysisSpec): SavedAnalysis => ({
  id,
  title,
  description: '',
  tags: [],
  extract: spec.extract,
  chartType: spec.chart?.type ?? null,
  thumbnail: null,
  createdAt: stamp,
  updatedAt: stamp,
  spec,
});

export const ANALYSES: Record<string, SavedAnalysis> = {
  a1: analysis('a1', 'Spend by channel', SPEND),
  a2: analysis('a2', 'Transactions by branch', BY_BRANCH),
  a3: analysis('a3', 'Staff by region', STAFF),
};

export const DASHBOARD: Dashboard = {
  id: 'd1',
  title: 'Sales overview',
  description: '',
  tileCount: 3,
  createdAt: stamp,
  updatedAt: stamp,
  crossFilter: true,
  filters: [],
  tiles: [
    { id: 't1', kind: 'analysis', analysisId: 'a1', x: 0, y: 0, w: 6, h: 4 },
    { id: 't2', kind: 'analysis', analysisId: 'a2', x: 6, y: 0, w: 6, h: 4 },
    { id: 't3', kind: 'analysis', analysisId: 'a3', x: 0, y: 4, w: 6, h: 4 },
  ],
};

const summary = (name: string, allowedExports: string[]): ExtractSummary => ({
  name,
  title: name,
  description: '',
  classification: 'internal',
  rowCount: 10,
  syncedAt: '2025-03-02T08:30:00.000Z',
  leaseExpiresAt: null,
  allowedExports,
  version: 1,
  warehouseUser: 'anna',
  hiddenColumns: [],
  leaseExpired: false,
});

export const EXTRACTS: ExtractSummary[] = [summary('card_tx', ['pdf', 'png', 'csv']), summary('branches', ['pdf', 'xlsx', 'png'])];

/** A result shaped like the engine's: the first dimension's values, one row each. */
export function resultFor(spec: AnalysisSpec): AnalysisResult {
  const dims = spec.dimensions ?? [];
  const measures = spec.measures ?? [];
  const first = dims[0];
  const inFilter = spec.filters?.find((f) => f.op === 'in' && f.field === first?.field);
  let values: Array<string | null> = first ? (VALUES[first.field] ?? ['x']) : [null];
  if (inFilter && inFilter.op === 'in') values = values.filter((v) => inFilter.values.includes(v));
  return {
    columns: [...dims.map((d) => ({ name: dimensionName(d), type: 'string' as const, role: 'dimension' as const })), ...measures.map((m) => ({ name: m.as, type: 'number' as const, role: 'measure' as const }))],
    data: [...dims.map((_, i) => (i === 0 ? values : values.map(() => null))), ...measures.map(() => values.map((_, r) => r + 1))],
    rowCount: values.length,
    truncated: false,
    engine: 'memory',
    cached: false,
    extractVersion: 1,
    syncedAt: stamp,
    elapsedMs: 1,
  };
}

export interface Calls {
  run: Array<{ spec: AnalysisSpec; options?: RunOptions }>;
  cancel: string[];
  schema: string[];
  save: SaveDashboardRequest[];
  publish: PublishReportRequest[];
  removed: string[];
  duplicated: string[];
  opened: string[];
}

export interface FakeOptions {
  analyses?: Record<string, SavedAnalysis>;
  dashboards?: Dashboard[];
  reports?: Report[];
  capabilities?: WorkbenchCapabilities;
  /** Extract columns by extract name (default SCHEMAS); an extract not listed is not in the cache. */
  schemas?: Record<string, ExtractColumn[]>;
  /** Overrides a run: answer a promise to control it, or undefined for the default answer. */
  onRun?(spec: AnalysisSpec, options?: RunOptions): Promise<AnalysisResult> | undefined;
  onPublish?(request: PublishReportRequest): Promise<PublishReportResult> | undefined;
}

/** A fake of the services the dashboards and reports use, recording every call; anything else fails LOCKED. */
export function fakeApi(options: FakeOptions = {}) {
  const calls: Calls = { run: [], cancel: [], schema: [], save: [], publish: [], removed: [], duplicated: [], opened: [] };
  const analyses = options.analyses ?? ANALYSES;
  let dashboards = [...(options.dashboards ?? [DASHBOARD])];
  const reports = options.reports ?? [];
  const notFound = (what: string) => Promise.reject(new StrongroomError('NOT_FOUND', `${what} not found`));
  const services = {
    analysis: {
      run(spec: AnalysisSpec, opts?: RunOptions) {
        calls.run.push({ spec, ...(opts ? { options: opts } : {}) });
        return options.onRun?.(spec, opts) ?? Promise.resolve(resultFor(spec));
      },
      async cancel(id: string) {
        calls.cancel.push(id);
        return true;
      },
    },
    analyses: {
      list: async () => Object.values(analyses).map(({ spec: _spec, ...rest }) => rest),
      get: (id: string) => (analyses[id] ? Promise.resolve(analyses[id]) : notFound(`analysis ${id}`)),
    },
    dashboards: {
      list: async () => dashboards.map(({ tiles: _t, filters: _f, crossFilter: _c, ...rest }) => rest),
      get: (id: string) => {
        const d = dashboards.find((x) => x.id === id);
        return d ? Promise.resolve(d) : notFound(`dashboard ${id}`);
      },
      async save(request: SaveDashboardRequest) {
        calls.save.push(structuredClone(request));
        const saved: Dashboard = { ...DASHBOARD, description: '', ...request, id: request.id ?? `d${dashboards.length + 1}`, tileCount: request.tiles.length, filters: request.filters ?? [], crossFilter: request.crossFilter ?? true };
        dashboards = [...dashboards.filter((d) => d.id !== saved.id), saved];
        return saved;
      },
      async duplicate(id: string) {
        calls.duplicated.push(id);
        const d = dashboards.find((x) => x.id === id)!;
        const copy = { ...d, id: `${id}-copy`, title: `${d.title} (copy)` };
        dashboards = [...dashboards, copy];
        return copy;
      },
      async remove(id: string) {
        calls.removed.push(id);
        dashboards = dashboards.filter((d) => d.id !== id);
      },
    },
    reports: {
      list: async () => reports.map(({ definition: _d, ...rest }) => rest),
      get: (name: string) => {
        calls.opened.push(name);
        const r = reports.find((x) => x.name === name);
        return r ? Promise.resolve(r) : notFound(`report ${name}`);
      },
      publish(request: PublishReportRequest) {
        calls.publish.push(structuredClone(request));
        return (
          options.onPublish?.(request) ??
          Promise.resolve({
            name: request.name,
            extracts: ['branches', 'card_tx'],
            roles: request.roles,
            connectionId: 'c1',
            publishedAt: '2025-03-03T10:15:00.000Z',
            // As the warehouse would answer when a role has no grant of an extract.
            ungranted: request.roles.includes('regional_managers') ? [{ role: 'regional_managers', extract: 'card_tx' }] : [],
          })
        );
      },
      capabilities: async () => options.capabilities ?? { author: true },
    },
    extracts: {
      list: async () => EXTRACTS,
      schema: ({ name }: { name: string }) => {
        calls.schema.push(name);
        const columns = (options.schemas ?? SCHEMAS)[name];
        return columns ? Promise.resolve({ name, version: 1, columns, hiddenColumns: [], rowCount: 10, versions: [] }) : notFound(`extract ${name}`);
      },
    },
    cache: {
      status: async (): Promise<CacheStatus> => ({
        schemaVersion: 1,
        latestSchemaVersion: 1,
        cipher: 'sqlcipher4',
        kdf: { name: 'scrypt', N: 16384, r: 8, p: 1 },
        keyWrappers: ['passphrase'],
        extracts: EXTRACTS.length,
        profileDir: '/profile',
        sizeBytes: 4096,
        createdAt: stamp,
        journalMode: 'wal',
      }),
    },
  };
  // Views outside this area (the shell's others) find every other service locked, as after an idle lock.
  const locked = new Proxy({}, { get: () => () => Promise.reject(new StrongroomError('LOCKED', 'locked')) });
  const api = new Proxy(services, { get: (target, key: string) => (key in target ? target[key as keyof typeof target] : locked) }) as unknown as Api;
  return { api, calls };
}

/** The latest run of each tile (runs carry `tile-<id>-<n>` request ids; filter-value look-ups carry none). */
export function lastRun(calls: Calls, tileId: string): AnalysisSpec | undefined {
  return calls.run.filter((c) => c.options?.requestId?.startsWith(`tile-${tileId}-`)).at(-1)?.spec;
}

export function runsOf(calls: Calls, tileId: string): number {
  return calls.run.filter((c) => c.options?.requestId?.startsWith(`tile-${tileId}-`)).length;
}

export function renderApp(ui: ReactNode, options: FakeOptions = {}, setup?: (store: AppStore) => void) {
  const { api, calls } = fakeApi(options);
  const store = createAppStore({ api });
  setup?.(store);
  const i18n = createI18n('en');
  const view = render(
    <I18nextProvider i18n={i18n}>
      <StoreProvider store={store} api={api}>
        {ui}
      </StoreProvider>
    </I18nextProvider>,
  );
  return { ...view, store, api, calls };
}
