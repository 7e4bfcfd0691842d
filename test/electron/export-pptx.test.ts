/**
 * PowerPoint export: native charts carry the result's series and values, tables paginate, every
 * slide has the classification footer, notes carry provenance, and (when LibreOffice is installed)
 * the deck renders, one page per slide, PNGs kept in test-results/export/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPptx, type DeckInput } from '../../electron/worker/export/pptx.js';
import { CHART_TYPES, type AnalysisResult, type AnalysisSpec, type Cell, type ResultColumn } from '../../shared/analysis/spec.js';

function result(columns: ResultColumn[], rows: Cell[][], grouping?: number[]): AnalysisResult {
  return {
    columns,
    data: columns.map((_, i) => rows.map((r) => r[i] ?? null)),
    rowCount: rows.length,
    truncated: false,
    ...(grouping ? { grouping } : {}),
    engine: 'memory',
    cached: false,
    extractVersion: 3,
    syncedAt: '2026-11-25T13:19:00Z',
    elapsedMs: 1,
  };
}

const MONTH: ResultColumn = { name: 'booked_on_month', type: 'date', role: 'dimension' };
const CHANNEL: ResultColumn = { name: 'channel', type: 'string', role: 'dimension' };
const TOTAL: ResultColumn = { name: 'total', type: 'number', role: 'measure' };
const COUNT: ResultColumn = { name: 'n', type: 'number', role: 'measure' };

// Long form, 3 months × 2 channels; atm has no row in March (a gap, not a zero).
const BY_CHANNEL = result(
  [MONTH, CHANNEL, TOTAL],
  [
    ['2026-01-01', 'card', 1200.5],
    ['2026-01-01', 'atm', 300],
    ['2026-02-01', 'card', 1500],
    ['2026-02-01', 'atm', 450.25],
    ['2026-03-01', 'card', 1750],
  ],
);
const MONTHLY = result([MONTH, COUNT, TOTAL], [['2026-01-01', 10, 1500.5], ['2026-02-01', 12, 1950.25], ['2026-03-01', 9, 1750]]);
const CITIES = result(
  [{ name: 'city', type: 'string', role: 'dimension' }, TOTAL],
  Array.from({ length: 40 }, (_, i) => [`City ${String(i + 1).padStart(2, '0')}`, 1000 * (i + 1) + 0.5]),
);
const SHARES = result([CHANNEL, TOTAL], [['card', 0.6], ['atm', 0.3], ['branch', 0.1]]);
const PNG_1PX = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaPhfDwAFAQIAp8PbSQAAAABJRU5ErkJggg==';

const spec = (chart: AnalysisSpec['chart']): AnalysisSpec => ({ extract: 'transactions', chart });
const LABELS = { booked_on_month: 'Month', channel: 'Channel', total: 'Sum of amount', n: 'Transactions', city: 'City' };

const DECK: DeckInput = {
  title: 'Card volumes — November review',
  author: 'A. Analyst',
  createdAt: '2026-11-25T13:30:00Z',
  freshness: 'Data synced 25 Nov 2026 13:19',
  classification: 'CONFIDENTIAL',
  watermark: 'a.analyst · 25 Nov 2026 13:30',
  locale: 'en',
  slides: [
    { title: 'Amount by channel', spec: spec({ type: 'column', x: 'booked_on_month', y: 'total', color: 'channel' }), result: BY_CHANNEL, labels: LABELS, notes: 'Extract transactions v3, synced 25 Nov 2026 13:19. Filters: none. column-chart-notes' },
    { title: 'Monthly amount', spec: spec({ type: 'line', x: 'booked_on_month', y: 'total', format: 'currency' }), result: MONTHLY, labels: LABELS, notes: 'line-chart-notes' },
    { title: 'Amount by city', spec: spec({ type: 'table' }), result: CITIES, labels: LABELS, notes: 'table-notes' },
    { title: 'Count and amount', spec: spec({ type: 'combo', x: 'booked_on_month', y: 'n', y2: 'total' }), result: MONTHLY, labels: LABELS, notes: 'combo-notes' },
    { title: 'Share by channel', spec: spec({ type: 'donut', x: 'channel', y: 'total', format: 'percent' }), result: SHARES, labels: LABELS, notes: 'donut-notes' },
    { title: 'Heatmap', spec: spec({ type: 'heatmap', x: 'booked_on_month', y: 'total', color: 'channel' }), result: BY_CHANNEL, notes: 'heatmap-notes', image: PNG_1PX },
    { title: 'Box without image', spec: spec({ type: 'box', x: 'channel', y: 'total' }), result: SHARES, notes: 'box-notes' },
  ],
};
// Title, column, line, 3 table pages (15 + 15 + 10 rows), combo, donut, heatmap image, box table.
const SLIDES = 10;

const numbered = (names: string[], re: RegExp) =>
  names.filter((n) => re.test(n)).sort((a, b) => Number(/(\d+)\.xml$/.exec(a)![1]) - Number(/(\d+)\.xml$/.exec(b)![1]));

/** Series of a chart part: name and the values in <c:val> (or <c:yVal>), '' for gaps. */
function series(xml: string): Array<{ name: string; values: string[] }> {
  return [...xml.matchAll(/<c:ser>([\s\S]*?)<\/c:ser>/g)].map(([, ser]) => {
    const name = /<c:tx>[\s\S]*?<c:v>([^<]*)<\/c:v>/.exec(ser!)![1]!;
    const val = /<c:(?:val|yVal)>([\s\S]*?)<\/c:(?:val|yVal)>/.exec(ser!)![1]!;
    return { name, values: [...val.matchAll(/<c:v>([^<]*)<\/c:v>/g)].map((m) => m[1]!) };
  });
}

