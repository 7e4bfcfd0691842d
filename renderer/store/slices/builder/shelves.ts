import { MAX_LIMIT, SPEC_VERSION, type AnalysisSpec, type ChartEncoding, type ChartType, type Dimension, type Measure, type ResultColumn } from '../../../../shared/analysis/spec.js';
import { defaultEncoding, suggestCharts } from '../../../../shared/charts/suggest.js';
import { dimensionName } from '../../../../shared/workbench/explore.js';
import { allPills, measureName, newId, SHELVES, type BuilderDoc, type FieldInfo, type Pill, type ShelfId } from './model.js';

/**
 * Charts of points (lines, areas, scatters, bubbles) ask for every row up to the engine's maximum: the
 * chart layer decimates lines (LTTB) and draws large scatters with WebGL, saying so on the chart.
 * Other charts keep the default limit (10,000 bars or slices is already more than anyone can read).
 */
export const POINT_CHART_TYPES: ReadonlySet<string> = new Set(['line', 'area', 'scatter', 'bubble']);

/**
 * Shelves ⇄ spec. `shelvesToSpec` is the only place the builder's spec comes from; `specToShelves`
 * opens a saved (or explored) spec on the shelves. For every spec the builder produces,
 * shelvesToSpec(specToShelves(spec)) gives the same spec back.
 */

/** The spec dimension a dimension pill stands for. */
export function pillDimension(p: Pill): Dimension {
  const d: Dimension = { field: p.field };
  if (p.as) d.as = p.as;
  if (p.grain) d.grain = p.grain;
  if (p.bin) d.bin = p.bin;
  return d;
}

/** The spec measure a measure pill stands for (a pill without a field counts rows). */
export function pillMeasure(p: Pill): Measure {
  const m: Measure = { agg: p.agg ?? 'sum', as: measureName(p) };
  if (p.field) m.field = p.field;
  if (p.p !== undefined) m.p = p.p;
  return m;
}

/** The output column name a pill produces. */
export function pillOutput(p: Pill): string {
  return p.role === 'measure' ? measureName(p) : dimensionName(pillDimension(p));
}

function outputType(p: Pill, fields: ReadonlyMap<string, FieldInfo>): ResultColumn['type'] {
  const type = fields.get(p.field)?.type ?? 'string';
  if (p.role === 'dimension') return p.grain ? 'date' : p.bin ? 'number' : type;
  return p.agg === 'min' || p.agg === 'max' ? type : 'number';
}

/** The spec's output columns, as the planner will name and type them (no table calculations). */
export function outputColumns(doc: BuilderDoc, fields: readonly FieldInfo[]): ResultColumn[] {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const seen = new Set<string>();
  const dims: ResultColumn[] = [];
  const measures: ResultColumn[] = [];
  for (const p of allPills(doc)) {
    const name = pillOutput(p);
    if (seen.has(name)) continue;
    seen.add(name);
    (p.role === 'dimension' ? dims : measures).push({ name, type: outputType(p, byName), role: p.role });
  }
  return [...dims, ...measures];
}

const one = (names: string[]): string | string[] | undefined => (names.length === 0 ? undefined : names.length === 1 ? names[0] : names);
const unique = (names: string[]) => [...new Set(names)];

