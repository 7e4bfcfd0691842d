import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MIN_PASSPHRASE_LENGTH } from '../../../shared/contracts/session.js';
import { AUTO_LOCK_MINUTES } from '../../../shared/contracts/settings.js';
import { LanguageSwitch } from '../../components/LanguageSwitch.js';
import { formatBytes, formatNumber } from '../../format.js';
import { useApp } from '../../store/context.js';

function AutoLockForm() {
  const { t } = useTranslation();
  const settings = useApp((s) => s.settings);
  const save = useApp((s) => s.saveSettings);
  const [minutes, setMinutes] = useState<string>('');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (settings) setMinutes(String(settings.autoLockMinutes));
  }, [settings]);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(await save({ autoLockMinutes: Number(minutes) }));
  }
  return (
    <form className="row-form" onSubmit={submit}>
      <label className="inline-field">
        <span>{t('settings.autoLock')}</span>
        <input
          type="number"
          name="autoLockMinutes"
          min={AUTO_LOCK_MINUTES.min}
          max={AUTO_LOCK_MINUTES.max}
          value={minutes}
          onChange={(e) => {
            setMinutes(e.target.value);
            setSaved(false);
          }}
          className="narrow"
        />
        <span>{t('settings.minutes')}</span>
      </label>
      <button type="submit" className="secondary">
        {t('settings.save')}
      </button>
      {saved && (
        <span className="ok" role="status">
          {t('settings.saved')}
        </span>
      )}
    </form>
  );
}

function PassphraseForm() {
  const { t } = useTranslation();
  const change = useApp((s) => s.changePassphrase);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (next.length < MIN_PASSPHRASE_LENGTH) return setMessage({ ok: false, text: t('unlock.minLength', { count: MIN_PASSPHRASE_LENGTH }) });
    if (next !== repeat) return setMessage({ ok: false, text: t('unlock.mismatch') });
    if (await change(current, next)) {
      setCurrent('');
      setNext('');
      setRepeat('');
      setMessage({ ok: true, text: t('settings.changed') });
    } else {
      setMessage(null);
    }
  }
  return (
    <form className="stack narrow-form" onSubmit={submit}>
      <p className="muted small">{t('settings.changeLead')}</p>
      <label className="field">
        <span>{t('settings.current')}</span>
        <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('settings.next')}</span>
        <input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('settings.repeat')}</span>
        <input type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
      </label>
      {message && (
        <p className={message.ok ? 'ok' : 'error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      <div>
        <button type="submit" className="secondary" disabled={!current || !next}>
          {t('settings.change')}
        </button>
      </div>
    </form>
  );
}

export function SettingsView() {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const device = useApp((s) => s.device);
  const status = useApp((s) => s.cacheStatus);
  const error = useApp((s) => s.settingsError);
  const load = useApp((s) => s.loadSettings);
  const setDeviceUnlock = useApp((s) => s.setDeviceUnlock);
  useEffect(() => void load(), [load]);

  return (
    <div className="settings">
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      <section className="card">
        <h2>{t('settings.general')}</h2>
        <div className="row-form">
          <span>{t('settings.language')}</span>
          <LanguageSwitch />
        </div>
      </section>
      <section className="card">
        <h2>{t('settings.security')}</h2>
        <AutoLockForm />
        <h3>{t('settings.changePassphrase')}</h3>
        <PassphraseForm />
        <h3>{t('settings.device')}</h3>
        <p className="muted small">{t('settings.deviceLead')}</p>
        {device && (
          <div className="row-form">
            <span className={device.enabled ? 'badge internal' : 'badge neutral'}>{device.enabled ? t('settings.deviceOn') : t('settings.deviceOff')}</span>
            {device.available ? (
              <button type="button" className="secondary" onClick={() => void setDeviceUnlock(!device.enabled)}>
                {device.enabled ? t('settings.disable') : t('settings.enable')}
              </button>
            ) : (
              <span className="muted small">{device.reasonCode ? t(`settings.deviceReason.${device.reasonCode}`, { backend: device.backend }) : device.reason}</span>
            )}
          </div>
        )}
      </section>
      {status && (
        <section className="card">
          <h2>{t('settings.cache')}</h2>
          <dl className="facts">
            <dt>{t('unlock.profile')}</dt>
            <dd>
              <code>{status.profileDir}</code>
            </dd>
            <dt>{t('catalog.cipher')}</dt>
            <dd>SQLCipher 4 (AES-256-CBC, HMAC-SHA512)</dd>
            <dt>{t('settings.kdf')}</dt>
            <dd>
              scrypt N={formatNumber(status.kdf.N, locale)}, r={status.kdf.r}, p={status.kdf.p}
            </dd>
            <dt>{t('settings.wrappers')}</dt>
            <dd>{status.keyWrappers.map((w) => t(`settings.wrapper.${w}`)).join(', ')}</dd>
            <dt>{t('catalog.schema')}</dt>
            <dd>{status.schemaVersion}</dd>
            <dt>{t('catalog.size')}</dt>
            <dd>{formatBytes(status.sizeBytes, locale)}</dd>
          </dl>
        </section>
      )}
    </div>
  );
}
