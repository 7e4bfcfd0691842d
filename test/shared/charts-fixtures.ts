import type { AnalysisResult, Cell, ResultColumn } from '../../shared/analysis/spec';
import type { ChartLabels, Figure, FigureOptions } from '../../shared/charts';
import { mulberry32 } from '../helpers/analysis-data';

/** Small hand-made results for the chart tests (and the browser test's figures). */
export const LABELS_EN: ChartLabels = { empty: '(empty)', other: 'Other', count: 'Count' };
export const LABELS_RU: ChartLabels = { empty: '(пусто)', other: 'Прочее', count: 'Количество' };
export const EN: FigureOptions = { locale: 'en', widthPx: 800, labels: LABELS_EN };
export const RU: FigureOptions = { locale: 'ru', widthPx: 800, labels: LABELS_RU };

export function dim(name: string, type: ResultColumn['type'] = 'string'): ResultColumn {
  return { name, type, role: 'dimension' };
}
export function measure(name: string, type: ResultColumn['type'] = 'number'): ResultColumn {
  return { name, type, role: 'measure' };
}

/** A result from rows (row-major, as one writes them by hand), stored columnar as the engine returns it. */
export function result(columns: ResultColumn[], rows: Cell[][], grouping?: number[]): AnalysisResult {
  return {
    columns,
    data: columns.map((_, c) => rows.map((r) => r[c] ?? null)),
    rowCount: rows.length,
    truncated: false,
    ...(grouping ? { grouping } : {}),
    engine: 'memory',
    cached: false,
    extractVersion: 1,
    syncedAt: null,
    elapsedMs: 1,
  };
}

export const MONTHS = ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'];
export const CHANNELS = ['card', 'atm', 'online'];

/** Monthly amount and count by channel: 4 months × 3 channels. */
export function byMonthAndChannel(): AnalysisResult {
  const rows: Cell[][] = [];
  MONTHS.forEach((m, i) => CHANNELS.forEach((c, j) => rows.push([m, c, 1000 * (i + 1) + 100 * j + 0.5, 10 + i + j])));
  return result([dim('booked_on_month', 'date'), dim('channel'), measure('amount'), measure('tx_count')], rows);
}

/** Amount, deposits and customers per branch (30-city demo style). */
export function byBranch(): AnalysisResult {
  return result(
    [dim('branch'), measure('amount'), measure('deposits'), measure('customers')],
    [
      ['Moscow', 5_200_000, 9_100_000, 1200],
      ['Saint Petersburg', 2_400_000, 4_000_000, 640],
      ['Kazan', 900_000, 1_500_000, 210],
      ['Novosibirsk', 1_100_000, 1_700_000, 260],
    ],
  );
}

/** Every trace's type, in order. */
export const traceTypes = (figure: Figure) => figure.data.map((t) => t.type);

/** Deterministic pseudo-random numbers in [0, 1), so pictures are the same on every run. */
export const random = mulberry32;

const BANK_CHANNELS = ['card', 'atm', 'branch', 'online'];
const SEGMENTS = ['retail', 'premium', 'sme', 'corporate'];

