import { useEffect } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Classification, SyncProgress } from '../../../shared/contracts/index.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Stat } from '../../components/Stat.js';
import { formatBytes, formatDateTime, formatNumber } from '../../format.js';
import type { Locale } from '../../i18n/index.js';
import { useApp } from '../../store/context.js';
import { ExtractDetail } from '../extract/ExtractDetail.js';

/** One row of the catalog: a permitted remote extract and/or its local copy. */
interface Row {
  name: string;
  title: string;
  description: string;
  classification: Classification;
  rowCount: number | null;
  syncedAt: string | null;
  leaseExpiresAt: string | null;
  version: number | null;
  permitted: boolean;
}

function leaseText(t: TFunction, until: string | null): { text: string; expired: boolean } {
  if (!until) return { text: '—', expired: false };
  const days = Math.floor((new Date(until).getTime() - Date.now()) / 86_400_000);
  if (days < 0) return { text: t('catalog.leaseExpired'), expired: true };
  return { text: t('catalog.leaseDays', { count: days }), expired: false };
}

function ProgressBar({ p, locale }: { p: SyncProgress; locale: Locale }) {
  const { t } = useTranslation();
  const pct = p.totalRows ? Math.min(100, (100 * p.rows) / Math.max(1, p.totalRows)) : null;
  return (
    <div className="progress-wrap">
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined} aria-label={t('catalog.syncing')}>
        <div className={pct === null ? 'progress-bar indeterminate' : 'progress-bar'} style={pct === null ? undefined : { width: `${pct}%` }} />
      </div>
      <span className="small muted">
        {t(`catalog.phase.${p.phase}`)} · {formatNumber(p.rows, locale)}
        {p.totalRows ? ` / ${formatNumber(p.totalRows, locale)}` : ''}
        {/* Rate and time left only mean something while rows are moving. */}
        {p.phase === 'loading' && p.rowsPerSecond > 0 ? ` · ${formatNumber(p.rowsPerSecond, locale)} ${t('catalog.rowsPerSec')}` : ''}
        {p.etaSeconds !== null && p.phase === 'loading' ? ` · ${t('catalog.eta', { seconds: Math.ceil(p.etaSeconds) })}` : ''}
      </span>
    </div>
  );
}

