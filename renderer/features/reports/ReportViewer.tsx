import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Filter } from '../../../shared/analysis/spec.js';
import type { Report } from '../../../shared/contracts/index.js';
import { formatDateTime } from '../../format.js';
import { useApp } from '../../store/context.js';
import type { TileSource } from '../../store/slices/dashboards/index.js';
import { DashboardCanvas } from '../dashboards/DashboardCanvas.js';

/**
 * A published report, read-only: the tiles as the author laid them out, over the viewer's own
 * permitted rows. Filters and cross-filters may be used to explore; nothing is saved.
 */
export function ReportViewer({ report }: { report: Report }) {
  const { t } = useTranslation();
  const locale = useApp((s) => s.locale);
  const extracts = useApp((s) => s.extracts);
  const loadCatalog = useApp((s) => s.loadCatalog);
  const close = useApp((s) => s.closeReport);
  const { definition } = report;
  const [filters, setFilters] = useState<Filter[]>(definition.filters);

  useEffect(() => {
    void loadCatalog();
  }, [loadCatalog]);

  const analyses = useMemo(() => {
    const out: Record<string, TileSource> = {};
    for (const tile of definition.tiles) {
      if (!tile.analysisId) continue;
      const a = definition.analyses[tile.analysisId];
      out[tile.analysisId] = a ? { title: a.title, spec: a.spec } : { error: { code: 'NOT_FOUND', message: tile.analysisId } };
    }
    return out;
  }, [definition]);

  const data = report.extracts
    .map((name) => {
      const synced = extracts?.find((e) => e.name === name)?.syncedAt;
      return synced ? t('reports.viewer.extractSynced', { name, when: formatDateTime(synced, locale) }) : t('reports.viewer.extractNotSynced', { name });
    })
    .join(', ');

  return (
    <div className="stack">
      <div className="toolbar">
        <button type="button" className="ghost" onClick={close}>
          ← {t('reports.viewer.back')}
        </button>
        <h2>{report.title}</h2>
      </div>
      {report.description && <p className="muted">{report.description}</p>}
      <div className="report-banner" role="note" aria-labelledby="report-banner-label">
        <strong id="report-banner-label">{t('reports.viewer.readOnly')}</strong>
        <span>
          {' · '}
          {t('reports.viewer.published', { by: report.publishedBy, when: formatDateTime(report.publishedAt, locale) })}
          {' · '}
          {t('reports.viewer.data', { data })}
        </span>
      </div>
      <p className="small">
        <strong>{t('reports.viewer.exportPolicy')}</strong>{' '}
        {report.exportFormats.length ? report.exportFormats.map((f) => t(`reports.format.${f}`)).join(', ') : t('reports.viewer.noExports')}
      </p>
      {report.missingExtracts.length > 0 && (
        <p className="notice" role="status">
          {t('reports.missing', { extracts: report.missingExtracts.join(', ') })}
        </p>
      )}
      <DashboardCanvas label={report.title} tiles={definition.tiles} analyses={analyses} filters={filters} onFiltersChange={setFilters} crossFilter={definition.crossFilter} readOnly />
    </div>
  );
}
