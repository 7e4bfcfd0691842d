import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChartHandle } from '../../components/chart/types.js';
import { useApp } from '../../store/context.js';
import { SHELVES } from '../../store/slices/builder/model.js';
import { selectCanRedo, selectCanUndo, selectDirty, selectDoc, selectSpec } from '../../store/slices/builder/selectors.js';
import { ChartArea } from './ChartArea.js';
import { ChartTypePicker } from './ChartTypePicker.js';
import { ExportMenu } from '../exports/ExportMenu.js';
import { FieldList } from './FieldList.js';
import { FiltersPanel } from './filters/FiltersPanel.js';
import { FocusProvider } from './focus.js';
import { SaveDialog } from './SaveDialog.js';
import { Shelf } from './Shelf.js';

/** Whether a key press belongs to a text box (which has its own undo). */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLTextAreaElement || target.isContentEditable) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'range', 'color'].includes(target.type);
}

/** Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo (⌘ on macOS), except inside text boxes. */
function useUndoShortcuts(undo: () => void, redo: () => void) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || typing(e.target)) return;
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) undo();
      else if ((key === 'z' && e.shiftKey) || key === 'y') redo();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo]);
}

/** The analysis builder: fields, shelves, chart type and filters around the live chart. */
export function Builder() {
  const { t } = useTranslation();
  const extract = useApp((s) => selectDoc(s).extract);
  const spec = useApp(selectSpec);
  const meta = useApp((s) => s.builderMeta);
  const dirty = useApp(selectDirty);
  const canUndo = useApp(selectCanUndo);
  const canRedo = useApp(selectCanRedo);
  const undo = useApp((s) => s.undoBuilder);
  const redo = useApp((s) => s.redoBuilder);
  const close = useApp((s) => s.closeBuilder);
  const author = useApp((s) => s.capabilities?.author ?? true);
  const handle = useRef<ChartHandle | null>(null);
  // Stable: the chart hands its handle over once, and a new callback would read as a new chart.
  const setHandle = useCallback((h: ChartHandle | null) => {
    handle.current = h;
  }, []);
  const [saving, setSaving] = useState(false);
  const [savedTitle, setSavedTitle] = useState<string | null>(null);
  useUndoShortcuts(undo, redo);

  return (
    <FocusProvider>
      <div className="builder">
        <div className="toolbar builder-toolbar">
          <button type="button" className="ghost" onClick={close}>
            <span aria-hidden="true">←</span> {t('analyses.builder.back')}
          </button>
          <h2>
            {meta.title || t('analyses.untitled')}
            {dirty && (
              <span className="muted small" title={t('analyses.builder.unsaved')}>
                {' '}
                • <span className="sr-only">{t('analyses.builder.unsaved')}</span>
              </span>
            )}
          </h2>
          <span className="badge">{extract}</span>
          <span className="sr-only" role="status">
            {savedTitle ? t('analyses.save.saved', { title: savedTitle }) : ''}
          </span>
          <div className="toolbar-right">
            <button type="button" className="ghost" onClick={undo} disabled={!canUndo} aria-keyshortcuts="Control+Z" title={t('analyses.builder.undoKeys')}>
              <span aria-hidden="true">↶</span> {t('analyses.builder.undo')}
            </button>
            <button type="button" className="ghost" onClick={redo} disabled={!canRedo} aria-keyshortcuts="Control+Shift+Z Control+Y" title={t('analyses.builder.redoKeys')}>
              <span aria-hidden="true">↷</span> {t('analyses.builder.redo')}
            </button>
            <ExportMenu spec={spec} title={meta.title || t('analyses.untitled')} />
            {author && (
              <button type="button" className="primary" onClick={() => setSaving(true)}>
                {t('analyses.builder.save')}
              </button>
            )}
          </div>
        </div>
        <div className="builder-body">
          <FieldList />
          <div className="builder-main">
            <div className="shelves">
              {SHELVES.map((shelf) => (
                <Shelf key={shelf} shelf={shelf} />
              ))}
            </div>
            <ChartArea onHandle={setHandle} />
          </div>
          <div className="builder-side">
            <ChartTypePicker />
            <FiltersPanel />
          </div>
        </div>
        {saving && (
          <SaveDialog
            handle={handle}
            onClose={() => setSaving(false)}
            onSaved={(title) => {
              setSaving(false);
              setSavedTitle(title);
            }}
          />
        )}
      </div>
    </FocusProvider>
  );
}
