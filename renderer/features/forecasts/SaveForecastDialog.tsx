import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisSpec } from '../../../shared/analysis/spec.js';
import type { ErrorInfo } from '../../../shared/errors.js';
import { Dialog } from '../../components/Dialog.js';
import { useApp } from '../../store/context.js';
import type { ForecastOptions } from '../../store/slices/forecasts/index.js';

/**
 * Saves the builder's forecast: runs it again with `save` under a title, then says where it is kept
 * (the Forecasts view), with a way there.
 */
export function SaveForecastDialog({ spec, options, onClose }: { spec: AnalysisSpec; options: ForecastOptions; onClose(): void }) {
  const { t } = useTranslation();
  const analysisTitle = useApp((s) => s.builderMeta.title);
  const save = useApp((s) => s.saveBuilderForecast);
  const navigate = useApp((s) => s.navigate);
  const measure = spec.measures?.[0]?.as ?? '';
  const [title, setTitle] = useState(t('forecasts.save.defaultTitle', { name: analysisTitle || measure }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const titleId = useId();
  const doneId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = title.trim();
    if (!name || busy) return;
    setBusy(true);
    setError(null);
    const outcome = await save(spec, options, name.slice(0, 200));
    setBusy(false);
    if (outcome.ok) setSaved(outcome.value.title || name);
    else setError(outcome.error);
  };

  return (
    <Dialog title={t('forecasts.save.title')} onClose={onClose} {...(saved ? { describedBy: doneId } : {})}>
      {saved ? (
        <>
          <p id={doneId} role="status">
            {t('forecasts.save.done', { title: saved })}
          </p>
          <div className="dialog-actions">
            <button type="button" className="secondary" onClick={onClose}>
              {t('forecasts.save.close')}
            </button>
            <button
              type="button"
              className="primary"
              data-autofocus
              onClick={() => {
                onClose();
                navigate('forecasts');
              }}
            >
              {t('forecasts.save.openView')}
            </button>
          </div>
        </>
      ) : (
        <form className="stack" onSubmit={(e) => void submit(e)}>
          <p className="muted small">{t('forecasts.save.explain')}</p>
          <label htmlFor={titleId}>
            {t('forecasts.save.name')}
            <input id={titleId} data-autofocus value={title} maxLength={200} required onChange={(e) => setTitle(e.target.value)} />
          </label>
          {error && (
            <p className="error" role="alert">
              {t('forecasts.save.failed', { code: error.code, message: error.message })}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" className="ghost" onClick={onClose}>
              {t('forecasts.save.cancel')}
            </button>
            <button type="submit" className="primary" disabled={busy || !title.trim()}>
              {busy ? t('forecasts.save.saving') : t('forecasts.save.submit')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
