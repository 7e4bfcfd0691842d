import type { ForecastRun } from '../../shared/contracts/forecast.js';

/** `strongroom forecast --json`: one document, a row per forecast period with its interval bounds. */
export function forecastToJson(run: ForecastRun) {
  return {
    id: run.id || null,
    extract: run.extract,
    measure: run.measure,
    dateField: run.dateField,
    grain: run.grain,
    groupFields: run.groupFields,
    horizon: run.horizon,
    levels: run.levels,
    model: run.model,
    periods: run.periods,
    dataSyncedAt: run.dataSyncedAt,
    summary: run.summary,
    series: run.series.map((s) => ({
      group: s.group,
      label: s.label,
      model: s.model,
      family: s.family,
      params: s.params,
      backtest: s.backtest,
      calibration: s.calibration,
      candidates: s.candidates,
      notes: s.notes.map((n) => ({ code: n.code, message: n.message })),
      forecast: s.forecastDates.map((period, i) => {
        const row: Record<string, string | number> = { period, mean: s.mean[i]! };
        for (const iv of s.intervals) (row[`lower_${iv.level}`] = iv.lower[i]!), (row[`upper_${iv.level}`] = iv.upper[i]!);
        return row;
      }),
    })),
  };
}

const fmt = (v: number | null | undefined, digits = 3) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const pct = (v: number) => `${Math.round(v * 100)}%`;

/** The same, for a person at a terminal. */
export function forecastToText(run: ForecastRun): string {
  const out: string[] = [];
  const s0 = run.summary;
  out.push(`${run.measure} by ${run.dateField} (${run.grain}), ${s0.series} series, ${run.horizon} periods ahead, model ${run.model}`);
  out.push(`backtest: MASE ${fmt(s0.mase)}, sMAPE ${fmt(s0.smape, 1)}%, coverage ${s0.coverage.map((c) => `${c.level}%: ${pct(c.rate)}`).join(', ') || '–'}; ${s0.ms} ms on ${s0.threads} thread(s)`);
  for (const s of run.series) {
    out.push('');
    out.push(`${s.label}: ${s.model}`);
    if (s.backtest) out.push(`  backtest (${s.backtest.origins} origins × ${s.backtest.horizon}): MASE ${fmt(s.backtest.mase)}, sMAPE ${fmt(s.backtest.smape, 1)}%, coverage ${s.backtest.coverage.map((c) => `${c.level}%: ${pct(c.rate)}`).join(', ')}`);
    for (const n of s.notes) out.push(`  note: ${n.message}`);
    const head = ['period', 'forecast', ...s.intervals.flatMap((iv) => [`lo ${iv.level}`, `hi ${iv.level}`])];
    out.push(`  ${head.map((h) => h.padStart(12)).join('')}`);
    s.forecastDates.forEach((d, i) => {
      const cells = [d, fmt(s.mean[i], 2), ...s.intervals.flatMap((iv) => [fmt(iv.lower[i], 2), fmt(iv.upper[i], 2)])];
      out.push(`  ${cells.map((c) => c.padStart(12)).join('')}`);
    });
  }
  return `${out.join('\n')}\n`;
}
