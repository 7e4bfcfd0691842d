import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DashboardSummary } from '../../../shared/contracts/index.js';
import { EmptyState } from '../../components/EmptyState.js';
import { formatDateTime } from '../../format.js';
import { useApp } from '../../store/context.js';
import { DashboardEditor } from './DashboardEditor.js';

/** Saved dashboards (create, open, duplicate, delete), or the open one in the editor. */
export function DashboardsView() {
  const open = useApp((s) => s.draft !== null);
  return open ? <DashboardEditor /> : <DashboardList />;
}

function DashboardList() {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const dashboards = useApp((s) => s.dashboards);
  const error = useApp((s) => s.dashboardsError);
  const load = useApp((s) => s.loadDashboards);
  const create = useApp((s) => s.newDashboard);
  const open = useApp((s) => s.openDashboard);
  const duplicate = useApp((s) => s.duplicateDashboard);
  const remove = useApp((s) => s.removeDashboard);
  const [confirm, setConfirm] = useState<DashboardSummary | null>(null);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="stack">
      <div className="toolbar">
        <h2>{t('dashboards.list.heading')}</h2>
        <div className="toolbar-right">
          <button type="button" className="primary" onClick={() => create(t('dashboards.list.untitled'))}>
            {t('dashboards.list.new')}
          </button>
        </div>
      </div>
      {error && (
        <p className="error" role="alert">
          {t('dashboards.list.failed', { code: error.code, message: error.message })}
        </p>
      )}
      {confirm && (
        <div className="notice confirm" role="alertdialog" aria-labelledby="delete-q" aria-describedby="delete-d">
          <strong id="delete-q">{t('dashboards.list.deleteQuestion', { title: confirm.title })}</strong>
          <span id="delete-d">{t('dashboards.list.deleteDetail')}</span>
          <button type="button" className="danger" onClick={() => void remove(confirm.id).then(() => setConfirm(null))}>
            {t('dashboards.list.deleteConfirm')}
          </button>
          <button type="button" className="secondary" onClick={() => setConfirm(null)} autoFocus>
            {t('dashboards.list.cancel')}
          </button>
        </div>
      )}
      {dashboards === null ? (
        !error && <p className="muted">{t('dashboards.list.loading')}</p>
      ) : dashboards.length === 0 ? (
        <EmptyState id="no-dashboards" icon="dashboards" title={t('dashboards.list.emptyTitle')} body={t('dashboards.list.emptyBody')} />
      ) : (
        <table className="grid">
          <caption className="sr-only">{t('dashboards.list.heading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashboards.list.title')}</th>
              <th scope="col" className="num">{t('dashboards.list.tiles')}</th>
              <th scope="col">{t('dashboards.list.updated')}</th>
              <th scope="col"><span className="sr-only">{t('dashboards.list.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {dashboards.map((d) => (
              <tr key={d.id}>
                <td>
                  <strong>{d.title}</strong>
                  {d.description && <div className="muted small">{d.description}</div>}
                </td>
                <td className="num">{d.tileCount}</td>
                <td className="nowrap">{formatDateTime(d.updatedAt, locale)}</td>
                <td className="actions">
                  <button type="button" className="secondary" aria-label={t('dashboards.list.openNamed', { title: d.title })} onClick={() => void open(d.id)}>
                    {t('dashboards.list.open')}
                  </button>
                  <button type="button" className="ghost" aria-label={t('dashboards.list.duplicateNamed', { title: d.title })} onClick={() => void duplicate(d.id)}>
                    {t('dashboards.list.duplicate')}
                  </button>
                  <button type="button" className="ghost" aria-label={t('dashboards.list.deleteNamed', { title: d.title })} onClick={() => setConfirm(d)}>
                    {t('dashboards.list.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
