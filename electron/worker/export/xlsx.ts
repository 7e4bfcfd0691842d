import ExcelJS from 'exceljs';
import type { AnalysisResult, Cell, ResultColumn } from '../../../shared/analysis/spec.js';

/**
 * Analysis results as an Excel workbook: one worksheet per result with a bold, frozen header row of
 * labels and typed cells (numbers with number formats, real Excel dates and date-times, booleans,
 * empty cells for nulls), the classification in every sheet's printed header and footer and in the
 * document properties, and a last "About" sheet with the provenance, classification and watermark.
 */

export type XlsxNumberFormat = 'number' | 'integer' | 'percent' | 'currency';

export interface XlsxSheetInput {
  name: string;
  result: AnalysisResult;
  /** Header text per column name (default: the column name). */
  labels?: Record<string, string>;
  /** Number format per number column (default: `integer` when every value is whole, else `number`). */
  formats?: Record<string, XlsxNumberFormat>;
}

export interface XlsxInput {
  sheets: XlsxSheetInput[];
  classification: string;
  provenance: string;
  watermark?: string;
  locale: 'en' | 'ru';
}

/** Excel number formats. The currency is the rouble. */
export const XLSX_NUMBER_FORMATS: Record<XlsxNumberFormat, string> = {
  number: '#,##0.00',
  integer: '0',
  percent: '0.0%',
  currency: '#,##0 "₽"',
};
export const XLSX_DATE_FORMAT = 'yyyy-mm-dd';
export const XLSX_TIMESTAMP_FORMAT = 'yyyy-mm-dd hh:mm:ss';

/** Excel's limits: sheet names of 31 characters, 32,767 characters in a cell, 1,048,576 rows. */
const MAX_SHEET_NAME = 31;
const MAX_CELL_TEXT = 32_767;
const MAX_ROWS = 1_048_576;

const TEXT = {
  en: { about: 'About', classification: 'Classification', provenance: 'Provenance', watermark: 'Watermark', generated: 'Generated (UTC)', sheet: 'Sheet', rows: 'Rows', truncated: 'truncated', extract: 'Extract version', synced: 'Synced at', page: 'Page' },
  ru: { about: 'Сведения', classification: 'Гриф', provenance: 'Происхождение', watermark: 'Водяной знак', generated: 'Сформировано (UTC)', sheet: 'Лист', rows: 'Строк', truncated: 'усечено', extract: 'Версия выгрузки', synced: 'Синхронизировано', page: 'Стр.' },
} as const;

/**
 * A worksheet name Excel accepts: `[]:*?/\` become `_`, no leading or trailing apostrophe, at most 31
 * characters, not empty, not the reserved "History", and unique (case-insensitively) among `used`,
 * which it is added to. Clashes get ` (2)`, ` (3)`… within the 31 characters.
 */
export function sanitizeSheetName(name: string, used: Set<string>): string {
  // eslint-disable-next-line no-control-regex
  let base = name.replace(/[[\]:*?/\\]/g, '_').replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  base = base.replace(/^'+|'+$/g, '').trim();
  if (!base || base.toLowerCase() === 'history') base = base ? `${base}_` : 'Sheet';
  base = [...base].slice(0, MAX_SHEET_NAME).join('');
  let candidate = base;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    candidate = [...base].slice(0, MAX_SHEET_NAME - suffix.length).join('').trimEnd() + suffix;
  }
  used.add(candidate.toLowerCase());
  return candidate;
}

/** Characters XML 1.0 cannot hold (and so an .xlsx cannot) become U+FFFD; over-long text is cut. */
function cleanText(value: string): string {
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  return text.length > MAX_CELL_TEXT ? text.slice(0, MAX_CELL_TEXT) : text;
}

/** `&` starts a code in Excel headers and footers; keep the text short (255 characters per part). */
function headerText(value: string): string {
  return cleanText(value).replace(/[\r\n]+/g, ' ').slice(0, 100).replace(/&/g, '&&');
}

function parseDate(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(d.getTime()) || d.getUTCDate() !== Number(m[3]) ? null : d;
}

function parseTimestamp(value: string): Date | null {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The cell value exceljs should write, and the number format it needs. */
function typedCell(value: Cell, col: ResultColumn, numFmt: string): { value: ExcelJS.CellValue; numFmt?: string } {
  if (value === null || value === undefined) return { value: null };
  if (typeof value === 'number') return Number.isFinite(value) ? { value, numFmt } : { value: null };
  if (typeof value === 'boolean') return { value };
  if (col.type === 'date') {
    const d = parseDate(value);
    if (d) return { value: d, numFmt: XLSX_DATE_FORMAT };
  } else if (col.type === 'timestamp') {
    const d = parseTimestamp(value);
    if (d) return { value: d, numFmt: XLSX_TIMESTAMP_FORMAT };
  }
  return { value: cleanText(value) };
}

/** Width in characters a cell's text needs, roughly (numbers with grouping and decimals). */
function displayWidth(value: Cell, col: ResultColumn, format: XlsxNumberFormat): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 0;
    const digits = Math.abs(Math.trunc(format === 'percent' ? value * 100 : value)).toString().length;
    const grouped = format === 'number' || format === 'currency' ? digits + Math.floor((digits - 1) / 3) : digits;
    return grouped + (value < 0 ? 1 : 0) + (format === 'number' ? 3 : format === 'percent' ? 3 : format === 'currency' ? 2 : 0);
  }
  if (typeof value === 'boolean') return 5;
  if (col.type === 'date') return 10;
  if (col.type === 'timestamp') return 19;
  return Math.max(...value.split(/\r?\n/).map((l) => l.length));
}

