import type { Plan } from '../../../shared/analysis/plan.js';
import { parseSpec, planSpec } from '../../../shared/analysis/planner.js';
import type { AnalysisResult, ResultColumn } from '../../../shared/analysis/spec.js';
import { applyTableCalcs } from '../../../shared/analysis/table-calcs.js';
import type { AnalysisService, RunOptions } from '../../../shared/contracts/analysis.js';
import { StrongroomError } from '../../../shared/errors.js';
import { requireReadable, sqlIdent, type LocalExtract } from '../db/repositories/local-extracts.js';
import { executePlan } from '../query/columnar/execute.js';
import { runLive } from '../query/live.js';
import { dataStamp, MemoryCopies } from '../query/memory.js';
import type { SqliteReader } from '../query/reader.js';
import { ResultCache } from '../query/result-cache.js';
import { prepareAnalysisConnection } from '../query/sqlite-functions.js';
import { Cancellation, executeSql, type StatementRunner } from '../query/sql-engine.js';
import type { Vault } from '../vault.js';
import type { DemoRegistry } from './connections.js';
import { openWarehouse } from './sync.js';

export interface AnalysisServiceOptions {
  /** Runs cache SQL off the data worker's thread (and makes it cancellable); inline when absent (tests, CLI one-shots). */
  reader?: SqliteReader;
  /** Budget for in-memory copies, bytes. */
  memoryBudgetBytes?: number;
  /** Load an extract's in-memory copy after its first analysis (default true). */
  autoWarm?: boolean;
  /** Auto mode waits for the in-memory copy of extracts with more rows than this (default AUTO_WAIT_ROWS). */
  autoWaitRows?: number;
}

export interface AnalysisServiceHandle {
  service: AnalysisService;
  /** Forget everything held in memory (on lock). */
  reset(): void;
}

export const DEFAULT_MEMORY_BUDGET = 1536 * 1024 * 1024;
/** Extracts larger than this wait for their in-memory copy in auto mode rather than scan SQLite. */
export const AUTO_WAIT_ROWS = 1_000_000;

/** Waits for a shared load, but lets this run's cancel end the wait (the load goes on for others). */
function untilCancelled<T>(promise: Promise<T>, cancel: Cancellation): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    cancel.onCancel(() => reject(new StrongroomError('CANCELLED', 'The analysis was cancelled.')));
    promise.then(resolve, reject);
  });
}

/** The analysis service: plan, pick an engine, run, add table calculations, remember the answer. */
export function createAnalysisService(vault: Vault, demos: DemoRegistry, options: AnalysisServiceOptions = {}): AnalysisServiceHandle {
  const memory = new MemoryCopies(options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET);
  const results = new ResultCache();
  const running = new Map<string, Cancellation>();
  const preparedDbs = new WeakSet<object>();

  const inlineRunner: StatementRunner = async (sql, params) => {
    const db = vault.db();
    if (!preparedDbs.has(db)) {
      prepareAnalysisConnection(db);
      preparedDbs.add(db);
    }
    return db.prepare(sql).raw().all(...params) as unknown[][];
  };

  const resolve = (raw: unknown, now: Date): { local: LocalExtract; plan: Plan } => {
    const spec = parseSpec(raw);
    const local = requireReadable(vault.db(), spec.extract);
    const plan = planSpec(spec, { name: local.name, table: local.tableName!, columns: local.columns }, { now });
    return { local, plan };
  };

  async function run(raw: unknown, opts: RunOptions = {}): Promise<AnalysisResult> {
    const started = performance.now();
    vault.touch();
    const now = opts.now ? new Date(opts.now) : new Date();
    const { local, plan } = resolve(raw, now);
    const mode = opts.mode ?? 'auto';
    const cacheKey = `${JSON.stringify(local.name)}|${dataStamp(local)}|${plan.key}`;
    if (mode !== 'live' && !opts.noCache) {
      const hit = results.get(cacheKey);
      if (hit) return { ...hit, cached: true, elapsedMs: performance.now() - started };
    }

    const cancel = new Cancellation();
    if (opts.requestId) {
      running.get(opts.requestId)?.cancel();
      running.set(opts.requestId, cancel);
    }
    try {
      let engine: AnalysisResult['engine'];
      let outcome;
      const db = vault.db();
      if (mode === 'live') {
        engine = 'live';
        outcome = await runLive(plan, local, cancel, (id) => openWarehouse(vault, demos, id));
      } else {
        let table = mode === 'sqlite' ? null : memory.ready(local);
        // Above AUTO_WAIT_ROWS, loading the copy (≈400k rows/s) is quicker than one scan-and-sort on the
        // encrypted cache (measured: 4–55 s per analysis at 10M rows) and spares SQLite's in-memory
        // sort space: wait for the copy instead.
        if (!table && (mode === 'memory' || (mode === 'auto' && (options.autoWarm ?? true) && local.rowCount > (options.autoWaitRows ?? AUTO_WAIT_ROWS)))) {
          table = await untilCancelled(memory.load(db, local), cancel);
        }
        if (table) {
          engine = 'memory';
          outcome = await executePlan(plan, table, cancel);
        } else {
          engine = 'sqlite';
          if (mode === 'auto' && (options.autoWarm ?? true)) void memory.load(db, local).catch(() => undefined);
          outcome = await executeSql(plan, 'sqlite', sqlIdent(local.tableName!), options.reader?.run ?? inlineRunner, cancel);
        }
      }
      const calcs = applyTableCalcs(plan, outcome);
      const columns: ResultColumn[] = [...plan.columns, ...plan.tableCalcs.map((t) => ({ name: t.name, type: 'number' as const, role: 'table_calc' as const }))];
      const result: AnalysisResult = {
        columns,
        data: [...outcome.data, ...calcs],
        rowCount: outcome.rowCount,
        truncated: outcome.truncated,
        ...(plan.groupingSets.length > 1 ? { grouping: outcome.grouping } : {}),
        engine,
        cached: false,
        extractVersion: local.version,
        syncedAt: local.syncedAt,
        elapsedMs: 0,
      };
      if (mode !== 'live') results.set(cacheKey, result);
      return { ...result, elapsedMs: performance.now() - started };
    } finally {
      if (opts.requestId && running.get(opts.requestId) === cancel) running.delete(opts.requestId);
    }
  }

  const service: AnalysisService = {
    run,
    async validate(raw) {
      const { plan } = resolve(raw, new Date());
      return [...plan.columns, ...plan.tableCalcs.map((t) => ({ name: t.name, type: 'number' as const, role: 'table_calc' as const }))];
    },
    async cancel(requestId) {
      const cancel = running.get(requestId);
      if (!cancel) return false;
      cancel.cancel();
      return true;
    },
    async warm(extract) {
      const local = requireReadable(vault.db(), extract);
      await memory.load(vault.db(), local);
      return memory.list().find((m) => m.extract === extract)!;
    },
    async memory() {
      vault.db();
      return memory.list();
    },
  };

  return {
    service,
    reset() {
      for (const cancel of running.values()) cancel.cancel();
      running.clear();
      memory.clear();
      results.clear();
      options.reader?.terminate();
    },
  };
}
