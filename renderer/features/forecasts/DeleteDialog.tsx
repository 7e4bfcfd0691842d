import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ForecastRunSummary } from '../../../shared/contracts/index.js';
import type { ErrorInfo } from '../../../shared/errors.js';
import { Dialog } from '../../components/Dialog.js';
import { useApp } from '../../store/context.js';

/** Confirms deleting a saved run (the app's dialog). */
export function DeleteDialog({ run, onClose, onDeleted }: { run: Pick<ForecastRunSummary, 'id' | 'title'>; onClose(): void; onDeleted?(): void }) {
  const { t } = useTranslation();
  const remove = useApp((s) => s.removeForecast);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const confirm = async () => {
    setBusy(true);
    const outcome = await remove(run.id);
    setBusy(false);
    if (outcome.ok) {
      onClose();
      onDeleted?.();
    } else setError(outcome.error);
  };
  return (
    <Dialog title={t('forecasts.delete.title')} onClose={onClose} describedBy="forecast-delete-body">
      <p id="forecast-delete-body">{t('forecasts.delete.body', { title: run.title })}</p>
      {error && (
        <p className="error" role="alert">
          {t('forecasts.delete.failed', { code: error.code, message: error.message })}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="ghost" data-autofocus onClick={onClose}>
          {t('forecasts.delete.cancel')}
        </button>
        <button type="button" className="primary danger" disabled={busy} onClick={() => void confirm()}>
          {t('forecasts.delete.confirm')}
        </button>
      </div>
    </Dialog>
  );
}
