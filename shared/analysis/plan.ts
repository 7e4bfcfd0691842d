import type { Expr } from './expr/ast.js';
import type { Aggregation, Cell, Grain, ResultColumn, TableCalcKind, ValueType } from './spec.js';

/**
 * A plan is a spec after validation against one extract's schema: every name resolved to a typed
 * expression, every literal converted to the field's type, relative dates turned into concrete bounds.
 * Each engine (SQLite SQL, PostgreSQL SQL, the in-memory columnar engine) executes a plan and must
 * give the same answer; the conventions below are the contract between them.
 *
 * Value conventions inside a plan:
 * - `number`: JS numbers. `boolean`: true/false. `string`: JS strings.
 * - `date` and `timestamp` literals and bounds are epoch milliseconds (UTC); dates at midnight.
 *
 * Output conventions (every engine):
 * - dates as `YYYY-MM-DD`, timestamps as `Date#toISOString()` (`YYYY-MM-DDTHH:MM:SS.sssZ`);
 * - date grains give the first day of the period as a date; bins give the bin's lower edge;
 * - ordering: the plan's `order` keys; nulls sort last in both directions; strings by code point;
 *   false before true.
 */
export interface PlanDimension {
  /** Output column name. */
  name: string;
  expr: Expr;
  grain?: Grain;
  bin?: { width: number; origin: number };
  /** Output type: `date` for grains, `number` for bins, else the expression's type. */
  type: ValueType;
}

export interface PlanMeasure {
  name: string;
  agg: Aggregation;
  /** Null for count(*). */
  expr: Expr | null;
  /** percentile fraction; 0.5 for median. */
  p?: number;
  /** Output type: `number` except min/max (the input's type). */
  type: ValueType;
}

export interface RankBy {
  agg: Aggregation;
  expr: Expr | null;
  p?: number;
}

export type PlanFilter =
  /** `values` never contains null; `includeNull` says whether null matches (in) or survives (not_in). */
  | { op: 'in' | 'not_in'; expr: Expr; values: Array<number | string | boolean>; includeNull: boolean }
  /** `min <= v`, and `v <= max` (or `v < max` when maxExclusive). Either bound may be absent. */
  | { op: 'range'; expr: Expr; min?: number | string; max?: number | string; maxExclusive: boolean }
  /** Substring match; when not case-sensitive, both sides are lower-cased (Unicode). */
  | { op: 'contains'; expr: Expr; value: string; caseSensitive: boolean }
  | { op: 'null' | 'not_null'; expr: Expr }
  /**
   * Keep rows whose `expr` is one of the `n` values with the largest (smallest if `bottom`) `by`,
   * computed over the rows that pass every filter that is not a top filter. Ties broken by the value,
   * ascending. Null values of `expr` take part like any other value.
   */
  | { op: 'top'; expr: Expr; n: number; by: RankBy; bottom: boolean };

export interface PlanTableCalc {
  calc: TableCalcKind;
  /** Output column index of the measure. */
  measure: number;
  name: string;
  /** Dimension index to compute along, or null for the whole result. */
  along: number | null;
  window: number;
  dir: 'asc' | 'desc';
}

export interface Plan {
  extract: string;
  /** The cache table holding the extract's rows (quoted by the compiler). */
  table: string;
  dimensions: PlanDimension[];
  measures: PlanMeasure[];
  filters: PlanFilter[];
  /**
   * Result order: output column index (dimensions first, then measures) and direction. The planner
   * always ends this with every dimension ascending, so orders are total and limits deterministic.
   */
  order: Array<{ column: number; dir: 'asc' | 'desc' }>;
  limit: number;
  /**
   * The groupings to compute. Each entry is a bitmask of dimensions rolled up (bit i = dimension i
   * totalled away, its value null). `[0]` is a plain GROUP BY; a pivot adds its subtotal and total
   * masks. Rows come back ordered by grouping set (in this order), then by `order`; each set is cut
   * to `limit` rows, and `truncated` reports whether the detail set (0) was.
   */
  groupingSets: number[];
  /** Output columns before table calculations: dimensions then measures. */
  columns: ResultColumn[];
  tableCalcs: PlanTableCalc[];
  /** Canonical key of everything that affects the answer (for the result cache). */
  key: string;
}

/** What an engine returns for a plan; the service adds table calcs, timing and provenance. */
export interface EngineResult {
  /** Column-major: data[i] holds column i (dimensions, then measures). */
  data: Cell[][];
  rowCount: number;
  /** Grouping mask per row (see Plan.groupingSets). */
  grouping: number[];
  /** The detail grouping had more rows than `limit`. */
  truncated: boolean;
}

/** Cooperative cancellation: engines check it between chunks of work and throw CANCELLED. */
export interface CancelToken {
  readonly cancelled: boolean;
}
