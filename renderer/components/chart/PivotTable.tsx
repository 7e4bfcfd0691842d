import { forwardRef, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisResult } from '../../../shared/analysis/spec.js';
import type { ChartLocale, NumberFormat } from '../../../shared/charts/format.js';
import { labelOf } from '../../../shared/charts/labels.js';
import { pivotModel, type PivotLine } from '../../../shared/charts/pivot.js';
import { ROW_PX, useCellFormatter } from './ResultTable.js';

const OVERSCAN = 8;
/** Width of each row-header column; fixed so the sticky headers can be offset exactly. */
const ROW_HEADER_PX = 150;

/**
 * A pivot result as a cross-table: row fields down the left, column fields across the top, the
 * measures in each cell. Subtotal and grand-total lines (from the result's `grouping`) are bold; the
 * header rows and row-header columns stay in place while the body scrolls, and only the rows in view
 * are in the DOM.
 */
export const PivotTable = forwardRef<
  HTMLDivElement,
  {
    result: AnalysisResult;
    pivot: { rows: string[]; columns: string[] };
    title: string;
    locale: ChartLocale;
    format?: NumberFormat | undefined;
    height?: number;
    /** Field and measure names by output column name. */
    columnLabels?: Readonly<Record<string, string>>;
  }
>(function PivotTable({ result, pivot, title, locale, format, height = 360, columnLabels }, ref) {
  const { t } = useTranslation();
  const [scrollTop, setScrollTop] = useState(0);
  const model = useMemo(() => pivotModel(result, pivot), [result, pivot]);
  const cell = useCellFormatter(result, locale, format, '');
  const empty = t('charts.labels.empty');
  const dimIndex = (name: string) => result.columns.findIndex((c) => c.name === name);
  const label = (field: string, line: PivotLine, level: number) => {
    if (level < line.depth) return cell(dimIndex(field), line.values[level] ?? null) || empty;
    if (level === line.depth) return line.depth === 0 ? t('charts.table.grandTotal') : t('charts.table.total');
    return '';
  };
  const rowFieldNames = model.rowFields.map((f) => f.name);
  const columnFieldNames = model.columnFields.map((f) => f.name);
  const named = (names: string[]) => names.map((n) => labelOf(columnLabels, n)).join(' / ');
  const manyMeasures = model.measures.length > 1;
  const headerRows = Math.max(1, columnFieldNames.length + (manyMeasures || !columnFieldNames.length ? 1 : 0));
  const rowHeaders = Math.max(1, rowFieldNames.length);
  const sticky = (i: number) => ({ left: i * ROW_HEADER_PX, minWidth: ROW_HEADER_PX, maxWidth: ROW_HEADER_PX });

  // Column header rows: one per column field (equal neighbours merged), then the measure names.
  const head: ReactNode[] = [];
  columnFieldNames.forEach((field, level) => {
    const cells: ReactNode[] = [];
    for (let c = 0; c < model.columns.length; ) {
      const key = (line: PivotLine) => JSON.stringify([Math.min(line.depth, level + 1), line.values.slice(0, level + 1)]);
      let span = 1;
      while (c + span < model.columns.length && key(model.columns[c + span]!) === key(model.columns[c]!)) span++;
      const line = model.columns[c]!;
      cells.push(
        <th key={c} scope="colgroup" colSpan={span * model.measures.length} className={line.depth <= level ? 'total' : undefined} style={{ top: level * ROW_PX }}>
          {label(field, line, level)}
        </th>,
      );
      c += span;
    }
    head.push(
      <tr key={`c${level}`} style={{ height: ROW_PX }}>
        {level === 0 && (
          <th className="corner" colSpan={rowHeaders} rowSpan={headerRows} style={{ left: 0, top: 0, minWidth: rowHeaders * ROW_HEADER_PX }}>
            <div className="pv-corner">
              <span>{named(columnFieldNames)} →</span>
              <span>{named(rowFieldNames)} ↓</span>
            </div>
          </th>
        )}
        {cells}
      </tr>,
    );
  });
  if (manyMeasures || !columnFieldNames.length) {
    head.push(
      <tr key="measures" style={{ height: ROW_PX }}>
        {!columnFieldNames.length && (
          <th className="corner" colSpan={rowHeaders} style={{ left: 0, top: 0, minWidth: rowHeaders * ROW_HEADER_PX }}>
            {named(rowFieldNames)}
          </th>
        )}
        {model.columns.flatMap((line, c) =>
          model.measures.map((m) => (
            <th key={`${c}:${m.index}`} scope="col" className={`num${line.depth < columnFieldNames.length ? ' total' : ''}`} style={{ top: columnFieldNames.length * ROW_PX }}>
              {labelOf(columnLabels, m.column.name)}
            </th>
          )),
        )}
      </tr>,
    );
  }

  const bodyTop = headerRows * ROW_PX;
  const n = model.rows.length;
  const first = Math.max(0, Math.floor((scrollTop - bodyTop) / ROW_PX) - OVERSCAN);
  const last = Math.min(n, Math.ceil((scrollTop + height) / ROW_PX) + OVERSCAN);
  const body: ReactNode[] = [];
  for (let r = first; r < last; r++) {
    const line = model.rows[r]!;
    const previous = model.rows[r - 1];
    const rowTotal = line.depth < rowFieldNames.length;
    const headers = rowFieldNames.length
      ? rowFieldNames.map((field, level) => {
          // A value repeated from the line above is left blank, as in any printed pivot.
          const repeated = r > first && previous && level < line.depth && level < previous.depth && JSON.stringify(previous.values.slice(0, level + 1)) === JSON.stringify(line.values.slice(0, level + 1));
          return (
            <th key={field} scope="row" className="rh" style={sticky(level)}>
              {repeated ? '' : label(field, line, level)}
            </th>
          );
        })
      : [
          <th key="all" scope="row" className="rh" style={sticky(0)}>
            {t('charts.table.grandTotal')}
          </th>,
        ];
    body.push(
      <tr key={r} className={rowTotal ? 'total' : undefined} style={{ height: ROW_PX }}>
        {headers}
        {model.columns.flatMap((column, c) => {
          const source = model.cell(r, c);
          const columnTotal = column.depth < columnFieldNames.length;
          return model.measures.map((m) => (
            <td key={`${c}:${m.index}`} className={`num${columnTotal ? ' total' : ''}`}>
              {source === undefined ? '' : cell(m.index, result.data[m.index]?.[source] ?? null)}
            </td>
          ));
        })}
      </tr>,
    );
  }

  return (
    <div ref={ref} className="pivot-table">
      <div className="pv-scroll" style={{ maxHeight: height }} tabIndex={0} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} role="region" aria-label={title}>
        <table aria-label={title} aria-rowcount={n + headerRows}>
          <thead>{head}</thead>
          <tbody>
            {first > 0 && <tr aria-hidden="true" style={{ height: first * ROW_PX }} />}
            {body}
            {last < n && <tr aria-hidden="true" style={{ height: (n - last) * ROW_PX }} />}
          </tbody>
        </table>
      </div>
      {n === 0 && <p className="chart-status-inline">{t('charts.noRows')}</p>}
    </div>
  );
});
