import { EmptyView } from '../empty/EmptyView.js';

export function AnalysesView() {
  return <EmptyView route="analyses" icon="analyses" />;
}
