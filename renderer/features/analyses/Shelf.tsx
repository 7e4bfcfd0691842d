import { useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Aggregation, Grain } from '../../../shared/analysis/spec.js';
import { useApp } from '../../store/context.js';
import { movePill, removePill, updatePill } from '../../store/slices/builder/edits.js';
import { PILL_AGGREGATIONS, PILL_GRAINS, SHELVES, type FieldInfo, type Pill, type ShelfId } from '../../store/slices/builder/model.js';
import { selectDoc, selectFields } from '../../store/slices/builder/selectors.js';
import { useFocusRequests, useFocusTarget } from './focus.js';
import { MenuButton, type MenuItem } from './Menu.js';

/** Drag payloads: a field from the field list, or a pill from a shelf. */
export const FIELD_MIME = 'application/x-strongroom-field';
export const PILL_MIME = 'application/x-strongroom-pill';

const accepts = (e: DragEvent) => e.dataTransfer.types.includes(FIELD_MIME) || e.dataTransfer.types.includes(PILL_MIME);

/** A pill's words: "booked_on · month", "Sum of amount". */
export function usePillLabel(): (pill: Pill) => string {
  const { t } = useTranslation();
  return (pill) => {
    if (pill.role === 'measure') return pill.field ? t('analyses.pill.measure', { agg: t(`analyses.agg.${pill.agg ?? 'sum'}`), field: pill.field }) : t('analyses.pill.rowCount');
    if (pill.grain) return t('analyses.pill.dated', { field: pill.field, grain: t(`analyses.grain.${pill.grain}`) });
    return pill.field;
  };
}

