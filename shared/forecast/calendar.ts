import { addPeriods, parseIsoInstant, truncateTo } from '../analysis/dates.js';
import type { Grain } from '../analysis/spec.js';

/**
 * Period arithmetic for forecasting, in UTC as the analysis engine truncates dates: each period is
 * named by the ISO date of its first day (`2024-03-01` for March 2024; weeks start on Monday).
 */

/** The start of the period holding `ms` (the analysis engine's own truncation). */
export const periodStart = truncateTo;
export { addPeriods };

/** Every period start from `first` to `last` inclusive (both period starts). */
export function periodRange(first: number, last: number, grain: Grain): number[] {
  const out: number[] = [];
  for (let t = first, k = 0; t <= last; t = addPeriods(first, grain, ++k)) out.push(t);
  return out;
}

export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A cell of a date or timestamp column (`YYYY-MM-DD` or ISO 8601) as epoch ms; NaN when not a date. */
export function parseDateCell(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return Number.NaN;
  return parseIsoInstant(value)?.ms ?? Number.NaN;
}
