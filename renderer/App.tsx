import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Api } from '../shared/contracts/index.js';
import { AppShell } from './features/shell/AppShell.js';
import { UnlockScreen } from './features/unlock/UnlockScreen.js';
import { useApp } from './store/context.js';
import { selectStatus } from './store/slices/session/selectors.js';

/** User activity reaches the worker at most this often, for idle auto-lock. */
const HEARTBEAT_MS = 20_000;

function useActivityHeartbeat(api: Api, active: boolean) {
  useEffect(() => {
    if (!active) return;
    let last = 0;
    const onActivity = () => {
      const now = Date.now();
      if (now - last < HEARTBEAT_MS) return;
      last = now;
      void api.session.heartbeat().catch(() => undefined);
    };
    const events = ['pointerdown', 'keydown', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, onActivity, { passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, onActivity);
    };
  }, [api, active]);
}

export function App({ api }: { api: Api }) {
  const { t } = useTranslation();
  const status = useApp(selectStatus);
  const disconnected = useApp((s) => s.disconnected);
  useActivityHeartbeat(api, status === 'unlocked');

  return (
    <>
      {disconnected && (
        <div className="banner" role="alert">
          {t('shell.disconnected')}{' '}
          <button type="button" className="secondary" onClick={() => window.location.reload()}>
            {t('shell.reload')}
          </button>
        </div>
      )}
      {status === 'loading' ? <div className="loading" aria-busy="true" /> : status === 'unlocked' ? <AppShell /> : <UnlockScreen />}
    </>
  );
}