const categories = (xml: string) => {
  const cat = /<c:cat>([\s\S]*?)<\/c:cat>/.exec(xml)![1]!;
  return [...cat.matchAll(/<c:v>([^<]*)<\/c:v>/g)].map((m) => m[1]!);
};

describe('buildPptx', () => {
  let bytes: Uint8Array;
  let zip: JSZip;
  let names: string[];
  const text = (name: string) => zip.file(name)!.async('string');

  beforeAll(async () => {
    bytes = await buildPptx(DECK);
    zip = await JSZip.loadAsync(bytes);
    names = Object.keys(zip.files);
  });

  it('has a title slide and one slide per analysis, tables paginated', async () => {
    const slides = numbered(names, /^ppt\/slides\/slide\d+\.xml$/);
    expect(slides).toHaveLength(SLIDES);
    const titles = await Promise.all(slides.map(text));
    expect(titles[0]).toContain('Card volumes — November review');
    expect(titles[0]).toContain('A. Analyst');
    expect(titles[0]).toContain('25 Nov 2026');
    expect(titles[0]).toContain('Data synced 25 Nov 2026 13:19');
    expect(titles.filter((x) => x.includes('Amount by city (cont.)'))).toHaveLength(2);
    // Page 1 holds cities 1–15, page 3 cities 31–40; numbers formatted for the locale.
    expect(titles[3]).toContain('City 15');
    expect(titles[3]).not.toContain('City 16');
    expect(titles[5]).toContain('City 40');
    expect(titles[5]).toContain('40,000.5');
    expect(titles[5]).toContain('Sum of amount');
    const presentation = await text('ppt/presentation.xml');
    expect(presentation).toContain('cx="12192000" cy="6858000"'); // LAYOUT_WIDE, 13.33 × 7.5 in
  });

  it('puts the classification footer and the watermark on every slide', async () => {
    for (const name of numbered(names, /^ppt\/slides\/slide\d+\.xml$/)) {
      const xml = await text(name);
      expect(xml, name).toContain('CONFIDENTIAL');
      expect(xml, name).toContain('a.analyst · 25 Nov 2026 13:30');
    }
  });

  it('writes native charts whose series are the result pivoted by colour', async () => {
    const charts = numbered(names, /^ppt\/charts\/chart\d+\.xml$/);
    expect(charts).toEqual(['ppt/charts/chart1.xml', 'ppt/charts/chart2.xml', 'ppt/charts/chart3.xml', 'ppt/charts/chart4.xml']);
    expect(names.filter((n) => n.startsWith('ppt/embeddings/') && n.endsWith('.xlsx'))).toHaveLength(4); // editable data

    const column = await text(charts[0]!);
    expect(column).toContain('<c:barDir val="col"/>');
    expect(categories(column)).toEqual(['Jan 2026', 'Feb 2026', 'Mar 2026']);
    expect(series(column)).toEqual([
      { name: 'card', values: ['1200.5', '1500', '1750'] },
      { name: 'atm', values: ['300', '450.25', ''] },
    ]);
    expect(column).toContain('Sum of amount'); // value axis title
    expect(column).toContain('Month'); // category axis title

    const line = await text(charts[1]!);
    expect(line).toContain('<c:lineChart>');
    expect(series(line)).toEqual([{ name: 'Sum of amount', values: ['1500.5', '1950.25', '1750'] }]);
    expect(line).toContain('formatCode="&quot;₽&quot;#,##0.00"');

    const combo = await text(charts[2]!);
    expect(combo).toContain('<c:barChart>');
    expect(combo).toContain('<c:lineChart>');
    expect(combo.match(/<c:valAx>/g)).toHaveLength(2); // second value axis for the line
    expect(series(combo)).toEqual([
      { name: 'Transactions', values: ['10', '12', '9'] },
      { name: 'Sum of amount', values: ['1500.5', '1950.25', '1750'] },
    ]);

    const donut = await text(charts[3]!);
    expect(donut).toContain('<c:doughnutChart>');
    expect(categories(donut)).toEqual(['card', 'atm', 'branch']);
    expect(series(donut)).toEqual([{ name: 'Sum of amount', values: ['0.6', '0.3', '0.1'] }]);
  });

  it('places the image for chart types without a native chart, else a table', async () => {
    const slides = numbered(names, /^ppt\/slides\/slide\d+\.xml$/);
    const heatmap = await text(slides[8]!);
    expect(heatmap).toContain('<p:pic>');
    // A square PNG keeps its aspect ratio: 5.75 in × 5.75 in in the chart area.
    expect(/<p:pic>[\s\S]*?<a:ext cx="(\d+)" cy="(\d+)"/.exec(heatmap)!.slice(1)).toEqual(['5257800', '5257800']);
    expect(names.some((n) => n.startsWith('ppt/media/'))).toBe(true);
    const box = await text(slides[9]!);
    expect(box).toContain('<a:tbl>');
    expect(box).toContain('branch');
  });

  it('writes the provenance into the speaker notes', async () => {
    const notes = await Promise.all(numbered(names, /^ppt\/notesSlides\/notesSlide\d+\.xml$/).map(text));
    expect(notes).toHaveLength(SLIDES);
    expect(notes[1]).toContain('Extract transactions v3, synced 25 Nov 2026 13:19. Filters: none. column-chart-notes');
    expect(notes[2]).toContain('line-chart-notes');
    for (const i of [3, 4, 5]) expect(notes[i]).toContain('table-notes');
    expect(notes[9]).toContain('box-notes');
  });

  it('is deterministic: the same deck gives the same bytes', async () => {
    const again = await buildPptx(DECK);
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    // Entry times are createdAt (not the build time), whatever the time zone.
    for (const entry of Object.values(zip.files)) expect(entry.date.toISOString(), entry.name).toBe('2026-11-25T13:30:00.000Z');
    const core = await text('docProps/core.xml');
    expect(core).toContain('2026-11-25T13:30:00Z');
  });

  it('formats table numbers and dates for Russian, with theme colours', async () => {
    const ru = await buildPptx({
      ...DECK,
      locale: 'ru',
      watermark: undefined,
      theme: { colors: ['#112233', '#445566'] },
      slides: [
        { title: 'Суммы', spec: spec({ type: 'table' }), result: BY_CHANNEL, notes: 'n' },
        { title: 'По каналам', spec: spec({ type: 'bar', x: 'booked_on_month', y: 'total', color: 'channel', barMode: 'stacked' }), result: BY_CHANNEL, notes: 'n' },
      ],
    });
    const z = await JSZip.loadAsync(ru);
    const table = await z.file('ppt/slides/slide2.xml')!.async('string');
    expect(table).toContain('1\u00a0200,5');
    expect(table).toContain('янв 2026');
    const bar = await z.file('ppt/charts/chart1.xml')!.async('string');
    expect(bar).toContain('<c:barDir val="bar"/>');
    expect(bar).toContain('<c:grouping val="stacked"/>');
    expect(bar).toContain('112233');
    expect(bar).toContain('445566');
  });
});

