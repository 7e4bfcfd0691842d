import { describe, expect, it } from 'vitest';
import type { Cell } from '../../shared/analysis/spec';
import { buildFigure, ChartEncodingError, defaultPivot, dimensionValues, kpiSummary, markList, outlineBounds, pivotModel, project } from '../../shared/charts';
import { byBranch, byMonthAndChannel, dim, EN, LABELS_EN, LABELS_RU, measure, result, RU, traceTypes } from './charts-fixtures';

describe('buildFigure: series charts', () => {
  it('column: one series per colour value, categories in result order, dates as a date axis', () => {
    const fig = buildFigure(byMonthAndChannel(), { type: 'column', x: 'booked_on_month', y: 'amount', color: 'channel' }, EN);
    expect(traceTypes(fig)).toEqual(['bar', 'bar', 'bar']);
    expect(fig.data.map((t) => t.name)).toEqual(['card', 'atm', 'online']);
    expect(fig.layout.xaxis?.type).toBe('date');
    expect(fig.layout.xaxis?.tickformat).toBe('%b %Y');
    // Dates go to plotly as epoch milliseconds, in order.
    expect(Array.from(fig.data[0]!.x as Float64Array)).toEqual(['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'].map((d) => Date.parse(`${d}T00:00:00Z`)));
    expect(Array.from(fig.data[1]!.y as Float64Array)).toEqual([1100.5, 2100.5, 3100.5, 4100.5]);
    expect(fig.layout.barmode).toBe('group');
    expect(fig.layout.showlegend).toBe(true);
    expect(fig.note).toBeNull();
  });

  it('tooltips show column names with values formatted in the locale', () => {
    const fig = buildFigure(byMonthAndChannel(), { type: 'column', x: 'booked_on_month', y: 'amount', color: 'channel', format: 'currency' }, RU);
    expect(fig.data[0]!.hoverinfo).toBe('text');
    expect((fig.data[0]!.hovertext as string[])[2]).toBe('booked_on_month: <b>мар 2024</b><br>channel: <b>card</b><br>amount: <b>3\u00a0000,50\u00a0₽</b>');
    expect(fig.layout.separators).toBe(',\u00a0');
    expect(fig.layout.yaxis?.ticksuffix).toBe('\u00a0₽');
  });

  it('customdata carries the dimension values of each mark, raw, for clicks', () => {
    const fig = buildFigure(byMonthAndChannel(), { type: 'column', x: 'booked_on_month', y: 'amount', color: 'channel' }, EN);
    expect((fig.data[2]!.customdata as Cell[][])[1]).toEqual(['2024-02-01', 'online']);
  });

  it('stacked and 100% bars: barmode stack, barnorm percent', () => {
    const stacked = buildFigure(byMonthAndChannel(), { type: 'column', x: 'booked_on_month', y: 'amount', color: 'channel', barMode: 'stacked' }, EN);
    expect(stacked.layout.barmode).toBe('stack');
    expect(stacked.layout.barnorm).toBeUndefined();
    const percent = buildFigure(byMonthAndChannel(), { type: 'column', x: 'booked_on_month', y: 'amount', color: 'channel', barMode: 'percent' }, EN);
    expect(percent.layout.barmode).toBe('stack');
    expect(percent.layout.barnorm).toBe('percent');
    expect(percent.layout.yaxis?.ticksuffix).toBe('%');
    expect(percent.layout.yaxis?.range).toEqual([0, 100]);
  });

  it('bar is horizontal with the first category on top; several measures are several series', () => {
    const fig = buildFigure(byBranch(), { type: 'bar', x: 'branch', y: ['amount', 'deposits'] }, EN);
    expect(fig.data.map((t) => [t.type, t.orientation, t.name])).toEqual([
      ['bar', 'h', 'amount'],
      ['bar', 'h', 'deposits'],
    ]);
    expect(fig.data[0]!.y).toEqual(['Moscow', 'Saint Petersburg', 'Kazan', 'Novosibirsk']);
    expect(fig.layout.yaxis).toMatchObject({ type: 'category', autorange: 'reversed' });
    expect(fig.layout.xaxis?.type).toBe('linear');
  });

  it('line and area: scatter traces sorted by x; areas stack by default and normalise for percent', () => {
    const shuffled = result([dim('day', 'date'), measure('amount')], [['2024-01-03', 3], ['2024-01-01', 1], ['2024-01-02', 2]]);
    const line = buildFigure(shuffled, { type: 'line', x: 'day', y: 'amount' }, EN);
    expect(line.data[0]).toMatchObject({ type: 'scatter', mode: 'lines+markers' });
    expect(Array.from(line.data[0]!.y as Float64Array)).toEqual([1, 2, 3]);
    const area = buildFigure(byMonthAndChannel(), { type: 'area', x: 'booked_on_month', y: 'amount', color: 'channel' }, EN);
    expect(area.data.every((t) => t.stackgroup === 'stack' && !t.groupnorm)).toBe(true);
    const share = buildFigure(byMonthAndChannel(), { type: 'area', x: 'booked_on_month', y: 'amount', color: 'channel', barMode: 'percent' }, EN);
    expect(share.data.every((t) => t.groupnorm === 'percent')).toBe(true);
  });

  it('a long line is decimated to about two points per pixel and says so', () => {
    const rows: Cell[][] = Array.from({ length: 5000 }, (_, i) => [i, Math.sin(i / 50)]);
    const fig = buildFigure(result([dim('t', 'number'), measure('v')], rows), { type: 'line', x: 't', y: 'v' }, { ...EN, widthPx: 400 });
    expect((fig.data[0]!.x as Float64Array).length).toBe(800);
    expect(fig.note).toEqual({ kind: 'decimated', shown: 800, total: 5000, method: 'lttb' });
    expect(fig.points).toBe(800);
  });

  it('a missing dimension value is labelled, not dropped', () => {
    const fig = buildFigure(result([dim('segment'), measure('n')], [['retail', 1], [null, 2]]), { type: 'column', x: 'segment', y: 'n' }, RU);
    expect(fig.data[0]!.x).toEqual(['retail', '(пусто)']);
  });

  it('pivot results: total rows (grouping ≠ 0) are not drawn', () => {
    const pivot = result(
      [dim('branch'), dim('channel'), measure('amount')],
      [
        ['Moscow', 'card', 10],
        ['Moscow', 'atm', 5],
        ['Moscow', null, 15],
        ['Kazan', 'card', 3],
        ['Kazan', null, 3],
        [null, null, 18],
      ],
      [0, 0, 2, 0, 2, 3],
    );
    const fig = buildFigure(pivot, { type: 'column', x: 'branch', y: 'amount', color: 'channel' }, EN);
    const drawn = fig.data.flatMap((t) => Array.from(t.y as Float64Array));
    expect(drawn.sort((a, b) => a - b)).toEqual([3, 5, 10]);
    expect(markList(pivot, { type: 'column' }, 'en', LABELS_EN).map((m) => m.row)).toEqual([0, 1, 3]);
  });

  it('an encoding naming a column the result lacks is a ChartEncodingError', () => {
    expect(() => buildFigure(byBranch(), { type: 'column', x: 'branch', y: 'nope' }, EN)).toThrow(ChartEncodingError);
    expect(() => buildFigure(byBranch(), { type: 'column', x: 'branch', y: 'branch' }, EN)).toThrow(/not numbers/);
  });
});

