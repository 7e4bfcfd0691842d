import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { EXPORT_FORMATS, type ExportFormat, type ExtractSummary } from '../../../shared/contracts/index.js';
import { formatDateTime } from '../../format.js';
import { useApp } from '../../store/context.js';
import type { PublishOutcome } from '../../store/slices/reports/index.js';
import { Dialog } from './Dialog.js';

const REPORT_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const ROLE = /^[a-z_][a-z0-9_$]{0,62}$/;

/** A report name from a title: lowercase letters, digits and underscores, starting with a letter. */
export function reportNameFrom(title: string): string {
  const slug = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const named = /^[a-z]/.test(slug) ? slug : slug ? `report_${slug}` : 'report';
  return named.slice(0, 63).replace(/_+$/, '');
}

/** Why each export format cannot be offered: the extracts that do not allow it (none: allowed). */
export function exportBlockers(extracts: readonly string[], summaries: readonly ExtractSummary[] | null): Record<ExportFormat, { notAllowed: string[]; notCached: string[] }> {
  const out = {} as Record<ExportFormat, { notAllowed: string[]; notCached: string[] }>;
  for (const format of EXPORT_FORMATS) {
    // Until the catalog has loaded nothing is known to be missing; the worker checks again on publish.
    const notCached = summaries ? extracts.filter((e) => !summaries.some((s) => s.name === e)) : [];
    const notAllowed = extracts.filter((e) => summaries?.find((s) => s.name === e)?.allowedExports.includes(format) === false);
    out[format] = { notAllowed, notCached };
  }
  return out;
}

/** Publishes the open dashboard to the warehouse as a report (authors only). Unsaved changes are saved first. */
export function PublishDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const draft = useApp((s) => s.draft);
  const sources = useApp((s) => s.tileSources);
  const summaries = useApp((s) => s.extracts);
  const loadCatalog = useApp((s) => s.loadCatalog);
  const save = useApp((s) => s.saveDashboard);
  const saveError = useApp((s) => s.draftError);
  const publish = useApp((s) => s.publishReport);
  const formId = useId();
  const [name, setName] = useState(() => reportNameFrom(draft?.title ?? ''));
  const [title, setTitle] = useState(draft?.title ?? '');
  const [roles, setRoles] = useState('branch_staff');
  const [formats, setFormats] = useState<ExportFormat[]>([]);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<PublishOutcome | null>(null);
  const [saveFailed, setSaveFailed] = useState(false);

  useEffect(() => {
    void loadCatalog();
  }, [loadCatalog]);

  if (!draft) return null;
  const extracts = [...new Set(draft.tiles.flatMap((tile) => {
    const s = tile.analysisId ? sources[tile.analysisId] : undefined;
    return s && 'spec' in s ? [s.spec.extract] : [];
  }))].sort();
  const blockers = exportBlockers(extracts, summaries);
  const roleList = roles.split(/[\s,]+/).filter(Boolean);
  const nameOk = REPORT_NAME.test(name);
  const rolesOk = roleList.length > 0 && roleList.length <= 20 && roleList.every((r) => ROLE.test(r));
  const hasTiles = draft.tiles.length > 0;
  const hint = outcome?.ok === false ? t(`reports.publish.hint.${outcome.error.code}`, { defaultValue: '' }) : '';

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!draft || !nameOk || !rolesOk || busy) return;
    setBusy(true);
    setOutcome(null);
    setSaveFailed(false);
    const id = draft.id && !draft.dirty ? draft.id : await save();
    if (!id) {
      setSaveFailed(true);
      setBusy(false);
      return;
    }
    const allowed = formats.filter((f) => blockers[f].notAllowed.length === 0 && blockers[f].notCached.length === 0);
    setOutcome(await publish({ dashboardId: id, name, ...(title.trim() ? { title: title.trim() } : {}), roles: roleList, exportFormats: allowed }));
    setBusy(false);
  }

  return (
    <Dialog id="publish" title={t('reports.publish.title')} onClose={onClose} wide>
      <form id={formId} className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <p className="muted">{extracts.length ? t('reports.publish.reads', { extracts: extracts.join(', ') }) : t('reports.publish.noExtracts')}</p>
        <div className="field">
          <label htmlFor={`${formId}-name`}>{t('reports.publish.name')}</label>
          <input id={`${formId}-name`} value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!nameOk} aria-describedby={`${formId}-name-help`} spellCheck={false} data-autofocus />
          <span id={`${formId}-name-help`} className={nameOk ? 'muted small' : 'error-text small'}>
            {t('reports.publish.nameHelp')}
          </span>
        </div>
        <label className="field">
          <span>{t('reports.publish.reportTitle')}</span>
          <input value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <div className="field">
          <label htmlFor={`${formId}-roles`}>{t('reports.publish.roles')}</label>
          <input id={`${formId}-roles`} value={roles} onChange={(e) => setRoles(e.target.value)} aria-invalid={!rolesOk} aria-describedby={`${formId}-roles-help`} spellCheck={false} />
          <span id={`${formId}-roles-help`} className={rolesOk ? 'muted small' : 'error-text small'}>
            {t('reports.publish.rolesHelp')}
          </span>
        </div>
        <fieldset className="formats">
          <legend>{t('reports.publish.formats')}</legend>
          {EXPORT_FORMATS.map((f) => {
            const { notAllowed, notCached } = blockers[f];
            const reason = notAllowed.length ? t('reports.publish.notAllowed', { extracts: notAllowed.join(', ') }) : notCached.length ? t('reports.publish.notCached', { extracts: notCached.join(', ') }) : null;
            return (
              <div key={f} className="format-option">
                <label>
                  <input
                    type="checkbox"
                    checked={formats.includes(f) && !reason}
                    disabled={reason !== null}
                    aria-describedby={reason ? `${formId}-${f}-why` : undefined}
                    onChange={(e) => setFormats(e.target.checked ? [...formats, f] : formats.filter((x) => x !== f))}
                  />{' '}
                  {t(`reports.format.${f}`)}
                </label>
                {reason && (
                  <span id={`${formId}-${f}-why`} className="muted small">
                    {reason}
                  </span>
                )}
              </div>
            );
          })}
        </fieldset>
        {(draft.dirty || !draft.id) && <p className="notice">{t('reports.publish.savesFirst')}</p>}
        {saveFailed && saveError && (
          <p className="error" role="alert">
            {t('reports.publish.saveFailed', { message: saveError.message })}
          </p>
        )}
        {outcome?.ok === true && (
          <p className="ok" role="status">
            {t('reports.publish.done', { name: outcome.result.name, roles: outcome.result.roles.join(', '), when: formatDateTime(outcome.result.publishedAt, locale), extracts: outcome.result.extracts.join(', ') })}
          </p>
        )}
        {outcome?.ok === true && outcome.result.ungranted.length > 0 && (
          <div className="notice" role="alert">
            <p>{t('reports.publish.ungrantedLead')}</p>
            <ul>
              {outcome.result.ungranted.map((g) => (
                <li key={`${g.role}/${g.extract}`}>{t('reports.publish.ungranted', { role: g.role, extract: g.extract })}</li>
              ))}
            </ul>
          </div>
        )}
        {outcome?.ok === false && (
          <div className="error" role="alert">
            <p>{t('reports.publish.failed', { code: outcome.error.code, message: outcome.error.message })}</p>
            {hint && <p>{hint}</p>}
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="ghost" onClick={onClose}>
            {t('reports.publish.close')}
          </button>
          <button type="submit" className="primary" disabled={busy || !nameOk || !rolesOk || !hasTiles}>
            {busy ? t('reports.publish.publishing') : t('reports.publish.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
