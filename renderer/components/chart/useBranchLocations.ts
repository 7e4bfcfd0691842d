import { useEffect, useMemo } from 'react';
import type { AnalysisSpec } from '../../../shared/analysis/spec.js';
import { branchLocationsFrom } from '../../../shared/charts/map.js';
import type { BranchLocation } from '../../../shared/charts/types.js';
import { outputDimension } from '../../../shared/workbench/explore.js';
import { useApp } from '../../store/context.js';
import { BRANCHES_EXTRACT } from '../../store/slices/workspace/index.js';

/**
 * Where the branches of a map chart are, for Chart's `branchLocations`: read from the synced branches
 * extract once per session (and again after it syncs), named by city in the user's language.
 * Undefined when the spec is no map, places its marks by lat/lon columns, or while the locations load;
 * with no branches extract in the cache the chart says its marks have no known location.
 */
export function useBranchLocations(spec: AnalysisSpec | null | undefined): BranchLocation[] | undefined {
  const chart = spec?.chart;
  const needed = chart?.type === 'map' && chart.lat === undefined && chart.lon === undefined;
  const generation = useApp((s) => s.syncGeneration[BRANCHES_EXTRACT] ?? 0);
  const cached = useApp((s) => s.branchRows);
  const load = useApp((s) => s.loadBranchRows);
  const locale = useApp((s) => s.locale);
  useEffect(() => {
    if (needed) void load();
  }, [needed, generation, load]);
  // The chart's x holds branch ids, unless its dimension is the branch code.
  const field = needed && spec && chart?.x !== undefined ? (outputDimension(spec, chart.x)?.field ?? chart.x) : null;
  const byCode = field === 'code' || field === 'branch_code';
  return useMemo(() => {
    if (!needed || !cached?.rows) return undefined;
    return branchLocationsFrom(
      cached.rows.map((r) => ({
        key: byCode ? r.code : r.id,
        name: (locale === 'ru' ? (r.city ?? r.cityEn) : (r.cityEn ?? r.city)) ?? null,
        lat: r.lat,
        lon: r.lon,
      })),
    );
  }, [needed, cached, byCode, locale]);
}
