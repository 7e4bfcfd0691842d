import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format.js';
import { useApp } from '../../store/context.js';
import { Dialog } from '../../components/Dialog.js';

/** "New analysis": pick one of the extracts in the cache (expired leases cannot be read until synced). */
export function NewAnalysisDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const extracts = useApp((s) => s.extracts);
  const loadCatalog = useApp((s) => s.loadCatalog);
  const newAnalysis = useApp((s) => s.newAnalysis);
  const locale = useApp((s) => s.locale);
  const [chosen, setChosen] = useState<string | null>(null);

  useEffect(() => {
    if (extracts === null) void loadCatalog();
  }, [extracts, loadCatalog]);

  const usable = (extracts ?? []).filter((e) => !e.leaseExpired);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const name = chosen ?? (usable.length === 1 ? usable[0]!.name : null);
    if (!name) return;
    onClose();
    void newAnalysis(name);
  };

  return (
    <Dialog title={t('analyses.list.new')} onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        {extracts === null && <p className="muted">{t('analyses.list.loadingExtracts')}</p>}
        {extracts && extracts.length === 0 && <p className="muted">{t('analyses.list.noExtracts')}</p>}
        {extracts && extracts.length > 0 && (
          <fieldset className="extract-choices">
            <legend>{t('analyses.list.pickExtract')}</legend>
            {extracts.map((x) => (
              <div key={x.name} className={x.leaseExpired ? 'extract-choice disabled' : 'extract-choice'}>
                <input id={`extract-${x.name}`} type="radio" name="extract" value={x.name} disabled={x.leaseExpired} checked={chosen === x.name} onChange={() => setChosen(x.name)} aria-describedby={`extract-${x.name}-about`} />
                <label htmlFor={`extract-${x.name}`}>
                  <code>{x.name}</code>
                </label>
                <span id={`extract-${x.name}-about`} className="muted small">
                  {x.title} · {t('analyses.list.rows', { count: x.rowCount, formatted: formatNumber(x.rowCount, locale) })}
                  {x.leaseExpired && ` · ${t('analyses.list.leaseExpired')}`}
                </span>
              </div>
            ))}
          </fieldset>
        )}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t('analyses.common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={!chosen && usable.length !== 1}>
            {t('analyses.list.create')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