describe('buildFigure: other chart types', () => {
  it('scatter and bubble: markers, bubble areas scaled by size with sizeref', () => {
    const scatter = buildFigure(byBranch(), { type: 'scatter', x: 'amount', y: 'deposits' }, EN);
    expect(scatter.data[0]).toMatchObject({ type: 'scatter', mode: 'markers' });
    expect(scatter.note).toBeNull();
    const bubble = buildFigure(byBranch(), { type: 'bubble', x: 'amount', y: 'deposits', size: 'customers' }, EN);
    const marker = bubble.data[0]!.marker!;
    expect(marker.sizemode).toBe('area');
    expect(Array.from(marker.size as Float64Array)).toEqual([1200, 640, 210, 260]);
    // The largest bubble is 44 px across: sizeref = 2 · max / 44².
    expect(marker.sizeref).toBeCloseTo((2 * 1200) / 44 ** 2);
  });

  it('combo: bars on the first axis, lines on a second axis overlaying it on the right', () => {
    const fig = buildFigure(byBranch(), { type: 'combo', x: 'branch', y: 'amount', y2: ['customers'] }, EN);
    expect(fig.data.map((t) => [t.type, t.yaxis])).toEqual([
      ['bar', 'y'],
      ['scatter', 'y2'],
    ]);
    expect(fig.layout.yaxis2).toMatchObject({ overlaying: 'y', side: 'right' });
    expect(() => buildFigure(byBranch(), { type: 'combo', x: 'branch', y: 'amount' }, EN)).toThrow(/y2/);
  });

  it('pie and donut: slices largest first; a donut has a hole and its total in the middle', () => {
    const pie = buildFigure(byBranch(), { type: 'pie', x: 'branch', y: 'amount' }, EN);
    expect(pie.data[0]!.type).toBe('pie');
    expect(pie.data[0]!.hole).toBeUndefined();
    expect(pie.data[0]!.labels).toEqual(['Moscow', 'Saint Petersburg', 'Novosibirsk', 'Kazan']);
    const donut = buildFigure(byBranch(), { type: 'donut', x: 'branch', y: 'amount', format: 'compact' }, EN);
    expect(donut.data[0]!.hole).toBeGreaterThan(0.3);
    expect(String(donut.layout.annotations?.[0]?.text)).toContain('9.6M');
  });

  it('a pie of many categories folds the smallest into "Other" and notes it', () => {
    const rows: Cell[][] = Array.from({ length: 15 }, (_, i) => [`c${i}`, 15 - i]);
    const fig = buildFigure(result([dim('c'), measure('v')], rows), { type: 'pie', x: 'c', y: 'v' }, EN);
    const labels = fig.data[0]!.labels as string[];
    expect(labels).toHaveLength(10);
    expect(labels[9]).toBe('Other');
    expect((fig.data[0]!.values as number[])[9]).toBe(6 + 5 + 4 + 3 + 2 + 1);
    expect(fig.note).toEqual({ kind: 'folded', shown: 9, total: 15 });
  });

  it('heatmap: x × colour dimension → z matrix of the measure', () => {
    const fig = buildFigure(byMonthAndChannel(), { type: 'heatmap', x: 'booked_on_month', color: 'channel', y: 'tx_count' }, EN);
    const trace = fig.data[0]!;
    expect(trace.type).toBe('heatmap');
    expect(trace.x).toEqual(['Jan 2024', 'Feb 2024', 'Mar 2024', 'Apr 2024']);
    expect(trace.y).toEqual(['card', 'atm', 'online']);
    expect(trace.z).toEqual([
      [10, 11, 12, 13],
      [11, 12, 13, 14],
      [12, 13, 14, 15],
    ]);
    expect((trace.customdata as Cell[][][])[1]![2]).toEqual(['2024-03-01', 'atm']);
  });

  it('histogram of a measure; box plots of y grouped by x', () => {
    const rows: Cell[][] = Array.from({ length: 100 }, (_, i) => [i % 2 ? 'retail' : 'sme', i]);
    const data = result([dim('segment'), dim('amount', 'number')], rows);
    const hist = buildFigure(data, { type: 'histogram', x: 'amount', color: 'segment' }, EN);
    expect(traceTypes(hist)).toEqual(['histogram', 'histogram']);
    expect((hist.data[0]!.x as Float64Array).length).toBe(50);
    expect(hist.layout.barmode).toBe('overlay');
    expect(hist.layout.yaxis?.title?.text).toBe('Count');
    const box = buildFigure(data, { type: 'box', x: 'segment', y: 'amount' }, EN);
    expect(box.data[0]!.type).toBe('box');
    expect((box.data[0]!.x as string[]).slice(0, 3)).toEqual(['sme', 'retail', 'sme']);
    expect((box.data[0]!.y as Float64Array).length).toBe(100);
  });

  it('kpi, table and pivot draw no plotly traces', () => {
    for (const type of ['kpi', 'table', 'pivot'] as const) expect(buildFigure(byBranch(), { type }, EN).data).toEqual([]);
  });

  it('every figure is JSON-safe and turns off plotly links and logo', () => {
    const fig = buildFigure(byBranch(), { type: 'column', x: 'branch', y: 'amount' }, RU);
    expect(fig.config).toMatchObject({ displaylogo: false, showLink: false, showSendToCloud: false, showEditInChartStudio: false, locale: 'ru' });
    expect(fig.config.locales.ru!.format.shortMonths).toContain('мар');
  });
});