/** One shelf (Columns, Rows, Color, Size): a drop target holding pills, each usable by keyboard. */
export function Shelf({ shelf }: { shelf: ShelfId }) {
  const { t } = useTranslation();
  const pills = useApp((s) => selectDoc(s)[shelf]);
  const edit = useApp((s) => s.editBuilder);
  const addToShelf = useApp((s) => s.addToShelf);
  const focus = useFocusRequests();
  const [dropAt, setDropAt] = useState<number | null>(null);
  const zone = useRef<HTMLUListElement>(null);
  useFocusTarget(`shelf:${shelf}`, zone);

  const drop = (e: DragEvent, index: number) => {
    e.preventDefault();
    e.stopPropagation();
    setDropAt(null);
    const pillId = e.dataTransfer.getData(PILL_MIME);
    if (pillId) {
      edit((doc) => movePill(doc, pillId, shelf, index));
      return;
    }
    const field = e.dataTransfer.getData(FIELD_MIME);
    if (field) addToShelf(shelf, field, index);
  };

  const name = t(`analyses.shelves.${shelf}`);
  return (
    <div className={`shelf shelf-${shelf}`}>
      <span className="shelf-name" aria-hidden="true">
        {name}
      </span>
      <ul
        ref={zone}
        tabIndex={-1}
        className={dropAt !== null ? 'shelf-zone over' : 'shelf-zone'}
        aria-label={t('analyses.shelves.label', { shelf: name })}
        onDragOver={(e) => {
          if (!accepts(e)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = e.dataTransfer.types.includes(PILL_MIME) ? 'move' : 'copy';
          if (dropAt === null) setDropAt(pills.length);
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDropAt(null);
        }}
        onDrop={(e) => drop(e, dropAt ?? pills.length)}
      >
        {pills.length === 0 && <li className="shelf-hint muted small">{t('analyses.shelves.hint')}</li>}
        {pills.map((pill, index) => (
          <PillView
            key={pill.id}
            pill={pill}
            shelf={shelf}
            index={index}
            count={pills.length}
            dropBefore={dropAt === index}
            onDragOverPill={(before) => setDropAt(before ? index : index + 1)}
            onRemoved={() => focus.request(pills[index + 1]?.id ?? pills[index - 1]?.id ?? `shelf:${shelf}`)}
          />
        ))}
      </ul>
    </div>
  );
}

function PillView({ pill, shelf, index, count, dropBefore, onDragOverPill, onRemoved }: {
  pill: Pill;
  shelf: ShelfId;
  index: number;
  count: number;
  dropBefore: boolean;
  onDragOverPill(before: boolean): void;
  onRemoved(): void;
}) {
  const { t } = useTranslation();
  const label = usePillLabel()(pill);
  const field: FieldInfo | undefined = useApp((s) => selectFields(s).find((f) => f.name === pill.field));
  const edit = useApp((s) => s.editBuilder);
  const focus = useFocusRequests();
  const ref = useRef<HTMLButtonElement>(null);
  useFocusTarget(pill.id, ref);

  const remove = () => {
    onRemoved();
    edit((doc) => removePill(doc, pill.id));
  };
  const move = (shelfTo: ShelfId, to: number) => {
    focus.request(pill.id);
    edit((doc) => movePill(doc, pill.id, shelfTo, to));
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Delete' || e.key === 'Backspace') remove();
    else if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowUp') && index > 0) move(shelf, index - 1);
    else if (e.altKey && (e.key === 'ArrowRight' || e.key === 'ArrowDown') && index < count - 1) move(shelf, index + 1);
    else return;
    e.preventDefault();
  };
  const dated = pill.role === 'dimension' && (field?.type === 'date' || field?.type === 'timestamp');
  const other = pill.role === 'measure' ? 'dimension' : 'measure';
  const items: MenuItem[] = [
    { key: 'earlier', label: t('analyses.pill.earlier'), disabled: index === 0, onSelect: () => move(shelf, index - 1) },
    { key: 'later', label: t('analyses.pill.later'), disabled: index >= count - 1, onSelect: () => move(shelf, index + 1) },
    ...SHELVES.filter((s) => s !== shelf).map((s) => ({ key: `to-${s}`, label: t('analyses.pill.moveTo', { shelf: t(`analyses.shelves.${s}`) }), onSelect: () => move(s, Number.MAX_SAFE_INTEGER) })),
    { key: 'role', label: t(`analyses.pill.as_${other}`), disabled: !pill.field, onSelect: () => edit((doc) => updatePill(doc, pill.id, { role: other }, field)) },
    { key: 'remove', label: t('analyses.pill.remove'), onSelect: remove },
  ];

  return (
    <li
      className={`pill ${pill.role}${dropBefore ? ' drop-before' : ''}`}
      onDragOver={(e) => {
        if (!accepts(e)) return;
        const box = e.currentTarget.getBoundingClientRect();
        onDragOverPill(e.clientX < box.left + box.width / 2);
      }}
    >
      <MenuButton
        className="pill-label"
        label={label}
        menuLabel={t('analyses.pill.menu', { pill: label })}
        items={items}
        title={t('analyses.pill.keys')}
        draggable
        onDragStart={(e) => {
          e.dataTransfer.setData(PILL_MIME, pill.id);
          e.dataTransfer.effectAllowed = 'move';
        }}
        buttonRef={ref}
        onKeyDown={onKeyDown}
      >
        {/* The grain or aggregation shows in the menu beside the pill; the pill's name keeps both. */}
        {dated || (pill.role === 'measure' && pill.field) ? pill.field : label}
      </MenuButton>
      {dated && (
        <select aria-label={t('analyses.pill.grainOf', { field: pill.field })} value={pill.grain ?? ''} onChange={(e) => edit((doc) => updatePill(doc, pill.id, { grain: (e.target.value || undefined) as Grain | undefined }))}>
          {PILL_GRAINS.map((g) => (
            <option key={g} value={g}>
              {t(`analyses.grain.${g}`)}
            </option>
          ))}
          <option value="">{t('analyses.grain.exact')}</option>
        </select>
      )}
      {pill.role === 'measure' && (
        <select aria-label={t('analyses.pill.aggOf', { field: pill.field || t('analyses.pill.rowCount') })} value={pill.agg ?? 'sum'} onChange={(e) => edit((doc) => updatePill(doc, pill.id, { agg: e.target.value as Aggregation }))}>
          {[...PILL_AGGREGATIONS, ...(pill.agg && !(PILL_AGGREGATIONS as readonly string[]).includes(pill.agg) ? [pill.agg] : [])]
            .filter((a) => field?.type === 'number' || !pill.field || ['count', 'count_distinct', 'min', 'max'].includes(a) || a === pill.agg)
            .map((a) => (
              <option key={a} value={a}>
                {t(`analyses.agg.${a}`)}
              </option>
            ))}
        </select>
      )}
      <button type="button" className="pill-remove" aria-label={t('analyses.pill.removeNamed', { pill: label, shelf: t(`analyses.shelves.${shelf}`) })} onClick={remove}>
        ×
      </button>
    </li>
  );
}

