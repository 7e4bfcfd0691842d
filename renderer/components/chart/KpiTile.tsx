import { forwardRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpiSummary } from '../../../shared/charts/kpi.js';

const ARROWS = { up: '▲', down: '▼', flat: '■' } as const;

/**
 * One figure, large: the latest value of a measure, and its change since the period before with an
 * arrow and colour (green up, red down). The arrow and colour are repeated in words for screen
 * readers, and the change's direction is never told by colour alone.
 */
export const KpiTile = forwardRef<HTMLDivElement, { summary: KpiSummary; title: string; height?: number }>(function KpiTile({ summary, title, height }, ref) {
  const { t } = useTranslation();
  const { direction } = summary;
  const period = summary.previousPeriod ?? t('charts.kpi.previous');
  let spoken = '';
  if (direction === 'flat') spoken = t('charts.kpi.flat', { period });
  else if (direction) {
    const delta = (summary.deltaText ?? '').replace(/^[-+−]/, '');
    const ratio = (summary.ratioText ?? '').replace(/^[-+−]/, '');
    spoken = t(`charts.kpi.${direction}${summary.ratioText ? '' : 'NoRatio'}`, { delta, ratio, period });
  }
  return (
    <div ref={ref} className="kpi-tile" role="group" aria-label={title} style={height ? { minHeight: Math.min(height, 220) } : undefined}>
      <div className="kpi-label">
        {summary.measure}
        {summary.period && <span className="kpi-period"> · {summary.period}</span>}
      </div>
      <div className="kpi-value">{summary.valueText}</div>
      {direction && (
        <div className={`kpi-delta ${direction}`}>
          <span aria-hidden="true">
            {ARROWS[direction]} {summary.deltaText}
            {summary.ratioText && ` (${summary.ratioText})`}
            {summary.previousPeriod && <span className="kpi-vs"> {t('charts.kpi.vs', { period: summary.previousPeriod })}</span>}
          </span>
          <span className="sr-only">{spoken}</span>
        </div>
      )}
    </div>
  );
});
