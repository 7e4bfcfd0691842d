import type { Filter } from '../../../../shared/analysis/spec.js';

/**
 * The filters that restrict anything. A value list with nothing picked yet, or a range with neither
 * bound, is a filter still being set up in the filter bar: applied as it stands, an empty `in` would
 * keep no rows at all, so it is left out of runs, saves and reports until it has a value.
 */
export function activeFilters(filters: readonly Filter[]): Filter[] {
  return filters.filter((f) => !(f.op === 'in' && f.values.length === 0) && !(f.op === 'range' && f.min === undefined && f.max === undefined));
}
