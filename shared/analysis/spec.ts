import { z } from 'zod';

/**
 * The analysis spec: one declarative, versioned description of a question asked of one extract.
 * Charts, pivots, dashboard tiles, reports, forecasts and exports all run on it. It is plain JSON,
 * validated here (shape) and then against the extract's schema (names and types) before any SQL is
 * compiled from it; nothing in it is ever concatenated into SQL.
 */
export const SPEC_VERSION = 1;

/** Upper bound on result rows an analysis may ask for; more would not be an interactive answer. */
export const MAX_LIMIT = 1_000_000;
/** Rows returned when the spec names no limit. `truncated` in the result says if there were more. */
export const DEFAULT_LIMIT = 10_000;

const name = z.string().min(1).max(200);

/** Calendar grains for date and timestamp fields (weeks start on Monday, ISO 8601). UTC. */
export const GRAINS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Grain = (typeof GRAINS)[number];

export const AGGREGATIONS = ['count', 'count_distinct', 'sum', 'avg', 'min', 'max', 'median', 'percentile', 'stddev'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** A grouping field: a column or calculated field, optionally truncated to a date grain or binned. */
export const dimensionSchema = z.strictObject({
  /** Column or calculated-field name. */
  field: name,
  /** Output column name; defaults to the field name, or `field_grain` / `field_bin`. */
  as: name.optional(),
  /** Truncate a date or timestamp to the start of its day, week (Monday), month, quarter or year. */
  grain: z.enum(GRAINS).optional(),
  /** Numeric bins: each value becomes `origin + width * floor((value - origin) / width)`. */
  bin: z.strictObject({ width: z.number().positive().finite(), origin: z.number().finite().optional() }).optional(),
});

/** An aggregated value. `count` without a field counts rows; with one it counts non-null values. */
export const measureSchema = z.strictObject({
  agg: z.enum(AGGREGATIONS),
  field: name.optional(),
  /** Output column name. */
  as: name,
  /** For `percentile`: the fraction in [0, 1], interpolated linearly (PostgreSQL's percentile_cont). */
  p: z.number().min(0).max(1).optional(),
});

/** A row-level calculated field, written in Strongroom's expression language (see shared/analysis/expr). */
export const calculatedSchema = z.strictObject({ name, expr: z.string().min(1).max(4000) });

const scalar = z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]);
const bound = z.union([z.string().max(40), z.number().finite()]);

/** Measure used to rank values for a top/bottom N filter. */
export const rankBySchema = z.strictObject({ agg: z.enum(AGGREGATIONS), field: name.optional(), p: z.number().min(0).max(1).optional() });

export const filterSchema = z.discriminatedUnion('op', [
  /** Keep rows whose value is one of `values` (null matches missing values). */
  z.strictObject({ field: name, op: z.literal('in'), values: z.array(scalar).max(10_000) }),
  /** Drop rows whose value is one of `values`; rows with a missing value are kept unless null is listed. */
  z.strictObject({ field: name, op: z.literal('not_in'), values: z.array(scalar).max(10_000) }),
  /**
   * Keep rows with `min <= value <= max` (either may be left out). For dates and timestamps the bounds
   * are ISO dates or date-times; a date-only `max` includes that whole day.
   */
  z.strictObject({ field: name, op: z.literal('range'), min: bound.optional(), max: bound.optional() }),
  /** Keep text values containing `value`, ignoring case unless `caseSensitive`. */
  z.strictObject({ field: name, op: z.literal('contains'), value: z.string().min(1).max(1000), caseSensitive: z.boolean().optional() }),
  /** Keep rows where the value is missing. */
  z.strictObject({ field: name, op: z.literal('null') }),
  /** Keep rows where the value is present. */
  z.strictObject({ field: name, op: z.literal('not_null') }),
  /**
   * Relative dates: the last `last` whole units up to and including the current one, e.g. last 12
   * months = from the first day of the month 11 months ago to the end of this month. "Now" is the
   * time the analysis runs (UTC), or the `now` execution option.
   */
  z.strictObject({ field: name, op: z.literal('relative'), last: z.number().int().min(1).max(10_000), unit: z.enum(GRAINS) }),
  /** Keep the `n` values of `field` with the largest (or, with `bottom`, smallest) measure `by`, under the other filters. */
  z.strictObject({ field: name, op: z.literal('top'), n: z.number().int().min(1).max(100_000), by: rankBySchema, bottom: z.boolean().optional() }),
]);

export const sortSchema = z.strictObject({ by: name, dir: z.enum(['asc', 'desc']).optional() });

/** Row fields × column fields; every dimension goes in exactly one of them. */
export const pivotSchema = z.strictObject({
  rows: z.array(name).max(8),
  columns: z.array(name).max(8),
  /** Subtotals for every leading part of the row fields and of the column fields (default true). */
  subtotals: z.boolean().optional(),
  /** A grand total row and column (default true). */
  grandTotals: z.boolean().optional(),
});

export const TABLE_CALCS = ['running_total', 'percent_of_total', 'difference', 'percent_difference', 'moving_average', 'rank'] as const;
export type TableCalcKind = (typeof TABLE_CALCS)[number];

