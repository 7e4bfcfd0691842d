import { useTranslation } from 'react-i18next';
import { Icon, type IconName } from '../../components/Icon.js';

/** What an area shows while the cache holds nothing for it: says plainly what will appear. */
export function EmptyView({ route, icon }: { route: 'analyses' | 'dashboards' | 'reports' | 'forecasts'; icon: IconName }) {
  const { t } = useTranslation();
  return (
    <section className="empty" aria-labelledby="empty-title">
      <div className="empty-icon">
        <Icon name={icon} size={32} />
      </div>
      <h2 id="empty-title">{t(`nav.${route}`)}</h2>
      <p className="muted">{t(`empty.${route}`)}</p>
    </section>
  );
}
