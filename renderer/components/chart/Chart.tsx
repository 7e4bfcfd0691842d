import type { PlotlyClickEvent, PlotlyElement } from 'plotly.js-strict-dist-min';
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ReactElement, type RefObject } from 'react';
import type { Cell } from '../../../shared/analysis/spec.js';
import { useTranslation } from 'react-i18next';
import { buildFigure, dimensionValues, markList, type MarkItem } from '../../../shared/charts/figure.js';
import { formatNumber, type ChartLocale } from '../../../shared/charts/format.js';
import { kpiSummary } from '../../../shared/charts/kpi.js';
import { defaultPivot } from '../../../shared/charts/pivot.js';
import type { ChartLabels, ChartNote, Figure } from '../../../shared/charts/types.js';
import { KpiTile } from './KpiTile.js';
import { MarkList } from './MarkList.js';
import { PivotTable } from './PivotTable.js';
import { ResultTable } from './ResultTable.js';
import { htmlPng } from './snapshot.js';
import type { ChartHandle, ChartProps } from './types.js';
import './chart.css';

type Plotly = typeof import('plotly.js-strict-dist-min').default;

// plotly is ~5 MB: loaded on first use, once, as its own chunk.
let plotlyLoad: Promise<Plotly> | null = null;
let plotlyLoaded: Plotly | null = null;
function loadPlotly(): Promise<Plotly> {
  plotlyLoad ??= import('plotly.js-strict-dist-min').then((m) => {
    const lib = ((m as { default?: Plotly }).default ?? m) as Plotly;
    plotlyLoaded = lib;
    return lib;
  });
  return plotlyLoad;
}

/** Marks listed for keyboard users; beyond this, the first ones (a million points are not a list). */
const MAX_LISTED_MARKS = 500;
const DEFAULT_HEIGHT = 360;
const NO_LABELS: Readonly<Record<string, string>> = {};

/**
 * Draws an analysis result as its chart encoding says: plotly for the plotted types, HTML for KPI
 * tiles, tables and pivots. The chart is one tab stop named by `title`; its marks are a listbox after
 * it (Enter reports a mark as a click does); what the chart did to the data (decimation, WebGL) is a
 * visible caption.
 */
export function Chart(props: ChartProps) {
  const { t, i18n } = useTranslation();
  const locale: ChartLocale = i18n.language?.startsWith('ru') ? 'ru' : 'en';
  const labels = useMemo<ChartLabels>(() => ({ empty: t('charts.labels.empty'), other: t('charts.labels.other'), count: t('charts.labels.count') }), [t]);
  const { chart } = props;
  if (chart.type === 'kpi' || chart.type === 'table' || chart.type === 'pivot') return <HtmlChart {...props} locale={locale} labels={labels} />;
  return <PlotlyChart {...props} locale={locale} labels={labels} />;
}

type Inner = ChartProps & { locale: ChartLocale; labels: ChartLabels };

/** Calls onRendered after the browser paints and hands over onReady's handle once. */
function usePaintEvents(props: Inner, ready: boolean, points: number, toPng: ChartHandle['toPng']) {
  const startedAt = useMemo(() => performance.now(), [props.result, props.chart, props.locale]);
  const handed = useRef(false);
  const { onRendered, onReady } = props;
  useEffect(() => {
    if (!ready) return;
    const frame = requestAnimationFrame(() => onRendered?.({ ms: performance.now() - startedAt, points, decimated: false }));
    if (!handed.current && onReady) {
      handed.current = true;
      onReady({ toPng });
    }
    return () => cancelAnimationFrame(frame);
  }, [ready, startedAt, points, onRendered, onReady, toPng]);
}

