import type { ChartEncoding, ChartType, Filter } from '../../../../shared/analysis/spec.js';
import { findPill, newId, pillFor, SHELF_CAPACITY, type BuilderDoc, type FieldInfo, type Pill, type ShelfId, type Target } from './model.js';
import { pillOutput } from './shelves.js';

/** Pure edits of a builder document: each returns a new document (or the same one when nothing changes). */

export interface Placed {
  doc: BuilderDoc;
  /** The pill or filter card that now holds the field (to focus it). */
  id: string;
}

/** Puts a field on a shelf (at `index`, default the end) or opens a filter card for it. */
export function addField(doc: BuilderDoc, target: Target, field: FieldInfo, index?: number): Placed {
  if (target === 'filters') {
    const id = newId('f');
    return { doc: { ...doc, filters: [...doc.filters, { id, field: field.name, filter: null }] }, id };
  }
  return placePill(doc, target, pillFor(field), index);
}

/** Inserts a pill; a pill with the same output already on that shelf is kept instead (no duplicate). */
export function placePill(doc: BuilderDoc, shelf: ShelfId, pill: Pill, index?: number): Placed {
  const same = doc[shelf].find((p) => pillOutput(p) === pillOutput(pill));
  if (same) return { doc, id: same.id };
  const list = SHELF_CAPACITY[shelf] === 1 ? [] : [...doc[shelf]];
  if (list.length >= SHELF_CAPACITY[shelf]) return { doc, id: list[list.length - 1]!.id };
  const at = index === undefined ? list.length : Math.max(0, Math.min(index, list.length));
  list.splice(at, 0, pill);
  return { doc: { ...doc, [shelf]: list }, id: pill.id };
}

export function removePill(doc: BuilderDoc, id: string): BuilderDoc {
  const found = findPill(doc, id);
  if (!found) return doc;
  return { ...doc, [found.shelf]: doc[found.shelf].filter((p) => p.id !== id) };
}

/** Moves a pill to `shelf` at `index` (same shelf: reorders). */
export function movePill(doc: BuilderDoc, id: string, shelf: ShelfId, index: number): BuilderDoc {
  const found = findPill(doc, id);
  if (!found) return doc;
  if (found.shelf === shelf) {
    const list = [...doc[shelf]];
    const to = Math.max(0, Math.min(index, list.length - 1));
    if (to === found.index) return doc;
    list.splice(found.index, 1);
    list.splice(to, 0, found.pill);
    return { ...doc, [shelf]: list };
  }
  return placePill(removePill(doc, id), shelf, found.pill, index).doc;
}

/** Changes a pill's grain, aggregation or role. Switching role resets what only the other role has. */
export function updatePill(doc: BuilderDoc, id: string, patch: Partial<Pick<Pill, 'grain' | 'agg' | 'role'>>, field?: FieldInfo): BuilderDoc {
  const found = findPill(doc, id);
  if (!found) return doc;
  let next: Pill;
  if (patch.role && patch.role !== found.pill.role) {
    const base: Pill = { id: found.pill.id, field: found.pill.field, role: patch.role };
    const dated = field?.type === 'date' || field?.type === 'timestamp';
    next = patch.role === 'measure' ? { ...base, agg: field && field.type !== 'number' ? 'count_distinct' : 'sum' } : dated ? { ...base, grain: 'month' } : base;
  } else {
    next = { ...found.pill, ...patch };
    if ('grain' in patch && patch.grain === undefined) delete next.grain;
    // An explicit output name loaded from a spec no longer describes a changed pill.
    if (next.grain !== found.pill.grain || next.agg !== found.pill.agg) delete next.as;
    if (next.agg !== 'percentile') delete next.p;
  }
  return { ...doc, [found.shelf]: doc[found.shelf].map((p) => (p.id === id ? next : p)) };
}

export function setChartType(doc: BuilderDoc, type: ChartType | null): BuilderDoc {
  if (doc.chart.type === type) return doc;
  return { ...doc, chart: { ...doc.chart, type } };
}

export function setChartOptions(doc: BuilderDoc, options: Pick<BuilderDoc['chart'], 'barMode' | 'format'>): BuilderDoc {
  const chart = { ...doc.chart, ...options };
  for (const k of ['barMode', 'format'] as const) if (chart[k] === undefined) delete chart[k];
  return { ...doc, chart };
}

/** Sets (or, with null, clears) a filter card's filter. */
export function setFilter(doc: BuilderDoc, id: string, filter: Filter | null): BuilderDoc {
  return { ...doc, filters: doc.filters.map((f) => (f.id === id ? { ...f, filter } : f)) };
}

export function removeFilter(doc: BuilderDoc, id: string): BuilderDoc {
  return { ...doc, filters: doc.filters.filter((f) => f.id !== id) };
}

/** Places the suggestion's channels on the shelves (x → Columns, y → Rows, color, size) and picks its type. */
export function arrange(doc: BuilderDoc, encoding: Pick<ChartEncoding, 'type' | 'x' | 'y' | 'color' | 'size' | 'barMode'>): BuilderDoc {
  const byOutput = new Map<string, Pill>();
  for (const shelf of ['columns', 'rows', 'color', 'size'] as const) for (const p of doc[shelf]) if (!byOutput.has(pillOutput(p))) byOutput.set(pillOutput(p), p);
  const used = new Set<string>();
  const take = (names: Array<string | undefined>) =>
    names.flatMap((n) => {
      const p = n === undefined ? undefined : byOutput.get(n);
      if (!p || used.has(n!)) return [];
      used.add(n!);
      return [p];
    });
  const ys = encoding.y === undefined ? [] : Array.isArray(encoding.y) ? encoding.y : [encoding.y];
  const columns = take([encoding.x]);
  const rows = take(ys);
  const color = take([encoding.color]);
  const size = take([encoding.size]);
  // Fields the suggestion leaves out stay where they were (dimensions with Columns, measures with Rows).
  for (const [name, p] of byOutput) if (!used.has(name)) (p.role === 'dimension' ? columns : rows).push(p);
  const chart: BuilderDoc['chart'] = { ...doc.chart, type: encoding.type };
  if (encoding.barMode) chart.barMode = encoding.barMode;
  else delete chart.barMode;
  return { ...doc, columns, rows, color, size, chart };
}
