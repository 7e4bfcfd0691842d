import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FORECAST_NOTES, type ForecastNote, type SeriesForecast } from '../../../shared/contracts/index.js';
import { useApp } from '../../store/context.js';
import { keyParams, percent, round } from './model.js';

/** Series shown at first in the table of several; the rest on request. */
const PAGE = 25;

type T = ReturnType<typeof useTranslation>['t'];

function levelText(level: number, locale: 'en' | 'ru'): string {
  return percent(level / 100, locale, 1);
}

/** "80 %: 78 % of backtest actuals inside" per level, or a dash when the series was not backtested. */
function coverageLines(s: SeriesForecast, t: T, locale: 'en' | 'ru'): string[] {
  if (!s.backtest || s.backtest.coverage.length === 0) return [];
  return s.backtest.coverage.map((c) => t('forecasts.stats.coverageLine', { level: levelText(c.level, locale), rate: percent(c.rate, locale) }));
}

function calibrationLines(s: SeriesForecast, t: T, locale: 'en' | 'ru'): string[] {
  return s.calibration.filter((c) => Math.abs(c.factor - 1) > 1e-6).map((c) => t('forecasts.stats.calibrationLine', { level: levelText(c.level, locale), factor: round(c.factor, locale) }));
}

export function noteText(note: ForecastNote, t: T): string {
  if (!(FORECAST_NOTES as readonly string[]).includes(note.code)) return note.message;
  return t(`forecasts.notes.${note.code}`, { ...(note.values ?? {}) });
}

function familyName(family: string, t: T): string {
  // A combination's model name already says how (Mean or Median) and of what.
  if (family === 'combination') return t('forecasts.stats.combined');
  return t(`forecasts.models.${family}`, { defaultValue: family });
}

function scores(s: SeriesForecast, t: T, locale: 'en' | 'ru') {
  const mase = s.backtest?.mase;
  const smape = s.backtest?.smape;
  return {
    mase: mase == null ? t('forecasts.stats.none') : round(mase, locale),
    smape: smape == null ? t('forecasts.stats.none') : percent(smape / 100, locale),
  };
}

/**
 * How well each series' model did on its own history: the model and its key parameters, backtest
 * MASE and sMAPE, the share of held-back actuals inside each interval, any widening of the intervals,
 * and the notes in plain words. One series as a list; several as a compact table.
 */
export function FitStats({ series, headingId }: { series: ReadonlyArray<SeriesForecast>; headingId?: string }) {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const [shown, setShown] = useState(PAGE);
  if (series.length === 0) return null;
  const heading = (
    <h3 id={headingId} className="panel-title">
      {t('forecasts.stats.heading')}
    </h3>
  );
  if (series.length === 1) {
    const s = series[0]!;
    const { mase, smape } = scores(s, t, locale);
    const params = keyParams(s.params, locale);
    const coverage = coverageLines(s, t, locale);
    const calibration = calibrationLines(s, t, locale);
    return (
      <section className="forecast-stats" aria-labelledby={headingId}>
        {heading}
        <dl className="forecast-facts">
          <dt>{t('forecasts.stats.model')}</dt>
          <dd>
            {s.model} <span className="muted">({familyName(s.family, t)})</span>
          </dd>
          {params.length > 0 && (
            <>
              <dt>{t('forecasts.stats.params')}</dt>
              <dd>{params.join(', ')}</dd>
            </>
          )}
          <dt>
            <abbr title={t('forecasts.stats.maseLong')}>MASE</abbr>
          </dt>
          <dd>{mase}</dd>
          <dt>
            <abbr title={t('forecasts.stats.smapeLong')}>sMAPE</abbr>
          </dt>
          <dd>{smape}</dd>
          <dt>{t('forecasts.stats.coverage')}</dt>
          <dd>{coverage.length ? coverage.join('; ') : t('forecasts.stats.noBacktest')}</dd>
          {calibration.length > 0 && (
            <>
              <dt>{t('forecasts.stats.calibration')}</dt>
              <dd>{calibration.join('; ')}</dd>
            </>
          )}
        </dl>
        {s.notes.length > 0 && (
          <ul className="forecast-notes" aria-label={t('forecasts.stats.notes')}>
            {s.notes.map((n, i) => (
              <li key={`${n.code}-${i}`}>{noteText(n, t)}</li>
            ))}
          </ul>
        )}
      </section>
    );
  }
  return (
    <section className="forecast-stats" aria-labelledby={headingId}>
      {heading}
      <div className="forecast-table-wrap" tabIndex={0} role="group" aria-labelledby={headingId}>
        <table className="forecast-table">
          <thead>
            <tr>
              <th scope="col">{t('forecasts.stats.series')}</th>
              <th scope="col">{t('forecasts.stats.model')}</th>
              <th scope="col">{t('forecasts.stats.params')}</th>
              <th scope="col" className="num">
                <abbr title={t('forecasts.stats.maseLong')}>MASE</abbr>
              </th>
              <th scope="col" className="num">
                <abbr title={t('forecasts.stats.smapeLong')}>sMAPE</abbr>
              </th>
              <th scope="col">{t('forecasts.stats.coverage')}</th>
              <th scope="col">{t('forecasts.stats.notes')}</th>
            </tr>
          </thead>
          <tbody>
            {series.slice(0, shown).map((s, i) => {
              const { mase, smape } = scores(s, t, locale);
              const backtested = coverageLines(s, t, locale);
              const coverage = [...(backtested.length ? backtested : [t('forecasts.stats.noBacktest')]), ...calibrationLines(s, t, locale)];
              return (
                <tr key={`${s.label}-${i}`}>
                  <th scope="row">{s.label}</th>
                  <td>{s.model}</td>
                  <td className="small">{keyParams(s.params, locale).join(', ')}</td>
                  <td className="num">{mase}</td>
                  <td className="num">{smape}</td>
                  <td className="small">{coverage.join('; ')}</td>
                  <td className="small">{s.notes.map((n) => noteText(n, t)).join(' ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {series.length > shown && (
        <button type="button" className="secondary" onClick={() => setShown((n) => n + PAGE * 4)}>
          {t('forecasts.stats.more', { count: series.length - shown })}
        </button>
      )}
    </section>
  );
}
