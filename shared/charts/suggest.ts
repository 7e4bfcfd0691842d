import type { ChartEncoding, ChartType, ResultColumn } from '../analysis/spec.js';

/**
 * "Show Me": chart encodings that suit an analysis's output columns, best first. Every encoding names
 * only those columns (so the planner's chart check accepts it) and has what its type needs to be drawn.
 */
export type SuggestColumn = Pick<ResultColumn, 'name' | 'type' | 'role'>;

/** Most measures a suggestion puts on one chart; more series than this read as noise. */
const MAX_SERIES = 4;
const LAT = /^(lat|latitude|широта)$/i;
const LON = /^(lon|lng|long|longitude|долгота)$/i;
const BRANCH = /(branch|filial|филиал|отделени)/i;

interface Roles {
  dims: SuggestColumn[];
  dates: SuggestColumn[];
  categories: SuggestColumn[];
  numericDims: SuggestColumn[];
  measures: SuggestColumn[];
  lat?: SuggestColumn;
  lon?: SuggestColumn;
  branch?: SuggestColumn;
}

function roles(columns: ReadonlyArray<SuggestColumn>): Roles {
  const dims = columns.filter((c) => c.role === 'dimension');
  return {
    dims,
    dates: dims.filter((c) => c.type === 'date' || c.type === 'timestamp'),
    categories: dims.filter((c) => c.type === 'string' || c.type === 'boolean'),
    numericDims: dims.filter((c) => c.type === 'number'),
    measures: columns.filter((c) => c.role !== 'dimension' && c.type === 'number' && !LAT.test(c.name) && !LON.test(c.name)),
    lat: columns.find((c) => c.type === 'number' && LAT.test(c.name)),
    lon: columns.find((c) => c.type === 'number' && LON.test(c.name)),
    branch: dims.find((c) => BRANCH.test(c.name)),
  };
}

const ys = (measures: SuggestColumn[]) => {
  const names = measures.slice(0, MAX_SERIES).map((m) => m.name);
  return names.length === 1 ? names[0]! : names;
};

/**
 * The default encoding of `type` for these columns: x, y and colour filled from the columns' roles
 * and types. Null when the columns cannot make that chart (a heatmap without two dimensions, a
 * scatter without two numbers, a KPI without a measure, ...).
 */
export function defaultEncoding(columns: ReadonlyArray<SuggestColumn>, type: ChartType): ChartEncoding | null {
  const r = roles(columns);
  const [m0, m1] = r.measures;
  const d = r.dims.length;
  // Marks must not pile up: every dimension goes to x or colour, except where each row is its own
  // mark anyway (scatter, histogram, box, tables).
  const other = (x: SuggestColumn) => r.dims.find((c) => c !== x);
  switch (type) {
    case 'table':
      return { type };
    case 'pivot':
      return d && m0 ? { type } : null;
    case 'kpi':
      if (!m0 || d > 1 || (d === 1 && !r.dates[0])) return null;
      return { type, y: m0.name, ...(r.dates[0] ? { x: r.dates[0].name } : {}) };
    case 'line':
    case 'area':
    case 'column':
    case 'bar': {
      if (!m0 || d === 0 || d > 2) return null;
      const x = type === 'line' || type === 'area' ? (r.dates[0] ?? r.numericDims[0] ?? r.dims[0]!) : d === 2 && r.dates[0] ? r.dates[0] : (r.categories[0] ?? r.dims[0]!);
      const split = d === 2 ? other(x) : undefined;
      return { type, x: x.name, y: split ? m0.name : ys(r.measures), ...(split ? { color: split.name } : {}) };
    }
    case 'pie':
    case 'donut':
      return d === 1 && m0 ? { type, x: r.dims[0]!.name, y: m0.name } : null;
    case 'scatter':
    case 'bubble': {
      const [a, b, c] = [...r.measures, ...r.numericDims];
      if (!a || !b || (type === 'bubble' && !c)) return null;
      const split = r.categories.length === 1 ? r.categories[0] : undefined;
      return { type, x: a.name, y: b.name, ...(type === 'bubble' ? { size: c!.name } : {}), ...(split ? { color: split.name } : {}) };
    }
    case 'heatmap': {
      const [a, b] = [...r.dates, ...r.categories, ...r.numericDims];
      return d === 2 && a && b && m0 ? { type, x: a.name, color: b.name, y: m0.name } : null;
    }
    case 'histogram':
      if (m0) return { type, y: m0.name };
      return r.numericDims[0] ? { type, x: r.numericDims[0].name } : null;
    case 'box': {
      const x = r.categories[0] ?? r.dates[0];
      return x && m0 && d >= 2 ? { type, x: x.name, y: m0.name } : null;
    }
    case 'combo': {
      const x = r.dates[0] ?? r.dims[0];
      return d === 1 && x && m0 && m1 ? { type, x: x.name, y: m0.name, y2: m1.name } : null;
    }
    case 'map': {
      if (!m0) return null;
      if (r.lat && r.lon) {
        // Each row is a place: at most one other dimension, which names it.
        const rest = r.dims.filter((c) => c !== r.lat && c !== r.lon);
        return rest.length <= 1 ? { type, lat: r.lat.name, lon: r.lon.name, y: m0.name, ...(rest[0] ? { x: rest[0].name } : {}) } : null;
      }
      return r.branch && d === 1 ? { type, x: r.branch.name, y: m0.name } : null;
    }
  }
}

/**
 * Ranked chart suggestions for an analysis's output columns, best first: a date and a measure → a
 * line; one category and a measure → columns, bars, a pie; two measures → a scatter; two dimensions
 * and a measure → a heatmap and stacked columns; one measure alone → a KPI; many dimensions → a
 * pivot or a table. The table is always offered, last.
 */
export function suggestCharts(columns: ReadonlyArray<SuggestColumn>): ChartEncoding[] {
  const r = roles(columns);
  const order: Array<ChartType | ChartEncoding> = [];
  const m = r.measures.length;
  const d = r.dims.length;
  if (d === 0) {
    if (m >= 1) order.push('kpi');
  } else if (d >= 3) {
    order.push('map', 'pivot');
  } else if (r.dates.length) {
    order.push('line');
    if (d === 1 && m === 1) order.push('kpi');
    if (m >= 2) order.push('combo');
    if (d === 2) {
      const stacked = defaultEncoding(columns, 'area');
      if (stacked?.color) order.push(stacked, { ...defaultEncoding(columns, 'column')!, barMode: 'stacked' }, 'heatmap');
    }
    order.push('column');
  } else {
    if (r.branch || (r.lat && r.lon)) order.push('map');
    if (m >= 2 && d === 1) order.push('scatter');
    if (d === 2) {
      order.push('heatmap');
      const column = defaultEncoding(columns, 'column');
      if (column?.color) order.push({ ...column, barMode: 'stacked' }, { ...column, barMode: 'percent' });
      order.push('box');
    }
    order.push('column', 'bar');
    if (m >= 1) order.push('pie', 'donut');
    if (m >= 2) order.push('combo');
    if (m >= 3) order.push('bubble');
    if (r.numericDims.length) order.push('line');
  }
  if (d >= 1 && d < 3 && m >= 1) order.push('pivot');
  if (d >= 1 || m === 0) order.push('histogram');
  order.push('table');

  const seen = new Set<string>();
  const out: ChartEncoding[] = [];
  for (const item of order) {
    const encoding = typeof item === 'string' ? defaultEncoding(columns, item) : item;
    if (!encoding) continue;
    const key = JSON.stringify(encoding);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(encoding);
  }
  return out;
}
