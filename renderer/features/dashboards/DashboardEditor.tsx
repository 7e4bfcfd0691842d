import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/context.js';
import { AddTileDialog } from './AddTileDialog.js';
import { DashboardCanvas } from './DashboardCanvas.js';
import { PublishDialog } from './PublishDialog.js';

/** The open dashboard: title, tiles on the grid, global filters, save and publish. */
export function DashboardEditor() {
  const { t } = useTranslation();
  const draft = useApp((s) => s.draft);
  const sources = useApp((s) => s.tileSources);
  const saving = useApp((s) => s.saving);
  const error = useApp((s) => s.draftError);
  const author = useApp((s) => s.capabilities?.author !== false);
  const setTitle = useApp((s) => s.setDashboardTitle);
  const setTiles = useApp((s) => s.setDashboardTiles);
  const setFilters = useApp((s) => s.setDashboardFilters);
  const setCrossFilter = useApp((s) => s.setCrossFilter);
  const setText = useApp((s) => s.setTileText);
  const removeTile = useApp((s) => s.removeDashboardTile);
  const save = useApp((s) => s.saveDashboard);
  const close = useApp((s) => s.closeDashboard);
  const [dialog, setDialog] = useState<'add' | 'publish' | null>(null);
  const [leaving, setLeaving] = useState(false);

  if (!draft) return null;
  const titleOk = draft.title.trim().length > 0;

  return (
    <div className="dash-editor stack">
      <h2 className="sr-only">{draft.title}</h2>
      <div className="toolbar">
        <button type="button" className="ghost" onClick={() => (draft.dirty ? setLeaving(true) : close())}>
          ← {t('dashboards.editor.back')}
        </button>
        <input className="title-input" aria-label={t('dashboards.editor.titleLabel')} value={draft.title} aria-invalid={!titleOk} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
        <span className="muted small" role="status">
          {saving ? t('dashboards.editor.saving') : draft.dirty ? t('dashboards.editor.unsaved') : t('dashboards.editor.saved')}
        </span>
        <div className="toolbar-right">
          <label className="inline-field nowrap">
            <input type="checkbox" className="check" checked={draft.crossFilter} onChange={(e) => setCrossFilter(e.target.checked)} />
            {t('dashboards.editor.crossFilter')}
          </label>
          <button type="button" className="secondary" onClick={() => setDialog('add')}>
            {t('dashboards.editor.addTile')}
          </button>
          <button type="button" className="primary" disabled={saving || !draft.dirty || !titleOk} onClick={() => void save()}>
            {t('dashboards.editor.save')}
          </button>
          {author && (
            <button type="button" className="secondary" disabled={!titleOk} onClick={() => setDialog('publish')}>
              {t('dashboards.editor.publish')}
            </button>
          )}
        </div>
      </div>
      {leaving && (
        <div className="notice confirm" role="alertdialog" aria-labelledby="leave-q">
          <span id="leave-q">{t('dashboards.editor.discardQuestion')}</span>
          <button type="button" className="secondary" onClick={close}>
            {t('dashboards.editor.discard')}
          </button>
          <button type="button" className="primary" onClick={() => setLeaving(false)}>
            {t('dashboards.editor.keepEditing')}
          </button>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {t('dashboards.editor.failed', { code: error.code, message: error.message })}
        </p>
      )}
      <DashboardCanvas
        label={draft.title}
        tiles={draft.tiles}
        analyses={sources}
        filters={draft.filters}
        onFiltersChange={setFilters}
        crossFilter={draft.crossFilter}
        readOnly={false}
        onTilesChange={setTiles}
        onRemoveTile={removeTile}
        onTextChange={setText}
      />
      {dialog === 'add' && <AddTileDialog onClose={() => setDialog(null)} />}
      {dialog === 'publish' && <PublishDialog onClose={() => setDialog(null)} />}
    </div>
  );
}
