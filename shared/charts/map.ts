import type { Cell } from '../analysis/spec.js';
import { yColumns, type FigureParts } from './cartesian.js';
import { axisNumberFormat, colorbarFor } from './format.js';
import { baseLayout } from './layout.js';
import { RUSSIA_RINGS } from './russia.js';
import type { Axis, BranchLocation, ChartNote, Trace } from './types.js';
import { ChartEncodingError, escapeHtml, maxAbs, numbersAt, type ColumnRef, type ResultView } from './view.js';

/**
 * The branch map, drawn as an ordinary cartesian plot: plotly's geo and mapbox traces fetch topojson
 * or tiles from the internet, which the app's CSP (rightly) forbids. Points are projected here with a
 * Lambert conformal conic projection (standard parallels 52° and 64° N) onto a bundled outline. The
 * central meridian is 80° E rather than the atlases' 100° E: with 100° E the meridians of European
 * Russia lean so far that Moscow is drawn left of St Petersburg, and most branches are in the west.
 */
const DEG = Math.PI / 180;
/** Marks labelled with their city on the map itself (the largest); every mark names it in its tooltip. */
const LABELLED = 5;
// Marks need contrast with the pale land even at the low end, so the scale starts at mid blue.
const MARK_SCALE: Array<[number, string]> = [
  [0, '#8fb5ee'],
  [0.5, '#2f6fd6'],
  [1, '#0f2347'],
];
const EARTH_KM = 6371;
const LAT1 = 52 * DEG;
const LAT2 = 64 * DEG;
const LAT0 = 60 * DEG;
const LON0 = 80;
const N = Math.log(Math.cos(LAT1) / Math.cos(LAT2)) / Math.log(Math.tan(Math.PI / 4 + LAT2 / 2) / Math.tan(Math.PI / 4 + LAT1 / 2));
const F = (Math.cos(LAT1) * Math.tan(Math.PI / 4 + LAT1 / 2) ** N) / N;
const RHO0 = F / Math.tan(Math.PI / 4 + LAT0 / 2) ** N;

/** Projects a longitude/latitude (degrees) to map kilometres: x grows eastward, y northward. */
export function project(lon: number, lat: number): [number, number] {
  // Chukotka lies east of 180°: keep the country in one piece.
  const l = lon < -30 ? lon + 360 : lon;
  const rho = F / Math.tan(Math.PI / 4 + (lat * DEG) / 2) ** N;
  const theta = N * (l - LON0) * DEG;
  return [EARTH_KM * rho * Math.sin(theta), EARTH_KM * (RHO0 - rho * Math.cos(theta))];
}

let bounds: [number, number, number, number] | undefined;
/** The outline's extent in map kilometres: [xmin, xmax, ymin, ymax]. */
export function outlineBounds(): [number, number, number, number] {
  if (bounds) return bounds;
  const b: [number, number, number, number] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const ring of RUSSIA_RINGS) {
    for (let i = 0; i < ring.length; i += 2) {
      const [x, y] = project(ring[i]!, ring[i + 1]!);
      b[0] = Math.min(b[0], x);
      b[1] = Math.max(b[1], x);
      b[2] = Math.min(b[2], y);
      b[3] = Math.max(b[3], y);
    }
  }
  return (bounds = b);
}

/** The outline as one filled scatter trace: rings separated by gaps (null), each closed. */
export function outlineTrace(): Trace {
  const xs: Array<number | null> = [];
  const ys: Array<number | null> = [];
  for (const ring of RUSSIA_RINGS) {
    for (let i = 0; i <= ring.length; i += 2) {
      const k = i === ring.length ? 0 : i;
      const [x, y] = project(ring[k]!, ring[k + 1]!);
      xs.push(Math.round(x));
      ys.push(Math.round(y));
    }
    xs.push(null);
    ys.push(null);
  }
  return {
    type: 'scatter',
    mode: 'lines',
    x: xs,
    y: ys,
    fill: 'toself',
    fillcolor: '#eef1f5',
    line: { color: '#b4bfcc', width: 0.8 },
    hoverinfo: 'skip',
    showlegend: false,
    connectgaps: false,
  };
}

function placement(view: ResultView, locations: ReadonlyArray<BranchLocation> | undefined): {
  place(row: number): { x: number; y: number; name: string | null } | null;
  key?: ColumnRef;
} {
  const { chart } = view;
  if (chart.lat !== undefined || chart.lon !== undefined) {
    if (chart.lat === undefined || chart.lon === undefined) throw new ChartEncodingError('A map placed by coordinates needs both lat and lon');
    const lat = view.column(chart.lat, 'lat');
    const lon = view.column(chart.lon, 'lon');
    const name = chart.x !== undefined ? view.column(chart.x, 'x') : undefined;
    return {
      key: name,
      place(row) {
        const la = lat.values[row];
        const lo = lon.values[row];
        if (typeof la !== 'number' || typeof lo !== 'number') return null;
        const [x, y] = project(lo, la);
        return { x, y, name: name ? view.text(name, name.values[row] ?? null) : null };
      },
    };
  }
  if (chart.x === undefined) throw new ChartEncodingError('A map needs the branch key in x, or lat and lon columns');
  const key = view.column(chart.x, 'x');
  // Keys compare as text: the extract may hold branch_id as a number and the result as text, or back.
  const byKey = new Map<string, BranchLocation>();
  for (const l of locations ?? []) byKey.set(String(l.key), l);
  return {
    key,
    place(row) {
      const v = key.values[row];
      const found = v === null || v === undefined ? undefined : byKey.get(String(v));
      if (!found) return null;
      const [x, y] = project(found.lon, found.lat);
      return { x, y, name: found.name };
    },
  };
}

