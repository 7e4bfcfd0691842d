import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisResult, AnalysisSpec } from '../../../shared/analysis/spec.js';
import type { ErrorInfo } from '../../../shared/errors.js';
import type { LayoutKey } from '../../../shared/workbench/layout.js';
import { Chart } from '../../components/chart/Chart.js';
import type { MarkSelection } from '../../components/chart/types.js';
import { useBranchLocations } from '../../components/chart/useBranchLocations.js';
import { useColumnLabels } from '../../components/chart/useColumnLabels.js';
import { useApi, useApp } from '../../store/context.js';
import type { TileSource } from '../../store/slices/dashboards/index.js';
import { toInfo } from '../../store/slices/session/index.js';

interface RunState {
  status: 'waiting' | 'running' | 'done' | 'error';
  result: AnalysisResult | null;
  error: ErrorInfo | null;
  requestId: string | null;
}

let runs = 0;

/**
 * Runs a tile's spec with a request id of its own, again whenever the spec changes or its extract
 * finishes a sync, and cancels a run that a newer one replaces. A null spec waits (fields loading).
 */
export function useTileRun(tileId: string, spec: AnalysisSpec | null) {
  const api = useApi();
  const generation = useApp((s) => (spec ? (s.syncGeneration[spec.extract] ?? 0) : 0));
  const key = spec ? JSON.stringify(spec) : null;
  const [again, setAgain] = useState(0);
  const [state, setState] = useState<RunState>({ status: 'waiting', result: null, error: null, requestId: null });

  useEffect(() => {
    if (key === null) return;
    const requestId = `tile-${tileId}-${++runs}`;
    let live = true;
    let settled = false;
    // The last chart stays under the spinner while the new answer comes.
    setState((s) => ({ status: 'running', result: s.result, error: null, requestId }));
    api.analysis.run(JSON.parse(key) as AnalysisSpec, { requestId }).then(
      (result) => {
        settled = true;
        if (live) setState({ status: 'done', result, error: null, requestId: null });
      },
      (err: unknown) => {
        settled = true;
        if (live) setState({ status: 'error', result: null, error: toInfo(err), requestId: null });
      },
    );
    return () => {
      live = false;
      if (!settled) void api.analysis.cancel(requestId).catch(() => undefined);
    };
  }, [api, tileId, key, generation, again]);

  return {
    ...state,
    cancel: () => {
      if (state.requestId) void api.analysis.cancel(state.requestId).catch(() => undefined);
    },
    runAgain: () => setAgain((n) => n + 1),
  };
}

function TileError({ error, extract, fromSource, onRunAgain }: { error: ErrorInfo; extract: string | null; fromSource: boolean; onRunAgain?(): void }) {
  const { t } = useTranslation();
  const navigate = useApp((s) => s.navigate);
  let message: string;
  let sync = false;
  if (fromSource && error.code === 'NOT_FOUND') message = t('dashboards.tile.deleted');
  else if (error.code === 'LEASE_EXPIRED') [message, sync] = [t('dashboards.tile.leaseExpired', { extract }), true];
  else if (error.code === 'NOT_FOUND') [message, sync] = [t('dashboards.tile.missingExtract', { extract }), true];
  else if (error.code === 'CANCELLED') message = t('dashboards.tile.cancelled');
  else message = t('dashboards.tile.failed', { code: error.code, message: error.message });
  return (
    <div className="tile-message" role="alert">
      <p className="error">{message}</p>
      <div className="tile-message-actions">
        {sync && (
          <button type="button" className="secondary" onClick={() => navigate('catalog')}>
            {t('dashboards.tile.openCatalog')}
          </button>
        )}
        {onRunAgain && !fromSource && (
          <button type="button" className="secondary" onClick={onRunAgain}>
            {t('dashboards.tile.runAgain')}
          </button>
        )}
      </div>
    </div>
  );
}

export interface AnalysisTileBodyProps {
  tileId: string;
  source: TileSource | undefined;
  /** The spec with the dashboard's filters applied, or null while the fields they need load. */
  spec: AnalysisSpec | null;
  title: string;
  height: number;
  onMarkClick?(mark: MarkSelection): void;
}

