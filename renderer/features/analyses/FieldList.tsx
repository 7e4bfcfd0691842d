import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/context.js';
import { removePill } from '../../store/slices/builder/edits.js';
import { SHELVES, type FieldInfo, type Target } from '../../store/slices/builder/model.js';
import { selectFields } from '../../store/slices/builder/selectors.js';
import { CalculatedFieldButton } from './CalculatedField.js';
import { useFocusRequests } from './focus.js';
import { TypeBadge } from './glyphs.js';
import { MenuButton } from './Menu.js';
import { FIELD_MIME, PILL_MIME } from './Shelf.js';

/**
 * The extract's fields, dimensions and measures apart, each draggable to a shelf and with an
 * "add to" menu for the keyboard. Dropping a pill back here takes it off its shelf.
 */
export function FieldList() {
  const { t } = useTranslation();
  const fields = useApp(selectFields);
  const schemaError = useApp((s) => s.builderSchemaError);
  const loaded = useApp((s) => s.builderColumns !== null);
  const edit = useApp((s) => s.editBuilder);
  const [query, setQuery] = useState('');
  const searchId = useId();

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? fields.filter((f) => f.name.toLowerCase().includes(q)) : fields;
  }, [fields, query]);
  const dims = shown.filter((f) => f.role === 'dimension');
  const measures = shown.filter((f) => f.role === 'measure');

  return (
    <aside
      className="field-list"
      aria-label={t('analyses.fields.title')}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(PILL_MIME)) e.preventDefault();
      }}
      onDrop={(e) => {
        const id = e.dataTransfer.getData(PILL_MIME);
        if (!id) return;
        e.preventDefault();
        edit((doc) => removePill(doc, id));
      }}
    >
      <h2 className="panel-title">{t('analyses.fields.title')}</h2>
      <label className="sr-only" htmlFor={searchId}>
        {t('analyses.fields.search')}
      </label>
      <input id={searchId} type="search" placeholder={t('analyses.fields.search')} value={query} onChange={(e) => setQuery(e.target.value)} />
      {schemaError && (
        <p className="error small" role="alert">
          {schemaError.code === 'LEASE_EXPIRED' ? t('analyses.errors.lease') : schemaError.message}
        </p>
      )}
      {!loaded && !schemaError && <p className="muted small">{t('analyses.fields.loading')}</p>}
      <FieldGroup title={t('analyses.fields.dimensions')} fields={dims} />
      <FieldGroup title={t('analyses.fields.measures')} fields={measures} />
      {loaded && shown.length === 0 && <p className="muted small">{t('analyses.fields.none')}</p>}
      <CalculatedFieldButton />
    </aside>
  );
}

function FieldGroup({ title, fields }: { title: string; fields: FieldInfo[] }) {
  const headingId = useId();
  if (fields.length === 0) return null;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} className="field-group">
        {title}
      </h3>
      <ul className="fields">
        {fields.map((f) => (
          <FieldItem key={f.name} field={f} />
        ))}
      </ul>
    </section>
  );
}

function FieldItem({ field }: { field: FieldInfo }) {
  const { t } = useTranslation();
  const addToShelf = useApp((s) => s.addToShelf);
  const focus = useFocusRequests();
  const add = (target: Target) => {
    const id = addToShelf(target, field.name);
    if (id) focus.request(id);
  };
  const targets: Target[] = [...SHELVES, 'filters'];
  return (
    <li className={`field ${field.role}`}>
      <MenuButton
        className="field-button"
        menuLabel={t('analyses.fields.addTo', { field: field.name })}
        title={t('analyses.fields.describe', { type: t(`analyses.types.${field.type}`), role: t(`analyses.fields.role_${field.role}`) })}
        items={targets.map((target) => ({ key: target, label: t(`analyses.shelves.${target}`), onSelect: () => add(target) }))}
        draggable
        onDragStart={(e) => {
          e.dataTransfer.setData(FIELD_MIME, field.name);
          e.dataTransfer.effectAllowed = 'copy';
        }}
      >
        <TypeBadge type={field.type} keyField={field.key} />
        <span className="field-name">{field.name}</span>
        {field.calculated && <span className="badge small">{t('analyses.fields.calculated')}</span>}
      </MenuButton>
    </li>
  );
}
