import type { Grain } from './spec.js';

/** UTC calendar arithmetic on epoch milliseconds, shared by the planner and the engines' tests. */

const DAY = 86_400_000;

/** Parses `YYYY-MM-DD` (→ midnight UTC) or an ISO date-time (zone optional, UTC assumed). Null if invalid. */
export function parseIsoInstant(text: string): { ms: number; dateOnly: boolean } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (h === undefined) return { ms: Date.UTC(year, month - 1, day), dateOnly: true };
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return null;
  let ms = Date.UTC(year, month - 1, day, hour, minute, second) + (frac ? Math.round(Number(frac) * 1e6) / 1e3 : 0);
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return { ms, dateOnly: false };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The first instant of the grain period containing `ms` (weeks start on Monday). */
export function truncateTo(ms: number, grain: Grain): number {
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

/** Adds whole grain periods to a period start (a month added to the 1st stays on the 1st). */
export function addPeriods(start: number, grain: Grain, n: number): number {
  const d = new Date(start);
  switch (grain) {
    case 'day':
      return start + n * DAY;
    case 'week':
      return start + n * 7 * DAY;
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, d.getUTCDate());
    case 'quarter':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3 * n, d.getUTCDate());
    case 'year':
      return Date.UTC(d.getUTCFullYear() + n, d.getUTCMonth(), d.getUTCDate());
  }
}

/** `[start, end)` of "the last `last` units up to and including the current one" at `now`. */
export function relativeRange(now: number, last: number, unit: Grain): { start: number; end: number } {
  const current = truncateTo(now, unit);
  return { start: addPeriods(current, unit, -(last - 1)), end: addPeriods(current, unit, 1) };
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