/** The chart encoding: the type's defaults, then what the shelves say. Channels only name outputs. */
function encode(doc: BuilderDoc, type: ChartType, outputs: ResultColumn[]): ChartEncoding {
  const names = new Set(outputs.map((c) => c.name));
  const roleOf = new Map(outputs.map((c) => [c.name, c.role]));
  const base: ChartEncoding = { ...defaultEncoding(outputs, type), type };
  let xs = unique(doc.columns.map(pillOutput));
  let ys = unique(doc.rows.map(pillOutput));
  // Tableau's horizontal bars put the measure on Columns and the category on Rows; the encoding's x is
  // always the category.
  if (xs.length > 0 && xs.every((n) => roleOf.get(n) === 'measure') && ys.some((n) => roleOf.get(n) === 'dimension')) [xs, ys] = [ys, xs];
  const out: ChartEncoding = { ...base };
  if (xs.length > 0) {
    out.x = xs[0];
    ys = unique([...ys, ...xs.slice(1).filter((n) => roleOf.get(n) === 'measure')]);
  }
  const channels = doc.extras.channels ?? {};
  for (const k of ['y2', 'facet', 'lat', 'lon'] as const) {
    const v = channels[k];
    if (v === undefined) continue;
    const list = (Array.isArray(v) ? v : [v]).filter((n) => names.has(n));
    if (list.length) (out as Record<string, unknown>)[k] = k === 'y2' ? one(list) : list[0];
  }
  if (out.x !== undefined) ys = ys.filter((n) => n !== out.x);
  if (ys.length > 0) {
    if (type === 'combo') {
      const y2 = out.y2 === undefined ? ys.slice(1) : (Array.isArray(out.y2) ? out.y2 : [out.y2]).filter((n) => ys.includes(n));
      out.y = one(ys.filter((n) => !y2.includes(n))) ?? ys[0];
      if (y2.length) out.y2 = one(y2);
      else delete out.y2;
    } else {
      out.y = one(ys);
    }
  }
  if (doc.color[0]) out.color = pillOutput(doc.color[0]);
  if (doc.size[0]) out.size = pillOutput(doc.size[0]);
  if (doc.chart.barMode) out.barMode = doc.chart.barMode;
  if (doc.chart.format) out.format = doc.chart.format;
  // Defaults may name columns that are gone; the planner would refuse them.
  for (const k of ['x', 'y', 'y2', 'color', 'size', 'facet', 'lat', 'lon'] as const) {
    const v = out[k];
    if (v === undefined) continue;
    const list = (Array.isArray(v) ? v : [v]).filter((n) => names.has(n));
    if (list.length === 0) delete out[k];
    else if (Array.isArray(v)) (out as Record<string, unknown>)[k] = list;
  }
  return out;
}

/** The chart type drawn: the chosen one, or the top suggestion for the outputs. */
export function effectiveType(doc: BuilderDoc, outputs: ResultColumn[]): ChartType {
  return doc.chart.type ?? suggestCharts(outputs)[0]?.type ?? 'table';
}

