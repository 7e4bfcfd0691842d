import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnalysisResult, ResultColumn } from '../../shared/analysis/spec.js';
import { buildCsv, csvField, csvNumber } from '../../electron/worker/export/csv.js';
import { buildXlsx, sanitizeSheetName } from '../../electron/worker/export/xlsx.js';
import { sha256Of, writeFileAtomic } from '../../electron/worker/export/atomic.js';

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, rename: vi.fn(actual.rename) };
});

function result(columns: Array<Pick<ResultColumn, 'name' | 'type'>>, data: AnalysisResult['data'], extra: Partial<AnalysisResult> = {}): AnalysisResult {
  return {
    columns: columns.map((c) => ({ ...c, role: c.type === 'number' ? 'measure' : 'dimension' })),
    data,
    rowCount: data[0]?.length ?? 0,
    truncated: false,
    engine: 'memory',
    cached: false,
    extractVersion: 3,
    syncedAt: '2026-11-01T10:00:00Z',
    elapsedMs: 1,
    ...extra,
  };
}

const sales = result(
  [
    { name: 'branch', type: 'string' },
    { name: 'day', type: 'date' },
    { name: 'at', type: 'timestamp' },
    { name: 'revenue', type: 'number' },
    { name: 'orders', type: 'number' },
    { name: 'share', type: 'number' },
    { name: 'open', type: 'boolean' },
  ],
  [
    ['Москва, центр', 'Say "hi"\nthere', null],
    ['2024-03-05', '2024-12-31', null],
    ['2024-03-05T07:08:09Z', '2024-12-31T23:59:59.500Z', null],
    [1234.5, -0.25, null],
    [12, 7, 0],
    [0.125, 0.5, null],
    [true, false, null],
  ],
);

