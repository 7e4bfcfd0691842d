import { describe, expect, it } from 'vitest';
import type { AnalysisSpec } from '../../shared/analysis/spec';
import { buildFigure, columnLabels, kpiSummary, labelOf, markList, type ColumnLabelWords } from '../../shared/charts';
import { byMonthAndChannel, dim, EN, LABELS_EN, measure, result } from './charts-fixtures';

const WORDS_EN: ColumnLabelWords = {
  rows: 'Number of rows',
  aggregations: {
    sum: 'Sum of {field}',
    avg: 'Average of {field}',
    count: 'Count of {field}',
    count_distinct: 'Distinct count of {field}',
    min: 'Minimum of {field}',
    max: 'Maximum of {field}',
    median: 'Median of {field}',
    percentile: 'Percentile {p} of {field}',
    stddev: 'Standard deviation of {field}',
  },
  grains: { day: 'day', week: 'week', month: 'month', quarter: 'quarter', year: 'year' },
  dated: '{field} ({grain})',
  binned: '{field} (bins of {width})',
};
const WORDS_RU: ColumnLabelWords = {
  ...WORDS_EN,
  rows: 'Число строк',
  aggregations: { ...WORDS_EN.aggregations, sum: 'Сумма {field}', percentile: '{p}-й процентиль {field}' },
  grains: { day: 'день', week: 'неделя', month: 'месяц', quarter: 'квартал', year: 'год' },
  binned: '{field} (интервалы по {width})',
};

const SPEC: AnalysisSpec = {
  extract: 'transactions',
  calculated: [{ name: 'margin', expr: 'amount * 0.1' }],
  dimensions: [{ field: 'booked_on', grain: 'month' }, { field: 'channel' }, { field: 'amount', bin: { width: 1000 } }, { field: 'booked_at', grain: 'week', as: 'week_of_booking' }],
  measures: [
    { agg: 'sum', field: 'amount', as: 'amount_sum' },
    { agg: 'count', as: 'count' },
    { agg: 'count_distinct', field: 'customer_id', as: 'customer_id_count_distinct' },
    { agg: 'percentile', field: 'amount', p: 0.975, as: 'amount_percentile' },
    { agg: 'avg', field: 'margin', as: 'margin_avg' },
    { agg: 'max', field: 'amount', as: 'largest payment' },
  ],
  tableCalcs: [{ calc: 'running_total', measure: 'amount_sum', as: 'running amount' }],
};

describe('columnLabels', () => {
  it('names aggregates, grains and bins in words; row counts as "Number of rows"', () => {
    expect(columnLabels(SPEC, WORDS_EN, 'en')).toEqual({
      booked_on_month: 'booked_on (month)',
      amount_bin: 'amount (bins of 1,000)',
      amount_sum: 'Sum of amount',
      count: 'Number of rows',
      customer_id_count_distinct: 'Distinct count of customer_id',
      amount_percentile: 'Percentile 97.5 of amount',
      margin_avg: 'Average of margin',
    });
  });

  it('speaks the language of the words given, numbers in its locale', () => {
    const ru = columnLabels(SPEC, WORDS_RU, 'ru');
    expect(ru.amount_sum).toBe('Сумма amount');
    expect(ru.booked_on_month).toBe('booked_on (месяц)');
    expect(ru.count).toBe('Число строк');
    expect(ru.amount_percentile).toBe('97,5-й процентиль amount');
    expect(ru.amount_bin).toBe('amount (интервалы по 1\u00a0000)');
  });

  it('keeps field names, calculated fields and every name the analyst chose with "as" as given', () => {
    const labels = columnLabels(SPEC, WORDS_EN, 'en');
    for (const name of ['channel', 'week_of_booking', 'largest payment', 'running amount']) {
      expect(labels).not.toHaveProperty(name);
      expect(labelOf(labels, name)).toBe(name);
    }
    // A measure named like another aggregate's default is the analyst's name, not a description.
    expect(columnLabels({ extract: 'x', measures: [{ agg: 'sum', field: 'amount', as: 'amount_avg' }] }, WORDS_EN, 'en')).toEqual({});
    // Only own keys count: a column may be called "constructor".
    expect(labelOf({}, 'constructor')).toBe('constructor');
  });
});

describe('charts show labels where they name columns', () => {
  const data = byMonthAndChannel();
  const labels = { booked_on_month: 'booked_on (month)', amount: 'Sum of amount', channel: 'Channel', tx_count: 'Number of rows' };

  it('axis titles, tooltips and the legend title', () => {
    const fig = buildFigure(data, { type: 'column', x: 'booked_on_month', y: 'amount', color: 'channel' }, { ...EN, columnLabels: labels });
    expect(fig.layout.xaxis?.title?.text).toBe('booked_on (month)');
    expect(fig.layout.yaxis?.title?.text).toBe('Sum of amount');
    expect((fig.layout.legend?.title as { text: string }).text).toBe('Channel');
    expect((fig.data[0]!.hovertext as string[])[0]).toBe('booked_on (month): <b>Jan 2024</b><br>Channel: <b>card</b><br>Sum of amount: <b>1,000.5</b>');
    // Without labels, the output names as before.
    const plain = buildFigure(data, { type: 'bar', x: 'booked_on_month', y: 'amount' }, EN);
    expect([plain.layout.xaxis?.title?.text, plain.layout.yaxis?.title?.text]).toEqual(['amount', 'booked_on_month']);
  });

  it('labels are HTML-escaped like names; series of several measures are named by label', () => {
    const fig = buildFigure(data, { type: 'line', x: 'booked_on_month', y: ['amount', 'tx_count'] }, { ...EN, columnLabels: { amount: 'Sum <of> amount', tx_count: 'Number of rows' } });
    expect(fig.data.map((t) => t.name)).toEqual(['Sum &lt;of&gt; amount', 'Number of rows']);
  });

  it('the keyboard mark list and KPI tiles', () => {
    expect(markList(data, { type: 'column' }, 'en', LABELS_EN, 1, labels)[0]!.label).toBe('Jan 2024 · card — Sum of amount: 1,000.5, Number of rows: 10');
    const kpi = kpiSummary(result([dim('m', 'date'), measure('amount_sum')], [['2024-01-01', 5]]), { type: 'kpi' }, 'en', LABELS_EN, { amount_sum: 'Sum of amount' });
    expect(kpi.measure).toBe('Sum of amount');
  });
});
