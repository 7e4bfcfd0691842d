import type { AnalysisResult, AnalysisSpec } from '../../shared/analysis/spec.js';
import type { Api, ExtractColumn, ExtractSchema, SavedAnalysis, SaveAnalysisRequest } from '../../shared/contracts/index.js';
import { StrongroomError } from '../../shared/errors.js';

/** The demo warehouse's transactions extract, as the cache stores it. */
export const TRANSACTION_COLUMNS: ExtractColumn[] = [
  { name: 'txn_id', pgType: 'bigint', storage: 'bigint', key: true },
  { name: 'account_id', pgType: 'integer', storage: 'integer', key: false },
  { name: 'branch_id', pgType: 'integer', storage: 'integer', key: false },
  { name: 'booked_at', pgType: 'timestamptz', storage: 'timestamp', key: false },
  { name: 'booked_on', pgType: 'date', storage: 'date', key: false },
  { name: 'amount', pgType: 'numeric(14,2)', storage: 'real', key: false },
  { name: 'direction', pgType: 'text', storage: 'text', key: false },
  { name: 'channel', pgType: 'text', storage: 'text', key: false },
  { name: 'mcc', pgType: 'integer', storage: 'integer', key: false },
  { name: 'category', pgType: 'text', storage: 'text', key: false },
];

export function schema(name = 'transactions'): ExtractSchema {
  return { name, version: 1, columns: TRANSACTION_COLUMNS, hiddenColumns: [], rowCount: 2000, versions: [] };
}

export function result(columns: AnalysisResult['columns'], data: AnalysisResult['data'], extra: Partial<AnalysisResult> = {}): AnalysisResult {
  return { columns, data, rowCount: data[0]?.length ?? 0, truncated: false, engine: 'memory', cached: false, extractVersion: 1, syncedAt: null, elapsedMs: 1, ...extra };
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * A fake API recording every call. `run` answers through `onRun` (default: an empty result shaped
 * like the spec's outputs), so tests decide when and how each run finishes.
 */
export function fakeApi(options: { onRun?(spec: AnalysisSpec, opts: { requestId?: string; mode?: string }): Promise<AnalysisResult> } = {}) {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const saved = new Map<string, SavedAnalysis>();
  let n = 0;
  const record = (method: string, ...args: unknown[]) => calls.push({ method, args });
  const defaultRun = async (spec: AnalysisSpec) =>
    result(
      [...(spec.dimensions ?? []).map((d) => ({ name: d.as ?? (d.grain ? `${d.field}_${d.grain}` : d.field), type: 'string' as const, role: 'dimension' as const })), ...(spec.measures ?? []).map((m) => ({ name: m.as, type: 'number' as const, role: 'measure' as const }))],
      [...(spec.dimensions ?? []).map(() => []), ...(spec.measures ?? []).map(() => [])],
    );
  const api = {
    analysis: {
      run: (spec: unknown, opts: { requestId?: string; mode?: string }) => {
        record('analysis.run', spec, opts);
        return (options.onRun ?? defaultRun)(spec as AnalysisSpec, opts);
      },
      cancel: async (requestId: string) => {
        record('analysis.cancel', requestId);
        return true;
      },
      validate: async () => [],
    },
    extracts: {
      schema: async (req: { name: string }) => {
        record('extracts.schema', req);
        if (req.name === 'expired') throw new StrongroomError('LEASE_EXPIRED', 'The lease ran out');
        return schema(req.name);
      },
      list: async () => [],
    },
    analyses: {
      list: async () => {
        record('analyses.list');
        return [...saved.values()].map(({ spec: _s, ...rest }) => rest);
      },
      get: async (id: string) => {
        record('analyses.get', id);
        const a = saved.get(id);
        if (!a) throw new StrongroomError('NOT_FOUND', `No analysis ${id}`);
        return a;
      },
      save: async (req: SaveAnalysisRequest) => {
        record('analyses.save', req);
        if (req.title === 'forbidden') throw new StrongroomError('NOT_PERMITTED', 'Viewer only');
        n += 1;
        const id = req.id ?? `a${n}`;
        const now = new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
        const spec = req.spec as AnalysisSpec;
        const a: SavedAnalysis = { id, title: req.title, description: req.description ?? '', tags: req.tags ?? [], extract: spec.extract, chartType: spec.chart?.type ?? null, thumbnail: req.thumbnail ?? saved.get(id)?.thumbnail ?? null, createdAt: now, updatedAt: now, spec };
        saved.set(id, a);
        return a;
      },
      duplicate: async (id: string) => {
        record('analyses.duplicate', id);
        const a = saved.get(id)!;
        n += 1;
        const copy = { ...a, id: `a${n}`, title: `${a.title} (copy)` };
        saved.set(copy.id, copy);
        return copy;
      },
      remove: async (id: string) => {
        record('analyses.remove', id);
        saved.delete(id);
      },
    },
  };
  return { api: api as unknown as Api, calls, saved, callsOf: (method: string) => calls.filter((c) => c.method === method) };
}

/** Lets pending promise callbacks run. */
export const flush = () => new Promise((r) => setTimeout(r, 0));
