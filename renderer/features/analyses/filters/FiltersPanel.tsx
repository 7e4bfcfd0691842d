import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Filter } from '../../../../shared/analysis/spec.js';
import { useApp } from '../../../store/context.js';
import { removeFilter, setFilter } from '../../../store/slices/builder/edits.js';
import { findPill, type FieldInfo, type FilterItem } from '../../../store/slices/builder/model.js';
import { selectDoc, selectFields } from '../../../store/slices/builder/selectors.js';
import { useFocusRequests, useFocusTarget } from '../focus.js';
import { FIELD_MIME, PILL_MIME } from '../Shelf.js';
import { DateFilter } from './DateFilter.js';
import { NumberFilter } from './NumberFilter.js';
import { filterSummary } from './summary.js';
import { BooleanFilter, TextFilter } from './TextFilter.js';

/** What every filter widget gets: the field, its filter (null: none yet) and how to change it. */
export interface FilterWidgetProps {
  field: FieldInfo;
  filter: Filter | null;
  /** `key` names a continuous edit (typing a bound): such edits coalesce into one undo step. */
  onChange(filter: Filter | null, key?: string): void;
}

/** The Filters shelf: a drop target, and one card per filter with a readable chip and its widget. */
export function FiltersPanel() {
  const { t } = useTranslation();
  const items = useApp((s) => selectDoc(s).filters);
  const addToShelf = useApp((s) => s.addToShelf);
  const doc = useApp(selectDoc);
  const focus = useFocusRequests();
  const [over, setOver] = useState(false);
  const zone = useRef<HTMLDivElement>(null);
  useFocusTarget('shelf:filters', zone);

  return (
    <section className="filters-panel" aria-label={t('analyses.shelves.label', { shelf: t('analyses.shelves.filters') })}>
      <h2 className="panel-title">{t('analyses.shelves.filters')}</h2>
      <div
        ref={zone}
        tabIndex={-1}
        className={over ? 'filter-zone over' : 'filter-zone'}
        onDragOver={(e) => {
          if (!e.dataTransfer.types.includes(FIELD_MIME) && !e.dataTransfer.types.includes(PILL_MIME)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const pill = e.dataTransfer.getData(PILL_MIME);
          const field = e.dataTransfer.getData(FIELD_MIME) || (pill ? findPill(doc, pill)?.pill.field : undefined);
          const id = field ? addToShelf('filters', field) : null;
          if (id) focus.request(id);
        }}
      >
        {items.length === 0 && <p className="muted small">{t('analyses.filters.hint')}</p>}
        {items.map((item, index) => (
          <FilterCard key={item.id} item={item} onRemoved={() => focus.request(items[index + 1]?.id ?? items[index - 1]?.id ?? 'shelf:filters')} />
        ))}
      </div>
    </section>
  );
}

function FilterCard({ item, onRemoved }: { item: FilterItem; onRemoved(): void }) {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const field = useApp((s) => selectFields(s).find((f) => f.name === item.field));
  const edit = useApp((s) => s.editBuilder);
  const [open, setOpen] = useState(item.filter === null);
  const chip = useRef<HTMLButtonElement>(null);
  const editorId = useId();
  useFocusTarget(item.id, chip);

  const summary = filterSummary(item.field, item.filter, field?.type ?? 'string', t, locale);
  const onChange = (filter: Filter | null, key?: string) => edit((doc) => setFilter(doc, item.id, filter), key === undefined ? undefined : `filter:${item.id}:${key}`);
  return (
    <div className={item.filter ? 'filter-card' : 'filter-card unset'}>
      <div className="filter-head">
        <button ref={chip} type="button" className="filter-chip" aria-expanded={open} aria-controls={editorId} onClick={() => setOpen((o) => !o)}>
          {summary}
        </button>
        <button
          type="button"
          className="pill-remove"
          aria-label={t('analyses.filters.remove', { field: item.field })}
          onClick={() => {
            onRemoved();
            edit((doc) => removeFilter(doc, item.id));
          }}
        >
          ×
        </button>
      </div>
      {open && (
        <div id={editorId} className="filter-editor" role="group" aria-label={t('analyses.filters.editor', { field: item.field })}>
          {!field ? (
            <p className="muted small">{t('analyses.filters.unknownField', { field: item.field })}</p>
          ) : field.type === 'date' || field.type === 'timestamp' ? (
            <DateFilter field={field} filter={item.filter} onChange={onChange} />
          ) : field.type === 'number' ? (
            <NumberFilter field={field} filter={item.filter} onChange={onChange} />
          ) : field.type === 'boolean' ? (
            <BooleanFilter field={field} filter={item.filter} onChange={onChange} />
          ) : (
            <TextFilter field={field} filter={item.filter} onChange={onChange} />
          )}
        </div>
      )}
    </div>
  );
}
