import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisResult, AnalysisSpec, ChartEncoding } from '../../../shared/analysis/spec.js';
import type { FigureOverlay } from '../../../shared/charts/types.js';
import type { ErrorInfo } from '../../../shared/errors.js';
import { Chart } from '../../components/chart/Chart.js';
import type { ChartHandle, MarkSelection } from '../../components/chart/types.js';
import { useBranchLocations } from '../../components/chart/useBranchLocations.js';
import { useColumnLabels } from '../../components/chart/useColumnLabels.js';
import { formatNumber } from '../../format.js';
import { useApp } from '../../store/context.js';
import { sameQuery } from '../../store/slices/builder/index.js';
import { selectDoc, selectSpec, selectSpecKey } from '../../store/slices/builder/selectors.js';
import { BuilderForecastStats, ForecastControl } from '../forecasts/ForecastPanel.js';
import { useBuilderOverlay } from '../forecasts/useForecastOverlay.js';
import { errorPath, explainPath } from './errors.js';
import { MarkMenu, ViewDataDialog } from './MarkMenu.js';

/** Edits this close together run once. */
export const RUN_DEBOUNCE_MS = 250;
/** A run slower than this shows the overlay with its Cancel button. */
export const SLOW_RUN_MS = 300;

/**
 * Runs the shelves' spec (debounced, one run in flight, re-run when the extract syncs) and shows the
 * answer: the chart, a typed error, or a hint while nothing is placed. The UI stays live while a run
 * is in flight: the last chart stays (dimmed) and a slow run can be cancelled.
 */
