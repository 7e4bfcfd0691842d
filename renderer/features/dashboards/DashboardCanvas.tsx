import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisSpec, Filter } from '../../../shared/analysis/spec.js';
import type { DashboardTile } from '../../../shared/contracts/index.js';
import { applyFilters, markFilters, outputDimension } from '../../../shared/workbench/explore.js';
import { GRID_COLUMNS, keyboardStep, moveTile, resizeTile, type LayoutKey } from '../../../shared/workbench/layout.js';
import { columnLabels, labelOf } from '../../../shared/charts/labels.js';
import type { MarkSelection } from '../../components/chart/types.js';
import { columnLabelWords } from '../../components/chart/useColumnLabels.js';
import { activeFilters, type TileSource } from '../../store/slices/dashboards/index.js';
import { dashboardFields, useExtractFields } from './fields.js';
import { FilterBar } from './FilterBar.js';
import { AnalysisTileBody, TextTileBody, TileTools } from './Tile.js';
import './dashboards.css';

/** Height of one grid row and the gap between cells, in pixels (the CSS uses the same). */
export const ROW_PX = 72;
export const GAP_PX = 12;
/** Room the tile's header takes from its height. */
const HEAD_PX = 56;

export interface DashboardCanvasProps {
  /** Accessible name of the canvas (the dashboard or report title). */
  label: string;
  tiles: DashboardTile[];
  /** The analyses of the tiles by analysis id; absent while loading. */
  analyses: Record<string, TileSource | undefined>;
  /** Global filters: each reaches every tile whose extract (or calculated fields) has the field. */
  filters: Filter[];
  /** Lets the viewer change the filters (the editor saves them, a report keeps them for the visit). */
  onFiltersChange?(filters: Filter[]): void;
  /** Whether clicking a mark filters the other tiles. */
  crossFilter: boolean;
  /** No moving, resizing, removing or text editing (a report). */
  readOnly: boolean;
  onTilesChange?(tiles: DashboardTile[]): void;
  onRemoveTile?(id: string): void;
  onTextChange?(id: string, text: string): void;
}

interface CrossFilter {
  tileId: string;
  key: string;
  filters: Filter[];
  label: string;
}

interface Drag {
  id: string;
  mode: 'move' | 'resize';
  startX: number;
  startY: number;
  origin: DashboardTile;
  base: DashboardTile[];
}

const sameLayout = (a: DashboardTile[], b: DashboardTile[]) =>
  a.length === b.length && a.every((t, i) => t.id === b[i]!.id && t.x === b[i]!.x && t.y === b[i]!.y && t.w === b[i]!.w && t.h === b[i]!.h);

const ARROWS: ReadonlySet<string> = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']);

/**
 * Tiles on the 12-column grid, shared by the dashboard editor and the report viewer. Each analysis
 * tile runs its own spec with the global filters and, when a mark of another tile was clicked, that
 * mark's filters applied where its extract has the fields.
 */
