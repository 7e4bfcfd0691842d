import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Cell, Filter } from '../../../../shared/analysis/spec.js';
import { useApp } from '../../../store/context.js';
import { selectDoc, selectFields } from '../../../store/slices/builder/selectors.js';
import { formatNumber } from '../../../format.js';
import { formatCell, useAnalysis, valuesSpec } from '../useAnalysis.js';
import type { FilterWidgetProps } from './FiltersPanel.js';
import { MissingOptions } from './MissingOptions.js';

/** Checkboxes rendered at once; a search narrows the rest (values come at most 1000 per field). */
const SHOWN = 200;
type Scalar = string | number | boolean | null;

function modeOf(filter: Filter | null): string {
  if (!filter || filter.op === 'in' || filter.op === 'not_in') return 'values';
  return filter.op === 'contains' || filter.op === 'top' || filter.op === 'null' || filter.op === 'not_null' ? filter.op : 'other';
}

/** Text: pick values (most frequent first, with counts, searchable), contains, top N, or missing / present. */
export function TextFilter({ field, filter, onChange }: FilterWidgetProps) {
  const { t } = useTranslation();
  const [mode, setMode] = useState(modeOf(filter));
  const modeId = useId();
  const choose = (value: string) => {
    setMode(value);
    if (value === 'null' || value === 'not_null') onChange({ field: field.name, op: value });
    else if (value === 'top') onChange({ field: field.name, op: 'top', n: 10, by: { agg: 'count' } });
    else onChange(null);
  };
  return (
    <div className="filter-widget">
      <div className="field">
        <label htmlFor={modeId}>{t('analyses.filters.keep', { field: field.name })}</label>
        <select id={modeId} value={mode} onChange={(e) => choose(e.target.value)}>
          <option value="values">{t('analyses.filters.pick')}</option>
          <option value="contains">{t('analyses.filters.containsMode')}</option>
          <option value="top">{t('analyses.filters.topMode')}</option>
          <MissingOptions current={mode} />
        </select>
      </div>
      {mode === 'values' && <ValuePicker field={field} filter={filter} onChange={onChange} />}
      {mode === 'contains' && <ContainsInput field={field} filter={filter} onChange={onChange} />}
      {mode === 'top' && <TopN field={field} filter={filter} onChange={onChange} />}
    </div>
  );
}

function ValuePicker({ field, filter, onChange }: FilterWidgetProps) {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const extract = useApp((s) => selectDoc(s).extract);
  const calculated = useApp((s) => selectDoc(s).extras.calculated);
  const { result, error, loading } = useAnalysis(valuesSpec(extract, field.name, calculated));
  const [query, setQuery] = useState('');
  const selected: Scalar[] = filter && (filter.op === 'in' || filter.op === 'not_in') ? filter.values : [];
  const excluding = filter?.op === 'not_in';

  // Columnar: column 0 the values, column 1 their counts; only the shown slice becomes elements.
  const matches = useMemo(() => {
    if (!result) return [];
    const values = result.data[0] ?? [];
    const q = query.trim().toLowerCase();
    const out: number[] = [];
    for (let i = 0; i < values.length; i++) if (!q || String(values[i] ?? '').toLowerCase().includes(q)) out.push(i);
    return out;
  }, [result, query]);

  const set = (values: Scalar[], exclude = excluding) => onChange(values.length ? { field: field.name, op: exclude ? 'not_in' : 'in', values } : null);
  const toggle = (value: Cell) => set(selected.some((v) => v === value) ? selected.filter((v) => v !== value) : [...selected, value]);

  return (
    <>
      <input type="search" aria-label={t('analyses.filters.searchValues', { field: field.name })} placeholder={t('analyses.filters.searchValues', { field: field.name })} value={query} onChange={(e) => setQuery(e.target.value)} />
      {loading && <p className="muted small">{t('analyses.filters.loadingValues')}</p>}
      {error && <p className="error small">{error.message}</p>}
      {result && (
        <>
          <ul className="value-list" aria-label={t('analyses.filters.values', { field: field.name })}>
            {matches.slice(0, SHOWN).map((i) => {
              const value = result.data[0]![i] ?? null;
              const count = result.data[1]![i];
              return (
                <li key={i}>
                  <label>
                    <input type="checkbox" checked={selected.some((v) => v === value)} onChange={() => toggle(value)} />
                    <span className="value-name">{formatCell(value, field.type, locale)}</span>
                    <span className="muted small">{typeof count === 'number' ? formatNumber(count, locale) : ''}</span>
                  </label>
                </li>
              );
            })}
          </ul>
          {matches.length > SHOWN && <p className="muted small">{t('analyses.filters.moreValues', { count: matches.length - SHOWN })}</p>}
          {result.truncated && <p className="muted small">{t('analyses.filters.topValues', { count: result.rowCount })}</p>}
        </>
      )}
      <div className="row-form">
        <label className="inline-field">
          <input type="checkbox" checked={excluding} disabled={selected.length === 0} onChange={(e) => set(selected, e.target.checked)} />
          {t('analyses.filters.exclude')}
        </label>
        <button type="button" className="link" disabled={selected.length === 0} onClick={() => onChange(null)}>
          {t('analyses.filters.clear')}
        </button>
      </div>
    </>
  );
}