export function ChartArea({ onHandle }: { onHandle(handle: ChartHandle | null): void }) {
  const { t } = useTranslation();
  const run = useApp((s) => s.builderRun);
  const specKey = useApp(selectSpecKey);
  // A change of how the answer is drawn (chart type, format) needs no new query: redraw at once.
  const redrawOnly = useApp((s) => {
    const spec = selectSpec(s);
    const last = s.builderRun.resultSpec;
    return s.builderRun.status === 'done' && spec !== null && last !== null && sameQuery(spec, last);
  });
  const ready = useApp((s) => s.builderColumns !== null || s.builderSchemaError !== null);
  const extract = useApp((s) => selectDoc(s).extract);
  const generation = useApp((s) => s.syncGeneration[extract] ?? 0);
  const runBuilder = useApp((s) => s.runBuilder);
  const cancel = useApp((s) => s.cancelBuilderRun);
  const reloadSchema = useApp((s) => s.reloadBuilderSchema);
  const columns = useApp((s) => s.builderColumns) ?? [];
  const title = useApp((s) => s.builderMeta.title) || t('analyses.untitled');
  const locale = useApp((s) => s.locale);
  const [slow, setSlow] = useState(false);
  const [mark, setMark] = useState<MarkSelection | null>(null);
  const [viewData, setViewData] = useState<MarkSelection | null>(null);

  // A sync brings new rows: the next run must not reuse the last answer.
  const ranGeneration = useRef(generation);
  useEffect(() => {
    if (!ready) return;
    const force = ranGeneration.current !== generation;
    const timer = setTimeout(() => {
      ranGeneration.current = generation;
      void runBuilder(force);
    }, redrawOnly && !force ? 0 : RUN_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [specKey, ready, generation, runBuilder]);

  // A sync may change the extract's columns (schema versions): read them again.
  const [seenGeneration, setSeenGeneration] = useState(generation);
  useEffect(() => {
    if (generation === seenGeneration) return;
    setSeenGeneration(generation);
    void reloadSchema();
  }, [generation, seenGeneration, reloadSchema]);

  useEffect(() => {
    setSlow(false);
    if (run.status !== 'running') return;
    const timer = setTimeout(() => setSlow(true), SLOW_RUN_MS);
    return () => clearTimeout(timer);
  }, [run.status, run.requestId]);

  const running = run.status === 'running';
  const resultSpec = run.resultSpec;
  const overlay = useBuilderOverlay(resultSpec);
  return (
    <section className="chart-area" aria-label={t('analyses.chart.area')} aria-busy={running}>
      {specKey === null ? (
        <div className="chart-placeholder">
          <p className="muted">{t('analyses.chart.empty')}</p>
        </div>
      ) : (
        <>
          <ForecastControl />
          {run.status === 'error' && run.error && <RunError error={run.error} spec={run.spec} />}
          {run.status === 'cancelled' && !run.result && <p className="muted small">{t('analyses.run.cancelled')}</p>}
          {run.result && resultSpec?.chart && run.status !== 'error' && (
            <div className={running ? 'chart-frame stale' : 'chart-frame'}>
              <ResultChart result={run.result} spec={resultSpec} chart={resultSpec.chart} title={title} onMarkClick={setMark} onReady={onHandle} {...(overlay ? { overlay } : {})} />
              {run.result.truncated && <p className="muted small">{t('analyses.run.truncated', { count: run.result.rowCount, formatted: formatNumber(run.result.rowCount, locale) })}</p>}
            </div>
          )}
          {!run.result && run.status !== 'error' && <div className="chart-placeholder" />}
          <BuilderForecastStats />
        </>
      )}
      {running && slow && (
        <div className="run-overlay" role="status">
          <span className="spinner" aria-hidden="true" />
          <span>{t('analyses.run.running')}</span>
          <button type="button" className="secondary" onClick={() => void cancel()}>
            {t('analyses.run.cancel')}
          </button>
        </div>
      )}
      {mark && resultSpec && <MarkMenu mark={mark} spec={resultSpec} result={run.result} columns={columns} onClose={() => setMark(null)} onViewData={setViewData} />}
      {viewData && resultSpec && <ViewDataDialog mark={viewData} spec={resultSpec} result={run.result} columns={columns} onClose={() => setViewData(null)} />}
    </section>
  );
}

/**
 * The answer drawn: Chart handles every chart type (tables, pivots and KPI tiles included). Its columns
 * are named in words and a map finds its branches; the saved thumbnail is this chart.
 */
function ResultChart(props: { result: AnalysisResult; spec: AnalysisSpec; chart: ChartEncoding; title: string; onMarkClick(mark: MarkSelection): void; onReady(handle: ChartHandle | null): void; overlay?: FigureOverlay }) {
  const { onReady, spec } = props;
  // A chart no longer shown cannot take the thumbnail.
  useEffect(() => () => onReady(null), [onReady]);
  const columnLabels = useColumnLabels(spec);
  const branchLocations = useBranchLocations(spec);
  const pivot = spec.pivot ? { rows: spec.pivot.rows, columns: spec.pivot.columns } : undefined;
  return (
    <Chart
      result={props.result}
      chart={props.chart}
      title={props.title}
      height={420}
      onMarkClick={props.onMarkClick}
      onReady={props.onReady}
      {...(pivot ? { pivot } : {})}
      {...(columnLabels ? { columnLabels } : {})}
      {...(branchLocations ? { branchLocations } : {})}
      {...(props.overlay ? { overlay: props.overlay } : {})}
    />
  );
}

/** A failed run, plainly: what is wrong and, for a bad spec, which shelf item or filter caused it. */
function RunError({ error, spec }: { error: ErrorInfo; spec: AnalysisSpec | null }) {
  const { t } = useTranslation();
  const navigate = useApp((s) => s.navigate);
  if (error.code === 'LEASE_EXPIRED') {
    return (
      <div className="error run-error" role="alert">
        <p>{t('analyses.errors.lease')}</p>
        <button type="button" className="secondary" onClick={() => navigate('catalog')}>
          {t('analyses.errors.openCatalog')}
        </button>
      </div>
    );
  }
  const path = errorPath(error);
  const where = error.code === 'INVALID_ANALYSIS' && path ? explainPath(path, spec, t) : null;
  return (
    <div className="error run-error" role="alert">
      <p>
        <strong>{error.code === 'INVALID_ANALYSIS' ? t('analyses.errors.invalid') : t('analyses.errors.failed')}</strong> {error.message}
      </p>
      {where && <p>{where}</p>}
    </div>
  );
}