describe('buildXlsx', () => {
  it('writes typed cells, formats, a frozen bold header and an About sheet', async () => {
    const bytes = await buildXlsx({
      sheets: [
        { name: 'Sales: Q1/Q2 [draft]?', result: sales, labels: { revenue: 'Выручка', branch: 'Branch' }, formats: { revenue: 'currency', share: 'percent' } },
        { name: 'About', result: result([{ name: 'x', type: 'number' }], [[1.5, 2]]) },
        { name: 'A very long sheet name that goes well past thirty-one characters', result: result([{ name: 'x', type: 'number' }], [[1]]) },
        { name: 'A very long sheet name that goes well past thirty-one characters, again', result: result([{ name: 'x', type: 'number' }], [[1]]) },
      ],
      classification: 'For internal use & audit',
      provenance: 'Extract sales v3, synced 2026-11-01; analysis "Revenue by branch"',
      watermark: 'Draft — J. Smith',
      locale: 'en',
    });
    expect(bytes).toBeInstanceOf(Uint8Array);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);

    const names = wb.worksheets.map((w) => w.name);
    expect(names).toEqual(['Sales_ Q1_Q2 _draft__', 'About (2)', 'A very long sheet name that goe', 'A very long sheet name that (2)', 'About']);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(31);

    const ws = wb.getWorksheet('Sales_ Q1_Q2 _draft__')!;
    expect(ws.getRow(1).values).toEqual([undefined, 'Branch', 'day', 'at', 'Выручка', 'orders', 'share', 'open']);
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.headerFooter.oddHeader).toContain('For internal use && audit');
    expect(ws.headerFooter.oddFooter).toContain('For internal use && audit');

    expect(ws.getCell('A2').value).toBe('Москва, центр');
    expect(ws.getCell('A3').value).toBe('Say "hi"\nthere');
    expect(ws.getCell('B2').value).toEqual(new Date(Date.UTC(2024, 2, 5)));
    expect(ws.getCell('B2').numFmt).toBe('yyyy-mm-dd');
    expect(ws.getCell('C3').value).toEqual(new Date('2024-12-31T23:59:59.500Z'));
    expect(ws.getCell('C3').numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(ws.getCell('D2').value).toBe(1234.5);
    expect(ws.getCell('D2').numFmt).toBe('#,##0 "₽"');
    expect(ws.getCell('D3').value).toBe(-0.25);
    expect(ws.getCell('E2').value).toBe(12);
    expect(ws.getCell('E2').numFmt).toBe('0');
    expect(ws.getCell('E4').value).toBe(0);
    expect(ws.getCell('F2').numFmt).toBe('0.0%');
    expect(ws.getCell('G2').value).toBe(true);
    expect(ws.getCell('G3').value).toBe(false);
    for (const c of ['A4', 'B4', 'C4', 'D4', 'F4', 'G4']) expect(ws.getCell(c).value).toBeNull();
    for (let i = 1; i <= 7; i++) {
      const w = ws.getColumn(i).width!;
      expect(w).toBeGreaterThanOrEqual(10);
      expect(w).toBeLessThanOrEqual(60);
    }

    const other = wb.getWorksheet('About (2)')!;
    expect(other.getCell('A2').value).toBe(1.5);
    expect(other.getCell('A2').numFmt).toBe('#,##0.00');

    const about = wb.getWorksheet('About')!;
    const text = about.getSheetValues().flat().filter((v) => typeof v === 'string').join('\n');
    expect(text).toContain('For internal use & audit');
    expect(text).toContain('analysis "Revenue by branch"');
    expect(text).toContain('Draft — J. Smith');
    expect(wb.subject).toBe('For internal use & audit');
    expect(wb.creator).toBe('Strongroom');
  });

  it('localises the About sheet and survives awkward text', async () => {
    const bytes = await buildXlsx({
      sheets: [{ name: "'History'", result: result([{ name: 'имя', type: 'string' }], [['бад\u0001 байт']]) }],
      classification: 'ДСП',
      provenance: 'Выгрузка',
      locale: 'ru',
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['History_', 'Сведения']);
    expect(wb.worksheets[0]!.getCell('A2').value).toBe('бад\ufffd байт');
  });

  it('sanitises sheet names to Excel rules', () => {
    const used = new Set<string>();
    expect(sanitizeSheetName('a/b\\c:d*e?f[g]h', used)).toBe('a_b_c_d_e_f_g_h');
    expect(sanitizeSheetName('   ', used)).toBe('Sheet');
    expect(sanitizeSheetName('SHEET', used)).toBe('SHEET (2)');
    expect(sanitizeSheetName('x'.repeat(40), used)).toBe('x'.repeat(31));
    expect(sanitizeSheetName('x'.repeat(40), used)).toBe(`${'x'.repeat(27)} (2)`);
  });
});

