import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon, type IconName } from '../../components/Icon.js';
import { LanguageSwitch } from '../../components/LanguageSwitch.js';
import { useApp } from '../../store/context.js';
import { ROUTES, type Route } from '../../store/slices/ui/index.js';
import { AuditView } from '../audit/AuditView.js';
import { CatalogView } from '../catalog/CatalogView.js';
import { ConnectionsView } from '../connections/ConnectionsView.js';
import { EmptyView } from '../empty/EmptyView.js';
import { SettingsView } from '../settings/SettingsView.js';
import { AnalysesView } from '../analyses/AnalysesView.js';
import { DashboardsView } from '../dashboards/DashboardsView.js';
import { ReportsView } from '../reports/ReportsView.js';
import { ForecastsView } from '../forecasts/ForecastsView.js';

const ICONS: Record<Route, IconName> = {
  catalog: 'catalog',
  connections: 'plug',
  analyses: 'analyses',
  dashboards: 'dashboards',
  reports: 'reports',
  forecasts: 'forecasts',
  audit: 'audit',
  settings: 'settings',
};

function View({ route }: { route: Route }) {
  switch (route) {
    case 'catalog':
      return <CatalogView />;
    case 'connections':
      return <ConnectionsView />;
    case 'audit':
      return <AuditView />;
    case 'settings':
      return <SettingsView />;
    case 'analyses':
      return <AnalysesView />;
    case 'dashboards':
      return <DashboardsView />;
    case 'reports':
      return <ReportsView />;
    case 'forecasts':
      return <ForecastsView />;
    default:
      return <EmptyView route={route} icon={ICONS[route]} />;
  }
}

export function AppShell() {
  const { t } = useTranslation();
  const route = useApp((s) => s.route);
  const navigate = useApp((s) => s.navigate);
  const lock = useApp((s) => s.lock);
  const autoLock = useApp((s) => s.session?.autoLockMinutes);
  // Viewer-only workspace (branch staff): no authoring views. Re-read after every sync, which may change it.
  const author = useApp((s) => s.capabilities?.author !== false);
  const loadCapabilities = useApp((s) => s.loadCapabilities);
  const syncGeneration = useApp((s) => s.syncGeneration);

  useEffect(() => {
    void loadCapabilities();
  }, [loadCapabilities, syncGeneration]);

  useEffect(() => {
    document.title = `${t(`nav.${route}`)} — Strongroom`;
  }, [route, t]);

  return (
    <div className="shell">
      <nav className="sidebar" aria-label={t('nav.main')}>
        <div className="brand">
          <div className="brand-mark">
            <Icon name="shield" size={20} />
          </div>
          <div>
            <div className="brand-name">{t('app.name')}</div>
            <div className="brand-sub">{t('app.tagline')}</div>
          </div>
        </div>
        <ul>
          {ROUTES.filter((r) => author || (r !== 'analyses' && r !== 'dashboards' && r !== 'forecasts')).map((r) => (
            <li key={r}>
              <button type="button" className={r === route ? 'nav-item active' : 'nav-item'} aria-current={r === route ? 'page' : undefined} onClick={() => navigate(r)}>
                <Icon name={ICONS[r]} />
                <span>{t(`nav.${r}`)}</span>
              </button>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot">
          <Icon name="lock" size={14} /> {t('shell.encrypted')}
        </div>
      </nav>
      <div className="main">
        <header className="topbar">
          <h1>{t(`nav.${route}`)}</h1>
          <div className="topbar-right">
            {autoLock !== undefined && <span className="muted small">{t('shell.autoLock', { count: autoLock })}</span>}
            <LanguageSwitch />
            <button type="button" className="ghost" onClick={() => void lock()} title={t('shell.lockTitle')}>
              <Icon name="lock" size={16} /> {t('shell.lock')}
            </button>
          </div>
        </header>
        <main className="content" id="content">
          <View route={route} />
        </main>
      </div>
    </div>
  );
}
