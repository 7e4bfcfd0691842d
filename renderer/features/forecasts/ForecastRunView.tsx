import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChartEncoding } from '../../../shared/analysis/spec.js';
import { historyResult } from '../../../shared/charts/forecast.js';
import type { ForecastRun } from '../../../shared/contracts/index.js';
import type { ErrorInfo } from '../../../shared/errors.js';
import { Chart } from '../../components/chart/Chart.js';
import { useColumnLabels } from '../../components/chart/useColumnLabels.js';
import { dimensionName } from '../../../shared/workbench/explore.js';
import { formatDateTime } from '../../format.js';
import { useApp } from '../../store/context.js';
import { FitStats } from './FitStats.js';
import { ForecastTable } from './ForecastTable.js';
import { DeleteDialog } from './DeleteDialog.js';
import { percent, round } from './model.js';
import { downloadFile } from '../../components/download.js';
import { useRunOverlay } from './useForecastOverlay.js';

/**
 * A saved run: the history and forecast of one series at a time (a select when there are several),
 * its fit statistics, the forecast table, and the table as CSV (when the extract's policy allows).
 */
/** The policy refusal in the user's language when the worker named the extract and what it allows. */
function policyMessage(error: ErrorInfo, t: (key: string, options?: Record<string, unknown>) => string): string {
  const details = error.details as { extract?: unknown; allowed?: unknown } | undefined;
  if (typeof details?.extract !== 'string' || !Array.isArray(details.allowed)) return error.message;
  return t('forecasts.run.policy', { extract: details.extract, allowed: details.allowed.length ? details.allowed.join(', ') : '—' });
}

export function ForecastRunView({ run }: { run: ForecastRun }) {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const close = useApp((s) => s.closeForecast);
  const exportTable = useApp((s) => s.exportForecast);
  const [index, setIndex] = useState(0);
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const [exportError, setExportError] = useState<ErrorInfo | null>(null);
  const [deleting, setDeleting] = useState(false);
  const selectId = useId();
  const statsId = useId();
  const series = run.series[Math.min(index, run.series.length - 1)];

  const dated = run.spec.dimensions?.find((d) => d.grain);
  const dateColumn = dated ? dimensionName(dated) : `${run.dateField}_${run.grain}`;
  const columnLabels = useColumnLabels(run.spec);
  const result = useMemo(() => (series ? historyResult(series, dateColumn, run.measure) : null), [series, dateColumn, run.measure]);
  const chart = useMemo<ChartEncoding>(() => ({ type: 'line', x: dateColumn, y: run.measure, ...(run.spec.chart?.format ? { format: run.spec.chart.format } : {}) }), [dateColumn, run.measure, run.spec.chart?.format]);
  const one = useMemo(() => (series ? { series: [series], levels: run.levels, grain: run.grain } : null), [series, run.levels, run.grain]);
  const overlay = useRunOverlay(one, run.spec.chart?.format, columnLabels?.[run.measure]);

  const doExport = async () => {
    setExporting(true);
    setExportError(null);
    setExported(null);
    const outcome = await exportTable(run.id, locale);
    setExporting(false);
    if (!outcome.ok) {
      setExportError(outcome.error);
      return;
    }
    downloadFile(outcome.value.filename, outcome.value.mimeType, outcome.value.content);
    setExported(t('forecasts.run.exported', { filename: outcome.value.filename, count: outcome.value.rows }));
  };

  const { summary } = run;
  return (
    <div className="stack forecast-run">
      <div className="toolbar">
        <button type="button" className="ghost" onClick={close}>
          ← {t('forecasts.run.back')}
        </button>
        <h2>{run.title}</h2>
        <div className="toolbar-right">
          <button type="button" className="secondary" disabled={exporting} onClick={() => void doExport()}>
            {exporting ? t('forecasts.run.exporting') : t('forecasts.run.export')}
          </button>
          <button type="button" className="ghost danger" onClick={() => setDeleting(true)}>
            {t('forecasts.list.delete')}
          </button>
        </div>
      </div>
      <p className="small">
        {t('forecasts.run.meta', {
          measure: columnLabels?.[run.measure] ?? run.measure,
          date: run.dateField,
          grain: t(`forecasts.grain.${run.grain}`),
          extract: run.extract,
          horizon: run.horizon,
          model: t(`forecasts.models.${run.model}`),
        })}
        {' · '}
        {t('forecasts.run.created', { when: formatDateTime(run.createdAt, locale) })}
        {run.dataSyncedAt && (
          <>
            {' · '}
            {t('forecasts.run.synced', { when: formatDateTime(run.dataSyncedAt, locale) })}
          </>
        )}
      </p>
      <p className="small">
        {t('forecasts.run.summary', {
          count: summary.series,
          mase: summary.mase == null ? t('forecasts.stats.none') : round(summary.mase, locale),
          smape: summary.smape == null ? t('forecasts.stats.none') : percent(summary.smape / 100, locale, 1),
        })}
      </p>
      <p className={exported ? 'notice small' : 'sr-only'} role="status">
        {exported ?? ''}
      </p>
      {exportError && (
        <p className="error" role="alert">
          {exportError.code === 'NOT_PERMITTED' ? t('forecasts.run.exportForbidden', { message: policyMessage(exportError, t) }) : t('forecasts.run.exportFailed', { code: exportError.code, message: exportError.message })}
        </p>
      )}
      {run.series.length > 1 && (
        <label htmlFor={selectId} className="inline-label">
          {t('forecasts.run.series')}
          <select id={selectId} value={index} onChange={(e) => setIndex(Number(e.target.value))}>
            {run.series.map((s, i) => (
              <option key={`${s.label}-${i}`} value={i}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {series && result ? (
        <div className="card forecast-chart">
          <Chart result={result} chart={chart} title={t('forecasts.run.chartTitle', { label: series.label })} height={380} {...(columnLabels ? { columnLabels } : {})} {...(overlay ? { overlay } : {})} />
        </div>
      ) : (
        <p className="muted">{t('forecasts.run.noSeries')}</p>
      )}
      {series && <FitStats series={[series]} headingId={statsId} />}
      <ForecastTable run={run} />
      {deleting && <DeleteDialog run={run} onClose={() => setDeleting(false)} />}
    </div>
  );
}
