import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ForecastRunSummary } from '../../../shared/contracts/index.js';
import { EmptyState } from '../../components/EmptyState.js';
import { formatDateTime } from '../../format.js';
import { useApp } from '../../store/context.js';
import { DeleteDialog } from './DeleteDialog.js';
import { ForecastRunView } from './ForecastRunView.js';
import { round } from './model.js';
import './forecasts.css';

/** Saved forecast runs, newest first, or the open one. */
export function ForecastsView() {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const runs = useApp((s) => s.forecastRuns);
  const error = useApp((s) => s.forecastRunsError);
  const open = useApp((s) => s.openForecast);
  const opening = useApp((s) => s.openingForecast);
  const openError = useApp((s) => s.openForecastError);
  const load = useApp((s) => s.loadForecastRuns);
  const view = useApp((s) => s.viewForecast);
  const [deleting, setDeleting] = useState<ForecastRunSummary | null>(null);

  useEffect(() => {
    void load();
  }, [load]);

  if (open) return <ForecastRunView key={open.id} run={open} />;

  const sorted = runs ? [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt)) : null;
  return (
    <div className="stack">
      <div className="toolbar">
        <h2>{t('forecasts.list.heading')}</h2>
        <div className="toolbar-right">
          <button type="button" className="secondary" onClick={() => void load()}>
            {t('forecasts.list.refresh')}
          </button>
        </div>
      </div>
      {error && (
        <p className="error" role="alert">
          {t('forecasts.list.failed', { code: error.code, message: error.message })}
        </p>
      )}
      {openError && (
        <p className="error" role="alert">
          {t('forecasts.list.openFailed', { code: openError.code, message: openError.message })}
        </p>
      )}
      {sorted === null ? (
        !error && <p className="muted">{t('forecasts.list.loading')}</p>
      ) : sorted.length === 0 ? (
        <EmptyState id="no-forecasts" icon="forecasts" title={t('forecasts.list.emptyTitle')} body={t('forecasts.list.emptyBody')} />
      ) : (
        <div className="forecast-table-wrap" tabIndex={0} role="group" aria-label={t('forecasts.list.heading')}>
          <table className="forecast-table forecast-runs">
            <caption className="sr-only">{t('forecasts.list.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('forecasts.list.title')}</th>
                <th scope="col">{t('forecasts.list.extract')}</th>
                <th scope="col">{t('forecasts.list.measure')}</th>
                <th scope="col">{t('forecasts.list.model')}</th>
                <th scope="col" className="num">
                  {t('forecasts.list.series')}
                </th>
                <th scope="col" className="num">
                  <abbr title={t('forecasts.stats.maseLong')}>MASE</abbr>
                </th>
                <th scope="col">{t('forecasts.list.created')}</th>
                <th scope="col">
                  <span className="sr-only">{t('forecasts.list.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.title}</th>
                  <td>{r.extract}</td>
                  <td>{r.measure}</td>
                  <td>{t(`forecasts.models.${r.model}`)}</td>
                  <td className="num">{r.summary.series}</td>
                  <td className="num">{r.summary.mase == null ? t('forecasts.stats.none') : round(r.summary.mase, locale)}</td>
                  <td>{formatDateTime(r.createdAt, locale)}</td>
                  <td className="row-actions">
                    <button type="button" className="primary small-button" aria-label={t('forecasts.list.openNamed', { title: r.title })} disabled={opening === r.id} onClick={() => void view(r.id)}>
                      {opening === r.id ? t('forecasts.list.opening') : t('forecasts.list.open')}
                    </button>
                    <button type="button" className="ghost small-button danger" aria-label={t('forecasts.list.deleteNamed', { title: r.title })} onClick={() => setDeleting(r)}>
                      {t('forecasts.list.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deleting && <DeleteDialog run={deleting} onClose={() => setDeleting(null)} />}
    </div>
  );
}