/** The analysis spec of the shelves; null while no field is placed (nothing to ask). */
export function shelvesToSpec(doc: BuilderDoc, fields: readonly FieldInfo[]): AnalysisSpec | null {
  const pills = allPills(doc);
  if (pills.length === 0) return null;
  const dimensions: Dimension[] = [];
  const measures: Measure[] = [];
  const seen = new Set<string>();
  for (const p of pills) {
    const name = pillOutput(p);
    if (seen.has(name)) continue;
    seen.add(name);
    if (p.role === 'dimension') dimensions.push(pillDimension(p));
    else measures.push(pillMeasure(p));
  }
  const outputs = outputColumns(doc, fields);
  const type = effectiveType(doc, outputs);
  const spec: AnalysisSpec = { version: SPEC_VERSION, extract: doc.extract };
  const { calculated, sort, limit, tableCalcs, pivot } = doc.extras;
  if (calculated?.length) spec.calculated = calculated;
  if (dimensions.length) spec.dimensions = dimensions;
  if (measures.length) spec.measures = measures;
  const filters = doc.filters.flatMap((f) => (f.filter ? [f.filter] : []));
  if (filters.length) spec.filters = filters;
  const measureNames = new Set(measures.map((m) => m.as));
  const calcs = (tableCalcs ?? []).filter((t) => measureNames.has(t.measure) && (t.along === undefined || seen.has(t.along)));
  const outputNames = new Set([...seen, ...calcs.map((t) => t.as)]);
  const sorts = (sort ?? []).filter((s) => outputNames.has(s.by));
  if (sorts.length) spec.sort = sorts;
  if (limit !== undefined) spec.limit = limit;
  else if (type && POINT_CHART_TYPES.has(type)) spec.limit = MAX_LIMIT;
  if (type === 'pivot') {
    const rowDims = new Set(doc.rows.filter((p) => p.role === 'dimension').map(pillOutput));
    const names = dimensions.map(dimensionName);
    spec.pivot = { rows: names.filter((n) => rowDims.has(n)), columns: names.filter((n) => !rowDims.has(n)), ...pivot };
  }
  if (calcs.length) spec.tableCalcs = calcs;
  spec.chart = encode(doc, type, [...outputs, ...calcs.map((t) => ({ name: t.as, type: 'number' as const, role: 'table_calc' as const }))]);
  return spec;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Shelves showing a spec: encoding channels on their shelves, the other fields on Columns (dimensions) or Rows (measures). */
export function specToShelves(spec: AnalysisSpec): BuilderDoc {
  const pills = new Map<string, Pill>();
  for (const d of spec.dimensions ?? []) {
    const p: Pill = { id: newId(), field: d.field, role: 'dimension' };
    if (d.as) p.as = d.as;
    if (d.grain) p.grain = d.grain;
    if (d.bin) p.bin = d.bin;
    pills.set(dimensionName(d), p);
  }
  for (const m of spec.measures ?? []) {
    const p: Pill = { id: newId(), field: m.field ?? '', role: 'measure', agg: m.agg };
    if (m.p !== undefined) p.p = m.p;
    // Keep `as` only where the default name would differ, so an unchanged pill stays unchanged.
    if (measureName({ field: p.field, agg: m.agg }) !== m.as) p.as = m.as;
    pills.set(m.as, p);
  }
  const placed = new Set<string>();
  const take = (names: string[]): Pill[] =>
    names.flatMap((n) => {
      const p = pills.get(n);
      if (!p || placed.has(n)) return [];
      placed.add(n);
      return [p];
    });
  const c = spec.chart;
  const shelves: Record<ShelfId, Pill[]> = { columns: [], rows: [], color: [], size: [] };
  // A pivot's sides decide where its dimensions sit; the encoding places the rest.
  if (spec.pivot) {
    shelves.rows.push(...take(spec.pivot.rows));
    shelves.columns.push(...take(spec.pivot.columns));
  }
  if (c) {
    shelves.columns.push(...take(list(c.x)));
    shelves.rows.push(...take(c.type === 'combo' ? [...list(c.y), ...list(c.y2)] : list(c.y)));
    shelves.color = take(list(c.color));
    shelves.size = take(list(c.size));
  }
  for (const [name, p] of pills) if (!placed.has(name)) (p.role === 'dimension' ? shelves.columns : shelves.rows).push(...take([name]));

  const doc: BuilderDoc = {
    extract: spec.extract,
    ...shelves,
    filters: (spec.filters ?? []).map((filter) => ({ id: newId('f'), field: filter.field, filter })),
    chart: { type: c?.type ?? null },
    extras: {},
  };
  if (c?.barMode) doc.chart.barMode = c.barMode;
  if (c?.format) doc.chart.format = c.format;
  if (spec.calculated?.length) doc.extras.calculated = spec.calculated;
  if (spec.sort?.length) doc.extras.sort = spec.sort;
  // The automatic limit of point charts is not the user's: switching to bars must bring back the default.
  if (spec.limit !== undefined && !(spec.limit === MAX_LIMIT && c && POINT_CHART_TYPES.has(c.type))) doc.extras.limit = spec.limit;
  if (spec.tableCalcs?.length) doc.extras.tableCalcs = spec.tableCalcs;
  if (spec.pivot) {
    const { subtotals, grandTotals } = spec.pivot;
    if (subtotals !== undefined || grandTotals !== undefined) doc.extras.pivot = { ...(subtotals !== undefined ? { subtotals } : {}), ...(grandTotals !== undefined ? { grandTotals } : {}) };
  }
  const channels: NonNullable<BuilderDoc['extras']['channels']> = {};
  if (c?.y2 !== undefined && c.type !== 'combo') channels.y2 = c.y2;
  if (c?.facet !== undefined) channels.facet = c.facet;
  if (c?.lat !== undefined) channels.lat = c.lat;
  if (c?.lon !== undefined) channels.lon = c.lon;
  if (Object.keys(channels).length) doc.extras.channels = channels;
  return doc;
}

/** Shelf of a pill's output in a doc, for tests and focus handling. */
export function shelfOf(doc: BuilderDoc, output: string): ShelfId | null {
  return SHELVES.find((s) => doc[s].some((p) => pillOutput(p) === output)) ?? null;
}