function HtmlChart(props: Inner) {
  const { t } = useTranslation();
  const { result, chart, title, locale, labels, columnLabels = NO_LABELS, height = DEFAULT_HEIGHT, onMarkClick } = props;
  const ref = useRef<HTMLDivElement>(null);
  const toPng = useMemo(() => (w: number, h: number) => Promise.resolve(htmlPng(ref.current!, w, h)), []);
  const pivot = useMemo(() => props.pivot ?? defaultPivot(result), [props.pivot, result]);
  let body: ReactElement;
  let error: string | null = null;
  if (chart.type === 'kpi') {
    try {
      body = <KpiTile ref={ref} summary={kpiSummary(result, chart, locale, labels, columnLabels)} title={title} height={height} />;
    } catch (err) {
      error = (err as Error).message;
      body = <div ref={ref} />;
    }
  } else if (chart.type === 'pivot') {
    body = <PivotTable ref={ref} result={result} pivot={pivot} title={title} locale={locale} format={chart.format} height={height} columnLabels={columnLabels} />;
  } else {
    const onRowClick = onMarkClick
      ? (row: number, at: DOMRect) => onMarkClick({ values: dimensionValues(result, row), clientX: at.left + at.width / 2, clientY: at.top + at.height / 2 })
      : undefined;
    body = <ResultTable ref={ref} result={result} title={title} locale={locale} format={chart.format} height={height} columnLabels={columnLabels} {...(onRowClick ? { onRowClick } : {})} />;
  }
  usePaintEvents(props, error === null, result.rowCount, toPng);
  return (
    <div className={`chart chart-html chart-${chart.type}`}>
      {error ? <p role="alert" className="chart-status error">{t('charts.error', { message: error })}</p> : body}
    </div>
  );
}

function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(Math.floor(element.getBoundingClientRect().width));
    const observer = new ResizeObserver((entries) => setWidth(Math.floor(entries[0]!.contentRect.width)));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

function noteText(note: ChartNote, t: (key: string, options: Record<string, unknown>) => string, locale: ChartLocale): string {
  const n = (v: number) => formatNumber(v, 'number', locale);
  switch (note.kind) {
    case 'decimated':
      return t('charts.note.decimated', { shown: n(note.shown), total: n(note.total) });
    case 'webgl':
      return t('charts.note.webgl', { points: n(note.points) });
    case 'aggregate':
      return t('charts.note.aggregate', { points: n(note.points) });
    case 'folded':
      return t('charts.note.folded', { count: n(note.total - note.shown) });
    case 'unplaced':
      return t('charts.note.unplaced', { count: n(note.count) });
  }
}