describe('buildCsv', () => {
  it('writes English CSV: BOM, comma, dot decimals, CRLF, RFC 4180 quoting', () => {
    const { content, rows } = buildCsv(sales, { locale: 'en', labels: { revenue: 'Revenue, ₽' } });
    expect(rows).toBe(3);
    expect(content.startsWith('\uFEFF')).toBe(true);
    expect(content.endsWith('\r\n')).toBe(true);
    const body = content.slice(1);
    expect(body).toBe(
      'branch,day,at,"Revenue, ₽",orders,share,open\r\n' +
        '"Москва, центр",2024-03-05,2024-03-05 07:08:09,1234.5,12,0.125,true\r\n' +
        '"Say ""hi""\nthere",2024-12-31,2024-12-31 23:59:59.5,-0.25,7,0.5,false\r\n' +
        ',,,,0,,\r\n',
    );
  });

  it('writes Russian CSV: semicolons and comma decimals; Cyrillic round-trips through UTF-8', () => {
    const { content } = buildCsv(sales, { locale: 'ru', labels: { branch: 'Филиал; город' } });
    const decoded = new TextDecoder('utf-8', { ignoreBOM: true }).decode(Buffer.from(content, 'utf8'));
    expect(decoded).toBe(content);
    const lines = content.slice(1).split('\r\n');
    expect(lines[0]).toBe('"Филиал; город";day;at;revenue;orders;share;open');
    expect(lines[1]).toBe('Москва, центр;2024-03-05;2024-03-05 07:08:09;1234,5;12;0,125;true');
    expect(Buffer.from(content, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('neutralises formula-like text and spells numbers out', () => {
    const r = result([{ name: 's', type: 'string' }, { name: 'n', type: 'number' }], [['=HYPERLINK("x")', '@SUM(1)'], [1e-7, 1.5e21]]);
    const lines = buildCsv(r, { locale: 'en' }).content.slice(1).split('\r\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""x"")",0.0000001`);
    expect(lines[2]).toBe(`'@SUM(1),1500000000000000000000`);
    expect(csvNumber(Number.NaN, 'ru')).toBe('');
    expect(csvNumber(-0, 'en')).toBe('0');
    expect(csvNumber(1.23456789, 'ru', 6)).toBe('1,234568');
    expect(csvField('a;b', ';')).toBe('"a;b"');
    expect(csvField('a,b', ';')).toBe('a,b');
    expect(csvField('\r', ',')).toBe('"\r"');
  });

  it('writes a header only for an empty result', () => {
    const r = result([{ name: 'a', type: 'number' }], [[]]);
    expect(buildCsv(r, { locale: 'en' })).toEqual({ content: '\uFEFFa\r\n', rows: 0 });
  });
});

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strongroom-atomic-'));
  });
  afterEach(async () => {
    vi.mocked(fsp.rename).mockReset();
    await rm(dir, { recursive: true, force: true });
  });
  const leftovers = async () => (await readdir(dir)).filter((n) => n.endsWith('.part'));

  it('writes the file, returns its hash and size, leaves no temporary file', async () => {
    const target = join(dir, 'report.csv');
    const text = '\uFEFFимя,значение\r\n';
    const out = await writeFileAtomic(target, text);
    expect(await readFile(target, 'utf8')).toBe(text);
    expect(out).toEqual({ sha256: sha256Of(Buffer.from(text, 'utf8')), bytes: Buffer.byteLength(text) });
    expect(out.sha256).toBe(sha256Of(await readFile(target)));
    if (process.platform !== 'win32') expect((await stat(target)).mode & 0o777).toBe(0o600);
    const bytes = new Uint8Array([1, 2, 3]);
    expect((await writeFileAtomic(target, bytes)).bytes).toBe(3);
    expect(new Uint8Array(await readFile(target))).toEqual(bytes);
    expect(await leftovers()).toEqual([]);
  });

  it('leaves an existing file untouched when the rename fails', async () => {
    const target = join(dir, 'report.xlsx');
    await writeFile(target, 'old');
    vi.mocked(fsp.rename).mockRejectedValueOnce(Object.assign(new Error('rename failed'), { code: 'EIO' }));
    await expect(writeFileAtomic(target, 'new contents')).rejects.toThrow('rename failed');
    expect(await readFile(target, 'utf8')).toBe('old');
    expect(await leftovers()).toEqual([]);
  });

  it('leaves an existing file untouched when aborted before or during the write', async () => {
    const target = join(dir, 'big.bin');
    await writeFile(target, 'old');
    await expect(writeFileAtomic(target, 'x', { signal: AbortSignal.abort(new Error('cancelled')) })).rejects.toThrow('cancelled');

    const controller = new AbortController();
    const big = new Uint8Array(64 << 20);
    const pending = writeFileAtomic(target, big, { signal: controller.signal });
    setImmediate(() => controller.abort(new Error('cancelled mid-way')));
    await expect(pending).rejects.toThrow('cancelled mid-way');
    expect(await readFile(target, 'utf8')).toBe('old');
    expect(await leftovers()).toEqual([]);
  });

  it('fails cleanly in a directory that does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'x.csv'), 'a')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });
});
