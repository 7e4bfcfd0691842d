import { createHash, randomUUID } from 'node:crypto';
import { parseSpec } from '../../../shared/analysis/planner.js';
import type { AnalysisService } from '../../../shared/contracts/analysis.js';
import type { ForecastModel, ForecastNote, ForecastRequest, ForecastRun, ForecastService, ForecastSummary, SeriesForecast } from '../../../shared/contracts/forecast.js';
import { StrongroomError } from '../../../shared/errors.js';
import { isoDate } from '../../../shared/forecast/calendar.js';
import { periodsForGrain } from '../../../shared/forecast/periods.js';
import { appendAudit } from '../db/repositories/audit.js';
import { listExtracts } from '../db/repositories/extracts.js';
import { deleteForecastRun, getForecastRun, listForecastRuns, putForecastRun } from '../db/repositories/forecasts.js';
import { requireReadable } from '../db/repositories/local-extracts.js';
import { forecastTableCsv } from '../forecast/csv.js';
import type { ForecastPool } from '../forecast/pool.js';
import { forecastShape, futurePeriods, lastPeriodUnfinished, seriesFromResult, type Calendar, type ForecastShape } from '../forecast/series.js';
import { Cancellation } from '../query/sql-engine.js';
import type { Vault } from '../vault.js';
import { requireAuthor } from './workbench.js';

/**
 * The forecast service: query the spec on the local cache (through the analysis service, so the same
 * validation, lease checks and cancellation apply), forecast each group's series on the thread pool,
 * and keep the runs the analyst saves. A saved run holds figures from its extract, so reading it again
 * checks the extract's lease, and purging the extract deletes it (foreign key, migration 0060).
 */
export function createForecastService(vault: Vault, analysis: AnalysisService, pool: ForecastPool, clock: () => string): ForecastService {
  const running = new Map<string, Cancellation>();

  async function compute(request: ForecastRequest): Promise<ForecastRun> {
    const spec = parseSpec(request.spec);
    const shape = forecastShape(spec);
    requireReadable(vault.db(), spec.extract);
    const levels = [...new Set(request.levels ?? [80, 95])].sort((a, b) => a - b);
    const model: ForecastModel = request.model ?? 'auto';
    const cancel = new Cancellation();
    const requestId = request.requestId;
    if (requestId) {
      if (running.has(requestId)) throw new StrongroomError('BUSY', `A forecast with the id "${requestId}" is already running.`);
      running.set(requestId, cancel);
    }
    try {
      const result = await analysis.run(shape.query, { mode: 'auto', ...(requestId ? { requestId: `forecast:${requestId}` } : {}) });
      cancel.throwIfCancelled();
      const calendar = seriesFromResult(result, shape);
      const partial = unfinishedNote(calendar, shape);
      if (partial) {
        calendar.periods.pop();
        for (const s of calendar.series) s.values.pop();
      }
      const periods = periodsForGrain(shape.grain, calendar.periods.length);
      const started = performance.now();
      const outcomes = await pool.run(
        calendar.series.map((s) => ({ values: s.values, options: { periods, h: request.horizon, levels, model, missing: shape.missing } })),
        cancel,
      );
      const ms = performance.now() - started;
      const dates = calendar.periods.map(isoDate);
      const forecastDates = calendar.periods.length ? futurePeriods(calendar.periods.at(-1)!, shape.grain, request.horizon) : [];
      const series: SeriesForecast[] = calendar.series.map((s, i) => {
        const { start: _start, ...outcome } = outcomes[i]!;
        if (partial) outcome.notes = [...outcome.notes, partial];
        return { group: s.group, label: s.label, dates, actual: s.values, forecastDates: outcome.mean.length ? forecastDates : [], ...outcome };
      });
      return {
        id: '',
        title: request.title ?? `${shape.measure} by ${shape.dateColumn}`,
        createdAt: clock(),
        extract: spec.extract,
        measure: shape.measure,
        dateField: shape.dateField,
        grain: shape.grain,
        groupFields: shape.groupColumns,
        horizon: request.horizon,
        levels,
        model,
        summary: summarise(series, ms, pool.threadsFor(series.length)),
        dataSyncedAt: result.syncedAt,
        spec,
        periods,
        series,
      };
    } catch (err) {
      // The analysis service reports its own cancellation; say it in forecast terms.
      if (cancel.cancelled || (err instanceof StrongroomError && err.code === 'CANCELLED')) throw new StrongroomError('CANCELLED', 'The forecast was cancelled.');
      throw err;
    } finally {
      if (requestId) running.delete(requestId);
    }
  }

  /** A saved run, readable only while its extract is (present, lease not expired). */
  function readable(id: string): ForecastRun {
    const db = vault.db();
    const run = getForecastRun(db, id);
    if (!run) throw new StrongroomError('NOT_FOUND', `No saved forecast "${id}" (it may have been deleted, or its extract removed).`);
    requireReadable(db, run.extract);
    return run;
  }

  return {
    async run(request) {
      requireAuthor(vault.db());
      const run = await compute(request);
      if (!request.save) return run;
      const saved: ForecastRun = { ...run, id: randomUUID() };
      const db = vault.db();
      putForecastRun(db, saved);
      appendAudit(db, 'forecast.saved', { id: saved.id, extract: saved.extract, series: saved.series.length, model: saved.model, horizon: saved.horizon });
      return saved;
    },
    async cancel(requestId) {
      const c = running.get(requestId);
      if (!c) return false;
      c.cancel();
      await analysis.cancel(`forecast:${requestId}`);
      return true;
    },
    async list() {
      return listForecastRuns(vault.db());
    },
    async get(id) {
      return readable(id);
    },
    async remove(id) {
      if (!deleteForecastRun(vault.db(), id)) throw new StrongroomError('NOT_FOUND', `No saved forecast "${id}".`);
    },
    async exportTable(id, options) {
      const run = readable(id);
      const db = vault.db();
      const extract = listExtracts(db).find((e) => e.name === run.extract);
      if (!extract?.allowedExports.includes('csv')) {
        throw new StrongroomError('NOT_PERMITTED', `The export policy of "${run.extract}" does not allow CSV files (allowed: ${extract?.allowedExports.join(', ') || 'none'}).`, {
          extract: run.extract,
          allowed: extract?.allowedExports ?? [],
        });
      }
      const { content, rows } = forecastTableCsv(run, options?.locale ?? 'en');
      const sha256 = createHash('sha256').update(content, 'utf8').digest('hex');
      appendAudit(db, 'forecast.export', { id, extract: run.extract, format: 'csv', rows, sha256, classification: extract.classification });
      const safe = run.title.replace(/[^\p{L}\p{N}._ -]+/gu, '_').slice(0, 80).trim() || 'forecast';
      return { filename: `${safe}.csv`, mimeType: 'text/csv;charset=utf-8', content, rows };
    },
  };
}

