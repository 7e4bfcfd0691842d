import { addPeriods, isoDate, parseIsoInstant } from '../analysis/dates.js';
import { DEFAULT_LIMIT, type AnalysisSpec, type Cell, type Dimension, type Filter, type Grain } from '../analysis/spec.js';
import type { ExtractColumn } from '../contracts/extracts.js';

/**
 * Exploring from a chart: what a clicked mark means as filters, and the specs for "keep only",
 * "exclude", "drill down" and "view data". A mark is the values of the result's dimension columns
 * (output column name → value), as the Chart component reports it. Everything here is pure and works
 * on specs, so the engine, not the renderer, decides which rows a mark stands for.
 */
export interface Mark {
  values: Record<string, Cell>;
}

/** Finer grain to drill into from each grain (weeks do not nest in months, so months go to days). */
const FINER: Record<Grain, Grain | null> = { year: 'quarter', quarter: 'month', month: 'day', week: 'day', day: null };

/** The output column name a dimension gets (the planner's rule). */
export function dimensionName(d: Dimension): string {
  return d.as ?? (d.grain ? `${d.field}_${d.grain}` : d.bin ? `${d.field}_bin` : d.field);
}

/** The dimension behind an output column, or undefined for measures and table calculations. */
export function outputDimension(spec: AnalysisSpec, column: string): Dimension | undefined {
  return (spec.dimensions ?? []).find((d) => dimensionName(d) === column);
}

/** Rows of one dimension value, as one spec filter on the underlying field. */
function dimensionFilter(d: Dimension, value: Cell): Filter {
  if (value === null) return { field: d.field, op: 'null' };
  if (d.grain) {
    const start = parseIsoInstant(String(value));
    if (!start) return { field: d.field, op: 'in', values: [value] };
    // A date-only max includes that whole day: the period's last day bounds it exactly.
    const lastDay = addPeriods(start.ms, d.grain, 1) - 86_400_000;
    return { field: d.field, op: 'range', min: isoDate(start.ms), max: isoDate(lastDay) };
  }
  if (d.bin && typeof value === 'number') {
    // Bins are half-open [v, v + width); range is inclusive, so stop a hair short of the next bin.
    return { field: d.field, op: 'range', min: value, max: value + d.bin.width * (1 - 1e-9) };
  }
  return { field: d.field, op: 'in', values: [value] };
}

/** Filters on extract (or calculated) fields selecting the rows behind a mark. */
export function markFilters(spec: AnalysisSpec, mark: Mark): Filter[] {
  const filters: Filter[] = [];
  for (const [column, value] of Object.entries(mark.values)) {
    const d = outputDimension(spec, column);
    if (d) filters.push(dimensionFilter(d, value));
  }
  return filters;
}

/** Adds filters, replacing an earlier filter that is identical (so repeated clicks do not pile up). */
function withFilters(spec: AnalysisSpec, added: Filter[]): AnalysisSpec {
  const key = (f: Filter) => JSON.stringify(f);
  const existing = new Set((spec.filters ?? []).map(key));
  const fresh = added.filter((f) => !existing.has(key(f)));
  return fresh.length === 0 ? spec : { ...spec, filters: [...(spec.filters ?? []), ...fresh] };
}

/** "Keep only": the analysis restricted to the mark. */
export function keepOnly(spec: AnalysisSpec, mark: Mark): AnalysisSpec {
  return withFilters(spec, markFilters(spec, mark));
}

/** A value as a literal of the expression language, or null where it has none. */
function literal(value: Cell, type: 'date' | 'other'): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value !== 'string') return null;
  const quoted = `'${value.replaceAll("'", "''")}'`;
  return type === 'date' ? `DATE(${quoted})` : quoted;
}

const bracket = (name: string) => `[${name.replaceAll(']', ']]')}]`;

/**
 * "Exclude": the analysis without the mark. One plain dimension becomes a `not_in` filter; a mark of
 * several dimensions, a date period or a bin becomes a calculated condition (rows with a missing value
 * in a dimension the mark does not have missing are kept). Null when the mark cannot be expressed.
 */
export function exclude(spec: AnalysisSpec, mark: Mark): AnalysisSpec | null {
  const parts = Object.entries(mark.values)
    .map(([column, value]) => ({ d: outputDimension(spec, column), value }))
    .filter((p): p is { d: Dimension; value: Cell } => p.d !== undefined);
  if (parts.length === 0) return null;
  if (parts.length === 1 && !parts[0]!.d.grain && !parts[0]!.d.bin) {
    const { d, value } = parts[0]!;
    return withFilters(spec, [{ field: d.field, op: 'not_in', values: [value] }]);
  }
  const conditions: string[] = [];
  for (const { d, value } of parts) {
    const f = bracket(d.field);
    if (value === null) {
      conditions.push(`${f} IS NULL`);
    } else if (d.grain) {
      const lit = literal(String(value).slice(0, 10), 'date');
      if (!lit) return null;
      conditions.push(`DATETRUNC('${d.grain}', ${f}) = ${lit}`);
    } else if (d.bin && typeof value === 'number') {
      const origin = d.bin.origin ?? 0;
      const k = Math.round((value - origin) / d.bin.width);
      conditions.push(`FLOOR((${f} - ${origin}) / ${d.bin.width}) = ${k}`);
    } else {
      // A plain timestamp has no literal in the language; such marks are excluded one field at a time.
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
      const lit = literal(value, typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? 'date' : 'other');
      if (!lit) return null;
      conditions.push(`${f} = ${lit}`);
    }
  }
  const calculated = spec.calculated ?? [];
  let n = 1;
  while (calculated.some((c) => c.name === `excluded_${n}`)) n++;
  const name = `excluded_${n}`;
  return {
    ...spec,
    calculated: [...calculated, { name, expr: `COALESCE(NOT (${conditions.join(' AND ')}), TRUE)` }],
    filters: [...(spec.filters ?? []), { field: name, op: 'in', values: [true] }],
  };
}

