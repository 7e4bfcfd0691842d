import type { ForecastRun, ForecastRunSummary } from '../../../../shared/contracts/forecast.js';
import type { Db } from '../cipher.js';

/** Saved forecast runs (table forecast_runs). Runs of extracts no longer in the cache are gone with them. */

export function listForecastRuns(db: Db): ForecastRunSummary[] {
  const rows = db.prepare('SELECT summary FROM forecast_runs ORDER BY created_at DESC, id').all() as Array<{ summary: string }>;
  return rows.map((r) => JSON.parse(r.summary) as ForecastRunSummary);
}

export function getForecastRun(db: Db, id: string): ForecastRun | null {
  const row = db.prepare('SELECT run FROM forecast_runs WHERE id = ?').get(id) as { run: string } | undefined;
  return row ? (JSON.parse(row.run) as ForecastRun) : null;
}

export function putForecastRun(db: Db, run: ForecastRun): void {
  const { spec: _spec, periods: _periods, series: _series, ...summary } = run;
  db.prepare('INSERT OR REPLACE INTO forecast_runs (id, title, extract, created_at, summary, run) VALUES (?, ?, ?, ?, ?, ?)').run(
    run.id,
    run.title,
    run.extract,
    run.createdAt,
    JSON.stringify(summary),
    JSON.stringify(run),
  );
}

export function deleteForecastRun(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM forecast_runs WHERE id = ?').run(id).changes > 0;
}
