import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisSpec, Cell, Filter, Grain } from '../../../shared/analysis/spec.js';
import { useApi } from '../../store/context.js';
import type { FieldInfo } from './fields.js';

/** Relative periods offered for date fields (the spec's `relative` filter). */
export const DATE_PRESETS: ReadonlyArray<{ id: string; last: number; unit: Grain }> = [
  { id: 'last7d', last: 7, unit: 'day' },
  { id: 'last30d', last: 30, unit: 'day' },
  { id: 'last3m', last: 3, unit: 'month' },
  { id: 'last12m', last: 12, unit: 'month' },
  { id: 'thisYear', last: 1, unit: 'year' },
];

/** Most distinct values listed at once; typing narrows them on the engine. */
const VALUES_SHOWN = 200;

/** A new filter on a field, before the user picks values (an empty value list restricts nothing yet). */
export function defaultFilter(field: FieldInfo): Filter {
  if (field.kind === 'date') return { field: field.name, op: 'relative', last: 12, unit: 'month' };
  if (field.kind === 'number') return { field: field.name, op: 'range' };
  return { field: field.name, op: 'in', values: [] };
}

const show = (v: Cell, empty: string) => (v === null ? empty : String(v));

/** Distinct values of a field in one extract, most common first, optionally containing `query`. */
function useDistinct(field: FieldInfo, query: string, enabled: boolean): { values: Cell[] | null; failed: boolean } {
  const api = useApi();
  const [state, setState] = useState<{ values: Cell[] | null; failed: boolean }>({ values: null, failed: false });
  useEffect(() => {
    if (!enabled) return;
    if (field.kind === 'boolean') {
      setState({ values: [true, false, null], failed: false });
      return;
    }
    let live = true;
    const count = field.name === 'n' ? 'n_rows' : 'n';
    const spec: AnalysisSpec = {
      extract: field.extracts[0]!,
      dimensions: [{ field: field.name }],
      measures: [{ agg: 'count', as: count }],
      sort: [{ by: count, dir: 'desc' }],
      limit: VALUES_SHOWN,
      ...(query.trim() && field.kind === 'text' ? { filters: [{ field: field.name, op: 'contains' as const, value: query.trim() }] } : {}),
    };
    const timer = setTimeout(() => {
      api.analysis.run(spec).then(
        (r) => live && setState({ values: r.data[0] ?? [], failed: false }),
        () => live && setState({ values: [], failed: true }),
      );
    }, query ? 250 : 0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, field, query, enabled]);
  return state;
}

function ValuesFilter({ filter, field, onChange }: { filter: Extract<Filter, { op: 'in' }>; field: FieldInfo; onChange(f: Filter): void }) {
  const { t } = useTranslation();
  const panelId = useId();
  const [open, setOpen] = useState(filter.values.length === 0);
  const [query, setQuery] = useState('');
  const { values, failed } = useDistinct(field, query, open);
  const empty = t('dashboards.filter.emptyValue');
  const picked = new Set(filter.values.map((v) => JSON.stringify(v)));
  const listed = [...filter.values, ...(values ?? []).filter((v) => !picked.has(JSON.stringify(v)))];
  const shown = query && field.kind !== 'text' ? listed.filter((v) => show(v, empty).toLowerCase().includes(query.toLowerCase())) : listed;
  const toggle = (v: Cell, on: boolean) =>
    onChange({ ...filter, values: on ? [...filter.values, v] : filter.values.filter((x) => JSON.stringify(x) !== JSON.stringify(v)) });
  return (
    <>
      <button type="button" className="filter-summary" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
        <strong>{field.name}</strong>: {filter.values.length ? filter.values.map((v) => show(v, empty)).join(', ') : t('dashboards.filter.pick')}
      </button>
      {open && (
        <div id={panelId} className="filter-panel">
          <input type="search" aria-label={t('dashboards.filter.search', { field: field.name })} placeholder={t('dashboards.filter.searchPlaceholder')} value={query} onChange={(e) => setQuery(e.target.value)} />
          {values === null && <p className="muted small">{t('dashboards.filter.loadingValues')}</p>}
          {failed && <p className="error small">{t('dashboards.filter.valuesFailed')}</p>}
          <ul className="filter-values">
            {shown.map((v) => {
              const k = JSON.stringify(v);
              return (
                <li key={k}>
                  <label>
                    <input type="checkbox" checked={picked.has(k)} onChange={(e) => toggle(v, e.target.checked)} /> {show(v, empty)}
                  </label>
                </li>
              );
            })}
          </ul>
          <button type="button" className="secondary" onClick={() => setOpen(false)}>
            {t('dashboards.filter.done')}
          </button>
        </div>
      )}
    </>
  );
}

function DateFilter({ filter, field, onChange }: { filter: Extract<Filter, { op: 'relative' | 'range' }>; field: FieldInfo; onChange(f: Filter): void }) {
  const { t } = useTranslation();
  const preset = filter.op === 'relative' ? DATE_PRESETS.find((p) => p.last === filter.last && p.unit === filter.unit) : undefined;
  const value = filter.op === 'range' ? 'custom' : (preset?.id ?? 'saved');
  function choose(id: string) {
    const p = DATE_PRESETS.find((x) => x.id === id);
    if (p) onChange({ field: field.name, op: 'relative', last: p.last, unit: p.unit });
    else if (id === 'custom') onChange({ field: field.name, op: 'range' });
  }
  const bound = (key: 'min' | 'max', v: string) => {
    if (filter.op !== 'range') return;
    const { [key]: _dropped, ...rest } = filter;
    onChange(v ? { ...rest, [key]: v } : rest);
  };
  return (
    <>
      <label className="filter-inline">
        <strong>{field.name}</strong>
        <select aria-label={t('dashboards.filter.period', { field: field.name })} value={value} onChange={(e) => choose(e.target.value)}>
          {DATE_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {t(`dashboards.filter.preset.${p.id}`)}
            </option>
          ))}
          {value === 'saved' && filter.op === 'relative' && <option value="saved">{t('dashboards.filter.lastN', { last: filter.last, unit: t(`dashboards.filter.unit.${filter.unit}`) })}</option>}
          <option value="custom">{t('dashboards.filter.customRange')}</option>
        </select>
      </label>
      {filter.op === 'range' && (
        <>
          <input type="date" className="date-input" aria-label={t('dashboards.filter.from', { field: field.name })} value={typeof filter.min === 'string' ? filter.min.slice(0, 10) : ''} onChange={(e) => bound('min', e.target.value)} />
          <input type="date" className="date-input" aria-label={t('dashboards.filter.to', { field: field.name })} value={typeof filter.max === 'string' ? filter.max.slice(0, 10) : ''} onChange={(e) => bound('max', e.target.value)} />
        </>
      )}
    </>
  );
}

