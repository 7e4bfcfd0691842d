import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../../store/context.js';
import { formatCell } from '../useAnalysis.js';
import { useDataRange } from './DateFilter.js';
import type { FilterWidgetProps } from './FiltersPanel.js';
import { MissingOptions } from './MissingOptions.js';

const parse = (text: string): number | undefined => {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
};

/** Numbers: a min/max range (showing the data's own range), or missing / present values. */
export function NumberFilter({ field, filter, onChange }: FilterWidgetProps) {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const range = useDataRange(field.name);
  const [mode, setMode] = useState(filter?.op === 'null' || filter?.op === 'not_null' ? filter.op : filter && filter.op !== 'range' ? 'other' : 'range');
  // The text as typed ("1e", "-") stays in the box; the filter follows whenever it is a number.
  const [text, setText] = useState({ min: filter?.op === 'range' && filter.min !== undefined ? String(filter.min) : '', max: filter?.op === 'range' && filter.max !== undefined ? String(filter.max) : '' });
  const modeId = useId();
  const minId = useId();
  const maxId = useId();

  const emit = (next: { min: string; max: string }, key?: string) => {
    const min = parse(next.min);
    const max = parse(next.max);
    onChange(min === undefined && max === undefined ? null : { field: field.name, op: 'range', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) }, key);
  };
  const choose = (value: string) => {
    setMode(value);
    if (value === 'null' || value === 'not_null') onChange({ field: field.name, op: value });
    else if (value === 'range') emit(text);
  };
  const setBound = (which: 'min' | 'max', value: string) => {
    const next = { ...text, [which]: value };
    setText(next);
    emit(next, which);
  };
  const invalid = (s: string) => s.trim() !== '' && parse(s) === undefined;

  return (
    <div className="filter-widget">
      <div className="field">
        <label htmlFor={modeId}>{t('analyses.filters.keep', { field: field.name })}</label>
        <select id={modeId} value={mode} onChange={(e) => choose(e.target.value)}>
          <option value="range">{t('analyses.filters.numberRange')}</option>
          <MissingOptions current={mode} />
        </select>
      </div>
      {mode === 'range' && (
        <div className="range-inputs">
          <div className="field">
            <label htmlFor={minId}>{t('analyses.filters.min', { field: field.name })}</label>
            <input id={minId} type="number" inputMode="decimal" step="any" value={text.min} placeholder={range?.min != null ? String(range.min) : undefined} aria-invalid={invalid(text.min) || undefined} onChange={(e) => setBound('min', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={maxId}>{t('analyses.filters.max', { field: field.name })}</label>
            <input id={maxId} type="number" inputMode="decimal" step="any" value={text.max} placeholder={range?.max != null ? String(range.max) : undefined} aria-invalid={invalid(text.max) || undefined} onChange={(e) => setBound('max', e.target.value)} />
          </div>
        </div>
      )}
      {range && (
        <p className="muted small">
          {t('analyses.filters.dataRange', { min: formatCell(range.min, 'number', locale), max: formatCell(range.max, 'number', locale) })}
        </p>
      )}
    </div>
  );
}
