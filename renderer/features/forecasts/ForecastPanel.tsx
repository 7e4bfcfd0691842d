import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FORECAST_MODELS, MAX_HORIZON, type ForecastModel } from '../../../shared/contracts/index.js';
import { useApp } from '../../store/context.js';
import { selectFields, selectSpec } from '../../store/slices/builder/selectors.js';
import { queryKeyOf, type ForecastOptions } from '../../store/slices/forecasts/index.js';
import { FitStats } from './FitStats.js';
import { DEFAULT_HORIZON, eligibility, LEVEL_CHOICES, type LevelChoice } from './model.js';
import { SaveForecastDialog } from './SaveForecastDialog.js';
import './forecasts.css';

/**
 * The chart area's Forecast control: a toggle opening a small panel (horizon, interval, model) whose
 * Apply forecasts the builder's spec and draws it over the chart. Disabled, with the reason, when the
 * chart is not a line over one date dimension with a grain and one measure. A forecast whose spec has
 * changed since is removed.
 */
export function ForecastControl() {
  const { t } = useTranslation();
  const spec = useApp(selectSpec);
  const fields = useApp(selectFields);
  const forecast = useApp((s) => s.builderForecast);
  const run = useApp((s) => s.runBuilderForecast);
  const cancel = useApp((s) => s.cancelBuilderForecast);
  const clear = useApp((s) => s.clearBuilderForecast);
  const fit = eligibility(spec, fields);
  const grain = fit.ok ? fit.grain : null;
  const [open, setOpen] = useState(false);
  const [horizon, setHorizon] = useState<string>('');
  const [levels, setLevels] = useState<LevelChoice>('both');
  const [model, setModel] = useState<ForecastModel>('auto');
  const [saving, setSaving] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const reasonId = useId();
  const horizonId = useId();
  const levelsId = useId();
  const modelId = useId();
  const currentKey = spec ? queryKeyOf(spec) : null;

  // A forecast answers one question: when the spec asks another (or the chart cannot show it), it goes.
  useEffect(() => {
    if (forecast.status === 'idle' || forecast.queryKey === null) return;
    if (!fit.ok || forecast.queryKey !== currentKey) clear();
  }, [fit.ok, currentKey, forecast.queryKey, forecast.status, clear]);

  // A new grain resets the horizon to its default (twelve months are not twelve days).
  useEffect(() => {
    if (grain) setHorizon(String(DEFAULT_HORIZON[grain]));
  }, [grain]);

  const steps = Number(horizon);
  const validHorizon = Number.isInteger(steps) && steps >= 1 && steps <= MAX_HORIZON;
  const options = (): ForecastOptions => ({ horizon: steps, levels: [...LEVEL_CHOICES[levels]], model });
  const running = forecast.status === 'running';
  const shown = forecast.status === 'done' && forecast.run !== null && forecast.queryKey === currentKey;

  // Once a forecast is drawn, the panel closes so the chart has the room (the toggle reopens it).
  const wasRunning = useRef(false);
  useEffect(() => {
    if (wasRunning.current && shown) setOpen(false);
    wasRunning.current = running;
  }, [running, shown]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (!fit.ok || !spec || !validHorizon) return;
    void run(spec, options());
  };
  const close = () => {
    setOpen(false);
    toggleRef.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      close();
    }
  };

  const reason = fit.ok ? null : t(`forecasts.ineligible.${fit.reason}`);
  return (
    <div className="forecast-control">
      <div className="forecast-toolbar">
        <button
          ref={toggleRef}
          type="button"
          className={shown ? 'secondary active' : 'secondary'}
          aria-expanded={fit.ok ? open : false}
          aria-controls={fit.ok && open ? panelId : undefined}
          aria-disabled={!fit.ok}
          aria-describedby={reason ? reasonId : undefined}
          title={reason ?? t('forecasts.panel.toggleTitle')}
          onClick={() => fit.ok && setOpen((o) => !o)}
        >
          <span aria-hidden="true">⤳</span> {t('forecasts.panel.toggle')}
        </button>
        {reason && (
          <span id={reasonId} className="sr-only">
            {reason}
          </span>
        )}
        {shown && (
          <>
            <button type="button" className="ghost" onClick={clear}>
              {t('forecasts.panel.remove')}
            </button>
            <button type="button" className="ghost" onClick={() => setSaving(true)}>
              {t('forecasts.panel.save')}
            </button>
          </>
        )}
        <span className="muted small" role="status">
          {running ? t('forecasts.panel.running') : shown ? t('forecasts.panel.shown', { count: forecast.run!.series.length, horizon: forecast.run!.horizon }) : forecast.status === 'cancelled' ? t('forecasts.panel.cancelled') : ''}
        </span>
      </div>
      {fit.ok && open && (
        <form id={panelId} className="forecast-panel" aria-label={t('forecasts.panel.title')} onSubmit={apply} onKeyDown={onKeyDown}>
          <div className="forecast-fields">
            <label htmlFor={horizonId}>
              {t(`forecasts.panel.horizon.${fit.grain}`)}
              <input
                id={horizonId}
                type="number"
                inputMode="numeric"
                min={1}
                max={MAX_HORIZON}
                step={1}
                required
                value={horizon}
                aria-invalid={!validHorizon}
                onChange={(e) => setHorizon(e.target.value)}
              />
            </label>
            <label htmlFor={levelsId}>
              {t('forecasts.panel.interval')}
              <select id={levelsId} value={levels} onChange={(e) => setLevels(e.target.value as LevelChoice)}>
                <option value="both">{t('forecasts.panel.levels.both')}</option>
                <option value="80">{t('forecasts.panel.levels.80')}</option>
                <option value="95">{t('forecasts.panel.levels.95')}</option>
              </select>
            </label>
            <label htmlFor={modelId}>
              {t('forecasts.panel.model')}
              <select id={modelId} value={model} onChange={(e) => setModel(e.target.value as ForecastModel)}>
                {FORECAST_MODELS.map((m) => (
                  <option key={m} value={m}>
                    {t(`forecasts.models.${m}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {!validHorizon && (
            <p className="error small" role="alert">
              {t('forecasts.panel.badHorizon', { max: MAX_HORIZON })}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" className="ghost" onClick={close}>
              {t('forecasts.panel.close')}
            </button>
            {running ? (
              <button type="button" className="secondary" onClick={() => void cancel()}>
                {t('forecasts.panel.cancel')}
              </button>
            ) : null}
            <button type="submit" className="primary" disabled={running || !validHorizon}>
              {t('forecasts.panel.apply')}
            </button>
          </div>
        </form>
      )}
      {running && !open && (
        <div className="forecast-running">
          <button type="button" className="secondary small-button" onClick={() => void cancel()}>
            {t('forecasts.panel.cancel')}
          </button>
        </div>
      )}
      {forecast.status === 'error' && forecast.error && forecast.queryKey === currentKey && (
        <div className="error" role="alert">
          <p>
            <strong>{forecast.error.code === 'INVALID_ANALYSIS' ? t('forecasts.errors.invalid') : t('forecasts.errors.failed')}</strong> {forecast.error.message}
          </p>
        </div>
      )}
      {saving && spec && forecast.options && <SaveForecastDialog spec={spec} options={forecast.options} onClose={() => setSaving(false)} />}
    </div>
  );
}

/** The fit statistics of the builder's forecast, under the chart. */
export function BuilderForecastStats() {
  const spec = useApp(selectSpec);
  const forecast = useApp((s) => s.builderForecast);
  const headingId = useId();
  if (!spec || forecast.status !== 'done' || !forecast.run || forecast.queryKey !== queryKeyOf(spec)) return null;
  return <FitStats series={forecast.run.series} headingId={headingId} />;
}
