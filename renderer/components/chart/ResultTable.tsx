import { forwardRef, useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisResult, Cell, ResultColumn } from '../../../shared/analysis/spec.js';
import { formatNumber, formatValue, inferGrain, type ChartLocale, type NumberFormat } from '../../../shared/charts/format.js';
import { labelOf } from '../../../shared/charts/labels.js';

export const ROW_PX = 30;
const OVERSCAN = 8;
const MIN_COLUMN_PX = 120;

/** How every column's cells are written: dates at their grain, measures in the chart's number format. */
export function useCellFormatter(result: AnalysisResult, locale: ChartLocale, format: NumberFormat | undefined, empty: string) {
  return useMemo(() => {
    const grains = result.columns.map((c, i) => (c.type === 'date' || c.type === 'timestamp' ? inferGrain(c.name, result.data[i] ?? [], c.type) : undefined));
    return (column: number, value: Cell): string => {
      const c = result.columns[column]!;
      const grain = grains[column];
      return formatValue(value, c.type, c.role === 'dimension' ? undefined : format, locale, { grain: grain === 'instant' ? undefined : grain, empty });
    };
  }, [result, locale, format, empty]);
}

export const isNumeric = (c: ResultColumn) => c.type === 'number';

/**
 * A result as a table: only the rows in view are in the DOM, so a million rows scroll as smoothly as
 * ten. The header stays put while the body scrolls; numbers are right-aligned in tabular figures.
 * Pivot total rows (grouping ≠ 0) are bold.
 */
export const ResultTable = forwardRef<
  HTMLDivElement,
  {
    result: AnalysisResult;
    title: string;
    locale: ChartLocale;
    format?: NumberFormat | undefined;
    height?: number;
    /** Header text by output column name; the column's own name is its tooltip. */
    columnLabels?: Readonly<Record<string, string>>;
    onRowClick?(row: number, at: DOMRect): void;
  }
>(function ResultTable({ result, title, locale, format, height = 360, columnLabels, onRowClick }, ref) {
  const { t } = useTranslation();
  const [scrollTop, setScrollTop] = useState(0);
  const [active, setActive] = useState(-1);
  const cell = useCellFormatter(result, locale, format, '');
  const n = result.rowCount;
  const bodyHeight = Math.max(ROW_PX, height - ROW_PX);
  const first = Math.max(0, Math.floor(scrollTop / ROW_PX) - OVERSCAN);
  const last = Math.min(n, Math.ceil((scrollTop + bodyHeight) / ROW_PX) + OVERSCAN);
  const template = `repeat(${result.columns.length}, minmax(${MIN_COLUMN_PX}px, 1fr))`;
  const minWidth = result.columns.length * MIN_COLUMN_PX;

  const rows = [];
  for (let r = first; r < last; r++) {
    const total = (result.grouping?.[r] ?? 0) !== 0;
    rows.push(
      <div
        key={r}
        role="row"
        aria-rowindex={r + 2}
        className={`rt-row${total ? ' total' : ''}${r === active ? ' active' : ''}${onRowClick ? ' clickable' : ''}`}
        style={{ top: (r + 1) * ROW_PX, gridTemplateColumns: template }}
        onClick={onRowClick ? (e) => onRowClick(r, e.currentTarget.getBoundingClientRect()) : undefined}
      >
        {result.columns.map((c, i) => (
          <div key={c.name} role="cell" className={isNumeric(c) ? 'rt-cell num' : 'rt-cell'}>
            {cell(i, result.data[i]?.[r] ?? null)}
          </div>
        ))}
      </div>,
    );
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!onRowClick || !n) return;
    const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, Home: 0, End: n - 1 };
    if (e.key in moves) {
      e.preventDefault();
      const next = Math.max(0, Math.min(n - 1, moves[e.key]!));
      setActive(next);
      const body = e.currentTarget;
      const top = (next + 1) * ROW_PX;
      if (top < body.scrollTop + ROW_PX) body.scrollTop = top - ROW_PX;
      else if (top + ROW_PX > body.scrollTop + height) body.scrollTop = top + ROW_PX - height;
    } else if (e.key === 'Enter' && active >= 0) {
      const rect = e.currentTarget.getBoundingClientRect();
      onRowClick(active, new DOMRect(rect.left + 24, rect.top + (active + 1) * ROW_PX - e.currentTarget.scrollTop, 1, ROW_PX));
    }
  };

  return (
    <div ref={ref} className="result-table">
      <div
        className="rt-scroll"
        role="table"
        aria-label={t('charts.table.label', { title, count: formatNumber(n, 'number', locale) })}
        aria-rowcount={n + 1}
        tabIndex={0}
        style={{ maxHeight: height }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
      >
        <div className="rt-canvas" style={{ height: (n + 1) * ROW_PX, minWidth }}>
          <div role="row" aria-rowindex={1} className="rt-row rt-head" style={{ gridTemplateColumns: template }}>
            {result.columns.map((c) => (
              <div key={c.name} role="columnheader" className={isNumeric(c) ? 'rt-cell num' : 'rt-cell'} title={c.name}>
                {labelOf(columnLabels, c.name)}
              </div>
            ))}
          </div>
          {rows}
        </div>
      </div>
      {n === 0 && <p className="chart-status-inline">{t('charts.noRows')}</p>}
      {result.truncated && <p className="chart-note">{t('charts.table.truncated', { count: formatNumber(n, 'number', locale) })}</p>}
    </div>
  );
});