export function CatalogView() {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const status = useApp((s) => s.cacheStatus);
  const extracts = useApp((s) => s.extracts);
  const connections = useApp((s) => s.connections);
  const activeId = useApp((s) => s.activeConnectionId);
  const remote = useApp((s) => s.remote);
  const progress = useApp((s) => s.progress);
  const syncing = useApp((s) => s.syncing);
  const report = useApp((s) => s.lastReport);
  const error = useApp((s) => s.workspaceError ?? s.warehouseError);
  const openExtract = useApp((s) => s.openExtract);
  const loadCatalog = useApp((s) => s.loadCatalog);
  const loadConnections = useApp((s) => s.loadConnections);
  const loadRemote = useApp((s) => s.loadRemote);
  const setActive = useApp((s) => s.setActiveConnection);
  const syncNow = useApp((s) => s.syncNow);
  const cancel = useApp((s) => s.cancelSync);
  const startDemo = useApp((s) => s.startDemo);
  const open = useApp((s) => s.openExtractDetail);
  const navigate = useApp((s) => s.navigate);

  useEffect(() => {
    void loadCatalog();
    void loadConnections().then(() => loadRemote());
  }, [loadCatalog, loadConnections, loadRemote]);

  if (openExtract) return <ExtractDetail />;

  const local = new Map((extracts ?? []).map((e) => [e.name, e]));
  const rows: Row[] = remote
    ? remote.map((r) => ({ ...r, rowCount: r.local?.rowCount ?? null, syncedAt: r.local?.syncedAt ?? null, leaseExpiresAt: r.local?.leaseExpiresAt ?? null, version: r.local?.version ?? null, permitted: true }))
    : (extracts ?? []).map((e) => ({ ...e, permitted: false }));
  const revoked = report?.results.filter((r) => r.status === 'revoked') ?? [];
  const failed = report?.results.filter((r) => r.status === 'failed') ?? [];

  return (
    <div className="stack">
      {status && (
        <section className="stats" aria-label={t('catalog.cache')}>
          <Stat label={t('catalog.extracts')} value={formatNumber(status.extracts, locale)} />
          <Stat label={t('catalog.size')} value={formatBytes(status.sizeBytes, locale)} />
          <Stat label={t('catalog.cipher')} value="SQLCipher 4 · AES-256" />
          <Stat label={t('catalog.created')} value={formatDateTime(status.createdAt, locale)} small />
        </section>
      )}
      {connections && connections.length > 0 && (
        <div className="toolbar">
          <label className="inline-field">
            <span>{t('catalog.warehouse')}</span>
            <select value={activeId ?? ''} onChange={(e) => void setActive(e.target.value)} disabled={syncing}>
              {connections.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name.includes(c.user) ? c.name : `${c.name} (${c.user})`}
                </option>
              ))}
            </select>
          </label>
          <div className="toolbar-right">
            {syncing ? (
              <button type="button" className="secondary" onClick={() => void cancel()}>
                {t('catalog.cancel')}
              </button>
            ) : (
              <button type="button" className="primary" onClick={() => void syncNow()} disabled={!remote}>
                {t('catalog.syncAll')}
              </button>
            )}
          </div>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      {revoked.map((r) => (
        <p className="notice" role="status" key={r.name}>
          {t('catalog.revoked', { name: r.name })}
        </p>
      ))}
      {failed.map((r) => (
        <p className="error" role="alert" key={r.name}>
          {r.name}: {r.error?.message}
        </p>
      ))}
      {connections?.length === 0 && rows.length === 0 && (
        <section className="empty" aria-labelledby="catalog-empty">
          <EmptyState id="catalog-empty" icon="catalog" title={t('catalog.emptyTitle')} body={t('catalog.emptyBody')} />
          <div className="demo-offer">
            <h3>{t('catalog.demoTitle')}</h3>
            <p className="muted small">{t('catalog.demoLead')}</p>
            <div className="row-form center">
              <button type="button" className="primary" disabled={syncing} onClick={() => void startDemo('analyst')}>
                {t('catalog.demoAnalyst')}
              </button>
              <button type="button" className="secondary" disabled={syncing} onClick={() => void startDemo('staff_spb')}>
                {t('catalog.demoStaff')}
              </button>
              <button type="button" className="ghost" onClick={() => navigate('connections')}>
                {t('catalog.addConnection')}
              </button>
            </div>
            {syncing && <p className="muted small">{t('catalog.demoStarting')}</p>}
          </div>
        </section>
      )}
      {rows.length > 0 && (
        <table className="grid catalog">
          <thead>
            <tr>
              <th scope="col">{t('catalog.name')}</th>
              <th scope="col">{t('catalog.classification')}</th>
              <th scope="col" className="num">
                {t('catalog.rows')}
              </th>
              <th scope="col">{t('catalog.synced')}</th>
              <th scope="col">{t('catalog.lease')}</th>
              <th scope="col">
                <span className="sr-only">{t('catalog.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((x) => {
              const p = progress[x.name];
              const lease = leaseText(t, x.leaseExpiresAt);
              const inCache = local.has(x.name);
              return (
                <tr key={x.name}>
                  <td>
                    {inCache ? (
                      <button type="button" className="link" onClick={() => void open(x.name)}>
                        {x.title}
                      </button>
                    ) : (
                      <strong>{x.title}</strong>
                    )}
                    <div className="muted small">
                      {x.name}
                      {x.version ? ` · v${x.version}` : ''}
                      {x.description ? ` · ${x.description}` : ''}
                    </div>
                  </td>
                  <td>
                    <span className={`badge ${x.classification}`}>{t(`classification.${x.classification}`)}</span>
                  </td>
                  <td className="num">{x.rowCount === null ? '—' : formatNumber(x.rowCount, locale)}</td>
                  <td>{x.syncedAt ? formatDateTime(x.syncedAt, locale) : t('catalog.never')}</td>
                  <td className={lease.expired ? 'error-text' : ''}>{lease.text}</td>
                  <td className="actions">
                    {p ? (
                      <ProgressBar p={p} locale={locale} />
                    ) : x.permitted ? (
                      <button type="button" className="secondary" disabled={syncing} onClick={() => void syncNow([x.name])} aria-label={t('catalog.syncNamed', { name: x.title })}>
                        {t('catalog.sync')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
