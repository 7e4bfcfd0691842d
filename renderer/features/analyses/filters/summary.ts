import type { TFunction } from 'i18next';
import type { Filter, Grain, ValueType } from '../../../../shared/analysis/spec.js';
import type { Locale } from '../../../i18n/index.js';
import { formatCell } from '../useAnalysis.js';

/** Relative-date presets the date widget offers, as spec `relative` filters. */
export const RELATIVE_PRESETS: ReadonlyArray<{ last: number; unit: Grain }> = [
  { last: 7, unit: 'day' },
  { last: 30, unit: 'day' },
  { last: 3, unit: 'month' },
  { last: 12, unit: 'month' },
  { last: 1, unit: 'month' },
  { last: 1, unit: 'quarter' },
  { last: 1, unit: 'year' },
];

/** "last 12 months", "this quarter". */
export function relativeLabel(t: TFunction, last: number, unit: Grain): string {
  return last === 1 ? t(`analyses.relative.this_${unit}`) : t(`analyses.relative.${unit}`, { count: last });
}

/** Values shown in a chip before "+N more". */
const SHOWN = 3;

/** A filter in words, for its chip: "channel: card, branch", "booked_on: last 12 months", "amount ≥ 100". */
export function filterSummary(field: string, filter: Filter | null, type: ValueType, t: TFunction, locale: Locale): string {
  if (!filter) return t('analyses.filter.all', { field });
  const cell = (v: string | number | boolean | null) => formatCell(v, type, locale);
  switch (filter.op) {
    case 'in':
    case 'not_in': {
      if (filter.values.length === 0) return t(filter.op === 'in' ? 'analyses.filter.nothing' : 'analyses.filter.all', { field });
      const shown = filter.values.slice(0, SHOWN).map(cell).join(', ');
      const values = filter.values.length > SHOWN ? t('analyses.filter.more', { values: shown, count: filter.values.length - SHOWN }) : shown;
      return t(filter.op === 'in' ? 'analyses.filter.in' : 'analyses.filter.notIn', { field, values });
    }
    case 'range':
      if (filter.min !== undefined && filter.max !== undefined) return t('analyses.filter.between', { field, min: cell(filter.min), max: cell(filter.max) });
      if (filter.min !== undefined) return t('analyses.filter.atLeast', { field, min: cell(filter.min) });
      if (filter.max !== undefined) return t('analyses.filter.atMost', { field, max: cell(filter.max) });
      return t('analyses.filter.all', { field });
    case 'contains':
      return t(filter.caseSensitive ? 'analyses.filter.containsCase' : 'analyses.filter.contains', { field, value: filter.value });
    case 'null':
      return t('analyses.filter.null', { field });
    case 'not_null':
      return t('analyses.filter.notNull', { field });
    case 'relative':
      return t('analyses.filter.relative', { field, period: relativeLabel(t, filter.last, filter.unit) });
    case 'top': {
      const by = filter.by.field ? t('analyses.pill.measure', { agg: t(`analyses.agg.${filter.by.agg}`), field: filter.by.field }) : t('analyses.pill.rowCount');
      return t(filter.bottom ? 'analyses.filter.bottom' : 'analyses.filter.top', { field, n: filter.n, by });
    }
  }
}