/** Renames an output column inside the chart encoding, sort and pivot (after a drill changes it). */
function renameOutput(spec: AnalysisSpec, from: string, to: string): AnalysisSpec {
  const r = (n: string) => (n === from ? to : n);
  const out: AnalysisSpec = { ...spec };
  if (spec.chart) {
    const c = { ...spec.chart };
    for (const k of ['x', 'color', 'size', 'facet', 'lat', 'lon'] as const) if (c[k] !== undefined) c[k] = r(c[k]!);
    out.chart = c;
  }
  if (spec.sort) out.sort = spec.sort.map((s) => ({ ...s, by: r(s.by) }));
  if (spec.pivot) out.pivot = { ...spec.pivot, rows: spec.pivot.rows.map(r), columns: spec.pivot.columns.map(r) };
  if (spec.tableCalcs) out.tableCalcs = spec.tableCalcs.map((t) => (t.along === undefined ? t : { ...t, along: r(t.along) }));
  return out;
}

/** Columns that make sensible next levels to drill into: text fields in schema order, then yes/no fields. */
function drillCandidates(columns: readonly ExtractColumn[]): string[] {
  const of = (storage: ExtractColumn['storage']) => columns.filter((c) => !c.key && c.storage === storage).map((c) => c.name);
  return [...of('text'), ...of('boolean')];
}

/**
 * "Drill down": keep only the mark, then show the next level: a date period opens at the next finer
 * grain; a category is replaced by the next text field of the extract not already in the analysis.
 * Null when there is nothing finer.
 */
export function drill(spec: AnalysisSpec, mark: Mark, columns: readonly ExtractColumn[]): AnalysisSpec | null {
  const dims = spec.dimensions ?? [];
  const columnsOfMark = Object.keys(mark.values).filter((c) => outputDimension(spec, c));
  // Drill along the first dimension of the mark (the x axis when it is a date, else the category).
  const target = columnsOfMark.map((c) => outputDimension(spec, c)!).find((d) => d.grain && FINER[d.grain]) ?? columnsOfMark.map((c) => outputDimension(spec, c)!)[0];
  if (!target) return null;
  const index = dims.indexOf(target);
  const oldName = dimensionName(target);
  let replacement: Dimension;
  if (target.grain) {
    const finer = FINER[target.grain];
    if (!finer) return null;
    replacement = { field: target.field, grain: finer };
  } else {
    const used = new Set(dims.map((d) => d.field));
    const candidates = drillCandidates(columns);
    const from = candidates.indexOf(target.field);
    const ordered = [...candidates.slice(from + 1), ...candidates.slice(0, Math.max(0, from))];
    const next = ordered.find((c) => !used.has(c));
    if (!next) return null;
    replacement = { field: next };
  }
  const kept = keepOnly(spec, { values: { [oldName]: mark.values[oldName] ?? null } });
  const newDims = [...dims];
  newDims[index] = replacement;
  return renameOutput({ ...kept, dimensions: newDims }, oldName, dimensionName(replacement));
}

/** Most columns "view data" shows (the engine groups by at most 16 dimensions). */
export const VIEW_DATA_MAX_COLUMNS = 16;

/**
 * "View data": the rows behind a mark. Grouping by the primary key plus the other columns returns
 * each matching row exactly once, so the same engine (and the same permissions) answer it.
 */
export function viewDataSpec(spec: AnalysisSpec, mark: Mark, columns: readonly ExtractColumn[], limit = DEFAULT_LIMIT): AnalysisSpec {
  const keys = columns.filter((c) => c.key).map((c) => c.name);
  const rest = columns.filter((c) => !c.key).map((c) => c.name);
  const shown = [...keys, ...rest].slice(0, VIEW_DATA_MAX_COLUMNS);
  const out: AnalysisSpec = {
    extract: spec.extract,
    dimensions: shown.map((field) => ({ field })),
    filters: [...(spec.filters ?? []), ...markFilters(spec, mark)],
    sort: keys.map((by) => ({ by })),
    limit,
  };
  if (spec.version !== undefined) out.version = spec.version;
  if (spec.calculated?.length) out.calculated = spec.calculated;
  return out;
}

/**
 * Adds dashboard-wide filters (global filters, cross-filters) to a tile's spec: each filter applies
 * only where its field exists in the tile's extract (`fieldNames`) or among the tile's calculated
 * fields; the others leave that tile alone.
 */
export function applyFilters(spec: AnalysisSpec, filters: readonly Filter[], fieldNames: ReadonlySet<string>): AnalysisSpec {
  const calculated = new Set((spec.calculated ?? []).map((c) => c.name));
  const applicable = filters.filter((f) => fieldNames.has(f.field) || calculated.has(f.field));
  return withFilters(spec, applicable);
}
