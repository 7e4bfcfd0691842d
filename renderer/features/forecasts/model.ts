import type { AnalysisSpec, Grain } from '../../../shared/analysis/spec.js';
import type { ForecastRun, ParamValue, SeriesForecast } from '../../../shared/contracts/index.js';
import { dimensionName } from '../../../shared/workbench/explore.js';
import type { FieldInfo } from '../../store/slices/builder/index.js';

/** Default horizon per grain: a month of days, a quarter of weeks, a year of months, two years of quarters, three years. */
export const DEFAULT_HORIZON: Record<Grain, number> = { day: 30, week: 13, month: 12, quarter: 8, year: 3 };

export const LEVEL_CHOICES = { both: [80, 95], '80': [80], '95': [95] } as const;
export type LevelChoice = keyof typeof LEVEL_CHOICES;

/** Why the builder's spec cannot be forecast, as a key of `forecasts.ineligible.*`. */
export type Ineligible = 'chartType' | 'noDate' | 'manyDates' | 'noGrain' | 'dateNotX' | 'measures' | 'measureNotY' | 'groups' | 'stacked' | 'pivot';

export type Eligibility = { ok: true; grain: Grain; dateColumn: string; measure: string } | { ok: false; reason: Ineligible };

/**
 * Whether the builder's chart can carry a forecast: a line (or area) chart whose x axis is the one date
 * dimension with a grain, one measure on y, and at most one other dimension, on colour (the groups).
 */
export function eligibility(spec: AnalysisSpec | null, fields: ReadonlyArray<FieldInfo> = []): Eligibility {
  const chart = spec?.chart;
  if (!spec || !chart || (chart.type !== 'line' && chart.type !== 'area')) return { ok: false, reason: 'chartType' };
  if (spec.pivot) return { ok: false, reason: 'pivot' };
  const dims = spec.dimensions ?? [];
  const types = new Map(fields.map((f) => [f.name, f.type]));
  const isDate = (field: string) => types.get(field) === 'date' || types.get(field) === 'timestamp';
  const dated = dims.filter((d) => d.grain !== undefined);
  if (dated.length > 1) return { ok: false, reason: 'manyDates' };
  const date = dated[0];
  if (!date) return { ok: false, reason: dims.some((d) => !d.bin && isDate(d.field)) ? 'noGrain' : 'noDate' };
  const dateColumn = dimensionName(date);
  if ((chart.x ?? dimensionName(dims[0]!)) !== dateColumn) return { ok: false, reason: 'dateNotX' };
  const measures = spec.measures ?? [];
  if (measures.length !== 1) return { ok: false, reason: 'measures' };
  const measure = measures[0]!.as;
  const y = Array.isArray(chart.y) ? chart.y : chart.y === undefined ? [measure] : [chart.y];
  if (y.length !== 1 || y[0] !== measure) return { ok: false, reason: 'measureNotY' };
  const others = dims.filter((d) => d !== date);
  if (others.length > 1 || (others[0] && chart.color !== dimensionName(others[0]))) return { ok: false, reason: 'groups' };
  if (others.length === 1 && chart.type === 'area' && (chart.barMode ?? 'stacked') !== 'grouped') return { ok: false, reason: 'stacked' };
  return { ok: true, grain: date.grain!, dateColumn, measure };
}

const GREEK: Record<string, string> = { alpha: 'α', beta: 'β', gamma: 'γ', phi: 'φ', theta: 'θ', lambda: 'λ', delta: 'δ' };
/** State of the fit rather than its parameters: long, or meaningless to the analyst. */
const HIDDEN = new Set(['level', 'trend', 'season', 'sigma2', 'level0', 'intercept', 'fitted', 'residuals', 'components']);
const ORDER = ['alpha', 'beta', 'gamma', 'phi', 'theta', 'p', 'd', 'q', 'P', 'D', 'Q', 'ar', 'ma', 'sar', 'sma', 'drift', 'slope'];

/** A number rounded for reading: three significant digits, at most four decimals. */
export function round(value: number, locale: 'en' | 'ru'): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 2 : 3;
  return new Intl.NumberFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { maximumFractionDigits: digits }).format(value).replace('-', '−');
}

/** A fraction as a percentage in the locale: `78%` / `78 %`. */
export function percent(fraction: number, locale: 'en' | 'ru', digits = 0): string {
  return new Intl.NumberFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { style: 'percent', maximumFractionDigits: digits }).format(fraction);
}

function paramText(value: ParamValue, locale: 'en' | 'ru'): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return round(value, locale);
  if (value.length > 6) return null;
  return `[${value.map((v) => round(v, locale)).join(locale === 'ru' ? '; ' : ', ')}]`;
}

/** The parameters worth showing ("α = 0.31", "AR = [0.42, −0.1]", "season = multiplicative"), known ones first. */
export function keyParams(params: Record<string, ParamValue>, locale: 'en' | 'ru'): string[] {
  const keys = Object.keys(params).filter((k) => !HIDDEN.has(k));
  const rank = (k: string) => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);
  keys.sort((a, b) => rank(a) - rank(b));
  const out: string[] = [];
  for (const key of keys) {
    const text = paramText(params[key]!, locale);
    if (text !== null) out.push(`${GREEK[key] ?? key} = ${text}`);
  }
  return out;
}

/** Mean of the MASEs of the series that could be backtested, or null. */
export function meanMase(series: ReadonlyArray<SeriesForecast>): number | null {
  const values = series.flatMap((s) => (s.backtest?.mase != null && Number.isFinite(s.backtest.mase) ? [s.backtest.mase] : []));
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** One line of the forecast table. */
export interface TableRow {
  key: string;
  date: string;
  series: string;
  mean: number;
  bounds: Array<{ level: number; lower: number | null; upper: number | null }>;
}

/** The forecast periods of a run (every series), in series order, then period. */
export function tableRows(run: Pick<ForecastRun, 'series' | 'levels'>): TableRow[] {
  const levels = [...run.levels].sort((a, b) => a - b);
  const rows: TableRow[] = [];
  run.series.forEach((s, si) => {
    s.forecastDates.forEach((date, i) => {
      rows.push({
        key: `${si}:${i}`,
        date,
        series: s.label,
        mean: s.mean[i] ?? Number.NaN,
        bounds: levels.map((level) => {
          const interval = s.intervals.find((x) => x.level === level);
          return { level, lower: interval?.lower[i] ?? null, upper: interval?.upper[i] ?? null };
        }),
      });
    });
  });
  return rows;
}