function ContainsInput({ field, filter, onChange }: FilterWidgetProps) {
  const { t } = useTranslation();
  const id = useId();
  const current = filter?.op === 'contains' ? filter : null;
  const [text, setText] = useState(current?.value ?? '');
  const emit = (value: string, caseSensitive: boolean, key?: string) =>
    onChange(value ? { field: field.name, op: 'contains', value, ...(caseSensitive ? { caseSensitive: true } : {}) } : null, key);
  return (
    <div className="row-form">
      <div className="field">
        <label htmlFor={id}>{t('analyses.filters.containsText', { field: field.name })}</label>
        <input
          id={id}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            emit(e.target.value, current?.caseSensitive ?? false, 'contains');
          }}
        />
      </div>
      <label className="inline-field">
        <input type="checkbox" checked={current?.caseSensitive ?? false} disabled={!text} onChange={(e) => emit(text, e.target.checked)} />
        {t('analyses.filters.matchCase')}
      </label>
    </div>
  );
}

function TopN({ field, filter, onChange }: FilterWidgetProps) {
  const { t } = useTranslation();
  const measures = useApp(selectFields).filter((f) => f.type === 'number' && f.role === 'measure');
  const top = filter?.op === 'top' ? filter : { field: field.name, op: 'top' as const, n: 10, by: { agg: 'count' as const } };
  const nId = useId();
  const byId = useId();
  const [n, setN] = useState(String(top.n));
  const byKey = top.by.field ? `sum:${top.by.field}` : 'count';
  return (
    <div className="row-form">
      <label className="inline-field">
        <input type="checkbox" checked={top.bottom ?? false} onChange={(e) => {
            const { bottom: _bottom, ...rest } = top;
            onChange(e.target.checked ? { ...rest, bottom: true } : rest);
          }} />
        {t('analyses.filters.bottom')}
      </label>
      <div className="field">
        <label htmlFor={nId}>{t('analyses.filters.topN')}</label>
        <input
          id={nId}
          className="narrow"
          type="number"
          min={1}
          step={1}
          value={n}
          onChange={(e) => {
            setN(e.target.value);
            const value = Number(e.target.value);
            if (Number.isInteger(value) && value >= 1 && value <= 100_000) onChange({ ...top, n: value }, 'top-n');
          }}
        />
      </div>
      <div className="field">
        <label htmlFor={byId}>{t('analyses.filters.topBy')}</label>
        <select id={byId} value={byKey} onChange={(e) => onChange({ ...top, by: e.target.value === 'count' ? { agg: 'count' } : { agg: 'sum', field: e.target.value.slice(4) } })}>
          <option value="count">{t('analyses.pill.rowCount')}</option>
          {measures.map((m) => (
            <option key={m.name} value={`sum:${m.name}`}>
              {t('analyses.pill.measure', { agg: t('analyses.agg.sum'), field: m.name })}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

/** Yes/no fields: true, false, missing or present. */
export function BooleanFilter({ field, filter, onChange }: FilterWidgetProps) {
  const { t } = useTranslation();
  const id = useId();
  const value = !filter ? '' : filter.op === 'in' && filter.values.length === 1 && typeof filter.values[0] === 'boolean' ? String(filter.values[0]) : filter.op === 'null' || filter.op === 'not_null' ? filter.op : 'other';
  return (
    <div className="field">
      <label htmlFor={id}>{t('analyses.filters.keep', { field: field.name })}</label>
      <select
        id={id}
        value={value}
        onChange={(e) => {
          const v = e.target.value;
          onChange(v === '' ? null : v === 'true' || v === 'false' ? { field: field.name, op: 'in', values: [v === 'true'] } : { field: field.name, op: v as 'null' | 'not_null' });
        }}
      >
        <option value="">{t('analyses.filters.anyValue')}</option>
        <option value="true">{t('analyses.filters.yes')}</option>
        <option value="false">{t('analyses.filters.no')}</option>
        <MissingOptions current={value} />
      </select>
    </div>
  );
}