// Every chart type against one result (plus a pivot with subtotal rows and an empty result).
const POINTS = result(
  [CHANNEL, { name: 'amount', type: 'number', role: 'measure' }, COUNT, { name: 'size', type: 'number', role: 'measure' }],
  [['card', 10, 3, 1], ['card', 20, 5, 2], ['atm', 15, 2, 3], ['atm', 30, 7, 4]],
);
const PIVOT = result([MONTH, CHANNEL, TOTAL], [['2026-01-01', 'card', 10], ['2026-01-01', 'atm', 5], ['2026-01-01', null, 15], [null, null, 15]], [0, 0, 2, 3]);
const ALL_TYPES: DeckInput = {
  ...DECK,
  watermark: undefined,
  slides: [
    ...CHART_TYPES.map((type) => ({
      title: `Type ${type}`,
      spec: spec(
        type === 'scatter' || type === 'bubble'
          ? { type, x: 'amount', y: 'n', color: 'channel', size: 'size' }
          : type === 'combo'
            ? { type, x: 'channel', y: 'amount', y2: 'n' }
            : { type, x: 'channel', y: 'amount', format: 'compact' as const },
      ),
      result: POINTS,
      notes: type,
    })),
    { title: 'Pivot', spec: spec({ type: 'pivot' }), result: PIVOT, notes: 'pivot' },
    { title: 'Empty', spec: spec({ type: 'column', x: 'channel', y: 'amount' }), result: result(POINTS.columns, []), notes: 'empty' },
  ],
};

