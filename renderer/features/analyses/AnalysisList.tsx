import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CHART_TYPES, type ChartType } from '../../../shared/analysis/spec.js';
import type { SavedAnalysisSummary } from '../../../shared/contracts/workbench.js';
import { EmptyState } from '../../components/EmptyState.js';
import { formatDateTime } from '../../format.js';
import { useApp } from '../../store/context.js';
import { Dialog } from '../../components/Dialog.js';
import { ChartGlyph } from './glyphs.js';
import { NewAnalysisDialog } from './NewAnalysisDialog.js';

const isChartType = (v: string | null): v is ChartType => v !== null && (CHART_TYPES as readonly string[]).includes(v);

/** Saved analyses as cards (thumbnail, title, extract, chart type, tags, updated), searchable and filterable by tag. */
export function AnalysisList() {
  const { t } = useTranslation();
  const analyses = useApp((s) => s.builderAnalyses);
  const error = useApp((s) => s.builderListError);
  const load = useApp((s) => s.loadAnalyses);
  const author = useApp((s) => s.capabilities?.author ?? true);
  const [query, setQuery] = useState('');
  const [tag, setTag] = useState('');
  const [creating, setCreating] = useState(false);
  const searchId = useId();
  const tagId = useId();

  useEffect(() => {
    void load();
  }, [load]);

  const tags = useMemo(() => [...new Set((analyses ?? []).flatMap((a) => a.tags))].sort((a, b) => a.localeCompare(b)), [analyses]);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (analyses ?? []).filter((a) => (!tag || a.tags.includes(tag)) && (!q || [a.title, a.description, a.extract, ...a.tags].some((s) => s.toLowerCase().includes(q))));
  }, [analyses, query, tag]);

  const newButton = author && (
    <button type="button" className="primary" onClick={() => setCreating(true)}>
      <span aria-hidden="true">+</span> {t('analyses.list.new')}
    </button>
  );

  return (
    <div className="stack analyses-list">
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      {analyses && analyses.length === 0 ? (
        <div className="stack center">
          <EmptyState id="analyses-empty" icon="analyses" title={t('analyses.list.emptyTitle')} body={t('analyses.list.emptyBody')} />
          <div className="toolbar center">{newButton}</div>
        </div>
      ) : (
        <>
          <div className="toolbar">
            <div className="field grow">
              <label className="sr-only" htmlFor={searchId}>
                {t('analyses.list.search')}
              </label>
              <input id={searchId} type="search" placeholder={t('analyses.list.search')} value={query} onChange={(e) => setQuery(e.target.value)} />
            </div>
            <div className="inline-field">
              <label htmlFor={tagId}>{t('analyses.list.tag')}</label>
              <select id={tagId} value={tag} onChange={(e) => setTag(e.target.value)}>
                <option value="">{t('analyses.list.allTags')}</option>
                {tags.map((x) => (
                  <option key={x} value={x}>
                    {x}
                  </option>
                ))}
              </select>
            </div>
            <div className="toolbar-right">{newButton}</div>
          </div>
          {analyses === null && !error && <p className="muted">{t('analyses.list.loading')}</p>}
          {analyses && shown.length === 0 && <p className="muted">{t('analyses.list.noMatch')}</p>}
          <ul className="analysis-cards" aria-label={t('analyses.list.label')}>
            {shown.map((a) => (
              <AnalysisCard key={a.id} analysis={a} author={author} />
            ))}
          </ul>
        </>
      )}
      {creating && <NewAnalysisDialog onClose={() => setCreating(false)} />}
    </div>
  );
}

function AnalysisCard({ analysis: a, author }: { analysis: SavedAnalysisSummary; author: boolean }) {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const open = useApp((s) => s.openAnalysis);
  const duplicate = useApp((s) => s.duplicateAnalysis);
  const remove = useApp((s) => s.removeAnalysis);
  const [confirming, setConfirming] = useState(false);
  const titleId = useId();
  const type = isChartType(a.chartType) ? a.chartType : null;
  return (
    <li className="analysis-card" aria-labelledby={titleId}>
      {/* A mouse shortcut only: the Open button is the accessible way in. */}
      <div className="thumb" onClick={() => void open(a.id)}>
        {a.thumbnail ? <img src={a.thumbnail} alt="" /> : <ChartGlyph type={type ?? 'table'} size={40} />}
      </div>
      <div className="card-body">
        <h3 id={titleId} className="first">
          {a.title}
        </h3>
        {a.description && <p className="muted small clamp">{a.description}</p>}
        <p className="small meta">
          <span className="badge">{a.extract}</span> {type && <span>{t(`analyses.chartTypes.${type}`)}</span>}
        </p>
        {a.tags.length > 0 && (
          <ul className="tags" aria-label={t('analyses.list.tagsOf', { title: a.title })}>
            {a.tags.map((tag) => (
              <li key={tag} className="badge public">
                {tag}
              </li>
            ))}
          </ul>
        )}
        <p className="muted small">{t('analyses.list.updated', { when: formatDateTime(a.updatedAt, locale) })}</p>
        <div className="card-actions">
          <button type="button" className="secondary" aria-label={t('analyses.list.openNamed', { title: a.title })} onClick={() => void open(a.id)}>
            {t('analyses.list.open')}
          </button>
          {author && (
            <>
              <button type="button" className="ghost" aria-label={t('analyses.list.duplicateNamed', { title: a.title })} onClick={() => void duplicate(a.id)}>
                {t('analyses.list.duplicate')}
              </button>
              <button type="button" className="ghost danger" aria-label={t('analyses.list.deleteNamed', { title: a.title })} onClick={() => setConfirming(true)}>
                {t('analyses.list.delete')}
              </button>
            </>
          )}
        </div>
      </div>
      {confirming && (
        <Dialog title={t('analyses.list.confirmTitle', { title: a.title })} onClose={() => setConfirming(false)}>
          <p>{t('analyses.list.confirmBody')}</p>
          <div className="dialog-actions">
            <button type="button" className="secondary" data-autofocus onClick={() => setConfirming(false)}>
              {t('analyses.common.cancel')}
            </button>
            <button
              type="button"
              className="primary danger"
              onClick={() => {
                setConfirming(false);
                void remove(a.id);
              }}
            >
              {t('analyses.list.confirmDelete')}
            </button>
          </div>
        </Dialog>
      )}
    </li>
  );
}
