import { useCallback, useEffect, useRef, useState } from 'react';
import type { RowPage } from '../../shared/contracts/extracts.js';

const ROW_HEIGHT = 30;
const PAGE = 200;
const OVERSCAN = 10;
const MIN_COLUMN_PX = 130;

/**
 * A virtualised, read-only grid: only the rows in view are in the DOM, and pages of rows are fetched
 * as the user scrolls, so a million-row extract browses as smoothly as a small one.
 */
export function VirtualGrid({ columns, numeric = [], rowCount, fetchPage, format, height = 440, label }: {
  columns: string[];
  /** Columns to right-align (numbers read best that way). */
  numeric?: boolean[];
  rowCount: number;
  fetchPage(offset: number, limit: number): Promise<RowPage>;
  format(value: string | number | null, column: number): string;
  height?: number;
  label: string;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  const [pages, setPages] = useState<Map<number, RowPage>>(new Map());
  const loading = useRef(new Set<number>());
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rowCount, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);

  const ensure = useCallback(
    (page: number) => {
      if (pages.has(page) || loading.current.has(page)) return;
      loading.current.add(page);
      void fetchPage(page * PAGE, PAGE).then((result) => {
        loading.current.delete(page);
        setPages((prev) => new Map(prev).set(page, result));
      });
    },
    [fetchPage, pages],
  );
  useEffect(() => {
    for (let p = Math.floor(first / PAGE); p <= Math.floor(Math.max(first, last - 1) / PAGE); p++) ensure(p);
  }, [first, last, ensure]);
  useEffect(() => {
    setPages(new Map());
    loading.current.clear();
  }, [fetchPage]);

  const rows = [];
  for (let i = first; i < last; i++) {
    const page = pages.get(Math.floor(i / PAGE));
    const at = i % PAGE;
    rows.push(
      <div role="row" aria-rowindex={i + 2} className="vrow" key={i} style={{ top: i * ROW_HEIGHT, height: ROW_HEIGHT }}>
        {columns.map((c, j) => (
          <div role="gridcell" className={numeric[j] ? 'vcell num' : 'vcell'} key={c}>
            {page ? format(page.values[j]![at] ?? null, j) : ''}
          </div>
        ))}
      </div>,
    );
  }
  return (
    // The grid scrolls sideways as a whole (header with body) when the columns do not fit.
    <div className="vgrid" role="grid" aria-label={label} aria-rowcount={rowCount + 1} aria-colcount={columns.length} style={{ ['--vgrid-width' as string]: `${columns.length * MIN_COLUMN_PX}px` }}>
      <div role="row" aria-rowindex={1} className="vrow vhead">
        {columns.map((c, j) => (
          <div role="columnheader" className={numeric[j] ? 'vcell num' : 'vcell'} key={c}>
            {c}
          </div>
        ))}
      </div>
      <div className="vbody" role="rowgroup" style={{ height }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} tabIndex={0}>
        <div style={{ height: rowCount * ROW_HEIGHT, position: 'relative' }}>{rows}</div>
      </div>
    </div>
  );
}
