import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Grain } from '../../../../shared/analysis/spec.js';
import { useApp } from '../../../store/context.js';
import { selectDoc } from '../../../store/slices/builder/selectors.js';
import { formatCell, rangeSpec, useAnalysis } from '../useAnalysis.js';
import type { FilterWidgetProps } from './FiltersPanel.js';
import { RELATIVE_PRESETS, relativeLabel } from './summary.js';
import { MissingOptions } from './MissingOptions.js';

const presetKey = (last: number, unit: Grain) => `rel:${last}:${unit}`;

/** The data's smallest and largest value of a field, as "Data: A – B" (nothing until known). */
export function useDataRange(field: string): { min: string | number | null; max: string | number | null } | null {
  const extract = useApp((s) => selectDoc(s).extract);
  const calculated = useApp((s) => selectDoc(s).extras.calculated);
  const { result } = useAnalysis(rangeSpec(extract, field, calculated));
  if (!result || result.rowCount === 0) return null;
  const min = result.data[0]![0] ?? null;
  const max = result.data[1]![0] ?? null;
  return { min: typeof min === 'boolean' ? null : min, max: typeof max === 'boolean' ? null : max };
}

/**
 * Dates: a relative period (last 7 days … this year → a `relative` filter), an explicit from/to
 * (→ `range`), or missing / present values.
 */
export function DateFilter({ field, filter, onChange }: FilterWidgetProps) {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const range = useDataRange(field.name);
  const initial = !filter ? '' : filter.op === 'relative' ? presetKey(filter.last, filter.unit) : filter.op === 'range' ? 'range' : filter.op === 'null' || filter.op === 'not_null' ? filter.op : 'other';
  const [mode, setMode] = useState(initial);
  const modeId = useId();
  const fromId = useId();
  const toId = useId();
  const custom = filter?.op === 'relative' && !RELATIVE_PRESETS.some((p) => p.last === filter.last && p.unit === filter.unit) ? filter : null;
  const min = filter?.op === 'range' && filter.min !== undefined ? String(filter.min).slice(0, 10) : '';
  const max = filter?.op === 'range' && filter.max !== undefined ? String(filter.max).slice(0, 10) : '';

  const choose = (value: string) => {
    setMode(value);
    if (value === '') onChange(null);
    else if (value === 'null' || value === 'not_null') onChange({ field: field.name, op: value });
    else if (value.startsWith('rel:')) {
      const [, last, unit] = value.split(':');
      onChange({ field: field.name, op: 'relative', last: Number(last), unit: unit as Grain });
    } else if (value === 'range') onChange(min || max ? { field: field.name, op: 'range', ...(min ? { min } : {}), ...(max ? { max } : {}) } : null);
  };
  const setBound = (which: 'min' | 'max', value: string) => {
    const next = { min, max, [which]: value };
    onChange(next.min || next.max ? { field: field.name, op: 'range', ...(next.min ? { min: next.min } : {}), ...(next.max ? { max: next.max } : {}) } : null, which);
  };

  return (
    <div className="filter-widget">
      <div className="field">
        <label htmlFor={modeId}>{t('analyses.filters.period', { field: field.name })}</label>
        <select id={modeId} value={mode} onChange={(e) => choose(e.target.value)}>
          <option value="">{t('analyses.filters.anyDate')}</option>
          {RELATIVE_PRESETS.map((p) => (
            <option key={presetKey(p.last, p.unit)} value={presetKey(p.last, p.unit)}>
              {relativeLabel(t, p.last, p.unit)}
            </option>
          ))}
          {custom && <option value={presetKey(custom.last, custom.unit)}>{relativeLabel(t, custom.last, custom.unit)}</option>}
          <option value="range">{t('analyses.filters.customRange')}</option>
          <MissingOptions current={mode} />
        </select>
      </div>
      {mode === 'range' && (
        <div className="range-inputs">
          <div className="field">
            <label htmlFor={fromId}>{t('analyses.filters.from')}</label>
            <input id={fromId} type="date" value={min} max={max || undefined} onChange={(e) => setBound('min', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={toId}>{t('analyses.filters.to')}</label>
            <input id={toId} type="date" value={max} min={min || undefined} onChange={(e) => setBound('max', e.target.value)} />
          </div>
        </div>
      )}
      {range && (
        <p className="muted small">
          {t('analyses.filters.dataRange', { min: formatCell(range.min, field.type, locale), max: formatCell(range.max, field.type, locale) })}
        </p>
      )}
    </div>
  );
}
