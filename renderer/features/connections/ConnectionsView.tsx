import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TlsMode } from '../../../shared/contracts/connections.js';
import { formatDateTime } from '../../format.js';
import { useApp } from '../../store/context.js';

const EMPTY = { name: '', host: '', port: '5432', database: '', user: '', password: '', tlsMode: 'verify-full' as TlsMode, caCert: '', clientCert: '', clientKey: '' };

function ConnectionForm() {
  const { t } = useTranslation();
  const save = useApp((s) => s.saveConnection);
  const [form, setForm] = useState(EMPTY);
  const field = (key: keyof typeof EMPTY) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  });
  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await save({
      name: form.name,
      host: form.host,
      port: Number(form.port),
      database: form.database,
      user: form.user,
      ...(form.password ? { password: form.password } : {}),
      tlsMode: form.tlsMode,
      ...(form.caCert ? { caCert: form.caCert } : {}),
      ...(form.clientCert ? { clientCert: form.clientCert } : {}),
      ...(form.clientKey ? { clientKey: form.clientKey } : {}),
    });
    if (ok) setForm(EMPTY);
  }
  return (
    <form className="card conn-form" onSubmit={submit}>
      <h2>{t('connections.add')}</h2>
      <div className="form-grid">
        <label className="field">
          <span>{t('connections.name')}</span>
          <input required {...field('name')} placeholder="DWH (production)" />
        </label>
        <label className="field">
          <span>{t('connections.host')}</span>
          <input required {...field('host')} placeholder="dwh.bank.local" />
        </label>
        <label className="field">
          <span>{t('connections.port')}</span>
          <input required type="number" min={1} max={65535} {...field('port')} />
        </label>
        <label className="field">
          <span>{t('connections.database')}</span>
          <input required {...field('database')} />
        </label>
        <label className="field">
          <span>{t('connections.user')}</span>
          <input required {...field('user')} autoComplete="username" />
        </label>
        <label className="field">
          <span>{t('connections.password')}</span>
          <input type="password" {...field('password')} autoComplete="current-password" />
        </label>
        <label className="field">
          <span>{t('connections.tls')}</span>
          <select value={form.tlsMode} onChange={(e) => setForm({ ...form, tlsMode: e.target.value as TlsMode })}>
            {(['verify-full', 'verify-ca', 'require', 'disable'] as const).map((m) => (
              <option key={m} value={m}>
                {t(`connections.tlsModes.${m}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <details>
        <summary>{t('connections.certificates')}</summary>
        <div className="form-grid">
          <label className="field">
            <span>{t('connections.caCert')}</span>
            <textarea rows={3} {...field('caCert')} placeholder="-----BEGIN CERTIFICATE-----" />
          </label>
          <label className="field">
            <span>{t('connections.clientCert')}</span>
            <textarea rows={3} {...field('clientCert')} />
          </label>
          <label className="field">
            <span>{t('connections.clientKey')}</span>
            <textarea rows={3} {...field('clientKey')} />
          </label>
        </div>
      </details>
      <p className="muted small">{t('connections.stored')}</p>
      <div>
        <button type="submit" className="primary">
          {t('connections.save')}
        </button>
      </div>
    </form>
  );
}

export function ConnectionsView() {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const connections = useApp((s) => s.connections);
  const results = useApp((s) => s.testResults);
  const error = useApp((s) => s.warehouseError);
  const load = useApp((s) => s.loadConnections);
  const test = useApp((s) => s.testConnection);
  const remove = useApp((s) => s.removeConnection);
  useEffect(() => void load(), [load]);

  return (
    <div className="stack">
      <p className="muted">{t('connections.lead')}</p>
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      <table className="grid" aria-label={t('connections.title')}>
        <thead>
          <tr>
            <th scope="col">{t('connections.name')}</th>
            <th scope="col">{t('connections.server')}</th>
            <th scope="col">{t('connections.user')}</th>
            <th scope="col">{t('connections.tls')}</th>
            <th scope="col">{t('connections.status')}</th>
            <th scope="col">
              <span className="sr-only">{t('connections.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {connections?.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                {t('connections.none')}
              </td>
            </tr>
          )}
          {connections?.map((c) => {
            const r = results[c.id];
            return (
              <tr key={c.id}>
                <td>
                  <strong>{c.name}</strong>
                  {c.isDemo && <span className="badge public">{t('connections.demo')}</span>}
                </td>
                <td>
                  <code>
                    {c.host}:{c.port}/{c.database}
                  </code>
                </td>
                <td>{c.user}</td>
                <td>{t(`connections.tlsModes.${c.tlsMode}`)}</td>
                <td className="small">
                  {r && 'code' in r ? (
                    <span className="error-text" role="alert">
                      {r.message}
                    </span>
                  ) : r ? (
                    <span className="ok">{t('connections.testOk', { user: r.warehouseUser, version: r.serverVersion, count: r.permittedExtracts })}</span>
                  ) : c.lastTestedAt ? (
                    t('connections.lastTested', { when: formatDateTime(c.lastTestedAt, locale) })
                  ) : (
                    '—'
                  )}
                </td>
                <td className="actions">
                  <button type="button" className="secondary" onClick={() => void test(c.id)}>
                    {t('connections.test')}
                  </button>
                  <button type="button" className="ghost" onClick={() => void remove(c.id)} aria-label={t('connections.removeNamed', { name: c.name })}>
                    {t('connections.remove')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ConnectionForm />
    </div>
  );
}
