import { typeOfStorage } from '../../../../shared/analysis/planner.js';
import { checkExpression, ExpressionError, type FieldInfo as ExprFieldInfo } from '../../../../shared/analysis/expr/check.js';
import type { Aggregation, AnalysisSpec, BarMode, ChartEncoding, ChartType, Filter, Grain, ValueType } from '../../../../shared/analysis/spec.js';
import type { ExtractColumn } from '../../../../shared/contracts/extracts.js';

/**
 * The builder's document: what the analyst placed where. The analysis spec is derived from it
 * (shelvesToSpec) and read back from a saved spec (specToShelves). It is plain data, so undo/redo keeps
 * snapshots of it and equality is cheap.
 */

/** Shelves that hold fields. Filters live in their own list (each with a widget). */
export const SHELVES = ['columns', 'rows', 'color', 'size'] as const;
export type ShelfId = (typeof SHELVES)[number];
/** Where a field can be sent from the field list. */
export type Target = ShelfId | 'filters';

/** Most pills a shelf takes: Color and Size hold one field each. */
export const SHELF_CAPACITY: Record<ShelfId, number> = { columns: 8, rows: 8, color: 1, size: 1 };

/** Aggregations the pill menu offers (percentile needs a parameter and is kept only when loaded from a spec). */
export const PILL_AGGREGATIONS = ['sum', 'avg', 'count', 'count_distinct', 'min', 'max', 'median', 'stddev'] as const satisfies readonly Aggregation[];
/** Grains the date menu offers, coarse to fine. */
export const PILL_GRAINS = ['year', 'quarter', 'month', 'week', 'day'] as const satisfies readonly Grain[];

/** A field placed on a shelf. */
export interface Pill {
  /** Stable within a document (React key, drag source, focus target). */
  id: string;
  field: string;
  role: 'dimension' | 'measure';
  /** Dimensions of date/timestamp fields: the calendar grain (absent: exact values). */
  grain?: Grain;
  /** Numeric dimensions: bins. */
  bin?: { width: number; origin?: number };
  /** Measures: how values are aggregated. */
  agg?: Aggregation;
  /** Measures: percentile fraction. */
  p?: number;
  /** Output name given explicitly by a loaded spec (`as`); otherwise the planner's default is used. */
  as?: string;
}

/** One filter card; `filter` is null until the analyst configures it (it is then left out of the spec). */
export interface FilterItem {
  id: string;
  field: string;
  filter: Filter | null;
}

export interface BuilderDoc {
  extract: string;
  columns: Pill[];
  rows: Pill[];
  color: Pill[];
  size: Pill[];
  filters: FilterItem[];
  chart: {
    /** Null: automatic (the top suggestion for the fields placed). */
    type: ChartType | null;
    barMode?: BarMode;
    format?: NonNullable<ChartEncoding['format']>;
  };
  /** Parts of a loaded spec the shelves do not edit, kept so saving does not lose them. */
  extras: Pick<AnalysisSpec, 'calculated' | 'sort' | 'limit' | 'tableCalcs'> & {
    pivot?: { subtotals?: boolean; grandTotals?: boolean };
    /** Encoding channels the shelves do not hold (y2, facet, lat, lon), as loaded. */
    channels?: Pick<ChartEncoding, 'y2' | 'facet' | 'lat' | 'lon'>;
  };
}

/** A field of the chosen extract (a column, or a calculated field) as the field list shows it. */
export interface FieldInfo {
  name: string;
  type: ValueType;
  /** Default role: text, dates, yes/no and key columns group; numbers aggregate. */
  role: 'dimension' | 'measure';
  key: boolean;
  calculated: boolean;
}

let counter = 0;
/** Ids unique in this window; documents loaded from specs get fresh ones. */
export function newId(prefix = 'p'): string {
  counter += 1;
  return `${prefix}${counter.toString(36)}`;
}

export function emptyDoc(extract: string): BuilderDoc {
  return { extract, columns: [], rows: [], color: [], size: [], filters: [], chart: { type: null }, extras: {} };
}

