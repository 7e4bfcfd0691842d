import { describe, expect, it } from 'vitest';
import { buildFigure } from '../../shared/charts/figure';
import { bandAlpha, forecastOverlay, forecastTraces, historyResult, lastActual, seriesColours, translucent } from '../../shared/charts/forecast';
import { PALETTE } from '../../shared/charts/layout';
import type { SeriesForecast } from '../../shared/contracts/forecast';
import { byMonthAndChannel, CHANNELS, dim, EN, measure, result } from './charts-fixtures';

const LABELS = { forecast: (label: string) => `${label} forecast`, interval: (level: number) => `${level} % interval`, all: 'Forecasts' };
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);

function series(label: string, group: string[], overrides: Partial<SeriesForecast> = {}): SeriesForecast {
  return {
    group,
    label,
    dates: ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'],
    actual: [10, 20, 30, 40],
    forecastDates: ['2024-05-01', '2024-06-01'],
    mean: [50, 60],
    intervals: [
      { level: 80, lower: [45, 52], upper: [55, 68] },
      { level: 95, lower: [40, 45], upper: [60, 75] },
    ],
    model: 'ETS(A,A,N)',
    family: 'ets',
    params: { alpha: 0.31, beta: 0.1 },
    backtest: { origins: 3, horizon: 2, mase: 0.8, smape: 12, coverage: [{ level: 80, rate: 0.78 }, { level: 95, rate: 0.93 }] },
    candidates: [],
    calibration: [{ level: 80, factor: 1 }, { level: 95, factor: 1 }],
    notes: [],
    ...overrides,
  };
}

const run = (list: SeriesForecast[]) => ({ series: list, levels: [80, 95], grain: 'month' as const });

