/**
 * Seasonal periods implied by a date grain, for the forecasters.
 *
 * - day: a week (7) and a year (365.25 days: the mean calendar year, so the yearly cycle does not
 *   drift by a day every four years);
 * - week: a year of ISO weeks (365.25 / 7 ≈ 52.18);
 * - month: 12; quarter: 4;
 * - year: none.
 *
 * (Day data have a monthly cycle too, 30.44, but banking series rarely show one that the weekly and
 * yearly components do not already cover, and each extra component costs variance; it is left out.)
 *
 * A period is kept only with at least two full cycles in the data (2·p ≤ n), so 60 days of daily
 * data give [7] and two years give [7, 365.25]. MSTL itself is stricter by one point, as R's mstl
 * (p < n / 2): a period with exactly two cycles is dropped there.
 */

export type ForecastGrain = 'day' | 'week' | 'month' | 'quarter' | 'year';

const GRAIN_PERIODS: Record<ForecastGrain, readonly number[]> = {
  day: [7, 365.25],
  week: [52.18],
  month: [12],
  quarter: [4],
  year: [],
};

/** The seasonal periods of a grain (shortest first) that n observations cover at least twice. */
export function periodsForGrain(grain: ForecastGrain, n: number): number[] {
  const periods = GRAIN_PERIODS[grain] ?? [];
  return periods.filter((p) => Number.isFinite(n) && 2 * p <= n);
}

/**
 * The integer period a single-season model (ETS, Theta, ARIMA, seasonal naive) should use: the
 * shortest period, rounded (a seasonal model needs whole cycles); 1 (no season) when there is none.
 * Periods that round below 2 are ignored.
 */
export function mainPeriod(periods: readonly number[]): number {
  let best = Infinity;
  for (const p of periods) if (Number.isFinite(p) && Math.round(p) >= 2) best = Math.min(best, Math.round(p));
  return Number.isFinite(best) ? best : 1;
}