export function DashboardCanvas(props: DashboardCanvasProps) {
  const { label, tiles, analyses, filters, onFiltersChange, crossFilter, readOnly, onTilesChange, onRemoveTile, onTextChange } = props;
  const { t, i18n } = useTranslation();
  const hintId = useId();
  const gridRef = useRef<HTMLDivElement>(null);
  const drag = useRef<Drag | null>(null);
  // The latest preview, also in a ref: pointerup may arrive before React has rendered the last move.
  const previewRef = useRef<DashboardTile[] | null>(null);
  const focusAfter = useRef<HTMLElement | null>(null);
  const [preview, setPreview] = useState<DashboardTile[] | null>(null);
  const [cross, setCross] = useState<CrossFilter | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const sourceOf = (tile: DashboardTile) => (tile.analysisId ? analyses[tile.analysisId] : undefined);
  const specOf = (tile: DashboardTile) => {
    const s = sourceOf(tile);
    return s && 'spec' in s ? s.spec : null;
  };
  const extracts = [...new Set(tiles.flatMap((tile) => specOf(tile)?.extract ?? []))];
  const fields = useExtractFields(extracts);
  const fieldInfo = useMemo(() => dashboardFields(fields), [fields]);
  const active = useMemo(() => activeFilters(filters), [filters]);
  const crossNow = crossFilter && cross && tiles.some((tile) => tile.id === cross.tileId) ? cross : null;

  // Keyboard and button moves re-order the tiles in the page; focus follows the tile that moved.
  useLayoutEffect(() => {
    const el = focusAfter.current;
    focusAfter.current = null;
    if (el && el.isConnected && document.activeElement !== el) el.focus();
  }, [tiles]);

  function titleOf(tile: DashboardTile): string {
    if (tile.kind === 'text') return t('dashboards.tile.textTitle');
    const s = sourceOf(tile);
    return !s ? t('dashboards.tile.loading') : 'error' in s ? t('dashboards.tile.unavailable') : s.title;
  }

  /** The tile's spec with the dashboard's filters, or null while its extract's fields load. */
  function effectiveSpec(tile: DashboardTile): AnalysisSpec | null {
    const spec = specOf(tile);
    const entry = spec ? fields[spec.extract] : undefined;
    if (!spec || !entry) return null;
    const names = new Set((entry.columns ?? []).map((c) => c.name));
    const filtered = applyFilters(spec, active, names);
    return crossNow && crossNow.tileId !== tile.id ? applyFilters(filtered, crossNow.filters, names) : filtered;
  }

  function onMark(tile: DashboardTile, mark: MarkSelection) {
    const spec = specOf(tile);
    if (!spec) return;
    const selected = markFilters(spec, mark);
    if (selected.length === 0) return;
    const key = JSON.stringify(selected);
    const names = columnLabels(spec, columnLabelWords(t), i18n.language?.startsWith('ru') ? 'ru' : 'en');
    const text = Object.entries(mark.values)
      .filter(([column]) => outputDimension(spec, column))
      .map(([column, value]) => `${labelOf(names, column)} = ${value === null ? t('dashboards.cross.empty') : String(value)}`)
      .join(', ');
    // Clicking the mark that set the cross-filter clears it.
    setCross((c) => (c && c.tileId === tile.id && c.key === key ? null : { tileId: tile.id, key, filters: selected, label: text }));
  }

  function commit(next: DashboardTile[], id: string, focus: HTMLElement | null) {
    const tile = next.find((x) => x.id === id);
    if (!tile) return;
    if (sameLayout(next, tiles)) {
      setAnnouncement(t('dashboards.tile.cannotMove', { title: titleOf(tile) }));
      return;
    }
    focusAfter.current = focus;
    onTilesChange?.(next);
    setAnnouncement(t('dashboards.tile.position', { title: titleOf(tile), column: tile.x + 1, row: tile.y + 1, w: tile.w, h: tile.h }));
  }

  function onTileKey(e: KeyboardEvent<HTMLElement>, tile: DashboardTile) {
    // Only the focused tile itself: arrows inside a chart or a text box keep their own meaning.
    if (e.target !== e.currentTarget || !ARROWS.has(e.key)) return;
    e.preventDefault();
    commit(keyboardStep(tiles, tile.id, e.key as LayoutKey, e.shiftKey), tile.id, e.currentTarget);
  }

  function startDrag(e: PointerEvent<HTMLElement>, tile: DashboardTile, mode: Drag['mode']) {
    if (e.button !== 0) return;
    e.preventDefault();
    drag.current = { id: tile.id, mode, startX: e.clientX, startY: e.clientY, origin: tile, base: tiles };
    previewRef.current = null;
    // Moves keep coming to the handle when the pointer leaves it (capture is a nicety: ignore refusals).
    try {
      e.currentTarget.setPointerCapture(e.pointerId);
    } catch {
      /* not an active pointer (synthetic events) */
    }
  }

  function moveDrag(e: PointerEvent<HTMLElement>) {
    const d = drag.current;
    if (!d) return;
    const width = gridRef.current?.clientWidth || GRID_COLUMNS * 100;
    const dx = Math.round((e.clientX - d.startX) / ((width + GAP_PX) / GRID_COLUMNS));
    const dy = Math.round((e.clientY - d.startY) / (ROW_PX + GAP_PX));
    const next = d.mode === 'move' ? moveTile(d.base, d.id, d.origin.x + dx, d.origin.y + dy) : resizeTile(d.base, d.id, d.origin.w + dx, d.origin.h + dy);
    previewRef.current = sameLayout(next, d.base) ? null : next;
    setPreview(previewRef.current);
  }

  function endDrag(e: PointerEvent<HTMLElement>, keep: boolean) {
    const d = drag.current;
    if (!d) return;
    drag.current = null;
    if (e.currentTarget.hasPointerCapture?.(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
    const last = previewRef.current;
    previewRef.current = null;
    setPreview(null);
    if (keep && last) commit(last, d.id, null);
  }

  const dragHandlers = (tile: DashboardTile, mode: Drag['mode']) => ({
    onPointerDown: (e: PointerEvent<HTMLElement>) => startDrag(e, tile, mode),
    onPointerMove: moveDrag,
    onPointerUp: (e: PointerEvent<HTMLElement>) => endDrag(e, true),
    onPointerCancel: (e: PointerEvent<HTMLElement>) => endDrag(e, false),
  });

  // Page order follows reading order, except while dragging: moving the dragged element in the page
  // would drop its pointer capture, so the preview keeps the order the drag started with.
  const ordered = [...tiles].sort((a, b) => a.y - b.y || a.x - b.x);
  const shown = preview ? ordered.map((tile) => preview.find((p) => p.id === tile.id) ?? tile) : ordered;

  return (
    <div className="dash-canvas">
      {(onFiltersChange || filters.length > 0) && <FilterBar filters={filters} fields={fieldInfo} {...(onFiltersChange ? { onChange: onFiltersChange } : {})} />}
      {crossNow && (
        <div className="cross-chip" role="status">
          <span>{t('dashboards.cross.by', { label: crossNow.label })}</span>
          <button type="button" className="chip-x" aria-label={t('dashboards.cross.clear')} title={t('dashboards.cross.clear')} onClick={() => setCross(null)}>
            ×
          </button>
        </div>
      )}
      {!readOnly && (
        <p id={hintId} className="sr-only">
          {t('dashboards.tile.keyboardHint')}
        </p>
      )}
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
      {tiles.length === 0 ? (
        <p className="muted dash-empty">{readOnly ? t('dashboards.canvas.emptyReport') : t('dashboards.canvas.empty')}</p>
      ) : (
        <div ref={gridRef} className={preview ? 'dash-grid dragging' : 'dash-grid'} aria-label={label} role="region">
          {shown.map((tile) => {
            const title = titleOf(tile);
            const source = sourceOf(tile);
            return (
              <section
                key={tile.id}
                className={crossNow?.tileId === tile.id ? 'tile cross-source' : 'tile'}
                data-tile-id={tile.id}
                role="group"
                aria-label={title}
                style={{ gridColumn: `${tile.x + 1} / span ${tile.w}`, gridRow: `${tile.y + 1} / span ${tile.h}` }}
                {...(readOnly ? {} : { tabIndex: 0, 'aria-describedby': hintId, onKeyDown: (e: KeyboardEvent<HTMLElement>) => onTileKey(e, tile) })}
              >
                <header className="tile-head">
                  {!readOnly && (
                    <span className="tile-grip" aria-hidden="true" title={t('dashboards.tile.dragHint')} {...dragHandlers(tile, 'move')}>
                      ⠿
                    </span>
                  )}
                  <h3 className="tile-title">{title}</h3>
                  {!readOnly && (
                    <TileTools title={title} onStep={(key, resize, button) => commit(keyboardStep(tiles, tile.id, key, resize), tile.id, button)} onRemove={() => onRemoveTile?.(tile.id)} />
                  )}
                </header>
                {tile.kind === 'text' ? (
                  <TextTileBody text={tile.text ?? ''} editable={!readOnly} {...(onTextChange ? { onChange: (text: string) => onTextChange(tile.id, text) } : {})} />
                ) : (
                  <AnalysisTileBody
                    tileId={tile.id}
                    source={source}
                    spec={effectiveSpec(tile)}
                    title={title}
                    height={Math.max(80, tile.h * ROW_PX + (tile.h - 1) * GAP_PX - HEAD_PX)}
                    {...(crossFilter ? { onMarkClick: (mark: MarkSelection) => onMark(tile, mark) } : {})}
                  />
                )}
                {!readOnly && <span className="tile-resize" aria-hidden="true" title={t('dashboards.tile.resizeHint')} {...dragHandlers(tile, 'resize')} />}
              </section>
            );
          })}
        </div>
      )}
    </div>
  );
}
