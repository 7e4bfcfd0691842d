import { useApp } from '../../store/context.js';
import { AnalysisList } from './AnalysisList.js';
import { Builder } from './Builder.js';
import './analyses.css';

/** Analyses: the saved list, or the builder with one analysis open. */
export function AnalysesView() {
  const view = useApp((s) => s.builderView);
  const open = useApp((s) => s.builderHistory !== null);
  return view === 'builder' && open ? <Builder /> : <AnalysisList />;
}
