import type { AnalysisResult, ChartEncoding } from '../analysis/spec.js';
import { formatNumber, type ChartLocale, type NumberFormat } from './format.js';
import type { ChartLabels } from './types.js';
import { ChartEncodingError, ResultView, sortRows } from './view.js';

/** A KPI tile's figures: the latest value of a measure and how it moved since the period before. */
export interface KpiSummary {
  /** The measure's label (its column name when it has none). */
  measure: string;
  value: number | null;
  valueText: string;
  /** The latest period (formatted x), when the KPI has a date dimension. */
  period: string | null;
  previous: number | null;
  previousText: string | null;
  previousPeriod: string | null;
  /** value − previous, and the same with its sign (`+1 234`, `−56,7`). */
  delta: number | null;
  deltaText: string | null;
  /** delta / |previous| as a signed percentage (`+12,3 %`); null when previous is 0 or missing. */
  ratio: number | null;
  ratioText: string | null;
  direction: 'up' | 'down' | 'flat' | null;
}

const signed = new Map<string, Intl.NumberFormat>();
/** A number with its sign always shown (except for zero), in the chart's format. */
export function formatSigned(value: number, format: NumberFormat, locale: ChartLocale): string {
  const key = `${locale}:${format}`;
  let f = signed.get(key);
  if (!f) {
    const options: Intl.NumberFormatOptions =
      format === 'currency'
        ? { style: 'currency', currency: 'RUB', currencyDisplay: 'narrowSymbol', minimumFractionDigits: 2, maximumFractionDigits: 2 }
        : format === 'percent'
          ? { style: 'percent', maximumFractionDigits: 1 }
          : format === 'compact'
            ? { notation: 'compact', maximumFractionDigits: 1 }
            : { maximumFractionDigits: 2 };
    const tag = locale === 'ru' ? 'ru-RU' : format === 'compact' ? 'en-US' : 'en-GB';
    signed.set(key, (f = new Intl.NumberFormat(tag, { ...options, signDisplay: 'exceptZero' })));
  }
  return f.format(value);
}

/**
 * The KPI of a result: the measure `y` (default the first measure) at the latest `x` (a date
 * dimension, default the first date dimension) and at the one before. Without a date dimension the
 * KPI is the first detail row's value, with no change.
 */
export function kpiSummary(
  result: AnalysisResult,
  chart: ChartEncoding,
  locale: ChartLocale,
  labels: ChartLabels,
  columnLabels: Readonly<Record<string, string>> = {},
): KpiSummary {
  const view = new ResultView(result, chart, locale, labels, columnLabels);
  const yName = (Array.isArray(chart.y) ? chart.y[0] : chart.y) ?? result.columns.find((c) => c.role !== 'dimension' && c.type === 'number')?.name;
  if (yName === undefined) throw new ChartEncodingError('A KPI needs a measure (y)');
  const y = view.column(yName, 'y');
  const xRef =
    chart.x !== undefined ? view.column(chart.x, 'x') : view.dimensions.find((d) => d.column.type === 'date' || d.column.type === 'timestamp');
  const format = chart.format ?? 'number';

  let rows = view.rows;
  // The latest period is the largest x; rows without an x are no period at all.
  if (xRef) rows = sortRows(rows, xRef).filter((r) => (xRef.values[r] ?? null) !== null);
  const last = xRef ? rows[rows.length - 1] : rows[0];
  const before = xRef && rows.length > 1 ? rows[rows.length - 2] : undefined;
  const at = (row: number | undefined) => {
    const v = row === undefined ? null : (y.values[row] ?? null);
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  const value = at(last);
  const previous = at(before);
  const delta = value !== null && previous !== null ? value - previous : null;
  const ratio = delta !== null && previous ? delta / Math.abs(previous) : null;
  return {
    measure: view.name(y),
    value,
    valueText: value === null ? labels.empty : formatNumber(value, format, locale),
    period: xRef && last !== undefined ? view.text(xRef, xRef.values[last] ?? null) : null,
    previous,
    previousText: previous === null ? null : formatNumber(previous, format, locale),
    previousPeriod: xRef && before !== undefined ? view.text(xRef, xRef.values[before] ?? null) : null,
    delta,
    // A change in a percentage is in percentage points: shown as a plain signed number of points.
    deltaText: delta === null ? null : formatSigned(format === 'percent' ? delta * 100 : delta, format === 'percent' ? 'number' : format, locale),
    ratio,
    ratioText: ratio === null ? null : formatSigned(ratio, 'percent', locale),
    direction: delta === null ? null : delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat',
  };
}