describe('buildPptx with every chart type', () => {
  it('builds native charts for the native types and tables for the rest', async () => {
    const zip = await JSZip.loadAsync(await buildPptx(ALL_TYPES));
    const names = Object.keys(zip.files);
    expect(numbered(names, /^ppt\/slides\/slide\d+\.xml$/)).toHaveLength(1 + ALL_TYPES.slides.length);
    const charts = await Promise.all(numbered(names, /^ppt\/charts\/chart\d+\.xml$/).map((n) => zip.file(n)!.async('string')));
    // bar column line area scatter bubble pie donut combo
    expect(charts).toHaveLength(9);
    const scatter = charts[4]!;
    expect(scatter).toContain('<c:scatterChart>');
    expect(series(scatter)).toEqual([
      { name: 'card', values: ['3', '5', '', ''] },
      { name: 'atm', values: ['', '', '2', '7'] },
    ]);
    expect(charts[5]).toContain('<c:bubbleChart>');
    expect(charts[0]).toContain('formatCode="#,##0.#"'); // compact below a thousand: plain
    const slides = await Promise.all(numbered(names, /^ppt\/slides\/slide\d+\.xml$/).map((n) => zip.file(n)!.async('string')));
    const pivot = slides[slides.length - 2]!;
    expect(pivot).toContain('<a:tbl>');
    expect(pivot.match(/>Total</g)).toHaveLength(3);
    expect(slides[slides.length - 1]).toContain('No rows');
  });

  it('names the slide when the encoding does not fit the result', async () => {
    const bad = { ...DECK, slides: [{ title: 'Broken', spec: spec({ type: 'line', x: 'nope' }), result: MONTHLY, notes: '' }] };
    await expect(buildPptx(bad)).rejects.toThrow(/Slide "Broken".*nope/);
  });
});

const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
if (!soffice) {
  if (process.env.CI === 'true') throw new Error('LibreOffice (soffice) is required on CI for the PowerPoint render test');
  console.log('export-pptx: skipping the LibreOffice render test: soffice is not installed');
}

describe.skipIf(!soffice)('buildPptx renders in LibreOffice', () => {
  it('converts to a PDF with one page per slide', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strongroom-pptx-'));
    const out = join(process.cwd(), 'test-results', 'export');
    try {
      mkdirSync(out, { recursive: true });
      for (const f of readdirSync(out)) if (/^(deck|types)-\d+\.png$/.test(f)) rmSync(join(out, f));
      const decks: Array<[string, DeckInput, number]> = [['deck', DECK, SLIDES], ['types', ALL_TYPES, 1 + ALL_TYPES.slides.length]];
      for (const [name, deck] of decks) writeFileSync(join(dir, `${name}.pptx`), await buildPptx(deck));
      // A private profile: another soffice running on the machine would otherwise swallow the job.
      const files = decks.map(([name]) => join(dir, `${name}.pptx`));
      execFileSync(soffice!, [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, ...files], { stdio: 'pipe', timeout: 120_000 });
      for (const [name, , slides] of decks) {
        execFileSync('pdftoppm', ['-png', '-r', '50', join(dir, `${name}.pdf`), join(out, name)], { stdio: 'pipe', timeout: 60_000 });
        const pages = readdirSync(out).filter((f) => new RegExp(`^${name}-\\d+\\.png$`).test(f));
        expect(pages, name).toHaveLength(slides);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