function NumberFilter({ filter, field, onChange }: { filter: Extract<Filter, { op: 'range' }>; field: FieldInfo; onChange(f: Filter): void }) {
  const { t } = useTranslation();
  const [min, setMin] = useState(filter.min === undefined ? '' : String(filter.min));
  const [max, setMax] = useState(filter.max === undefined ? '' : String(filter.max));
  // Applied when the box is left or Enter is pressed, so every keystroke does not re-run every tile.
  function apply() {
    const num = (s: string) => (s.trim() === '' || !Number.isFinite(Number(s)) ? undefined : Number(s));
    const lo = num(min);
    const hi = num(max);
    if (lo === filter.min && hi === filter.max) return;
    onChange({ field: field.name, op: 'range', ...(lo === undefined ? {} : { min: lo }), ...(hi === undefined ? {} : { max: hi }) });
  }
  const onKey = (e: React.KeyboardEvent) => e.key === 'Enter' && apply();
  return (
    <>
      <strong>{field.name}</strong>
      <input type="number" className="num-input" aria-label={t('dashboards.filter.min', { field: field.name })} placeholder={t('dashboards.filter.minPlaceholder')} value={min} onChange={(e) => setMin(e.target.value)} onBlur={apply} onKeyDown={onKey} />
      <span aria-hidden="true">–</span>
      <input type="number" className="num-input" aria-label={t('dashboards.filter.max', { field: field.name })} placeholder={t('dashboards.filter.maxPlaceholder')} value={max} onChange={(e) => setMax(e.target.value)} onBlur={apply} onKeyDown={onKey} />
    </>
  );
}

