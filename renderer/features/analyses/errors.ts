import type { TFunction } from 'i18next';
import type { AnalysisSpec } from '../../../shared/analysis/spec.js';
import type { ErrorInfo } from '../../../shared/errors.js';

/**
 * Where in the builder an INVALID_ANALYSIS error points, in the analyst's words: the planner's
 * `details.path` (`filters[1].values`, `dimensions[0].grain`, `calculated[0].expr`) names a part of
 * the spec; this names the shelf item or filter that produced it.
 */
export function explainPath(path: string, spec: AnalysisSpec | null, t: TFunction): string | null {
  const m = /^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?/.exec(path);
  if (!m) return null;
  const [, part, indexText] = m;
  const index = indexText === undefined ? -1 : Number(indexText);
  switch (part) {
    case 'dimensions': {
      const field = spec?.dimensions?.[index]?.field;
      return field ? t('analyses.errors.atDimension', { field }) : null;
    }
    case 'measures': {
      const measure = spec?.measures?.[index];
      return measure ? t('analyses.errors.atMeasure', { field: measure.field ?? measure.as }) : null;
    }
    case 'filters': {
      const field = spec?.filters?.[index]?.field;
      return field ? t('analyses.errors.atFilter', { field }) : null;
    }
    case 'calculated': {
      const name = spec?.calculated?.[index]?.name;
      return name ? t('analyses.errors.atCalculated', { name }) : null;
    }
    case 'chart':
      return t('analyses.errors.atChart');
    case 'sort':
      return t('analyses.errors.atSort');
    case 'pivot':
      return t('analyses.errors.atPivot');
    case 'tableCalcs':
      return t('analyses.errors.atTableCalc');
    default:
      return null;
  }
}

/** The path of an error, when it has one. */
export function errorPath(error: ErrorInfo): string | null {
  const path = error.details?.['path'];
  return typeof path === 'string' ? path : null;
}
