import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState.js';
import { formatDateTime } from '../../format.js';
import { useApp } from '../../store/context.js';
import { ReportViewer } from './ReportViewer.js';

/** Reports synced from the warehouse for this user's roles, or the open one (read-only). */
export function ReportsView() {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const reports = useApp((s) => s.reports);
  const error = useApp((s) => s.reportsError);
  const open = useApp((s) => s.openReport);
  const opening = useApp((s) => s.openingReport);
  const openError = useApp((s) => s.openReportError);
  const load = useApp((s) => s.loadReports);
  const view = useApp((s) => s.viewReport);

  useEffect(() => {
    void load();
  }, [load]);

  if (open) return <ReportViewer key={open.name} report={open} />;

  return (
    <div className="stack">
      <div className="toolbar">
        <h2>{t('reports.list.heading')}</h2>
        <div className="toolbar-right">
          <button type="button" className="secondary" onClick={() => void load()}>
            {t('reports.list.refresh')}
          </button>
        </div>
      </div>
      {error && (
        <p className="error" role="alert">
          {t('reports.list.failed', { code: error.code, message: error.message })}
        </p>
      )}
      {openError && (
        <p className="error" role="alert">
          {t('reports.list.openFailed', { code: openError.code, message: openError.message })}
        </p>
      )}
      {reports === null ? (
        !error && <p className="muted">{t('reports.list.loading')}</p>
      ) : reports.length === 0 ? (
        <EmptyState id="no-reports" icon="reports" title={t('reports.list.emptyTitle')} body={t('reports.list.emptyBody')} />
      ) : (
        <ul className="report-list" aria-label={t('reports.list.heading')}>
          {reports.map((r) => (
            <li key={r.name} className="card report-item">
              <div className="report-item-main">
                <h3 className="first">{r.title}</h3>
                {r.description && <p className="muted">{r.description}</p>}
                <p className="small">
                  {t('reports.list.published', { by: r.publishedBy, when: formatDateTime(r.publishedAt, locale) })} · {t('reports.list.extracts', { extracts: r.extracts.join(', ') })}
                </p>
                {r.missingExtracts.length > 0 && <p className="notice small">{t('reports.missing', { extracts: r.missingExtracts.join(', ') })}</p>}
              </div>
              <button type="button" className="primary" aria-label={t('reports.list.openNamed', { title: r.title })} disabled={opening === r.name} onClick={() => void view(r.name)}>
                {opening === r.name ? t('reports.list.opening') : t('reports.list.open')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
