import { EmptyView } from '../empty/EmptyView.js';

export function DashboardsView() {
  return <EmptyView route="dashboards" icon="dashboards" />;
}
