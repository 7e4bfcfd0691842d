import type { Aggregation, AnalysisSpec, Dimension, Grain, Measure } from '../analysis/spec.js';
import { formatNumber, type ChartLocale } from './format.js';

/**
 * Translated words for naming output columns (shared/ has no i18n: the renderer fills this from its
 * string tables). Templates hold `{field}`, `{grain}`, `{p}` and `{width}` placeholders.
 */
export interface ColumnLabelWords {
  /** A `count` with no field: "Number of rows". */
  rows: string;
  /** An aggregate of a field, by aggregation: "Sum of {field}", "Сумма {field}"; percentile also has `{p}`. */
  aggregations: Record<Aggregation, string>;
  /** Grain names: "month", "месяц". */
  grains: Record<Grain, string>;
  /** A dimension truncated to a grain: "{field} ({grain})". */
  dated: string;
  /** A binned dimension: "{field} (bins of {width})". */
  binned: string;
}

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);

/** The output name the planner gives a dimension without `as`. */
const defaultDimensionName = (d: Dimension) => (d.grain ? `${d.field}_${d.grain}` : d.bin ? `${d.field}_bin` : d.field);

/**
 * The name the builder gives a measure (`amount_sum`, `count` for a row count): a measure whose `as` is
 * that name was never named by the analyst, so it is described in words; any other `as` is theirs.
 */
const defaultMeasureName = (m: Measure) => (m.field ? `${m.field}_${m.agg}` : m.agg);

/**
 * Labels for an analysis's output columns, in the words given: `amount_sum` → "Sum of amount",
 * `booked_on_month` → "booked_on (month)", a row count → "Number of rows". Field names (columns and
 * calculated fields) stay as they are, and so does any name the analyst chose with `as`, including
 * table calculations. Only columns whose label differs from their name are in the answer.
 */
export function columnLabels(spec: AnalysisSpec, words: ColumnLabelWords, locale: ChartLocale): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of spec.dimensions ?? []) {
    if (d.as !== undefined) continue;
    const name = defaultDimensionName(d);
    if (d.grain) out[name] = fill(words.dated, { field: d.field, grain: words.grains[d.grain] });
    else if (d.bin) out[name] = fill(words.binned, { field: d.field, width: formatNumber(d.bin.width, 'number', locale) });
  }
  for (const m of spec.measures ?? []) {
    if (m.as !== defaultMeasureName(m)) continue;
    if (!m.field) {
      out[m.as] = m.agg === 'count' ? words.rows : m.as;
      continue;
    }
    const p = m.p === undefined ? '' : formatNumber(Math.round(m.p * 10_000) / 100, 'number', locale);
    out[m.as] = fill(words.aggregations[m.agg], { field: m.field, p });
  }
  for (const [name, label] of Object.entries(out)) if (label === name) delete out[name];
  return out;
}

/** A column's label from `labels`, else its name (own keys only: a column may be called `constructor`). */
export function labelOf(labels: Readonly<Record<string, string>> | undefined, name: string): string {
  return labels && Object.hasOwn(labels, name) ? labels[name]! : name;
}
