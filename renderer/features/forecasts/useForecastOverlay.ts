import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisSpec } from '../../../shared/analysis/spec.js';
import { forecastOverlay, type ForecastOverlayRun } from '../../../shared/charts/forecast.js';
import type { NumberFormat } from '../../../shared/charts/format.js';
import type { FigureOverlay } from '../../../shared/charts/types.js';
import { useColumnLabels } from '../../components/chart/useColumnLabels.js';
import { useApp } from '../../store/context.js';
import { queryKeyOf } from '../../store/slices/forecasts/index.js';
import { selectFields } from '../../store/slices/builder/selectors.js';
import { eligibility, percent } from './model.js';

/** The overlay of a run in the app's words and number format (memoised: the chart rebuilds when it changes). */
export function useRunOverlay(run: ForecastOverlayRun | null, format?: NumberFormat, measureLabel?: string): FigureOverlay | undefined {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  return useMemo(() => {
    if (!run) return undefined;
    // A series without groups is the measure itself: name it as the chart names its line ("Sum of deposits").
    const named = measureLabel ? { ...run, series: run.series.map((s) => (s.group.length === 0 ? { ...s, label: measureLabel } : s)) } : run;
    return forecastOverlay(named, {
      locale,
      ...(format ? { format } : {}),
      labels: {
        forecast: (label) => t('forecasts.overlay.forecast', { label }),
        interval: (level) => t('forecasts.overlay.interval', { level: percent(level / 100, locale, 1) }),
        all: t('forecasts.overlay.all'),
      },
    });
  }, [run, format, measureLabel, locale, t]);
}

/** The builder's forecast over the chart of `spec`, while the forecast answers that spec's question. */
export function useBuilderOverlay(spec: AnalysisSpec | null): FigureOverlay | undefined {
  const forecast = useApp((s) => s.builderForecast);
  const fields = useApp(selectFields);
  const labels = useColumnLabels(spec);
  const fits = spec !== null && forecast.status === 'done' && forecast.run !== null && forecast.queryKey === queryKeyOf(spec) && eligibility(spec, fields).ok;
  return useRunOverlay(fits ? forecast.run : null, spec?.chart?.format, forecast.run ? labels?.[forecast.run.measure] : undefined);
}