function PlotlyChart(props: Inner) {
  const { t } = useTranslation();
  const { result, chart, title, locale, labels, branchLocations, columnLabels = NO_LABELS, height = DEFAULT_HEIGHT, overlay } = props;
  const frameRef = useRef<HTMLElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const noteId = useId();
  const width = useWidth(frameRef);
  // Decimation depends on the width; rebuilding on every pixel of a resize would be wasted work.
  const widthKey = width ? Math.ceil(width / 160) * 160 : 0;
  const startedAt = useMemo(() => performance.now(), [result, chart, locale, branchLocations, columnLabels, overlay]);
  const built = useMemo((): { figure: Figure } | { error: string } | null => {
    if (!widthKey) return null;
    try {
      return { figure: buildFigure(result, chart, { locale, widthPx: widthKey, labels, columnLabels, ...(branchLocations ? { branchLocations } : {}), ...(overlay ? { overlay } : {}) }) };
    } catch (err) {
      return { error: (err as Error).message };
    }
  }, [result, chart, locale, widthKey, labels, branchLocations, columnLabels, overlay]);
  const figure = built && 'figure' in built ? built.figure : null;
  const marks = useMemo(() => (figure ? markList(result, chart, locale, labels, MAX_LISTED_MARKS, columnLabels) : []), [figure, result, chart, locale, labels, columnLabels]);
  const markTotal = useMemo(() => (result.grouping ? result.grouping.filter((g) => g === 0).length : result.rowCount), [result]);
  const [plotly, setPlotly] = useState<Plotly | null>(plotlyLoaded);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    if (!plotly) loadPlotly().then(setPlotly, (err: unknown) => setLoadError(String(err)));
  }, [plotly]);

  const dictionary = useMemo(
    () => ({
      Zoom: t('charts.plotly.zoom'),
      Pan: t('charts.plotly.pan'),
      'Reset axes': t('charts.plotly.reset'),
      'Reset view': t('charts.plotly.resetView'),
      'Double-click to zoom back out': t('charts.plotly.dblclick'),
      'max:': t('charts.plotly.max'),
      'min:': t('charts.plotly.min'),
      'median:': t('charts.plotly.median'),
      'q1:': t('charts.plotly.q1'),
      'q3:': t('charts.plotly.q3'),
      'upper fence:': t('charts.plotly.upperFence'),
      'lower fence:': t('charts.plotly.lowerFence'),
      'mean:': t('charts.plotly.mean'),
    }),
    [t],
  );

  // Event handlers read the latest props and figure through a ref: plotly keeps the first ones bound.
  const live = useRef({ props, figure, pending: null as number | null, drawnAt: -1, handed: false, bound: false });
  live.current.props = props;
  live.current.figure = figure;

  useEffect(() => {
    const element = plotRef.current as PlotlyElement | null;
    // A chart that cannot be drawn any more must not leave the previous picture behind its message.
    if (plotly && element && built && 'error' in built) {
      plotly.purge(element);
      live.current.bound = false;
    }
    if (!plotly || !element || !figure || !width) return;
    const state = live.current;
    if (state.drawnAt !== startedAt) {
      state.pending = startedAt;
      state.drawnAt = startedAt;
    }
    const config = { ...figure.config, locales: { [locale]: { ...figure.config.locales[locale]!, dictionary } } };
    let cancelled = false;
    void plotly.react(element, figure.data, { ...figure.layout, width, height }, config).then(() => {
      if (cancelled || state.bound) return;
      // Purging (unmount, or an error) drops plotly's listeners; they are bound again after the next draw.
      state.bound = true;
      element.on('plotly_afterplot', () => afterPlot(plotly, element));
      element.on('plotly_click', (event) => click(event));
      afterPlot(plotly, element);
    });
    return () => {
      cancelled = true;
    };
  }, [plotly, built, figure, width, height, locale, dictionary, startedAt]);

  useEffect(() => {
    const element = plotRef.current;
    const state = live.current;
    return () => {
      if (element && plotlyLoaded) plotlyLoaded.purge(element);
      state.bound = false;
    };
  }, []);

  function afterPlot(lib: Plotly, element: HTMLElement) {
    // The modebar's buttons are for the mouse (zoom and pan are drags); keyboard users pick marks from
    // the list instead, so the buttons stay out of the tab order of the (aria-hidden) plot.
    for (const button of element.querySelectorAll('.modebar-btn')) button.setAttribute('tabindex', '-1');
    const state = live.current;
    const { onRendered, onReady } = state.props;
    if (state.pending !== null && state.figure) {
      const ms = performance.now() - state.pending;
      state.pending = null;
      onRendered?.({ ms, points: state.figure.points, decimated: state.figure.note?.kind === 'decimated' });
    }
    if (!state.handed && onReady) {
      state.handed = true;
      onReady({ toPng: (w, h) => lib.toImage(element, { format: 'png', width: w, height: h }) });
    }
  }

  function click(event: PlotlyClickEvent) {
    const { props: current, figure: shown } = live.current;
    const point = event.points[0];
    if (!point || !current.onMarkClick || !shown) return;
    const dims = current.result.columns.filter((c) => c.role === 'dimension');
    let values: Record<string, Cell> | null = null;
    if (Array.isArray(point.customdata) && point.customdata.length === dims.length && dims.length) {
      values = Object.fromEntries(dims.map((d, i) => [d.name, ((point.customdata as Cell[])[i] ?? null) as Cell]));
    } else {
      // WebGL traces carry no customdata: their point index maps to a result row.
      const index = typeof point.pointIndex === 'number' ? point.pointIndex : point.pointNumber;
      const row = typeof index === 'number' ? shown.rows[point.curveNumber]?.[index] : undefined;
      if (row !== undefined) values = dimensionValues(current.result, row);
    }
    if (!values) return;
    current.onMarkClick({ values, clientX: event.event?.clientX ?? 0, clientY: event.event?.clientY ?? 0 });
  }

  const selectMark = (mark: MarkItem, at: DOMRect) =>
    props.onMarkClick?.({ values: mark.values, clientX: at.left + Math.min(at.width / 2, 40), clientY: at.top + at.height / 2 });
  const error = loadError ? t('charts.loadFailed', { message: loadError }) : built && 'error' in built ? t('charts.error', { message: built.error }) : null;
  const note = figure?.note ? noteText(figure.note, (key, options) => t(key, options), locale) : null;

  return (
    <figure
      ref={frameRef}
      className={`chart chart-plot chart-${chart.type}`}
      tabIndex={0}
      aria-label={title}
      {...(note ? { 'aria-describedby': noteId } : {})}
    >
      <div ref={plotRef} className="chart-canvas" style={{ height }} aria-hidden="true" />
      {error ? (
        <p role="alert" className="chart-status error">
          {error}
        </p>
      ) : (
        !plotly && <p className="chart-status">{t('charts.loading')}</p>
      )}
      {note && (
        <figcaption id={noteId} className="chart-note">
          {note}
        </figcaption>
      )}
      {figure && <MarkList marks={marks} total={markTotal} title={title} onSelect={selectMark} />}
    </figure>
  );
}