/** Whether a numeric column identifies something rather than counting it (branch_id, mcc codes keyed). */
function isIdentifier(c: ExtractColumn): boolean {
  return c.key || /(^|_)id$/.test(c.name);
}

/** An expression's type, or why it does not check (message null: it is always empty; position: character offset). */
export type CalcCheck = { ok: true; type: ValueType } | { ok: false; message: string | null; position: number | null };

/** Resolves column and calculated-field names for the expression checker, checking calculated fields in order. */
function resolver(columns: readonly ExtractColumn[]) {
  const known = new Map<string, ExprFieldInfo>(columns.map((c) => [c.name, { type: typeOfStorage(c.storage), expr: { k: 'col', type: typeOfStorage(c.storage), name: c.name, storage: c.storage } }]));
  return {
    check(expr: string): CalcCheck {
      try {
        const checked = checkExpression(expr, (n) => known.get(n) ?? null, { fieldNames: [...known.keys()] });
        if (checked.type === 'null') return { ok: false, message: null, position: null };
        return { ok: true, type: checked.type as ValueType };
      } catch (err) {
        return { ok: false, message: err instanceof Error ? err.message : String(err), position: err instanceof ExpressionError ? err.position : null };
      }
    },
    add(name: string, expr: string) {
      try {
        const checked = checkExpression(expr, (n) => known.get(n) ?? null);
        known.set(name, { type: checked.type === 'null' ? 'string' : (checked.type as ValueType), expr: checked });
      } catch {
        // A broken expression: the run reports it with its path; fields after it cannot use it.
      }
    },
    typeOf: (name: string): ValueType | null => known.get(name)?.type ?? null,
  };
}

/** Fields of an extract plus its calculated fields, with types and default roles. */
export function fieldsOf(columns: readonly ExtractColumn[], calculated: AnalysisSpec['calculated'] = []): FieldInfo[] {
  const out: FieldInfo[] = columns.map((c) => {
    const type = typeOfStorage(c.storage);
    return { name: c.name, type, role: type === 'number' && !isIdentifier(c) ? 'measure' : 'dimension', key: c.key, calculated: false };
  });
  const scope = resolver(columns);
  for (const calc of calculated ?? []) {
    scope.add(calc.name, calc.expr);
    const type = scope.typeOf(calc.name) ?? 'string';
    out.push({ name: calc.name, type, role: type === 'number' ? 'measure' : 'dimension', key: false, calculated: true });
  }
  return out;
}

/** Checks a new calculated field's expression against the columns and the calculated fields before it. */
export function checkCalculated(columns: readonly ExtractColumn[], calculated: AnalysisSpec['calculated'], expr: string): CalcCheck {
  const scope = resolver(columns);
  for (const c of calculated ?? []) scope.add(c.name, c.expr);
  return scope.check(expr);
}

/** The pill a field becomes when dropped on a shelf, by its type and default role. */
export function pillFor(field: FieldInfo): Pill {
  if (field.role === 'measure') return { id: newId(), field: field.name, role: 'measure', agg: 'sum' };
  const pill: Pill = { id: newId(), field: field.name, role: 'dimension' };
  if (field.type === 'date' || field.type === 'timestamp') pill.grain = 'month';
  return pill;
}

/** The output column name of a measure pill: `amount_sum`, `count` for a row count. */
export function measureName(p: Pick<Pill, 'field' | 'agg' | 'as'>): string {
  if (p.as) return p.as;
  const agg = p.agg ?? 'sum';
  return p.field ? `${p.field}_${agg}` : agg;
}

/** Every pill of the document in shelf order (columns, rows, color, size). */
export function allPills(doc: BuilderDoc): Pill[] {
  return [...doc.columns, ...doc.rows, ...doc.color, ...doc.size];
}

export function findPill(doc: BuilderDoc, id: string): { shelf: ShelfId; index: number; pill: Pill } | null {
  for (const shelf of SHELVES) {
    const index = doc[shelf].findIndex((p) => p.id === id);
    if (index >= 0) return { shelf, index, pill: doc[shelf][index]! };
  }
  return null;
}
