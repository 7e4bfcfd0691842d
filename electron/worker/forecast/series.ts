import { MAX_LIMIT, type AnalysisResult, type AnalysisSpec, type Grain } from '../../../shared/analysis/spec.js';
import { dimensionName } from '../../../shared/workbench/explore.js';
import { StrongroomError } from '../../../shared/errors.js';
import { MAX_FORECAST_SERIES } from '../../../shared/contracts/forecast.js';
import { addPeriods, isoDate, parseDateCell, periodRange, periodStart } from '../../../shared/forecast/calendar.js';
import type { MissingPolicy } from '../../../shared/forecast/prepare.js';

/**
 * From an analysis spec to the series a forecast needs: which dimension is time, which are groups,
 * which measure; then from the query's answer to one gap-free calendar of periods per group.
 */

export interface ForecastShape {
  /** The spec as queried: no sort, table calculations or pivot; every row. */
  query: AnalysisSpec;
  dateField: string;
  dateColumn: string;
  grain: Grain;
  groupColumns: string[];
  measure: string;
  missing: MissingPolicy;
}

/** The output column of the latest date per period (a name no spec of ours produces). */
export const LATEST = 'strongroom__latest_date';

const invalid = (path: string, message: string): never => {
  throw new StrongroomError('INVALID_ANALYSIS', message, { path });
};

/** Checks the spec has one date dimension with a grain and one measure; groups are the other dimensions. */
export function forecastShape(spec: AnalysisSpec): ForecastShape {
  const dims = spec.dimensions ?? [];
  const dated = dims.filter((d) => d.grain);
  if (dated.length !== 1) {
    invalid('dimensions', dated.length === 0
      ? 'A forecast needs a date field with a grain (day, week, month, quarter or year) among the dimensions.'
      : `A forecast needs exactly one date dimension; this spec has ${dated.length} (${dated.map(dimensionName).join(', ')}).`);
  }
  const measures = spec.measures ?? [];
  if (measures.length !== 1) invalid('measures', `A forecast needs exactly one measure; this spec has ${measures.length}.`);
  const date = dated[0]!;
  const measure = measures[0]!;
  const { sort: _sort, tableCalcs: _calcs, pivot: _pivot, limit: _limit, chart: _chart, ...rest } = spec;
  return {
    // The latest date in each period comes along, to tell an unfinished last period (see lastPeriodEnds).
    query: { ...rest, measures: [...measures, { agg: 'max', field: date.field, as: LATEST }], limit: MAX_LIMIT },
    dateField: date.field,
    dateColumn: dimensionName(date),
    grain: date.grain!,
    groupColumns: dims.filter((d) => d !== date).map(dimensionName),
    measure: measure.as,
    // A period without rows means nothing happened for sums and counts, and "not measured" otherwise.
    missing: ['sum', 'count', 'count_distinct'].includes(measure.agg) ? 'zero' : 'interpolate',
  };
}

export interface GroupSeries {
  group: Array<string | number | boolean | null>;
  label: string;
  values: Array<number | null>;
}

export interface Calendar {
  periods: number[];
  series: GroupSeries[];
  /** Per period, the latest date in it over every group, in days after the period's start. */
  reach: number[];
}

/** One value per period and group, on the calendar from the earliest to the latest period in the answer. */
export function seriesFromResult(result: AnalysisResult, shape: ForecastShape): Calendar {
  const index = (name: string) => {
    const i = result.columns.findIndex((c) => c.name === name);
    if (i < 0) throw new StrongroomError('INTERNAL', `The forecast query did not answer the column "${name}".`);
    return i;
  };
  const dates = result.data[index(shape.dateColumn)]!;
  const values = result.data[index(shape.measure)]!;
  const latest = result.data[index(LATEST)]!;
  const groups = shape.groupColumns.map((g) => result.data[index(g)]!);
  const rows = result.rowCount;
  let first = Infinity;
  let last = -Infinity;
  const starts = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const ms = parseDateCell(dates[r]);
    starts[r] = Number.isFinite(ms) ? periodStart(ms, shape.grain) : Number.NaN;
    if (Number.isFinite(ms)) (first = Math.min(first, starts[r]!)), (last = Math.max(last, starts[r]!));
  }
  if (!Number.isFinite(first)) return { periods: [], series: [], reach: [] };
  const periods = periodRange(first, last, shape.grain);
  const slot = new Map(periods.map((p, i) => [p, i]));
  const byGroup = new Map<string, GroupSeries>();
  const reach = new Array<number>(periods.length).fill(-1);
  for (let r = 0; r < rows; r++) {
    const at = slot.get(starts[r]!);
    if (at === undefined) continue; // a null date: not on the calendar
    const ms = parseDateCell(latest[r]);
    if (Number.isFinite(ms)) reach[at] = Math.max(reach[at]!, Math.floor((ms - periods[at]!) / 86_400_000));
    const group = groups.map((col) => col[r] as string | number | boolean | null);
    const key = JSON.stringify(group);
    let s = byGroup.get(key);
    if (!s) {
      if (byGroup.size >= MAX_FORECAST_SERIES) invalid('dimensions', `A forecast covers at most ${MAX_FORECAST_SERIES.toLocaleString('en')} series; filter the groups down.`);
      s = { group, label: group.length ? group.map((v) => (v === null ? '(empty)' : String(v))).join(' · ') : shape.measure, values: new Array(periods.length).fill(null) };
      byGroup.set(key, s);
    }
    const v = values[r];
    s.values[at] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
  const series = [...byGroup.values()].sort((a, b) => a.label.localeCompare(b.label, 'en', { numeric: true }));
  return { periods, series, reach };
}

/**
 * Whether the last period is unfinished: its data stop earlier in the period than in any of the six
 * periods before it (by whole days). Data dated at the period's start (monthly snapshots) reach day 0
 * every period and never count as unfinished; daily data stopping mid-month do.
 */
export function lastPeriodUnfinished(calendar: Calendar): boolean {
  const { reach } = calendar;
  if (reach.length < 3) return false;
  const last = reach.at(-1)!;
  const before = reach.slice(-7, -1).filter((d) => d >= 0);
  return before.length > 0 && last >= 0 && last < Math.min(...before);
}

export const futurePeriods = (last: number, grain: Grain, h: number): string[] => Array.from({ length: h }, (_, i) => isoDate(addPeriods(last, grain, i + 1)));