/** Branch marks over the outline: area by the size column (else the measure), colour by the measure. */
export function mapFigure(view: ResultView, locations: ReadonlyArray<BranchLocation> | undefined): FigureParts {
  const [measure] = yColumns(view);
  if (measure!.column.type !== 'number') throw new ChartEncodingError(`The chart's y "${measure!.column.name}" holds ${measure!.column.type} values, not numbers`);
  const size = view.optional(view.chart.size, 'size') ?? measure!;
  const { place, key } = placement(view, locations);

  const rows: number[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  const names: Array<string | null> = [];
  let unplaced = 0;
  for (const row of view.rows) {
    const at = place(row);
    if (!at) {
      unplaced++;
      continue;
    }
    rows.push(row);
    xs.push(Math.round(at.x));
    ys.push(Math.round(at.y));
    names.push(at.name);
  }
  const values = numbersAt(measure!, rows);
  const sizes = numbersAt(size, rows);
  for (let i = 0; i < sizes.length; i++) if (!(sizes[i]! > 0)) sizes[i] = 0;
  const largest = maxAbs(sizes);
  // Label the largest marks with their city; every mark names its city in the tooltip.
  const labelled = new Set(Array.from(sizes.keys()).sort((a, b) => sizes[b]! - sizes[a]!).slice(0, LABELLED));
  const format = axisNumberFormat(view.format, view.locale, maxAbs(values));
  const hover = rows.map((row, i) => {
    const lines = [names[i] ? `<b>${escapeHtml(names[i]!)}</b>` : ''];
    if (key) lines.push(view.line(key, row));
    lines.push(view.line(measure!, row));
    if (size !== measure) lines.push(view.line(size, row));
    return lines.filter(Boolean).join('<br>');
  });
  const marks: Trace = {
    type: 'scatter',
    mode: 'text+markers',
    name: escapeHtml(view.name(measure!)),
    x: xs,
    y: ys,
    text: names.map((n, i) => (labelled.has(i) && n ? escapeHtml(n) : '')),
    textposition: 'middle right',
    textfont: { size: 11, color: '#4a5668' },
    marker: {
      size: sizes,
      sizemode: 'area',
      sizeref: (2 * largest) / 40 ** 2 || 1,
      sizemin: 4,
      color: Array.from(values, (v) => (Number.isNaN(v) ? null : v / format.factor)),
      colorscale: MARK_SCALE,
      showscale: true,
      colorbar: { ...colorbarFor(escapeHtml(view.name(measure!)), format), len: 0.8 },
      opacity: 0.85,
      line: { color: '#ffffff', width: 1 },
    },
    customdata: view.customdata(rows),
    hovertext: hover,
    hoverinfo: 'text',
    showlegend: false,
    cliponaxis: false,
  };

  const layout = baseLayout(view.locale, false);
  const hidden: Axis = { visible: false, showgrid: false, zeroline: false, showline: false, showticklabels: false };
  // Open on the branches with some country around them (plotly widens one range to keep the
  // aspect ratio); the whole outline is there to pan and zoom out to.
  let [x0, x1, y0, y1] = outlineBounds();
  if (xs.length) {
    const pad = 300;
    x0 = Math.max(x0, Math.min(...xs) - pad);
    x1 = Math.min(x1, Math.max(...xs) + pad);
    y0 = Math.max(y0, Math.min(...ys) - pad);
    y1 = Math.min(y1, Math.max(...ys) + pad);
  }
  layout.xaxis = { ...hidden, range: [x0 - 40, x1 + 40] };
  layout.yaxis = { ...hidden, scaleanchor: 'x', scaleratio: 1, range: [y0 - 40, y1 + 40] };
  layout.margin = { l: 4, r: 4, t: 4, b: 4 };
  const note: ChartNote | null = unplaced ? { kind: 'unplaced', count: unplaced } : null;
  return { data: [outlineTrace(), marks], layout, note, points: rows.length, rows: [null, null] };
}

/** Branch locations from rows of the branches extract (key, name, lat, lon columns). */
export function branchLocationsFrom(rows: ReadonlyArray<{ key: Cell; name: Cell; lat: Cell; lon: Cell }>): BranchLocation[] {
  const out: BranchLocation[] = [];
  for (const r of rows) {
    if ((typeof r.key === 'string' || typeof r.key === 'number') && typeof r.lat === 'number' && typeof r.lon === 'number') {
      out.push({ key: r.key, name: r.name === null ? String(r.key) : String(r.name), lat: r.lat, lon: r.lon });
    }
  }
  return out;
}
