import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MIN_PASSPHRASE_LENGTH } from '../../../shared/contracts/session.js';
import { Icon } from '../../components/Icon.js';
import { LanguageSwitch } from '../../components/LanguageSwitch.js';
import { useApp } from '../../store/context.js';
import { selectRetryAfterMs } from '../../store/slices/session/selectors.js';

/** Counts down to zero from `ms`, once a second. */
function useCountdown(ms: number): number {
  const [left, setLeft] = useState(ms);
  useEffect(() => {
    setLeft(ms);
    if (ms <= 0) return;
    const until = Date.now() + ms;
    const timer = setInterval(() => {
      const remaining = Math.max(0, until - Date.now());
      setLeft(remaining);
      if (remaining === 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [ms]);
  return left;
}

export function UnlockScreen() {
  const { t } = useTranslation();
  const session = useApp((s) => s.session)!;
  const error = useApp((s) => s.sessionError);
  const busy = useApp((s) => s.sessionBusy);
  const retryAfterMs = useApp(selectRetryAfterMs);
  const createCache = useApp((s) => s.createCache);
  const unlock = useApp((s) => s.unlock);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const firstRun = session.status === 'uninitialised';
  const waitMs = useCountdown(retryAfterMs);

  useEffect(() => input.current?.focus(), [firstRun, error]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setLocalError(null);
    if (firstRun) {
      if (passphrase.length < MIN_PASSPHRASE_LENGTH) return setLocalError(t('unlock.minLength', { count: MIN_PASSPHRASE_LENGTH }));
      if (passphrase !== confirm) return setLocalError(t('unlock.mismatch'));
      await createCache(passphrase);
    } else if (!(await unlock(passphrase))) {
      setPassphrase('');
    }
  }

  let message: string | null = localError;
  if (!message && error) {
    if (error.code === 'WRONG_PASSPHRASE') message = t('unlock.wrongCount', { count: session.failedAttempts || 1 });
    else if (error.code === 'THROTTLED') message = null;
    else if (error.code === 'CACHE_CORRUPT' || error.code === 'CACHE_TOO_NEW') message = t('unlock.corrupt', { message: error.message });
    else message = error.message;
  }
  const throttled = waitMs > 0;
  const notice =
    !firstRun && !error && session.lockReason === 'idle'
      ? t('unlock.lockedIdle', { count: session.autoLockMinutes ?? 15 })
      : null;

  return (
    <div className="unlock">
      <aside className="unlock-brand">
        <div className="brand-mark large">
          <Icon name="shield" size={28} />
        </div>
        <h1>{t('app.name')}</h1>
        <p className="brand-tagline">{t('app.tagline')}</p>
        <ul className="brand-facts">
          <li>
            <Icon name="lock" /> {t('unlock.footer')}
          </li>
          <li>
            <Icon name="key" /> {t('unlock.factKey')}
          </li>
          <li>
            <Icon name="offline" /> {t('unlock.factOffline')}
          </li>
        </ul>
      </aside>
      <main className="unlock-main">
        <div className="unlock-top">
          <LanguageSwitch />
        </div>
        <form className="card unlock-card" onSubmit={submit} aria-labelledby="unlock-title" noValidate>
          <h2 id="unlock-title">{firstRun ? t('unlock.createTitle') : t('unlock.unlockTitle')}</h2>
          <p className="muted">{firstRun ? t('unlock.createLead') : t('unlock.unlockLead')}</p>
          {notice && (
            <p className="notice" role="status">
              {notice}
            </p>
          )}
          <div className="field">
            <label htmlFor="passphrase">{t('unlock.passphrase')}</label>
            <input
              ref={input}
              id="passphrase"
              type="password"
              name="passphrase"
              autoComplete={firstRun ? 'new-password' : 'current-password'}
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
              aria-invalid={Boolean(message)}
              aria-describedby={[firstRun ? 'passphrase-hint' : '', message ? 'unlock-error' : ''].filter(Boolean).join(' ') || undefined}
              disabled={busy}
            />
            {firstRun && (
              <small id="passphrase-hint" className="muted">
                {t('unlock.minLength', { count: MIN_PASSPHRASE_LENGTH })}
              </small>
            )}
          </div>
          {firstRun && (
            <label className="field">
              <span>{t('unlock.confirm')}</span>
              <input type="password" name="confirm" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} disabled={busy} />
            </label>
          )}
          {message && (
            <p id="unlock-error" className="error" role="alert">
              {message}
            </p>
          )}
          {throttled && (
            <p className="error" role="alert" data-testid="throttled">
              {t('unlock.throttled', { seconds: Math.ceil(waitMs / 1000) })}
            </p>
          )}
          <button className="primary wide" type="submit" disabled={busy || throttled || passphrase.length === 0}>
            {busy ? t('unlock.working') : firstRun ? t('unlock.create') : t('unlock.unlock')}
          </button>
          <p className="muted small profile-path">
            {t('unlock.profile')}: <code>{session.profileDir}</code>
          </p>
        </form>
      </main>
    </div>
  );
}