function addResultSheet(workbook: ExcelJS.Workbook, sheetName: string, input: XlsxSheetInput, header: string, footer: string): void {
  const { result } = input;
  const labels = input.labels ?? {};
  const columns = result.columns;
  const rowCount = Math.min(result.rowCount, ...columns.map((_, i) => result.data[i]?.length ?? 0));
  if (rowCount + 1 > MAX_ROWS) throw new Error(`Sheet "${sheetName}" has ${rowCount} rows; Excel holds at most ${MAX_ROWS - 1} below the header`);

  const sheet = workbook.addWorksheet(sheetName, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
    headerFooter: { oddHeader: header, oddFooter: footer },
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' },
  });

  const formats: XlsxNumberFormat[] = columns.map((col, i) => {
    const given = input.formats?.[col.name];
    if (given) return given;
    if (col.type !== 'number') return 'number';
    const values = result.data[i] ?? [];
    for (let r = 0; r < rowCount; r++) {
      const v = values[r];
      if (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v)) return 'number';
    }
    return 'integer';
  });

  const headerRow = sheet.getRow(1);
  columns.forEach((col, i) => {
    const cell = headerRow.getCell(i + 1);
    cell.value = cleanText(labels[col.name] ?? col.name);
    cell.font = { bold: true };
    cell.alignment = { vertical: 'middle', horizontal: col.type === 'number' ? 'right' : 'left', wrapText: false };
    cell.border = { bottom: { style: 'thin' } };
  });

  const widths = columns.map((col) => String(labels[col.name] ?? col.name).length);
  const sample = Math.min(rowCount, 2000);
  for (let r = 0; r < rowCount; r++) {
    const row = sheet.getRow(r + 2);
    const total = (result.grouping?.[r] ?? 0) !== 0;
    for (let i = 0; i < columns.length; i++) {
      const col = columns[i]!;
      const raw = result.data[i]![r] ?? null;
      const { value, numFmt } = typedCell(raw, col, XLSX_NUMBER_FORMATS[formats[i]!]);
      if (value === null && !total) continue;
      const cell = row.getCell(i + 1);
      if (value !== null) cell.value = value;
      if (numFmt) cell.numFmt = numFmt;
      if (total) cell.font = { bold: true };
      if (r < sample) widths[i] = Math.max(widths[i]!, displayWidth(raw, col, formats[i]!));
    }
  }
  // At least 10 characters: exceljs drops a width of exactly 9 (its default) from the file.
  columns.forEach((_, i) => {
    sheet.getColumn(i + 1).width = Math.min(60, Math.max(10, widths[i]! + 2));
  });
  if (columns.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}

function addAboutSheet(workbook: ExcelJS.Workbook, name: string, input: XlsxInput, sheetNames: string[], header: string, footer: string, generated: Date): void {
  const t = TEXT[input.locale];
  const sheet = workbook.addWorksheet(name, {
    headerFooter: { oddHeader: header, oddFooter: footer },
    pageSetup: { orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.getColumn(1).width = 24;
  sheet.getColumn(2).width = 90;
  const add = (label: string, value: ExcelJS.CellValue, numFmt?: string) => {
    const row = sheet.addRow([label, value]);
    row.getCell(1).font = { bold: true };
    row.getCell(1).alignment = { vertical: 'top' };
    row.getCell(2).alignment = { vertical: 'top', wrapText: true };
    if (numFmt) row.getCell(2).numFmt = numFmt;
  };
  add(t.classification, cleanText(input.classification));
  add(t.provenance, cleanText(input.provenance));
  if (input.watermark) add(t.watermark, cleanText(input.watermark));
  add(t.generated, generated, XLSX_TIMESTAMP_FORMAT);
  sheet.addRow([]);
  input.sheets.forEach((s, i) => {
    const r = s.result;
    const rows = `${t.rows}: ${r.rowCount}${r.truncated ? ` (${t.truncated})` : ''}`;
    const extract = `${t.extract}: ${r.extractVersion}${r.syncedAt ? `; ${t.synced}: ${r.syncedAt}` : ''}`;
    add(`${t.sheet}: ${sheetNames[i]}`, `${rows}; ${extract}`);
  });
}

/**
 * Build the workbook. Sheet names are sanitised to Excel's rules (see `sanitizeSheetName`); the About
 * sheet's name is reserved first, so a result sheet called "About" becomes "About (2)".
 */
export async function buildXlsx(input: XlsxInput): Promise<Uint8Array> {
  const t = TEXT[input.locale];
  const generated = new Date();
  const workbook = new ExcelJS.Workbook();
  const classification = cleanText(input.classification);
  workbook.creator = 'Strongroom';
  workbook.lastModifiedBy = 'Strongroom';
  workbook.created = generated;
  workbook.modified = generated;
  workbook.title = cleanText(input.sheets.map((s) => s.name).join(', ')).slice(0, 255);
  workbook.subject = classification;
  workbook.category = classification;
  workbook.keywords = classification;
  workbook.description = cleanText([input.provenance, input.watermark].filter(Boolean).join('\n'));
  workbook.company = 'Strongroom';

  const used = new Set<string>();
  const aboutName = sanitizeSheetName(t.about, used);
  const names = input.sheets.map((s) => sanitizeSheetName(s.name, used));

  const cls = headerText(input.classification);
  const mark = input.watermark ? headerText(input.watermark) : '';
  const header = `&C&"-,Bold"${cls}${mark ? `&R${mark}` : ''}`;
  const footer = `&L${cls}&R${t.page} &P / &N`;

  input.sheets.forEach((s, i) => addResultSheet(workbook, names[i]!, s, header, footer));
  addAboutSheet(workbook, aboutName, input, names, header, footer, generated);

  const buffer = await workbook.xlsx.writeBuffer();
  return buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer as ArrayBuffer);
}
