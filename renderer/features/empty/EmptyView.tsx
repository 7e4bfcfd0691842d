import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState.js';
import type { IconName } from '../../components/Icon.js';

/** What an area shows while the cache holds nothing for it: says plainly what will appear. */
export function EmptyView({ route, icon }: { route: 'analyses' | 'dashboards' | 'reports' | 'forecasts'; icon: IconName }) {
  const { t } = useTranslation();
  return <EmptyState id="empty-title" icon={icon} title={t(`nav.${route}`)} body={t(`empty.${route}`)} />;
}
