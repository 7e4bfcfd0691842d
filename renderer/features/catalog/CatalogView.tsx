import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState.js';
import { Stat } from '../../components/Stat.js';
import { formatBytes, formatDateTime, formatNumber } from '../../format.js';
import { useApp } from '../../store/context.js';

export function CatalogView() {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const status = useApp((s) => s.cacheStatus);
  const extracts = useApp((s) => s.extracts);
  const error = useApp((s) => s.workspaceError);
  const load = useApp((s) => s.loadCatalog);
  useEffect(() => void load(), [load]);

  return (
    <div className="stack">
      <p className="muted">{t('catalog.lead')}</p>
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      {status && (
        <section className="stats" aria-label={t('catalog.cache')}>
          <Stat label={t('catalog.extracts')} value={formatNumber(status.extracts, locale)} />
          <Stat label={t('catalog.size')} value={formatBytes(status.sizeBytes, locale)} />
          <Stat label={t('catalog.cipher')} value="SQLCipher 4 · AES-256" />
          <Stat label={t('catalog.schema')} value={formatNumber(status.schemaVersion, locale)} />
          <Stat label={t('catalog.created')} value={formatDateTime(status.createdAt, locale)} small />
        </section>
      )}
      {extracts && extracts.length === 0 && (
        <EmptyState id="catalog-empty" icon="catalog" title={t('catalog.emptyTitle')} body={t('catalog.emptyBody')} />
      )}
      {extracts && extracts.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('catalog.name')}</th>
              <th scope="col">{t('catalog.classification')}</th>
              <th scope="col" className="num">
                {t('catalog.rows')}
              </th>
              <th scope="col">{t('catalog.synced')}</th>
              <th scope="col">{t('catalog.lease')}</th>
            </tr>
          </thead>
          <tbody>
            {extracts.map((x) => (
              <tr key={x.name}>
                <td>
                  <strong>{x.title}</strong>
                  <div className="muted small">{x.name}</div>
                </td>
                <td>
                  <span className={`badge ${x.classification}`}>{x.classification}</span>
                </td>
                <td className="num">{formatNumber(x.rowCount, locale)}</td>
                <td>{x.syncedAt ? formatDateTime(x.syncedAt, locale) : t('catalog.never')}</td>
                <td>{x.leaseExpiresAt ? formatDateTime(x.leaseExpiresAt, locale) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
