import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format.js';
import { useApp } from '../../store/context.js';

function describe(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

export function AuditView() {
  const { t, i18n } = useTranslation();
  const locale = useApp((s) => s.locale);
  const events = useApp((s) => s.audit);
  const load = useApp((s) => s.loadAudit);
  useEffect(() => void load(), [load]);
  // Action names contain dots, which i18next reads as nesting; the keys use underscores.
  const actionLabel = (action: string) => {
    const key = `audit.actions.${action.replace(/\./g, '_')}`;
    return i18n.exists(key) ? t(key) : action;
  };

  return (
    <div className="stack">
      <p className="muted">{t('audit.lead')}</p>
      <table className="grid" aria-label={t('audit.title')}>
        <thead>
          <tr>
            <th scope="col">{t('audit.when')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {events?.length === 0 && (
            <tr>
              <td colSpan={3} className="muted">
                {t('audit.none')}
              </td>
            </tr>
          )}
          {events?.map((e) => (
            <tr key={e.id}>
              <td className="nowrap">{formatDateTime(e.at, locale)}</td>
              <td>
                <span className={e.action === 'session.unlock_failed' ? 'badge restricted' : 'badge neutral'}>
                  {actionLabel(e.action)}
                </span>
              </td>
              <td className="muted small">{describe(e.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