/**
 * A sum over part of a month reads as a collapse and drags every model down, so an unfinished last
 * period (the current month, typically) is left out of the fit and forecast instead, as Tableau's
 * "ignore last" does; the note says so.
 */
function unfinishedNote(calendar: Calendar, shape: ForecastShape): ForecastNote | null {
  if (shape.grain === 'day' || !lastPeriodUnfinished(calendar)) return null;
  const last = calendar.periods.at(-1)!;
  const values = { period: isoDate(last), through: isoDate(last + calendar.reach.at(-1)! * 86_400_000) };
  return { code: 'PARTIAL_PERIOD', message: `The data end on ${values.through}, before the period starting ${values.period} is over, so that period was left out of the fit and is forecast instead.`, values };
}

function summarise(series: SeriesForecast[], ms: number, threads: number): ForecastSummary {
  const tested = series.filter((s) => s.backtest);
  const mean = (pick: (s: SeriesForecast) => number | null) => {
    const v = tested.map(pick).filter((x): x is number => x !== null && Number.isFinite(x));
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  const levels = [...new Set(tested.flatMap((s) => s.backtest!.coverage.map((c) => c.level)))];
  const coverage = levels.map((level) => {
    const rates = tested.map((s) => s.backtest!.coverage.find((c) => c.level === level)?.rate).filter((r): r is number => r !== undefined);
    return { level, rate: rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length) };
  });
  const families: ForecastSummary['families'] = {};
  for (const s of series) families[s.family] = (families[s.family] ?? 0) + 1;
  return { series: series.length, mase: mean((s) => s.backtest!.mase), smape: mean((s) => s.backtest!.smape), coverage, families, ms: Math.round(ms), threads };
}
