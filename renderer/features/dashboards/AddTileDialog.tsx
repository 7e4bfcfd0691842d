import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format.js';
import { useApp } from '../../store/context.js';
import { Dialog } from './Dialog.js';

/** Picks a saved analysis for a new tile, or writes a text tile. */
export function AddTileDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const choices = useApp((s) => s.analysisChoices);
  const load = useApp((s) => s.loadAnalysisChoices);
  const addAnalysis = useApp((s) => s.addAnalysisTile);
  const addText = useApp((s) => s.addTextTile);
  const [query, setQuery] = useState('');
  const [text, setText] = useState('');

  useEffect(() => {
    void load();
  }, [load]);

  const q = query.trim().toLowerCase();
  const shown = (choices ?? []).filter((a) => !q || a.title.toLowerCase().includes(q) || a.extract.toLowerCase().includes(q) || a.tags.some((tag) => tag.toLowerCase().includes(q)));

  return (
    <Dialog id="add-tile" title={t('dashboards.add.title')} onClose={onClose} wide>
      <section className="stack" aria-labelledby="add-tile-analyses">
        <h3 id="add-tile-analyses" className="first">
          {t('dashboards.add.analyses')}
        </h3>
        <input type="search" aria-label={t('dashboards.add.search')} placeholder={t('dashboards.add.search')} value={query} onChange={(e) => setQuery(e.target.value)} data-autofocus />
        {choices === null ? (
          <p className="muted">{t('dashboards.add.loading')}</p>
        ) : choices.length === 0 ? (
          <p className="muted">{t('dashboards.add.noAnalyses')}</p>
        ) : (
          <ul className="pick-list">
            {shown.map((a) => (
              <li key={a.id}>
                <button
                  type="button"
                  className="pick"
                  aria-label={t('dashboards.add.pick', { title: a.title })}
                  onClick={() => {
                    addAnalysis(a.id);
                    onClose();
                  }}
                >
                  {a.thumbnail ? <img src={a.thumbnail} alt="" className="pick-thumb" /> : <span className="pick-thumb" aria-hidden="true" />}
                  <span className="pick-text">
                    <strong>{a.title}</strong>
                    <span className="muted small">
                      {a.extract}
                      {a.chartType ? ` · ${a.chartType}` : ''} · {t('dashboards.add.updated', { when: formatDateTime(a.updatedAt, locale) })}
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="stack" aria-labelledby="add-tile-text">
        <h3 id="add-tile-text">{t('dashboards.add.text')}</h3>
        <textarea aria-label={t('dashboards.add.textLabel')} rows={3} value={text} onChange={(e) => setText(e.target.value)} />
        <div className="row-form">
          <button
            type="button"
            className="secondary"
            disabled={!text.trim()}
            onClick={() => {
              addText(text.trim());
              onClose();
            }}
          >
            {t('dashboards.add.addText')}
          </button>
        </div>
      </section>
      <div className="dialog-actions">
        <button type="button" className="ghost" onClick={onClose}>
          {t('dashboards.close')}
        </button>
      </div>
    </Dialog>
  );
}
