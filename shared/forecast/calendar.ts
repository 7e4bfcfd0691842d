import type { Grain } from '../analysis/spec.js';

/**
 * Period arithmetic for forecasting, in UTC as the analysis engine truncates dates: each period is
 * named by the ISO date of its first day (`2024-03-01` for March 2024; weeks start on Monday).
 */

const DAY = 86_400_000;

/** The start of the period holding `ms`. */
export function periodStart(ms: number, grain: Grain): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (grain) {
    case 'day':
      return Date.UTC(y, m, d.getUTCDate());
    case 'week': {
      const day = Date.UTC(y, m, d.getUTCDate());
      return day - ((d.getUTCDay() + 6) % 7) * DAY;
    }
    case 'month':
      return Date.UTC(y, m, 1);
    case 'quarter':
      return Date.UTC(y, m - (m % 3), 1);
    case 'year':
      return Date.UTC(y, 0, 1);
  }
}

/** The start of the period `steps` after the one starting at `start`. */
export function addPeriods(start: number, grain: Grain, steps: number): number {
  const d = new Date(start);
  switch (grain) {
    case 'day':
      return start + steps * DAY;
    case 'week':
      return start + steps * 7 * DAY;
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + steps, 1);
    case 'quarter':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3 * steps, 1);
    case 'year':
      return Date.UTC(d.getUTCFullYear() + steps, 0, 1);
  }
}

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
  return Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
}
