import { expect } from 'vitest';
import type { AnalysisResult, AnalysisSpec } from '../../shared/analysis/spec.js';

/** Representative analyses over the `tx` data set (analysis-data.ts), covering every part of the spec. */
export const SPECS: Array<{ title: string; spec: AnalysisSpec }> = [
  { title: 'sum and count by branch', spec: { extract: 'tx', dimensions: [{ field: 'branch' }], measures: [{ agg: 'sum', field: 'amount', as: 'total' }, { agg: 'count', as: 'n' }], sort: [{ by: 'total', dir: 'desc' }] } },
  { title: 'monthly totals, last 12 months', spec: { extract: 'tx', dimensions: [{ field: 'booked_at', grain: 'month' }], measures: [{ agg: 'sum', field: 'amount', as: 'total' }], filters: [{ field: 'booked_at', op: 'relative', last: 12, unit: 'month' }] } },
  { title: 'every grain of a date', spec: { extract: 'tx', dimensions: [{ field: 'value_date', grain: 'week', as: 'w' }, { field: 'value_date', grain: 'quarter', as: 'q' }, { field: 'value_date', grain: 'year', as: 'y' }, { field: 'value_date', grain: 'day', as: 'd' }], measures: [{ agg: 'count', as: 'n' }], limit: 100000 } },
  { title: 'channel × reversal, all aggregations', spec: { extract: 'tx', dimensions: [{ field: 'channel' }, { field: 'is_reversal' }], measures: [{ agg: 'count', field: 'amount', as: 'n' }, { agg: 'count_distinct', field: 'category', as: 'cats' }, { agg: 'avg', field: 'amount', as: 'avg' }, { agg: 'min', field: 'amount', as: 'min' }, { agg: 'max', field: 'booked_at', as: 'latest' }, { agg: 'median', field: 'amount', as: 'median' }, { agg: 'percentile', field: 'amount', p: 0.9, as: 'p90' }, { agg: 'stddev', field: 'amount', as: 'sd' }, { agg: 'min', field: 'branch', as: 'first_branch' }] } },
  { title: 'in / not in with null, range on dates', spec: { extract: 'tx', dimensions: [{ field: 'category' }], measures: [{ agg: 'count', as: 'n' }], filters: [{ field: 'channel', op: 'in', values: ['atm', 'card'] }, { field: 'category', op: 'not_in', values: ['fuel', null] }, { field: 'value_date', op: 'range', min: '2023-03-01', max: '2024-02-29' }] } },
  { title: 'timestamp range through the end of a day', spec: { extract: 'tx', measures: [{ agg: 'count', as: 'n' }, { agg: 'sum', field: 'amount', as: 'total' }], filters: [{ field: 'booked_at', op: 'range', min: '2023-06-01T12:30:00Z', max: '2023-12-31' }] } },
  { title: 'contains, case-insensitive and Cyrillic', spec: { extract: 'tx', dimensions: [{ field: 'branch' }, { field: 'category' }], measures: [{ agg: 'count', as: 'n' }], filters: [{ field: 'category', op: 'contains', value: 'TRAV' }] } },
  { title: 'contains Cyrillic in another case', spec: { extract: 'tx', dimensions: [{ field: 'branch' }], measures: [{ agg: 'count', as: 'n' }], filters: [{ field: 'branch', op: 'contains', value: 'МОСК' }] } },
  { title: 'contains is literal for % and _', spec: { extract: 'tx', dimensions: [{ field: 'category' }], measures: [{ agg: 'count', as: 'n' }], filters: [{ field: 'category', op: 'contains', value: '0% refund_', caseSensitive: true }] } },
  { title: 'null and not null', spec: { extract: 'tx', dimensions: [{ field: 'channel' }], measures: [{ agg: 'count', as: 'n' }], filters: [{ field: 'amount', op: 'null' }, { field: 'booked_at', op: 'not_null' }] } },
  { title: 'top 3 categories by sum', spec: { extract: 'tx', dimensions: [{ field: 'category' }], measures: [{ agg: 'sum', field: 'amount', as: 'total' }], filters: [{ field: 'category', op: 'top', n: 3, by: { agg: 'sum', field: 'amount' } }, { field: 'is_reversal', op: 'in', values: [false] }] } },
  { title: 'bottom 2 branches by count', spec: { extract: 'tx', dimensions: [{ field: 'branch' }], measures: [{ agg: 'count', as: 'n' }], filters: [{ field: 'branch', op: 'top', n: 2, bottom: true, by: { agg: 'count' } }] } },
  { title: 'amount histogram', spec: { extract: 'tx', dimensions: [{ field: 'amount', bin: { width: 250, origin: -100 } }], measures: [{ agg: 'count', as: 'n' }] } },
  { title: 'hostile column name as a dimension', spec: { extract: 'tx', dimensions: [{ field: "odd \"name\"; --'" }], measures: [{ agg: 'sum', field: 'amount', as: 'total' }], filters: [{ field: 'branch', op: 'in', values: ["O'Brien & Sons", 'x"; DROP TABLE extracts; --'] }] } },
  {
    title: 'calculated fields: IF, CASE, strings, dates',
    spec: {
      extract: 'tx',
      calculated: [
        { name: 'kind', expr: "IF [amount] < 0 THEN 'refund' ELSEIF [amount] IS NULL THEN 'unknown' ELSE 'payment' END" },
        { name: 'label', expr: "UPPER(LEFT([channel], 2)) & '-' & COALESCE([category], '—')" },
        { name: 'age_days', expr: "DATEDIFF('day', [value_date], DATE('2025-01-31'))" },
        { name: 'weekday', expr: 'WEEKDAY([booked_at])' },
        { name: 'fee', expr: 'ROUND([amount] * 0.015, 2)' },
      ],
      dimensions: [{ field: 'kind' }, { field: 'weekday' }],
      measures: [{ agg: 'count_distinct', field: 'label', as: 'labels' }, { agg: 'avg', field: 'age_days', as: 'age' }, { agg: 'sum', field: 'fee', as: 'fees' }],
    },
  },
  { title: 'calculated filter and month arithmetic', spec: { extract: 'tx', calculated: [{ name: 'due', expr: "DATEADD('month', 1, [value_date])" }, { name: 'big', expr: '[amount] > 1000 AND NOT [is_reversal]' }], dimensions: [{ field: 'due', grain: 'month' }], measures: [{ agg: 'count', as: 'n' }], filters: [{ field: 'big', op: 'in', values: [true] }] } },
  { title: 'pivot with subtotals', spec: { extract: 'tx', dimensions: [{ field: 'channel' }, { field: 'booked_at', grain: 'year', as: 'year' }], measures: [{ agg: 'sum', field: 'amount', as: 'total' }, { agg: 'median', field: 'amount', as: 'median' }], pivot: { rows: ['channel'], columns: ['year'] } } },
  { title: 'pivot of counts and sums (totals rolled up from detail)', spec: { extract: 'tx', dimensions: [{ field: 'channel' }, { field: 'is_reversal' }, { field: 'value_date', grain: 'year', as: 'year' }], measures: [{ agg: 'count', as: 'n' }, { agg: 'sum', field: 'amount', as: 'total' }, { agg: 'count', field: 'category', as: 'with_category' }], filters: [{ field: 'branch', op: 'not_in', values: ['Kazan'] }], pivot: { rows: ['channel', 'is_reversal'], columns: ['year'] } } },
  { title: 'pivot where nothing matches', spec: { extract: 'tx', dimensions: [{ field: 'channel' }], measures: [{ agg: 'count', as: 'n' }, { agg: 'sum', field: 'amount', as: 'total' }], filters: [{ field: 'amount', op: 'range', min: 1e12 }], pivot: { rows: ['channel'], columns: [] } } },
  { title: 'running total by quarter per channel', spec: { extract: 'tx', dimensions: [{ field: 'channel' }, { field: 'booked_at', grain: 'quarter', as: 'quarter' }], measures: [{ agg: 'sum', field: 'amount', as: 'total' }], tableCalcs: [{ calc: 'running_total', measure: 'total', as: 'cum' }, { calc: 'percent_difference', measure: 'total', as: 'growth' }], chart: { type: 'line', x: 'quarter', y: 'cum', color: 'channel' } } },
  { title: 'sort by a measure with a limit', spec: { extract: 'tx', dimensions: [{ field: 'category' }, { field: 'channel' }], measures: [{ agg: 'avg', field: 'amount', as: 'avg' }], sort: [{ by: 'avg', dir: 'asc' }], limit: 5 } },
  { title: 'no rows match', spec: { extract: 'tx', dimensions: [{ field: 'branch' }], measures: [{ agg: 'sum', field: 'amount', as: 'total' }], filters: [{ field: 'amount', op: 'range', min: 1e12 }] } },
  { title: 'grand total only, no rows match', spec: { extract: 'tx', measures: [{ agg: 'sum', field: 'amount', as: 'total' }, { agg: 'count', as: 'n' }, { agg: 'stddev', field: 'amount', as: 'sd' }], filters: [{ field: 'amount', op: 'range', min: 1e12 }] } },
];

/** Same columns, rows and order; numbers equal to about 9 significant digits (engines sum in different orders). */
export function expectSameAnswer(actual: AnalysisResult, expected: AnalysisResult, label = ''): void {
  expect(actual.columns, label).toEqual(expected.columns);
  expect(actual.rowCount, label).toBe(expected.rowCount);
  expect(actual.truncated, label).toBe(expected.truncated);
  expect(actual.grouping, label).toEqual(expected.grouping);
  expected.data.forEach((column, c) =>
    column.forEach((cell, r) => {
      const got = actual.data[c]![r];
      const where = `${label} ${expected.columns[c]!.name}[${r}]`;
      if (typeof cell === 'number' && typeof got === 'number') {
        expect(Math.abs(got - cell), `${where}: ${got} vs ${cell}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(cell)));
      } else {
        expect(got, where).toEqual(cell);
      }
    }),
  );
}
