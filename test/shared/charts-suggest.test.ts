import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planAnalysis, type ExtractShape } from '../../shared/analysis/planner';
import { CHART_TYPES, type AnalysisSpec, type Cell, type ChartEncoding, type ValueType } from '../../shared/analysis/spec';
import { buildFigure, defaultEncoding, isPlotted, kpiSummary, suggestCharts, type SuggestColumn } from '../../shared/charts';
import { EN, LABELS_EN, result } from './charts-fixtures';

const STORAGE = { number: 'real', string: 'text', boolean: 'boolean', date: 'date', timestamp: 'timestamp' } as const;
const NOW = new Date('2024-06-30T00:00:00Z');

/**
 * The analysis whose output columns are exactly `columns` (dimensions, then measures, then table
 * calculations, as the planner orders them), on an extract made up to match.
 */
function analysisFor(columns: SuggestColumn[]): { spec: AnalysisSpec; shape: ExtractShape } {
  const shape: ExtractShape = { name: 'ext', table: 'ext', columns: [] };
  const spec: AnalysisSpec = { extract: 'ext', dimensions: [], measures: [], tableCalcs: [] };
  columns.forEach((c, i) => {
    if (c.role === 'dimension') {
      shape.columns = [...shape.columns, { name: c.name, storage: STORAGE[c.type] }];
      spec.dimensions!.push({ field: c.name });
    } else if (c.role === 'measure') {
      shape.columns = [...shape.columns, { name: `src_${i}`, storage: STORAGE[c.type] }];
      spec.measures!.push({ agg: c.type === 'number' ? 'sum' : 'max', field: `src_${i}`, as: c.name });
    }
  });
  const base = columns.find((c) => c.role === 'measure' && c.type === 'number');
  for (const c of columns) if (c.role === 'table_calc') spec.tableCalcs!.push({ calc: 'running_total', measure: base!.name, as: c.name });
  return { spec, shape };
}

const VALUES: Record<ValueType, (row: number) => Cell> = {
  number: (r) => (r * 37) % 11 + r / 4,
  string: (r) => ['card', 'atm', 'online'][r % 3]!,
  boolean: (r) => r % 2 === 0,
  date: (r) => `2024-0${1 + (r % 6)}-01`,
  timestamp: (r) => `2024-03-0${1 + (r % 6)}T10:00:00Z`,
};

/** A small result with these columns, in planner order. */
function sample(columns: SuggestColumn[]) {
  const ordered = [...columns.filter((c) => c.role === 'dimension'), ...columns.filter((c) => c.role === 'measure'), ...columns.filter((c) => c.role === 'table_calc')];
  const rows = Array.from({ length: 8 }, (_, r) => ordered.map((c) => (/^lat/.test(c.name) ? 50 + r : /^lon/.test(c.name) ? 40 + r : VALUES[c.type](r))));
  return result(ordered, rows);
}

const NAMES = ['branch_id', 'lat', 'lon', 'channel', 'segment', 'month', 'amount', 'balance', 'n', 'rate', 'opened_on', 'flag', 'city'];
const column = fc.record({
  name: fc.oneof(fc.constantFrom(...NAMES), fc.stringMatching(/^[a-z][a-z_]{0,8}$/)),
  type: fc.constantFrom<ValueType>('number', 'string', 'boolean', 'date', 'timestamp'),
  role: fc.constantFrom<SuggestColumn['role']>('dimension', 'measure', 'table_calc'),
});
const columnSets = fc
  .uniqueArray(column, { minLength: 1, maxLength: 6, selector: (c) => c.name })
  // What the planner can produce: measures are never true/false (min/max refuse them); table
  // calculations are numbers over a numeric measure; there is at least one dimension or measure.
  .map((cols) => cols.filter((c) => !(c.role === 'measure' && c.type === 'boolean')).map((c) => (c.role === 'table_calc' ? { ...c, type: 'number' as const } : c)))
  .filter((cols) => cols.some((c) => c.role !== 'table_calc') && (!cols.some((c) => c.role === 'table_calc') || cols.some((c) => c.role === 'measure' && c.type === 'number')));