/** A filter kind the bar has no control for (e.g. "top 10" saved elsewhere): shown, removable. */
function describe(f: Filter): string {
  switch (f.op) {
    case 'in':
    case 'not_in':
      return `${f.field} ${f.op === 'in' ? '∈' : '∉'} ${f.values.map(String).join(', ')}`;
    case 'contains':
      return `${f.field} ∋ “${f.value}”`;
    case 'range':
      return `${f.min ?? '…'} ≤ ${f.field} ≤ ${f.max ?? '…'}`;
    case 'relative':
      return `${f.field}: ${f.last} ${f.unit}`;
    case 'top':
      return `${f.field}: ${f.bottom ? '↓' : '↑'}${f.n}`;
    default:
      return `${f.field}: ${f.op}`;
  }
}

export interface FilterBarProps {
  filters: Filter[];
  /** Fields of the dashboard's extracts. */
  fields: FieldInfo[];
  /** Absent: the filters are shown but cannot be changed. */
  onChange?(filters: Filter[]): void;
}

/** Global filters of a dashboard: date periods, value lists with search, numeric ranges. */
export function FilterBar({ filters, fields, onChange }: FilterBarProps) {
  const { t } = useTranslation();
  const byName = new Map(fields.map((f) => [f.name, f]));
  const used = new Set(filters.map((f) => f.field));
  const replace = (i: number, f: Filter) => onChange?.(filters.map((x, j) => (j === i ? f : x)));
  return (
    <section className="filter-bar" aria-label={t('dashboards.filter.bar')}>
      {filters.map((f, i) => {
        const field = byName.get(f.field);
        const change = (next: Filter) => replace(i, next);
        let control;
        if (onChange && field && f.op === 'in') control = <ValuesFilter filter={f} field={field} onChange={change} />;
        else if (onChange && field?.kind === 'date' && (f.op === 'relative' || f.op === 'range')) control = <DateFilter filter={f} field={field} onChange={change} />;
        else if (onChange && field?.kind === 'number' && f.op === 'range') control = <NumberFilter filter={f} field={field} onChange={change} />;
        else control = <span>{describe(f)}</span>;
        return (
          <div key={`${f.field}-${i}`} className="filter-item">
            {control}
            {onChange && (
              <button type="button" className="chip-x" aria-label={t('dashboards.filter.remove', { field: f.field })} title={t('dashboards.filter.remove', { field: f.field })} onClick={() => onChange(filters.filter((_, j) => j !== i))}>
                ×
              </button>
            )}
          </div>
        );
      })}
      {onChange && (
        <select
          aria-label={t('dashboards.filter.add')}
          value=""
          disabled={fields.length === 0}
          onChange={(e) => {
            const field = byName.get(e.target.value);
            if (field) onChange([...filters, defaultFilter(field)]);
          }}
        >
          <option value="">{t('dashboards.filter.addPlaceholder')}</option>
          {fields
            .filter((f) => !used.has(f.name))
            .map((f) => (
              <option key={f.name} value={f.name}>
                {f.name} ({t(`dashboards.filter.kind.${f.kind}`)})
              </option>
            ))}
        </select>
      )}
      {!onChange && filters.length === 0 && <span className="muted small">{t('dashboards.filter.none')}</span>}
    </section>
  );
}
