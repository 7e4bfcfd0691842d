import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import type { Api, EventMap } from '../shared/contracts/index.js';
import { createClient } from '../shared/rpc/client.js';
import { App } from './App.js';
import { createI18n, rememberLocale } from './i18n/index.js';
import { createAppStore } from './store/index.js';
import { StoreProvider } from './store/context.js';
import { connectTransport, MissingTokenError } from './transport/index.js';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

function fatal(message: string) {
  root.render(
    <div className="fatal" role="alert">
      <h1>Strongroom</h1>
      <p>{message}</p>
    </div>,
  );
}

try {
  const transport = connectTransport();
  const client = createClient<Api, EventMap>(transport);
  const store = createAppStore({ api: client.api });
  const { locale } = store.getState();
  rememberLocale(locale);
  const i18n = createI18n(locale);
  client.on('session.changed', (state) => store.getState().sessionChanged(state));
  client.on('sync.progress', (progress) => {
    store.getState().syncProgress(progress);
    if (progress.phase === 'done') store.getState().extractSynced(progress.name);
  });
  client.on('reports.changed', () => void store.getState().loadReports());
  transport.onClose?.((reason) => store.getState().setDisconnected(reason));
  void store.getState().refreshSession();
  root.render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <StoreProvider store={store} api={client.api}>
          <App api={client.api} />
        </StoreProvider>
      </I18nextProvider>
    </StrictMode>,
  );
} catch (err) {
  fatal(err instanceof MissingTokenError ? err.message : `Strongroom could not start: ${String(err)}`);
}