describe('suggestCharts', () => {
  it('every suggestion (and every default encoding) passes the planner’s chart check and draws', () => {
    fc.assert(
      fc.property(columnSets, (columns) => {
        const { spec, shape } = analysisFor(columns);
        expect(() => planAnalysis(spec, shape, { now: NOW })).not.toThrow();
        const data = sample(columns);
        const encodings = [...suggestCharts(columns), ...CHART_TYPES.map((t) => defaultEncoding(columns, t)).filter((e): e is ChartEncoding => e !== null)];
        expect(encodings.at(-1)).toBeTruthy();
        for (const chart of encodings) {
          expect(() => planAnalysis({ ...spec, chart }, shape, { now: NOW }), JSON.stringify(chart)).not.toThrow();
          if (isPlotted(chart.type)) expect(() => buildFigure(data, chart, EN), JSON.stringify(chart)).not.toThrow();
          if (chart.type === 'kpi') expect(kpiSummary(data, chart, 'en', LABELS_EN).value).not.toBeUndefined();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('always offers the table, last', () => {
    fc.assert(
      fc.property(columnSets, (columns) => {
        expect(suggestCharts(columns).at(-1)).toEqual({ type: 'table' });
      }),
    );
  });

  const d = (name: string, type: ValueType = 'string'): SuggestColumn => ({ name, type, role: 'dimension' });
  const m = (name: string): SuggestColumn => ({ name, type: 'number', role: 'measure' });
  const types = (columns: SuggestColumn[]) => suggestCharts(columns).map((e) => e.type + (e.barMode ? `:${e.barMode}` : ''));

  it('a date and a measure: a line first', () => {
    expect(suggestCharts([d('month', 'date'), m('amount')])[0]).toEqual({ type: 'line', x: 'month', y: 'amount' });
    expect(types([d('month', 'date'), m('amount')])).toContain('kpi');
  });

  it('one category and a measure: columns, bars, pie and donut', () => {
    expect(types([d('channel'), m('amount')]).slice(0, 4)).toEqual(['column', 'bar', 'pie', 'donut']);
  });

  it('two measures: a scatter near the top', () => {
    expect(suggestCharts([d('segment'), m('balance'), m('turnover')])[0]).toEqual({ type: 'scatter', x: 'balance', y: 'turnover', color: 'segment' });
  });

  it('two dimensions and a measure: heatmap, stacked and 100% columns', () => {
    const offered = types([d('channel'), d('segment'), m('amount')]);
    expect(offered.slice(0, 3)).toEqual(['heatmap', 'column:stacked', 'column:percent']);
    expect(suggestCharts([d('month', 'date'), d('channel'), m('amount')])[0]).toEqual({ type: 'line', x: 'month', y: 'amount', color: 'channel' });
  });

  it('one measure alone: a KPI; many dimensions: a pivot', () => {
    expect(suggestCharts([m('amount')])[0]).toEqual({ type: 'kpi', y: 'amount' });
    expect(types([d('a'), d('b'), d('c'), m('amount')])[0]).toBe('pivot');
  });

  it('a branch dimension (or lat/lon columns) offers the map first', () => {
    expect(suggestCharts([d('branch_id', 'number'), m('amount')])[0]).toEqual({ type: 'map', x: 'branch_id', y: 'amount' });
    expect(suggestCharts([d('city'), d('lat', 'number'), d('lon', 'number'), m('amount')])[0]).toEqual({ type: 'map', lat: 'lat', lon: 'lon', y: 'amount', x: 'city' });
  });

  it('default encodings refuse what would pile marks on each other', () => {
    expect(defaultEncoding([d('a'), d('b'), d('c'), m('v')], 'column')).toBeNull();
    expect(defaultEncoding([d('a'), d('b'), m('v')], 'pie')).toBeNull();
    expect(defaultEncoding([d('a'), m('v')], 'heatmap')).toBeNull();
    expect(defaultEncoding([d('a'), m('v')], 'kpi')).toBeNull();
    expect(defaultEncoding([d('a'), d('b'), m('v')], 'column')).toEqual({ type: 'column', x: 'a', y: 'v', color: 'b' });
  });
});
