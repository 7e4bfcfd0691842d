import { useCallback, useEffect, useState } from 'react';
import type { SyncRun } from '../../../shared/contracts/sync.js';
import { useTranslation } from 'react-i18next';
import { VirtualGrid } from '../../components/VirtualGrid.js';
import { formatDateTime, formatNumber } from '../../format.js';
import { useApp, useApi } from '../../store/context.js';

export function ExtractDetail() {
  const { t } = useTranslation();
  const api = useApi();
  const locale = useApp((s) => s.locale);
  const name = useApp((s) => s.openExtract)!;
  const schema = useApp((s) => s.extractSchema);
  const error = useApp((s) => s.warehouseError);
  const close = useApp((s) => s.openExtractDetail);
  const fetchPage = useCallback((offset: number, limit: number) => api.extracts.rows({ name, offset, limit }), [api, name]);
  const [history, setHistory] = useState<SyncRun[] | null>(null);
  useEffect(() => {
    void api.sync.history({ name, limit: 10 }).then(setHistory, () => setHistory([]));
  }, [api, name]);

  const storage = schema?.columns.map((c) => c.storage) ?? [];
  const format = (value: string | number | null, column: number) => {
    if (value === null) return '∅';
    if (typeof value === 'number' && storage[column] === 'real') return formatNumber(value, locale, { maximumFractionDigits: 2 });
    if (typeof value === 'number' && storage[column] === 'boolean') return value ? '✓' : '✗';
    return String(value);
  };

  return (
    <div className="stack">
      <div className="toolbar">
        <button type="button" className="ghost" onClick={() => void close(null)}>
          ← {t('extract.back')}
        </button>
        <h2>{name}</h2>
      </div>
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      {schema && (
        <>
          <section className="card">
            <h3 className="first">{t('extract.schema', { version: schema.version })}</h3>
            <table className="grid compact">
              <thead>
                <tr>
                  <th scope="col">{t('extract.column')}</th>
                  <th scope="col">{t('extract.type')}</th>
                  <th scope="col">{t('extract.key')}</th>
                </tr>
              </thead>
              <tbody>
                {schema.columns.map((c) => (
                  <tr key={c.name}>
                    <td>
                      <code>{c.name}</code>
                    </td>
                    <td>{c.pgType}</td>
                    <td>{c.key ? '✓' : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {schema.hiddenColumns.length > 0 && <p className="muted small">{t('extract.hidden', { columns: schema.hiddenColumns.join(', ') })}</p>}
            {schema.versions.filter((v) => v.change).map((v) => (
              <p className="muted small" key={v.version}>
                {t('extract.versionChange', { version: v.version, added: v.change!.added.join(', ') || '—', removed: v.change!.removed.join(', ') || '—', retyped: v.change!.retyped.join(', ') || '—' })}
              </p>
            ))}
          </section>
          {history && history.length > 0 && (
            <section className="card">
              <h3 className="first">{t('extract.history')}</h3>
              <table className="grid compact">
                <thead>
                  <tr>
                    <th scope="col">{t('extract.when')}</th>
                    <th scope="col">{t('extract.mode')}</th>
                    <th scope="col">{t('extract.result')}</th>
                    <th scope="col" className="num">
                      {t('extract.read')}
                    </th>
                    <th scope="col" className="num">
                      {t('extract.deleted')}
                    </th>
                    <th scope="col">{t('extract.by')}</th>
                  </tr>
                </thead>
                <tbody>
                  {history.map((run) => (
                    <tr key={run.id}>
                      <td className="nowrap">{formatDateTime(run.startedAt, locale)}</td>
                      <td>{t(`extract.modes.${run.mode}`)}</td>
                      <td>
                        <span className={run.status === 'synced' ? 'badge internal' : 'badge restricted'}>{t(`extract.statuses.${run.status}`)}</span>
                        {run.message && <div className="muted small">{run.message}</div>}
                      </td>
                      <td className="num">{formatNumber(run.rowsRead, locale)}</td>
                      <td className="num">{formatNumber(run.rowsDeleted, locale)}</td>
                      <td>{run.warehouseUser ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          <section>
            <h3 className="first">{t('extract.rows', { count: schema.rowCount, formatted: formatNumber(schema.rowCount, locale) })}</h3>
            <VirtualGrid columns={schema.columns.map((c) => c.name)} numeric={schema.columns.map((c) => c.storage === 'real' || ((c.storage === 'integer' || c.storage === 'bigint') && !c.key && !c.name.endsWith('_id')))} rowCount={schema.rowCount} fetchPage={fetchPage} format={format} label={t('extract.rowsLabel', { name })} />
          </section>
        </>
      )}
    </div>
  );
}