/** The body of an analysis tile: spinner with Cancel while running, the chart, or why there is none. */
export function AnalysisTileBody({ tileId, source, spec, title, height, onMarkClick }: AnalysisTileBodyProps) {
  const { t } = useTranslation();
  const saved = source && 'spec' in source ? source.spec : null;
  const run = useTileRun(tileId, saved ? spec : null);
  // Filters change rows, not columns: the saved spec names them and says where the branches are.
  const columnLabels = useColumnLabels(saved);
  const branchLocations = useBranchLocations(saved);
  if (!source) return <p className="muted tile-message">{t('dashboards.tile.loading')}</p>;
  if ('error' in source) return <TileError error={source.error} extract={null} fromSource />;
  return (
    <div className="tile-body" aria-busy={run.status === 'running' || run.status === 'waiting'}>
      {run.status === 'waiting' && <p className="muted tile-message">{t('dashboards.tile.loading')}</p>}
      {run.status === 'running' && (
        <div className="tile-running" role="status">
          <span className="spinner" aria-hidden="true" />
          <span>{t('dashboards.tile.running')}</span>
          <button type="button" className="secondary" onClick={run.cancel}>
            {t('dashboards.tile.cancel')}
          </button>
        </div>
      )}
      {run.status === 'error' && run.error && <TileError error={run.error} extract={source.spec.extract} fromSource={false} onRunAgain={run.runAgain} />}
      {run.result && (
        <Chart
          result={run.result}
          chart={source.spec.chart ?? { type: 'table' }}
          title={title}
          height={height}
          {...(source.spec.pivot ? { pivot: source.spec.pivot } : {})}
          {...(columnLabels ? { columnLabels } : {})}
          {...(branchLocations ? { branchLocations } : {})}
          {...(onMarkClick ? { onMarkClick } : {})}
        />
      )}
    </div>
  );
}

/** A text tile: paragraphs separated by blank lines; in the editor, a text box behind "Edit text". */
export function TextTileBody({ text, editable, onChange }: { text: string; editable: boolean; onChange?(text: string): void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  if (editable && editing) {
    return (
      <div className="tile-text-edit">
        <textarea aria-label={t('dashboards.tile.textLabel')} value={text} rows={4} onChange={(e) => onChange?.(e.target.value)} autoFocus />
        <button type="button" className="secondary" onClick={() => setEditing(false)}>
          {t('dashboards.tile.doneText')}
        </button>
      </div>
    );
  }
  return (
    <div className="tile-text">
      {paragraphs.length ? paragraphs.map((p, i) => <p key={i}>{p}</p>) : <p className="muted">{t('dashboards.tile.emptyText')}</p>}
      {editable && (
        <button type="button" className="link" onClick={() => setEditing(true)}>
          {t('dashboards.tile.editText')}
        </button>
      )}
    </div>
  );
}

// Resize glyphs: a tile edge with arrows away from it (wider, taller) or onto it (narrower, shorter),
// drawn rather than typed so they never pass for the move arrows whatever the font.
const EXPAND = 'M7 2v10M5.5 7H1.5M3.5 5 1.5 7l2 2M8.5 7h4M10.5 5l2 2-2 2';
const SHRINK = 'M7 2v10M1 7h4.5M3.5 5l2 2-2 2M13 7H8.5M10.5 5 8.5 7l2 2';

function SizeGlyph({ d, vertical }: { d: string; vertical: boolean }) {
  return (
    <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">
      <path d={d} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" {...(vertical ? { transform: 'rotate(90 7 7)' } : {})} />
    </svg>
  );
}

/**
 * A tile's layout buttons: moves (arrows) and sizes (edge glyphs) as two visibly separate sets, each
 * named by its title on hover, then Remove. Every button keeps its spoken name ("Move left", "Narrower").
 */
export function TileTools({ title, onStep, onRemove }: { title: string; onStep(key: LayoutKey, resize: boolean, button: HTMLElement): void; onRemove(): void }) {
  const { t } = useTranslation();
  const button = (label: string, key: LayoutKey, resize: boolean, glyph: ReactNode) => (
    <button type="button" aria-label={label} title={label} onClick={(e) => onStep(key, resize, e.currentTarget)}>
      {glyph}
    </button>
  );
  return (
    <div className="tile-tools" role="group" aria-label={t('dashboards.tile.layoutOf', { title })}>
      <div className="tool-set" role="group" aria-label={t('dashboards.tile.moveGroup')} title={t('dashboards.tile.moveGroup')}>
        {button(t('dashboards.tile.moveLeft'), 'ArrowLeft', false, '←')}
        {button(t('dashboards.tile.moveRight'), 'ArrowRight', false, '→')}
        {button(t('dashboards.tile.moveUp'), 'ArrowUp', false, '↑')}
        {button(t('dashboards.tile.moveDown'), 'ArrowDown', false, '↓')}
      </div>
      <div className="tool-set size" role="group" aria-label={t('dashboards.tile.sizeGroup')} title={t('dashboards.tile.sizeGroup')}>
        {button(t('dashboards.tile.narrower'), 'ArrowLeft', true, <SizeGlyph d={SHRINK} vertical={false} />)}
        {button(t('dashboards.tile.wider'), 'ArrowRight', true, <SizeGlyph d={EXPAND} vertical={false} />)}
        {button(t('dashboards.tile.shorter'), 'ArrowUp', true, <SizeGlyph d={SHRINK} vertical />)}
        {button(t('dashboards.tile.taller'), 'ArrowDown', true, <SizeGlyph d={EXPAND} vertical />)}
      </div>
      <button type="button" className="danger-text" aria-label={t('dashboards.tile.remove')} title={t('dashboards.tile.remove')} onClick={onRemove}>
        ✕
      </button>
    </div>
  );
}
