import type { AnalysisResult, Cell, ValueType } from '../../../shared/analysis/spec.js';

/**
 * Analysis results as CSV that Excel opens correctly in either locale: UTF-8 with a byte-order mark,
 * RFC 4180 quoting, CRLF line ends, and the locale's convention: `,` between fields and `.` in numbers
 * for English; `;` between fields and `,` in numbers for Russian (Excel in a Russian locale splits on
 * `;` and reads `,` as the decimal mark). The small helpers below (separator, field quoting, number
 * text) are exported so other CSV writers (e.g. the forecast table) can share them.
 */

export type CsvLocale = 'en' | 'ru';

/** Field separator for a locale: `,` (en) or `;` (ru). */
export function csvSeparator(locale: CsvLocale): ',' | ';' {
  return locale === 'ru' ? ';' : ',';
}

/**
 * One field, quoted per RFC 4180 when it contains the separator, a double quote, CR or LF (or leading
 * / trailing spaces, which some readers trim): wrapped in `"` with inner quotes doubled.
 */
export function csvField(value: string, sep: string): string {
  const needsQuotes = value.includes(sep) || /["\r\n]/.test(value) || /^\s|\s$/.test(value);
  return needsQuotes ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A number as CSV text in the locale's decimal convention, never in exponent notation and without
 * digit grouping, so spreadsheets read it as a number. Non-finite values (NaN, ±Infinity) are empty.
 * `maxFractionDigits` rounds (the forecast table uses 6); by default the shortest exact text is used.
 */
export function csvNumber(value: number | null | undefined, locale: CsvLocale, maxFractionDigits?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  let v = value;
  if (maxFractionDigits !== undefined) {
    const f = 10 ** maxFractionDigits;
    v = Math.round(v * f) / f;
  }
  if (Object.is(v, -0)) v = 0;
  let text = String(v);
  if (/e/i.test(text)) {
    // 1e-7, 1.5e+21 and the like: move the decimal point of the shortest digits instead.
    text = expandExponent(text);
  }
  return locale === 'ru' ? text.replace('.', ',') : text;
}

/** `-1.5e-7` → `-0.00000015`, `1.5e+21` → `1500000000000000000000` (exact: only the point moves). */
function expandExponent(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
  if (!m) return text;
  const [, sign, int = '', frac = '', exp = '0'] = m;
  const digits = int + frac;
  const point = int.length + Number(exp);
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  out = out.replace(/^0+(?=\d)/, '');
  if (out.includes('.')) out = out.replace(/\.?0+$/, '');
  return sign + out;
}

/**
 * Spreadsheet formula injection (CWE-1236): a text cell starting with `=`, `+`, `-`, `@`, tab or CR
 * would be evaluated as a formula when the CSV is opened in Excel. Such text gets a leading `'`,
 * which Excel shows as plain text. Numbers are written as numbers and never pass through this.
 */
export function csvSafeText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** `2024-03-05T07:08:09.120Z` → `2024-03-05 07:08:09.12` (UTC), a form Excel parses as a date-time. */
export function csvTimestamp(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const text = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const ms = text.slice(20, 23).replace(/0+$/, '');
  return `${text.slice(0, 10)} ${text.slice(11, 19)}${ms ? `.${ms}` : ''}`;
}

/** One cell as CSV text (before quoting). */
function cellText(value: Cell, type: ValueType, locale: CsvLocale): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return csvNumber(value, locale);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (type === 'timestamp') return csvTimestamp(value);
  if (type === 'date') return value;
  return csvSafeText(value);
}

/**
 * An analysis result as CSV. The header row holds the column labels (`labels[name]`, else the column
 * name); then one line per result row. Numbers use the locale's decimal mark, dates stay `YYYY-MM-DD`,
 * timestamps become `YYYY-MM-DD HH:MM:SS` in UTC, booleans `true`/`false`, and nulls are empty.
 * `rows` counts data rows (without the header).
 */
export function buildCsv(result: AnalysisResult, options: { locale: CsvLocale; labels?: Record<string, string> }): { content: string; rows: number } {
  const { locale } = options;
  const sep = csvSeparator(locale);
  const labels = options.labels ?? {};
  const columns = result.columns;
  const rowCount = Math.min(result.rowCount, ...columns.map((_, i) => result.data[i]?.length ?? 0));
  const lines: string[] = [columns.map((c) => csvField(labels[c.name] ?? c.name, sep)).join(sep)];
  for (let r = 0; r < (columns.length ? rowCount : 0); r++) {
    const fields: string[] = [];
    for (let i = 0; i < columns.length; i++) {
      const col = columns[i]!;
      fields.push(csvField(cellText(result.data[i]![r] ?? null, col.type, locale), sep));
    }
    lines.push(fields.join(sep));
  }
  return { content: `\uFEFF${lines.join('\r\n')}\r\n`, rows: lines.length - 1 };
}
