import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisResult, AnalysisSpec } from '../../../shared/analysis/spec.js';
import type { ExtractColumn, RowPage } from '../../../shared/contracts/extracts.js';
import { drill, exclude, keepOnly, viewDataSpec } from '../../../shared/workbench/explore.js';
import type { MarkSelection } from '../../components/chart/types.js';
import { VirtualGrid } from '../../components/VirtualGrid.js';
import { formatNumber } from '../../format.js';
import { useApp } from '../../store/context.js';
import { Dialog } from '../../components/Dialog.js';
import { PopupMenu } from './Menu.js';
import { formatCell, useAnalysis } from './useAnalysis.js';

/** What a clicked mark is, in words: "booked_on_month: Mar 2024, channel: card". */
function useMarkLabel(mark: MarkSelection, result: AnalysisResult | null): string {
  const locale = useApp((s) => s.locale);
  return Object.entries(mark.values)
    .map(([name, value]) => `${name}: ${formatCell(value, result?.columns.find((c) => c.name === name)?.type ?? 'string', locale)}`)
    .join(', ');
}

/**
 * The menu a clicked mark opens (at the pointer): keep only, exclude, drill down, view data. Each
 * edit goes through shared/workbench/explore.ts on the spec the chart shows, and is one undo step.
 */
export function MarkMenu({ mark, spec, result, columns, onClose, onViewData }: {
  mark: MarkSelection;
  spec: AnalysisSpec;
  result: AnalysisResult | null;
  columns: readonly ExtractColumn[];
  onClose(): void;
  onViewData(mark: MarkSelection): void;
}) {
  const { t } = useTranslation();
  const applySpec = useApp((s) => s.applySpec);
  const label = useMarkLabel(mark, result);
  const excluded = useMemo(() => exclude(spec, mark), [spec, mark]);
  const drilled = useMemo(() => drill(spec, mark, columns), [spec, mark, columns]);
  // Keep the menu inside the window.
  const left = Math.min(mark.clientX, (typeof window === 'undefined' ? 1e6 : window.innerWidth) - 220);
  const top = Math.min(mark.clientY, (typeof window === 'undefined' ? 1e6 : window.innerHeight) - 180);
  return (
    <PopupMenu
      className="mark-menu"
      style={{ position: 'fixed', left: Math.max(0, left), top: Math.max(0, top) }}
      label={t('analyses.mark.menu', { mark: label })}
      onClose={onClose}
      items={[
        { key: 'keep', label: t('analyses.mark.keepOnly'), onSelect: () => applySpec(keepOnly(spec, mark)) },
        { key: 'exclude', label: t('analyses.mark.exclude'), disabled: !excluded, onSelect: () => excluded && applySpec(excluded) },
        { key: 'drill', label: t('analyses.mark.drill'), disabled: !drilled, onSelect: () => drilled && applySpec(drilled) },
        { key: 'view', label: t('analyses.mark.viewData'), onSelect: () => onViewData(mark) },
      ]}
    />
  );
}

/** "View data": the rows behind a mark, run through the same engine, in a virtualised grid. */
export function ViewDataDialog({ mark, spec, result: chartResult, columns, onClose }: {
  mark: MarkSelection;
  spec: AnalysisSpec;
  result: AnalysisResult | null;
  columns: readonly ExtractColumn[];
  onClose(): void;
}) {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const label = useMarkLabel(mark, chartResult);
  const rowsSpec = useMemo(() => viewDataSpec(spec, mark, columns), [spec, mark, columns]);
  const { result, error, loading } = useAnalysis(rowsSpec);
  const types = useMemo(() => result?.columns.map((c) => c.type) ?? [], [result]);
  // The whole answer is here (at most the spec's limit); pages are slices of its columns.
  const fetchPage = useCallback(
    async (offset: number, limit: number): Promise<RowPage> => ({
      columns: result?.columns.map((c) => c.name) ?? [],
      values: (result?.data ?? []).map((column) => column.slice(offset, offset + limit).map((v) => (typeof v === 'boolean' ? formatCell(v, 'boolean', locale) : v))),
      offset,
      rowCount: result?.rowCount ?? 0,
    }),
    [result, locale],
  );
  const format = useCallback((value: string | number | null, column: number) => formatCell(value, types[column] ?? 'string', locale), [types, locale]);

  return (
    <Dialog title={t('analyses.viewData.title')} onClose={onClose} wide>
      <p className="muted small">{label}</p>
      {loading && (
        <p role="status" className="muted">
          {t('analyses.viewData.loading')}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      {result && (
        <>
          <p role="status">
            {t('analyses.viewData.rows', { count: result.rowCount, formatted: formatNumber(result.rowCount, locale) })}
            {result.truncated && ` ${t('analyses.viewData.truncated', { shown: formatNumber(result.rowCount, locale) })}`}
          </p>
          <VirtualGrid columns={result.columns.map((c) => c.name)} numeric={result.columns.map((c) => c.type === 'number')} rowCount={result.rowCount} fetchPage={fetchPage} format={format} height={380} label={t('analyses.viewData.grid')} />
        </>
      )}
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={onClose}>
          {t('analyses.common.close')}
        </button>
      </div>
    </Dialog>
  );
}
