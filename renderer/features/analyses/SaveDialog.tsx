import { useId, useState, type FormEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_THUMBNAIL_CHARS } from '../../../shared/contracts/workbench.js';
import type { ChartHandle } from '../../components/chart/types.js';
import { useApp } from '../../store/context.js';
import { selectSpec } from '../../store/slices/builder/selectors.js';
import { Dialog } from '../../components/Dialog.js';
import { errorPath, explainPath } from './errors.js';

/** Thumbnail sizes tried in turn until one fits the service's limit. */
const THUMBNAIL_SIZES: ReadonlyArray<[number, number]> = [
  [480, 300],
  [320, 200],
];

/** The chart as a PNG data URL small enough to store, or undefined (the stored one is then kept). */
export async function takeThumbnail(handle: ChartHandle | null): Promise<string | undefined> {
  if (!handle) return undefined;
  for (const [w, h] of THUMBNAIL_SIZES) {
    try {
      const png = await handle.toPng(w, h);
      if (png.startsWith('data:image/png;base64,') && png.length <= MAX_THUMBNAIL_CHARS) return png;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** "a, b ,, c" → ["a", "b", "c"] (trimmed, no duplicates, at most 20 of at most 40 characters). */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean).map((s) => s.slice(0, 40)))].slice(0, 20);
}

/** Title, description and tags; Save (overwrites the open analysis) or Save as copy. */
export function SaveDialog({ handle, onClose, onSaved }: { handle: RefObject<ChartHandle | null>; onClose(): void; onSaved(title: string): void }) {
  const { t } = useTranslation();
  const meta = useApp((s) => s.builderMeta);
  const saving = useApp((s) => s.builderSaving);
  const error = useApp((s) => s.builderSaveError);
  const spec = useApp(selectSpec);
  const save = useApp((s) => s.saveAnalysis);
  const [title, setTitle] = useState(meta.title);
  const [description, setDescription] = useState(meta.description);
  const [tags, setTags] = useState(meta.tags.join(', '));
  const [touched, setTouched] = useState(false);
  const titleId = useId();
  const descriptionId = useId();
  const tagsId = useId();
  const tagsHint = useId();
  const titleMissing = title.trim() === '';

  const submit = async (asCopy: boolean) => {
    setTouched(true);
    if (titleMissing || !spec) return;
    const thumbnail = await takeThumbnail(handle.current);
    const saved = await save({ title: title.trim(), description: description.trim(), tags: parseTags(tags), asCopy, ...(thumbnail ? { thumbnail } : {}) });
    if (saved) onSaved(saved.title);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(false);
  };
  const path = error ? errorPath(error) : null;
  const where = error && path ? explainPath(path, spec, t) : null;

  return (
    <Dialog title={meta.id ? t('analyses.save.titleExisting') : t('analyses.save.title')} onClose={onClose}>
      <form className="stack" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={titleId}>{t('analyses.save.name')}</label>
          <input id={titleId} data-autofocus value={title} maxLength={200} required aria-invalid={touched && titleMissing ? true : undefined} onChange={(e) => setTitle(e.target.value)} />
          {touched && titleMissing && <span className="error-text small">{t('analyses.save.nameRequired')}</span>}
        </div>
        <div className="field">
          <label htmlFor={descriptionId}>{t('analyses.save.description')}</label>
          <textarea id={descriptionId} className="prose" rows={3} maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={tagsId}>{t('analyses.save.tags')}</label>
          <input id={tagsId} value={tags} aria-describedby={tagsHint} onChange={(e) => setTags(e.target.value)} />
          <span id={tagsHint} className="muted small">
            {t('analyses.save.tagsHint')}
          </span>
        </div>
        {!spec && <p className="notice">{t('analyses.save.empty')}</p>}
        {error && (
          <div className="error" role="alert">
            <p>{error.code === 'NOT_PERMITTED' ? t('analyses.save.notPermitted') : error.message}</p>
            {where && <p>{where}</p>}
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t('analyses.common.cancel')}
          </button>
          {meta.id && (
            <button type="button" className="secondary" disabled={saving || !spec} onClick={() => void submit(true)}>
              {t('analyses.save.asCopy')}
            </button>
          )}
          <button type="submit" className="primary" disabled={saving || !spec}>
            {saving ? t('analyses.save.saving') : t('analyses.save.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