/**
 * A calculation over the result rows (Tableau's table calculations). Rows are partitioned by every
 * dimension except `along`, ordered by `along` (default: the first date dimension, else the first
 * dimension). `percent_of_total` and `rank` with no `along` work over the whole partition-free result.
 */
export const tableCalcSchema = z.strictObject({
  calc: z.enum(TABLE_CALCS),
  /** Measure output name. */
  measure: name,
  as: name,
  /** Dimension output name to compute along. */
  along: name.optional(),
  /** Moving average window in rows (default 3, the current row and the two before it). */
  window: z.number().int().min(1).max(1000).optional(),
  /** Rank direction (default desc: the largest value ranks 1). */
  dir: z.enum(['asc', 'desc']).optional(),
});

/**
 * Chart types. `bar` is horizontal, `column` vertical; `bubble` is a scatter sized by `size`; `donut` a
 * pie with a hole; `kpi` one measure's latest value and its change from the period before (x is the
 * date dimension); `pivot` the pivot table; `combo` bars (`y`) with lines (`y2`) on a second axis;
 * `map` the branch map (x is the branch key, or `lat`/`lon` columns place the marks).
 */
export const CHART_TYPES = [
  'bar', 'column', 'line', 'area', 'scatter', 'bubble', 'pie', 'donut', 'heatmap', 'histogram', 'box', 'kpi', 'table', 'pivot', 'combo', 'map',
] as const;
export type ChartType = (typeof CHART_TYPES)[number];

/** How bars of several colours (or several measures) share a category: side by side, stacked, or stacked to 100%. */
export const BAR_MODES = ['grouped', 'stacked', 'percent'] as const;
export type BarMode = (typeof BAR_MODES)[number];

/** How the result is drawn. Every field named here is an output column of the analysis. */
export const chartSchema = z.strictObject({
  type: z.enum(CHART_TYPES),
  x: name.optional(),
  y: z.union([name, z.array(name).min(1).max(16)]).optional(),
  /** `combo` only: measures drawn as lines against a second y axis. */
  y2: z.union([name, z.array(name).min(1).max(16)]).optional(),
  color: name.optional(),
  size: name.optional(),
  facet: name.optional(),
  /** `map` only: latitude and longitude columns (otherwise the branch key in `x` is looked up). */
  lat: name.optional(),
  lon: name.optional(),
  /** Bars, columns and areas with several series. Default grouped (areas: stacked). */
  barMode: z.enum(BAR_MODES).optional(),
  /** Number format of the values: plain, currency (roubles), percent (a fraction), or compact (1.2M). */
  format: z.enum(['number', 'currency', 'percent', 'compact']).optional(),
});

export const analysisSpecSchema = z.strictObject({
  /** Spec format version; a newer one is refused with a clear error rather than half-understood. */
  version: z.literal(SPEC_VERSION).optional(),
  extract: name,
  calculated: z.array(calculatedSchema).max(64).optional(),
  dimensions: z.array(dimensionSchema).max(16).optional(),
  measures: z.array(measureSchema).max(64).optional(),
  filters: z.array(filterSchema).max(64).optional(),
  sort: z.array(sortSchema).max(16).optional(),
  limit: z.number().int().min(1).max(MAX_LIMIT).optional(),
  pivot: pivotSchema.optional(),
  tableCalcs: z.array(tableCalcSchema).max(16).optional(),
  chart: chartSchema.optional(),
});

export type AnalysisSpec = z.infer<typeof analysisSpecSchema>;
export type Dimension = z.infer<typeof dimensionSchema>;
export type Measure = z.infer<typeof measureSchema>;
export type Filter = z.infer<typeof filterSchema>;
export type TableCalc = z.infer<typeof tableCalcSchema>;
export type PivotSpec = z.infer<typeof pivotSchema>;
export type ChartEncoding = z.infer<typeof chartSchema>;

/** Value types as analyses see them. Dates are `YYYY-MM-DD`, timestamps ISO 8601 in UTC with `Z`. */
export type ValueType = 'number' | 'string' | 'boolean' | 'date' | 'timestamp';

/** One output column. */
export interface ResultColumn {
  name: string;
  type: ValueType;
  /** Where it came from: a grouping field, an aggregate, or a table calculation. */
  role: 'dimension' | 'measure' | 'table_calc';
}

export type Cell = number | string | boolean | null;

/**
 * A result, column by column: `data[i][r]` is column i of row r. With a pivot, `grouping[r]` says
 * which dimensions row r totals over: bit i set means dimension i is rolled up (its value is null);
 * 0 is a detail row.
 */
export interface AnalysisResult {
  columns: ResultColumn[];
  data: Cell[][];
  rowCount: number;
  /** More rows matched than `limit` allowed. */
  truncated: boolean;
  grouping?: number[];
  /** Which engine answered: the in-memory columnar copy, the SQLite cache, or the warehouse (live). */
  engine: 'memory' | 'sqlite' | 'live';
  /** Served from the result cache. */
  cached: boolean;
  /** Extract version and sync time the answer was computed from. */
  extractVersion: number;
  syncedAt: string | null;
  elapsedMs: number;
}