describe('forecast overlay', () => {
  it('draws a dashed mean joined to the last actual, and one closed band per level, widest first', () => {
    const traces = forecastTraces(run([series('Amount', [])]), { labels: LABELS, locale: 'en' });
    expect(traces.map((t) => t.name)).toEqual(['95 % interval', '80 % interval', 'Amount forecast']);
    const line = traces[2]!;
    expect(line.line?.dash).toBe('dash');
    expect(Array.from(line.x as number[])).toEqual([ms('2024-04-01'), ms('2024-05-01'), ms('2024-06-01')]);
    expect(Array.from(line.y as number[])).toEqual([40, 50, 60]);
    const band80 = traces[1]!;
    expect(band80.fill).toBe('toself');
    // Along the upper bound from the last actual, then back along the lower one.
    expect(band80.y).toEqual([40, 55, 68, 52, 45, 40]);
    expect(band80.x).toEqual([ms('2024-04-01'), ms('2024-05-01'), ms('2024-06-01'), ms('2024-06-01'), ms('2024-05-01'), ms('2024-04-01')]);
    expect(band80.hoverinfo).toBe('skip');
    expect(line.hovertext?.[1]).toContain('Amount forecast<br>May 2024: 50<br>95 % interval: 40 … 60<br>80 % interval: 45 … 55');
  });

  it('makes wider bands lighter and translucent in the series colour', () => {
    expect(bandAlpha([80, 95], 80)).toBeGreaterThan(bandAlpha([80, 95], 95));
    expect(bandAlpha([95], 95)).toBe(0.22);
    expect(translucent('#1d5fd1', 0.2)).toBe('rgba(29, 95, 209, 0.2)');
    const traces = forecastTraces(run([series('Amount', [])]), { labels: LABELS, locale: 'en' });
    expect(traces[0]!.fillcolor).toBe(`rgba(29, 95, 209, ${bandAlpha([80, 95], 95)})`);
    expect(traces[1]!.fillcolor).toBe(`rgba(29, 95, 209, ${bandAlpha([80, 95], 80)})`);
  });

  it('gives each band one legend entry over several series, and each series its history colour', () => {
    const base = [
      { type: 'scatter' as const, name: 'card', line: { color: '#111111' } },
      { type: 'scatter' as const, name: 'atm', line: { color: '#222222' } },
    ];
    const list = [series('atm', ['atm']), series('card', ['card']), series('online', ['online'])];
    expect(seriesColours(list, base)).toEqual(['#222222', '#111111', PALETTE[2]]);
    const traces = forecastTraces(run(list), { labels: LABELS, locale: 'en', base });
    const bands = traces.filter((t) => t.fill === 'toself');
    expect(bands).toHaveLength(6);
    expect(bands.filter((b) => b.showlegend).map((b) => b.name)).toEqual(['95 % interval', '80 % interval']);
    const lines = traces.filter((t) => t.fill !== 'toself');
    expect(lines.map((l) => [l.name, l.line?.color])).toEqual([
      ['atm forecast', '#222222'],
      ['card forecast', '#111111'],
      ['online forecast', PALETTE[2]],
    ]);
  });

  it('scales by the value axis factor, skips empty series, and starts at the first step without history', () => {
    const empty = series('Empty', [], { actual: [null, null, null, null], forecastDates: [], mean: [], intervals: [] });
    const noHistory = series('New', [], { dates: [], actual: [] });
    expect(lastActual(empty)).toBeNull();
    expect(lastActual(series('x', [], { actual: [1, 2, null, null] }))).toEqual({ date: '2024-02-01', value: 2 });
    const traces = forecastTraces(run([empty, noHistory]), { labels: LABELS, locale: 'en', factor: 10 });
    const line = traces.find((t) => t.name === 'New forecast')!;
    expect(Array.from(line.y as number[])).toEqual([5, 6]);
    expect(traces.some((t) => t.name === 'Empty forecast')).toBe(false);
  });

  it('escapes labels that plotly would read as markup', () => {
    const traces = forecastTraces(run([series('<b>A & B</b>', [])]), { labels: LABELS, locale: 'en' });
    expect(traces.at(-1)!.name).toBe('&lt;b&gt;A &amp; B&lt;/b&gt; forecast');
  });

  it('joins buildFigure as an overlay: the chart keeps its traces, the forecast takes their colours and axis factor', () => {
    const res = byMonthAndChannel();
    const chart = { type: 'line' as const, x: 'booked_on_month', y: 'amount', color: 'channel' };
    const plain = buildFigure(res, chart, EN);
    const list = CHANNELS.map((c) => series(c, [c]));
    const fig = buildFigure(res, chart, { ...EN, overlay: forecastOverlay(run(list), { labels: LABELS, locale: 'en' }) });
    expect(fig.data.slice(0, plain.data.length)).toEqual(plain.data);
    expect(fig.data).toHaveLength(plain.data.length + 3 * 3);
    expect(fig.rows).toHaveLength(fig.data.length);
    const lines = fig.data.slice(plain.data.length).filter((t) => t.fill !== 'toself');
    expect(lines.map((l) => l.line?.color)).toEqual(plain.data.map((t) => t.line?.color));
    expect(fig.layout.showlegend).toBe(true);

    // A compact (thousands) axis divides the overlay like the history.
    const big = result([dim('month', 'date'), measure('amount')], [['2024-01-01', 2e6], ['2024-02-01', 3e6]]);
    const one = series('amount', [], { dates: ['2024-01-01', '2024-02-01'], actual: [2e6, 3e6], mean: [4e6, 5e6], intervals: [] });
    const scaled = buildFigure(big, { type: 'line', x: 'month', y: 'amount' }, { ...EN, overlay: forecastOverlay({ series: [one], levels: [], grain: 'month' }, { labels: LABELS, locale: 'en' }) });
    expect(scaled.factor).toBe(1e6);
    expect(Array.from(scaled.data.at(-1)!.y as number[])).toEqual([3, 4, 5]);
    expect(scaled.layout.margin.t).toBe(36);
  });

  it('turns a series history into a result the Chart draws as a line', () => {
    const res = historyResult(series('Amount', []), 'booked_on_month', 'amount');
    expect(res.columns.map((c) => [c.name, c.type, c.role])).toEqual([
      ['booked_on_month', 'date', 'dimension'],
      ['amount', 'number', 'measure'],
    ]);
    expect(res.rowCount).toBe(4);
    const fig = buildFigure(res, { type: 'line', x: 'booked_on_month', y: 'amount' }, EN);
    expect(fig.data).toHaveLength(1);
  });
});

describe('many series', () => {
  it('gives the forecast lines one shared legend entry instead of one each', () => {
    const many = run(Array.from({ length: 8 }, (_, i) => series(`B${i}`, [String(i)])));
    const traces = forecastTraces(many, { labels: LABELS, locale: 'en' });
    const legended = traces.filter((t) => t.showlegend !== false).map((t) => t.name);
    expect(legended).toEqual(['95 % interval', '80 % interval', 'Forecasts']);
    expect(traces.filter((t) => t.line?.dash === 'dash' && t.legendgroup === 'forecast-all')).toHaveLength(9);
  });
});