describe('kpiSummary', () => {
  it('latest value against the period before, with sign and direction', () => {
    const data = result([dim('month', 'date'), measure('amount')], [['2024-03-01', 900], ['2024-01-01', 1000], ['2024-02-01', 1200]]);
    const kpi = kpiSummary(data, { type: 'kpi', x: 'month', y: 'amount' }, 'ru', LABELS_RU);
    expect(kpi).toMatchObject({ value: 900, previous: 1200, delta: -300, direction: 'down', period: 'мар 2024', previousPeriod: 'фев 2024' });
    expect(kpi.deltaText).toBe('-300');
    expect(kpi.ratioText).toBe('-25\u00a0%');
    const en = kpiSummary(data, { type: 'kpi', x: 'month', y: 'amount', format: 'currency' }, 'en', LABELS_EN);
    expect([en.valueText, en.deltaText, en.ratioText]).toEqual(['₽900.00', '-₽300.00', '-25%']);
  });

  it('without a date dimension: the value alone', () => {
    const kpi = kpiSummary(result([measure('total')], [[42]]), { type: 'kpi' }, 'en', LABELS_EN);
    expect(kpi).toMatchObject({ value: 42, valueText: '42', delta: null, direction: null });
  });
});

describe('pivotModel', () => {
  // Engine order: detail rows first, then each grouping set's rows.
  const pivot = result(
    [dim('region'), dim('branch'), dim('channel'), measure('amount')],
    [
      ['Centre', 'Moscow', 'card', 10],
      ['Volga', 'Kazan', 'card', 3],
      ['Centre', 'Tver', 'atm', 2],
      ['Centre', 'Moscow', 'atm', 5],
      ['Centre', 'Moscow', null, 15],
      ['Centre', 'Tver', null, 2],
      ['Volga', 'Kazan', null, 3],
      ['Centre', null, 'card', 10],
      ['Centre', null, 'atm', 7],
      ['Centre', null, null, 17],
      ['Volga', null, 'card', 3],
      ['Volga', null, null, 3],
      [null, null, 'card', 13],
      [null, null, 'atm', 7],
      [null, null, null, 20],
    ],
    [0, 0, 0, 0, 4, 4, 4, 2, 2, 6, 2, 6, 3, 3, 7],
  );
  const model = pivotModel(pivot, { rows: ['region', 'branch'], columns: ['channel'] });

  it('lays rows out in result order, each subtotal after the lines it sums, the grand total last', () => {
    expect(model.rows.map((r) => [...r.values.slice(0, r.depth), r.depth])).toEqual([
      ['Centre', 'Moscow', 2],
      ['Centre', 'Tver', 2],
      ['Centre', 1],
      ['Volga', 'Kazan', 2],
      ['Volga', 1],
      [0],
    ]);
    expect(model.columns.map((c) => [...c.values.slice(0, c.depth), c.depth])).toEqual([['card', 1], ['atm', 1], [0]]);
  });

  it('finds the result row of every cell, totals included; empty cells stay empty', () => {
    const amount = (r: number, c: number) => {
      const row = model.cell(r, c);
      return row === undefined ? undefined : pivot.data[3]![row];
    };
    expect(model.rows.map((_, r) => model.columns.map((__, c) => amount(r, c)))).toEqual([
      [10, 5, 15],
      [undefined, 2, 2],
      [10, 7, 17],
      [3, undefined, 3],
      [3, undefined, 3],
      [13, 7, 20],
    ]);
  });

  it('without a pivot spec: the last dimension across, the others down', () => {
    expect(defaultPivot(pivot)).toEqual({ rows: ['region', 'branch'], columns: ['channel'] });
  });
});

