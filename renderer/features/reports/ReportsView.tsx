import { EmptyView } from '../empty/EmptyView.js';

export function ReportsView() {
  return <EmptyView route="reports" icon="reports" />;
}
