import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { AGGREGATIONS, GRAINS, type AnalysisSpec } from '../../../shared/analysis/spec.js';
import { columnLabels, type ColumnLabelWords } from '../../../shared/charts/labels.js';

type T = (key: string, options?: Record<string, string>) => string;

// i18next fills `{{field}}` with these, leaving the single-brace templates shared/charts/labels.ts fills.
const PLACEHOLDERS = { field: '{field}', grain: '{grain}', p: '{p}', width: '{width}' };

/** The words of shared/charts/labels.ts in the user's language. */
export function columnLabelWords(t: T): ColumnLabelWords {
  return {
    rows: t('charts.columns.rows'),
    aggregations: Object.fromEntries(AGGREGATIONS.map((a) => [a, t(`charts.columns.agg.${a}`, PLACEHOLDERS)])) as ColumnLabelWords['aggregations'],
    grains: Object.fromEntries(GRAINS.map((g) => [g, t(`charts.columns.grain.${g}`)])) as ColumnLabelWords['grains'],
    dated: t('charts.columns.dated', PLACEHOLDERS),
    binned: t('charts.columns.binned', PLACEHOLDERS),
  };
}

/**
 * Labels of a spec's output columns in the user's language ("Sum of amount", "booked_on (месяц)"),
 * for Chart's `columnLabels`. Undefined without a spec.
 */
export function useColumnLabels(spec: AnalysisSpec | null | undefined): Record<string, string> | undefined {
  const { t, i18n } = useTranslation();
  const locale = i18n.language?.startsWith('ru') ? 'ru' : 'en';
  const words = useMemo(() => columnLabelWords(t as T), [t]);
  return useMemo(() => (spec ? columnLabels(spec, words, locale) : undefined), [spec, words, locale]);
}