describe('marks for keyboard users', () => {
  it('each detail row is a mark with its dimension values and a readable label', () => {
    const marks = markList(byMonthAndChannel(), { type: 'column' }, 'en', LABELS_EN, 2);
    expect(marks).toEqual([
      { row: 0, label: 'Jan 2024 · card — amount: 1,000.5, tx_count: 10', values: { booked_on_month: '2024-01-01', channel: 'card' } },
      { row: 1, label: 'Jan 2024 · atm — amount: 1,100.5, tx_count: 11', values: { booked_on_month: '2024-01-01', channel: 'atm' } },
    ]);
    expect(dimensionValues(byMonthAndChannel(), 4)).toEqual({ booked_on_month: '2024-02-01', channel: 'atm' });
  });
});

describe('branch map', () => {
  const CITIES = {
    moscow: [37.6173, 55.7558],
    spb: [30.3351, 59.9343],
    kazan: [49.1064, 55.7961],
    krasnodar: [38.9753, 45.0355],
    novosibirsk: [82.9357, 55.0084],
    vladivostok: [131.8855, 43.1155],
    kaliningrad: [20.5, 54.7],
  } as const;
  const at = (city: keyof typeof CITIES) => project(CITIES[city][0], CITIES[city][1]);

  it('the projection keeps compass directions between cities', () => {
    expect(at('moscow')[0]).toBeGreaterThan(at('spb')[0]); // Moscow is east of St Petersburg
    expect(at('moscow')[1]).toBeLessThan(at('spb')[1]); // and south of it
    expect(at('kazan')[0]).toBeGreaterThan(at('moscow')[0]);
    expect(at('krasnodar')[1]).toBeLessThan(at('moscow')[1]);
    expect(at('novosibirsk')[0]).toBeGreaterThan(at('kazan')[0]);
    expect(at('vladivostok')[0]).toBeGreaterThan(at('novosibirsk')[0]);
    expect(at('kaliningrad')[0]).toBeLessThan(at('spb')[0]);
    // Distances come out in kilometres: Moscow–St Petersburg is about 635 km.
    const [mx, my] = at('moscow');
    const [sx, sy] = at('spb');
    expect(Math.hypot(mx - sx, my - sy)).toBeGreaterThan(600);
    expect(Math.hypot(mx - sx, my - sy)).toBeLessThan(680);
  });

  it('every city of the demo warehouse lies inside the outline bounds, Chukotka in one piece', () => {
    const [x0, x1, y0, y1] = outlineBounds();
    for (const city of Object.keys(CITIES) as Array<keyof typeof CITIES>) {
      const [x, y] = at(city);
      expect(x > x0 && x < x1 && y > y0 && y < y1, city).toBe(true);
    }
    // Cape Dezhnev (169.7° W) is drawn east of Vladivostok, not wrapped to the far west.
    expect(project(-169.65, 66.07)[0]).toBeGreaterThan(at('vladivostok')[0] - 1500);
    expect(project(-169.65, 66.07)[0]).toBeGreaterThan(at('novosibirsk')[0]);
  });

  it('branch keys are looked up in branchLocations (numbers and text alike); unknown keys are noted', () => {
    const data = result([dim('branch_id', 'number'), measure('amount')], [[1, 500], [2, 200], [99, 1]]);
    const locations = [
      { key: '1', name: 'Москва', lat: 55.7558, lon: 37.6173 },
      { key: 2, name: 'Санкт-Петербург', lat: 59.9343, lon: 30.3351 },
    ];
    const fig = buildFigure(data, { type: 'map', x: 'branch_id', y: 'amount' }, { ...RU, branchLocations: locations });
    expect(traceTypes(fig)).toEqual(['scatter', 'scatter']);
    const [outline, marks] = fig.data;
    expect(outline!.fill).toBe('toself');
    expect((outline!.x as Array<number | null>).filter((v) => v === null).length).toBeGreaterThanOrEqual(8);
    expect((marks!.hovertext as string[])[0]).toContain('<b>Москва</b>');
    expect(marks!.customdata).toEqual([[1], [2]]);
    expect(fig.note).toEqual({ kind: 'unplaced', count: 1 });
    expect(fig.layout.yaxis).toMatchObject({ scaleanchor: 'x', visible: false });
    // No geo or mapbox traces: they would fetch topojson or tiles.
    expect(JSON.stringify(fig)).not.toMatch(/geo|mapbox|https?:/);
  });

  it('lat/lon columns place marks without a lookup', () => {
    const data = result([dim('city'), dim('lat', 'number'), dim('lon', 'number'), measure('n')], [['Kazan', 55.7961, 49.1064, 5]]);
    const fig = buildFigure(data, { type: 'map', x: 'city', lat: 'lat', lon: 'lon', y: 'n' }, EN);
    const [x, y] = project(49.1064, 55.7961);
    expect(fig.data[1]!.x).toEqual([Math.round(x)]);
    expect(fig.data[1]!.y).toEqual([Math.round(y)]);
  });
});
