import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/Icon.js';
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
          <div className="stat">
            <span className="stat-label">{t('catalog.extracts')}</span>
            <span className="stat-value">{formatNumber(status.extracts, locale)}</span>
          </div>
          <div className="stat">
            <span className="stat-label">{t('catalog.size')}</span>
            <span className="stat-value">{formatBytes(status.sizeBytes, locale)}</span>
          </div>
          <div className="stat">
            <span className="stat-label">{t('catalog.cipher')}</span>
            <span className="stat-value">SQLCipher 4 · AES-256</span>
          </div>
          <div className="stat">
            <span className="stat-label">{t('catalog.schema')}</span>
            <span className="stat-value">{formatNumber(status.schemaVersion, locale)}</span>
          </div>
          <div className="stat">
            <span className="stat-label">{t('catalog.created')}</span>
            <span className="stat-value small">{formatDateTime(status.createdAt, locale)}</span>
          </div>
        </section>
      )}
      {extracts && extracts.length === 0 && (
        <section className="empty" aria-labelledby="catalog-empty">
          <div className="empty-icon">
            <Icon name="catalog" size={32} />
          </div>
          <h2 id="catalog-empty">{t('catalog.emptyTitle')}</h2>
          <p className="muted">{t('catalog.emptyBody')}</p>
        </section>
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