/** Bank-like demo results for every chart type (the browser test draws them and takes screenshots). */
export function demoCharts(cities: ReadonlyArray<{ cityEn: string; city: string; lat: number; lon: number; population: number }>, locale: 'en' | 'ru') {
  const rnd = random(7);
  const months = Array.from({ length: 18 }, (_, i) => `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
  const cityName = (c: (typeof cities)[number]) => (locale === 'ru' ? c.city : c.cityEn);

  const monthly: Cell[][] = [];
  months.forEach((m, i) => BANK_CHANNELS.forEach((ch, j) => monthly.push([m, ch, Math.round((40 + 25 * j + i * 3 + 10 * Math.sin(i / 2)) * 1e6 * (1 + rnd() * 0.1)), Math.round(20000 + 9000 * j + 500 * i)])));
  const byMonthChannel = result([dim('booked_on_month', 'date'), dim('channel'), measure('amount'), measure('tx_count')], monthly);

  const branches = result(
    [dim('branch'), measure('amount'), measure('deposits'), measure('customers'), measure('population')],
    cities.map((c) => {
      const customers = Math.round(c.population * (0.004 + rnd() * 0.003));
      return [cityName(c), Math.round(customers * (9000 + rnd() * 6000)), Math.round(customers * (150000 + rnd() * 90000)), customers, c.population];
    }),
  );
  const top = result(branches.columns, branches.data[0]!.map((_, r) => branches.columns.map((_, c) => branches.data[c]![r]!)).sort((a, b) => (b[1] as number) - (a[1] as number)).slice(0, 12));

  const hours = 24 * 365;
  const hourly: Cell[][] = Array.from({ length: hours }, (_, h) => [new Date(Date.UTC(2024, 0, 1) + h * 3600_000).toISOString(), Math.round(1000 + 600 * Math.sin((h / 24) * 2 * Math.PI) + 300 * Math.sin(h / 700) + rnd() * 250 + (h === 5000 ? 4000 : 0))]);
  const daysOfWeek = locale === 'ru' ? ['пн', 'вт', 'ср', 'чт', 'пт', 'сб', 'вс'] : ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const heat: Cell[][] = [];
  daysOfWeek.forEach((d, i) => {
    for (let h = 0; h < 24; h++) heat.push([String(h).padStart(2, '0'), d, Math.round((h >= 8 && h <= 21 ? 900 : 120) * (i >= 5 ? 0.6 : 1) * (0.8 + rnd() * 0.4))]);
  });
  const amounts: Cell[][] = Array.from({ length: 4000 }, (_, i) => [SEGMENTS[i % 4]!, Math.round(Math.exp(7 + (i % 4) * 0.5 + (rnd() + rnd() + rnd() - 1.5) * 1.2))]);

  return [
    { id: 'column', chart: { type: 'column', x: 'booked_on_month', y: 'amount', color: 'channel', barMode: 'stacked', format: 'compact' }, data: byMonthChannel },
    { id: 'bar', chart: { type: 'bar', x: 'branch', y: 'amount', format: 'currency' }, data: top },
    { id: 'line', chart: { type: 'line', x: 'booked_at', y: 'tx_count' }, data: result([dim('booked_at', 'timestamp'), measure('tx_count')], hourly) },
    { id: 'area', chart: { type: 'area', x: 'booked_on_month', y: 'amount', color: 'channel', barMode: 'percent' }, data: byMonthChannel },
    { id: 'scatter', chart: { type: 'scatter', x: 'deposits', y: 'amount', format: 'compact' }, data: branches },
    { id: 'bubble', chart: { type: 'bubble', x: 'customers', y: 'amount', size: 'population', format: 'compact' }, data: branches },
    { id: 'pie', chart: { type: 'pie', x: 'channel', y: 'amount' }, data: result([dim('channel'), measure('amount')], BANK_CHANNELS.map((c, i) => [c, 100 + i * 60])) },
    { id: 'donut', chart: { type: 'donut', x: 'branch', y: 'deposits', format: 'compact' }, data: branches },
    { id: 'heatmap', chart: { type: 'heatmap', x: 'hour', color: 'weekday', y: 'tx_count' }, data: result([dim('hour'), dim('weekday'), measure('tx_count')], heat) },
    { id: 'histogram', chart: { type: 'histogram', x: 'amount', format: 'currency' }, data: result([dim('segment'), dim('amount', 'number')], amounts.filter((r) => (r[1] as number) < 60000)) },
    { id: 'box', chart: { type: 'box', x: 'segment', y: 'amount', format: 'currency' }, data: result([dim('segment'), dim('amount', 'number')], amounts) },
    { id: 'combo', chart: { type: 'combo', x: 'booked_on_month', y: 'amount', y2: 'avg_ticket', format: 'compact' }, data: result([dim('booked_on_month', 'date'), measure('amount'), measure('avg_ticket')], months.map((m, i) => [m, (300 + i * 12 + 30 * Math.sin(i)) * 1e6, 2400 + i * 40 + 200 * Math.cos(i)])) },
    { id: 'map', chart: { type: 'map', x: 'branch', y: 'customers' }, data: branches, branchLocations: cities.map((c) => ({ key: cityName(c), name: cityName(c), lat: c.lat, lon: c.lon })) },
  ] as const;
}
