import type { Grain } from '../../../../shared/analysis/spec.js';
import { civilFromDays, DAY_MS, daysFromCivil, daysInMonth, unpackDay, unpackMonth, unpackYear } from './store.js';

/**
 * UTC calendar arithmetic on day numbers (days since 1970-01-01) and epoch milliseconds, with the
 * semantics of electron/worker/query/sql-expr.ts (weeks start on Monday; DATEADD truncates its count,
 * clamps to month ends, keeps the time of day, and is null outside years 1–9999). Non-finite inputs
 * (PostgreSQL's ±infinity dates) give NaN (null) from the part and difference functions and pass
 * through the truncations unchanged.
 */

/** Day number of epoch ms. */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** 0 for Monday … 6 for Sunday (1970-01-01, day 0, was a Thursday). */
export function weekdayIndex(day: number): number {
  return (((day % 7) + 10) % 7) | 0;
}

/** The first day of the grain period containing `day`. */
export function periodStart(day: number, grain: Grain): number {
  if (!Number.isFinite(day)) return day;
  switch (grain) {
    case 'day':
      return day;
    case 'week':
      return day - weekdayIndex(day);
    case 'month':
      return day - unpackDay(civilFromDays(day)) + 1;
    case 'quarter': {
      const p = civilFromDays(day);
      const m = unpackMonth(p);
      return daysFromCivil(unpackYear(p), m - ((m - 1) % 3), 1);
    }
    case 'year':
      return daysFromCivil(unpackYear(civilFromDays(day)), 1, 1);
  }
}

/**
 * The ordinal of a day's period: consecutive periods have consecutive ordinals (day numbers for
 * days, Monday-week numbers, month indexes, quarter and year numbers), so a month grain over three
 * years spans 36 codes rather than 1,100 days.
 */
export function periodOrdinal(day: number, grain: Grain): number {
  if (!Number.isFinite(day)) return day;
  switch (grain) {
    case 'day':
      return day;
    case 'week':
      // Day 0 (1970-01-01) is a Thursday, so Mondays are the days ≡ 4 (mod 7).
      return (day - weekdayIndex(day) + 3) / 7;
    case 'month':
      return monthIndex(day);
    case 'quarter':
      return Math.floor(monthIndex(day) / 3);
    case 'year':
      return Math.floor(monthIndex(day) / 12);
  }
}

/** The first day of the period with this ordinal (inverse of {@link periodOrdinal}). */
export function ordinalStartDay(ordinal: number, grain: Grain): number {
  const fromMonth = (m: number) => daysFromCivil(Math.floor(m / 12), (((m % 12) + 12) % 12) + 1, 1);
  switch (grain) {
    case 'day':
      return ordinal;
    case 'week':
      return ordinal * 7 - 3;
    case 'month':
      return fromMonth(ordinal);
    case 'quarter':
      return fromMonth(ordinal * 3);
    case 'year':
      return fromMonth(ordinal * 12);
  }
}

/** Month index `y * 12 + m - 1` of a day. */
export function monthIndex(day: number): number {
  const p = civilFromDays(day);
  return unpackYear(p) * 12 + unpackMonth(p) - 1;
}

/** A direct-mapped memo of a function of day numbers: dates cluster, so most rows hit. */
export class DayMemo {
  private readonly keys = new Float64Array(4096).fill(NaN);
  private readonly vals = new Float64Array(4096);
  constructor(private readonly fn: (day: number) => number) {}

  get(day: number): number {
    const slot = day & 4095;
    if (this.keys[slot] === day) return this.vals[slot]!;
    const v = this.fn(day);
    this.keys[slot] = day;
    this.vals[slot] = v;
    return v;
  }
}

export type DatePart = 'YEAR' | 'QUARTER' | 'MONTH' | 'DAY' | 'WEEKDAY' | 'HOUR';

/** The function of a day number a date part is (HOUR is handled on milliseconds). */
export function partOfDay(part: Exclude<DatePart, 'HOUR'>): (day: number) => number {
  switch (part) {
    case 'YEAR':
      return (day) => (Number.isFinite(day) ? unpackYear(civilFromDays(day)) : NaN);
    case 'QUARTER':
      return (day) => (Number.isFinite(day) ? Math.floor((unpackMonth(civilFromDays(day)) - 1) / 3) + 1 : NaN);
    case 'MONTH':
      return (day) => (Number.isFinite(day) ? unpackMonth(civilFromDays(day)) : NaN);
    case 'DAY':
      return (day) => (Number.isFinite(day) ? unpackDay(civilFromDays(day)) : NaN);
    case 'WEEKDAY':
      return (day) => (Number.isFinite(day) ? weekdayIndex(day) + 1 : NaN);
  }
}

/** HOUR of epoch ms (UTC), 0–23. */
export function hourOf(ms: number): number {
  if (!Number.isFinite(ms)) return NaN;
  return Math.floor((ms - dayOf(ms) * DAY_MS) / 3_600_000);
}

/** DATEDIFF(unit, a, b): calendar boundaries crossed from a to b (epoch ms). */
export function dateDiff(unit: Grain, a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return NaN;
  const da = dayOf(a);
  const db = dayOf(b);
  switch (unit) {
    case 'day':
      return db - da;
    case 'week':
      return (periodStart(db, 'week') - periodStart(da, 'week')) / 7;
    case 'month':
      return monthIndex(db) - monthIndex(da);
    case 'quarter': {
      const qa = Math.floor(monthIndex(da) / 3);
      const qb = Math.floor(monthIndex(db) / 3);
      return qb - qa;
    }
    case 'year':
      return unpackYear(civilFromDays(db)) - unpackYear(civilFromDays(da));
  }
}

/** DATEADD(unit, n, ms): n truncated toward zero; months clamp to the month's end; time of day kept. */
export function dateAdd(unit: Grain, n: number, ms: number): number {
  if (!Number.isFinite(n) || !Number.isFinite(ms)) return NaN;
  const k = Math.trunc(n);
  const day = dayOf(ms);
  const timeOfDay = ms - day * DAY_MS;
  let next: number;
  if (unit === 'day' || unit === 'week') {
    next = day + k * (unit === 'week' ? 7 : 1);
  } else {
    const months = monthIndex(day) + k * (unit === 'month' ? 1 : unit === 'quarter' ? 3 : 12);
    const y = Math.floor(months / 12);
    const m = months - y * 12 + 1;
    next = daysFromCivil(y, m, Math.min(unpackDay(civilFromDays(day)), daysInMonth(y, m)));
  }
  const year = unpackYear(civilFromDays(next));
  if (year < 1 || year > 9999) return NaN;
  return next * DAY_MS + timeOfDay;
}
