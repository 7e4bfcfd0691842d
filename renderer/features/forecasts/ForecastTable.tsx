import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatNumber, type NumberFormat } from '../../../shared/charts/format.js';
import type { ForecastRun } from '../../../shared/contracts/index.js';
import { useApp } from '../../store/context.js';
import { percent, tableRows } from './model.js';

export const TABLE_PAGE = 50;

/** The forecast of every series per period, with its bounds per level; a page at a time. */
export function ForecastTable({ run }: { run: Pick<ForecastRun, 'series' | 'levels' | 'grain' | 'groupFields' | 'spec'> }) {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const rows = useMemo(() => tableRows(run), [run]);
  const [page, setPage] = useState(0);
  const captionId = useId();
  const pages = Math.max(1, Math.ceil(rows.length / TABLE_PAGE));
  const current = Math.min(page, pages - 1);
  const shown = rows.slice(current * TABLE_PAGE, (current + 1) * TABLE_PAGE);
  const levels = [...run.levels].sort((a, b) => a - b);
  const grouped = run.groupFields.length > 0 || run.series.length > 1;
  const format: NumberFormat = run.spec.chart?.format ?? 'number';
  const num = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : formatNumber(v, format, locale));
  const pct = (level: number) => percent(level / 100, locale, 1);

  return (
    <section className="forecast-table-section" aria-labelledby={captionId}>
      <h3 id={captionId} className="panel-title">
        {t('forecasts.table.heading')}
      </h3>
      <div className="forecast-table-wrap" tabIndex={0} role="group" aria-labelledby={captionId}>
        <table className="forecast-table">
          <thead>
            <tr>
              <th scope="col">{t('forecasts.table.period')}</th>
              {grouped && <th scope="col">{t('forecasts.table.series')}</th>}
              <th scope="col" className="num">
                {t('forecasts.table.forecast')}
              </th>
              {levels.flatMap((level) => [
                <th key={`lo${level}`} scope="col" className="num">
                  {t('forecasts.table.lower', { level: pct(level) })}
                </th>,
                <th key={`hi${level}`} scope="col" className="num">
                  {t('forecasts.table.upper', { level: pct(level) })}
                </th>,
              ])}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.key}>
                <th scope="row">{formatDate(row.date, run.grain, locale)}</th>
                {grouped && <td>{row.series}</td>}
                <td className="num">{num(row.mean)}</td>
                {row.bounds.flatMap((b) => [
                  <td key={`lo${b.level}`} className="num">
                    {num(b.lower)}
                  </td>,
                  <td key={`hi${b.level}`} className="num">
                    {num(b.upper)}
                  </td>,
                ])}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <nav className="pager" aria-label={t('forecasts.table.pages')}>
          <button type="button" className="secondary small-button" disabled={current === 0} onClick={() => setPage(current - 1)}>
            {t('forecasts.table.previous')}
          </button>
          <span className="small" aria-live="polite">
            {t('forecasts.table.range', { from: current * TABLE_PAGE + 1, to: current * TABLE_PAGE + shown.length, total: rows.length })}
          </span>
          <button type="button" className="secondary small-button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            {t('forecasts.table.next')}
          </button>
        </nav>
      )}
    </section>
  );
}
