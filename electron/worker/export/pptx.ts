import JSZip from 'jszip';
import PptxGenJS from 'pptxgenjs';
import { formatDate, formatNumber } from '../../../shared/charts/format.js';
import type { AnalysisResult, AnalysisSpec } from '../../../shared/analysis/spec.js';
import {
  DECK_PALETTE,
  isNative,
  planChart,
  tablePages,
  type ChartPlan,
  type Series,
} from './pptx-charts.js';

/**
 * PowerPoint deck builder: a title slide, then one slide per analysis with a native, editable chart
 * (the data lives in the chart's embedded workbook, so "Edit Data" works in PowerPoint), the
 * renderer's PNG for chart types PowerPoint has no chart for, or a native table paginated across
 * "(cont.)" slides. Every slide carries the classification footer and, for restricted data, a
 * watermark; speaker notes carry provenance.
 */

export interface DeckSlide {
  title: string;
  spec: AnalysisSpec;
  result: AnalysisResult;
  /** Column name → words ("Sum of amount"), for axis titles, series names and table headers. */
  labels?: Record<string, string>;
  /** Speaker notes: provenance (extract, sync time, filters, spec summary), already written as text. */
  notes: string;
  /** PNG (data URL) to place when the chart type has no native PowerPoint chart (heatmap, box, map, …). */
  image?: string;
}

export interface DeckInput {
  title: string;
  author: string;
  createdAt: string;
  freshness: string;
  /** Footer of every slide, e.g. "CONFIDENTIAL". */
  classification: string;
  /** When set (restricted data), visible on every slide: user + time. */
  watermark?: string;
  locale: 'en' | 'ru';
  theme?: { colors?: string[]; logo?: string };
  slides: DeckSlide[];
}

const W = 13.333;
const H = 7.5;
const MARGIN = 0.5;
const BODY = { x: MARGIN, y: 1.05, w: W - 2 * MARGIN, h: 5.75 };
const FONT = 'Calibri';
const INK = '1F2937';
const MUTED = '6B7280';

const WORDS = {
  en: { cont: '(cont.)', rowsShown: (n: string, total: string) => `First ${n} of ${total} rows`, colsShown: (n: number, total: number) => `first ${n} of ${total} columns`, noRows: 'No rows' },
  ru: { cont: '(продолж.)', rowsShown: (n: string, total: string) => `Первые ${n} из ${total} строк`, colsShown: (n: number, total: number) => `первые ${n} из ${total} столбцов`, noRows: 'Нет строк' },
};

const hex = (c: string): string => c.replace(/^#/, '').toUpperCase().slice(0, 6);

/** At least `n` colours, cycling the theme (pptxgenjs picks a random one past the end of its list). */
function colours(theme: string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(n, 1); i++) out.push(theme[i % theme.length]!);
  return out;
}

function footer(slide: PptxGenJS.Slide, deck: DeckInput, page: number): void {
  slide.addText(deck.classification, { x: MARGIN, y: H - 0.45, w: W - 2 * MARGIN - 1, h: 0.3, fontFace: FONT, fontSize: 9, bold: true, color: MUTED, align: 'center' });
  slide.addText(String(page), { x: W - MARGIN - 1, y: H - 0.45, w: 1, h: 0.3, fontFace: FONT, fontSize: 9, color: MUTED, align: 'right' });
  if (deck.theme?.logo) slide.addImage({ data: deck.theme.logo, x: W - MARGIN - 1.2, y: 0.2, w: 1.2, h: 0.5, sizing: { type: 'contain', w: 1.2, h: 0.5 } });
}

function watermark(slide: PptxGenJS.Slide, deck: DeckInput): void {
  if (!deck.watermark) return;
  slide.addText(deck.watermark, {
    x: 1.5, y: H / 2 - 0.6, w: W - 3, h: 1.2,
    fontFace: FONT, fontSize: 32, color: '9CA3AF', transparency: 70, rotate: 330, align: 'center', valign: 'middle',
  });
}

/** The largest box of the PNG's aspect ratio centred in `box` (the whole box when the size is unreadable). */
function contain(dataUrl: string, box: typeof BODY): typeof BODY {
  const head = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1, dataUrl.indexOf(',') + 45), 'base64');
  const png = head.length >= 24 && head.toString('latin1', 12, 16) === 'IHDR';
  const ratio = png ? head.readUInt32BE(16) / head.readUInt32BE(20) : NaN;
  if (!Number.isFinite(ratio) || ratio <= 0) return box;
  const w = Math.min(box.w, box.h * ratio);
  const h = w / ratio;
  return { x: box.x + (box.w - w) / 2, y: box.y + (box.h - h) / 2, w, h };
}

function heading(slide: PptxGenJS.Slide, text: string): void {
  slide.addText(text, { x: MARGIN, y: 0.3, w: W - 2 * MARGIN - 1.4, h: 0.6, fontFace: FONT, fontSize: 24, bold: true, color: INK, valign: 'middle', fit: 'shrink' });
}

function caption(slide: PptxGenJS.Slide, text: string): void {
  slide.addText(text, { x: MARGIN, y: H - 0.75, w: W - 2 * MARGIN, h: 0.3, fontFace: FONT, fontSize: 10, italic: true, color: MUTED });
}

/** pptxgenjs data for one series list; scatter/bubble start with the shared X values. */
function chartData(plan: ChartPlan, series: Series[]): PptxGenJS.OptsChartData[] {
  const data = (s: Series): PptxGenJS.OptsChartData => ({
    name: s.name,
    labels: plan.labels,
    values: s.values as number[], // null → an empty point, which PowerPoint draws as a gap
    ...(s.sizes ? { sizes: s.sizes } : {}),
  });
  if (plan.kind === 'scatter' || plan.kind === 'bubble') return [{ name: plan.xTitle, values: plan.xValues }, ...series.map(data)];
  return series.map(data);
}

function addChart(pptx: PptxGenJS, slide: PptxGenJS.Slide, plan: ChartPlan, spec: AnalysisSpec, theme: string[]): void {
  const chart = spec.chart!;
  const C = pptx.ChartType;
  const mode = chart.barMode ?? (chart.type === 'area' ? 'stacked' : 'grouped');
  const grouping = mode === 'percent' ? 'percentStacked' : mode === 'stacked' ? 'stacked' : chart.type === 'area' ? 'standard' : 'clustered';
  const pie = plan.kind === 'pie' || plan.kind === 'donut';
  const base: PptxGenJS.IChartOpts = {
    ...BODY,
    fontFace: FONT,
    chartColors: colours(theme, pie ? plan.labels.length : plan.series.length + plan.series2.length),
    showLegend: pie || plan.series.length + plan.series2.length > 1,
    legendPos: 'b',
    legendFontSize: 11,
    dataLabelFormatCode: plan.formatCode,
    altText: plan.yTitle ? `${plan.yTitle} by ${plan.xTitle}` : plan.xTitle,
  };
  const axes: PptxGenJS.IChartOpts = {
    showCatAxisTitle: !!plan.xTitle,
    catAxisTitle: plan.xTitle,
    showValAxisTitle: !!plan.yTitle,
    valAxisTitle: plan.yTitle,
    valAxisLabelFormatCode: plan.formatCode,
    catAxisLabelFontSize: 11,
    valAxisLabelFontSize: 11,
    catAxisTitleFontSize: 12,
    valAxisTitleFontSize: 12,
    valGridLine: { color: 'E5E7EB', size: 0.5 },
  };
  switch (plan.kind) {
    case 'bar':
    case 'column':
      slide.addChart(C.bar, chartData(plan, plan.series), {
        ...base, ...axes, barDir: plan.kind === 'bar' ? 'bar' : 'col', barGrouping: grouping,
        // PowerPoint lists horizontal bars bottom-up; reverse so they read in the result's order, and
        // keep the value axis below them (pptxgenjs writes maxMin and max, though its types do not list them).
        ...(plan.kind === 'bar' ? { catAxisOrientation: 'maxMin' as 'minMax', catAxisCrossesAt: 'max' as 'autoZero', valAxisLabelPos: 'nextTo' as const } : {}),
        ...(grouping !== 'clustered' ? { barGapWidthPct: 60, ...(mode !== 'grouped' ? { barOverlapPct: 100 } : {}) } : { barGapWidthPct: 80 }),
      });
      return;
    case 'line':
      slide.addChart(C.line, chartData(plan, plan.series), { ...base, ...axes, lineSize: 2, lineDataSymbol: plan.labels.length > 40 ? 'none' : 'circle', lineDataSymbolSize: 5 });
      return;
    case 'area':
      slide.addChart(C.area, chartData(plan, plan.series), { ...base, ...axes, barGrouping: grouping, chartColorsOpacity: 85 });
      return;
    case 'pie':
    case 'donut':
      slide.addChart(plan.kind === 'pie' ? C.pie : C.doughnut, chartData(plan, plan.series), {
        ...base, legendPos: 'r', showPercent: true, showValue: false, dataLabelColor: 'FFFFFF', dataLabelFontSize: 11, ...(plan.kind === 'donut' ? { holeSize: 55 } : {}),
      });
      return;
    case 'scatter':
    case 'bubble':
      slide.addChart(plan.kind === 'scatter' ? C.scatter : C.bubble, chartData(plan, plan.series), {
        ...base, ...axes, catLabelFormatCode: plan.xFormatCode, lineSize: 0, lineDataSymbol: 'circle', lineDataSymbolSize: 6,
        showLegend: plan.series.length > 1,
      });
      return;
    case 'combo': {
      const n = plan.series.length;
      if (!plan.series2.length) {
        slide.addChart(C.bar, chartData(plan, plan.series), { ...base, ...axes, barDir: 'col', barGrouping: grouping });
        return;
      }
      const multi: PptxGenJS.IChartMulti[] = [
        { type: C.bar, data: chartData(plan, plan.series), options: { barDir: 'col', barGrouping: grouping, chartColors: colours(theme, n) } },
        {
          type: C.line, data: chartData(plan, plan.series2),
          options: { secondaryValAxis: true, secondaryCatAxis: true, chartColors: colours(theme.slice(n % theme.length).concat(theme.slice(0, n % theme.length)), plan.series2.length), lineSize: 2, lineDataSymbol: 'circle' },
        },
      ];
      // Multi-type charts take their options as the second argument (the types call it data).
      const valAxis = { valAxisTitleFontSize: 12, valAxisLabelFontSize: 11 };
      const options: PptxGenJS.IChartOpts = {
        ...base,
        valAxes: [
          { ...valAxis, showValAxisTitle: !!plan.yTitle, valAxisTitle: plan.yTitle, valAxisLabelFormatCode: plan.formatCode, valGridLine: { color: 'E5E7EB', size: 0.5 } },
          { ...valAxis, showValAxisTitle: !!plan.y2Title, valAxisTitle: plan.y2Title, valAxisLabelFormatCode: plan.formatCode2, valGridLine: { style: 'none' } },
        ],
        catAxes: [{ showCatAxisTitle: !!plan.xTitle, catAxisTitle: plan.xTitle, catAxisTitleFontSize: 12, catAxisLabelFontSize: 11 }, { catAxisHidden: true }],
      };
      slide.addChart(multi, options as unknown as unknown[]);
    }
  }
}

function addTable(pptx: PptxGenJS, deck: DeckInput, s: DeckSlide, nextPage: () => number): void {
  const words = WORDS[deck.locale];
  const { pages, shownRows, shownColumns } = tablePages(s.result, s.spec.chart, s.labels, deck.locale);
  const total = s.result.rowCount;
  const notes: string[] = [];
  if (total > shownRows || s.result.truncated) notes.push(words.rowsShown(formatNumber(shownRows, 'number', deck.locale), formatNumber(total, 'number', deck.locale) + (s.result.truncated ? '+' : '')));
  if (s.result.columns.length > shownColumns) notes.push(words.colsShown(shownColumns, s.result.columns.length));
  pages.forEach((page, p) => {
    const slide = pptx.addSlide();
    heading(slide, p === 0 ? s.title : `${s.title} ${words.cont}`);
    const head = page.header.map((text, i) => ({
      text,
      options: { bold: true, color: 'FFFFFF', fill: { color: '1F3A5F' }, align: page.numeric[i] ? ('right' as const) : ('left' as const) },
    }));
    const body = page.rows.map((row, r) =>
      row.map((text, i) => ({ text, options: { align: page.numeric[i] ? ('right' as const) : ('left' as const), ...(r % 2 ? { fill: { color: 'F3F4F6' } } : {}) } })),
    );
    if (!body.length) body.push(page.header.map((_, i) => ({ text: i === 0 ? words.noRows : '', options: { align: 'left' as const } })));
    slide.addTable([head, ...body], {
      x: BODY.x, y: BODY.y, w: BODY.w, colW: page.header.map(() => BODY.w / page.header.length),
      rowH: 0.32, fontFace: FONT, fontSize: page.header.length > 8 ? 9 : 11, color: INK, border: { type: 'solid', pt: 0.5, color: 'D1D5DB' }, valign: 'middle', margin: 0.04,
    });
    if (notes.length && p === pages.length - 1) caption(slide, notes.join('; '));
    finish(slide, deck, s.notes, nextPage());
  });
}

function finish(slide: PptxGenJS.Slide, deck: DeckInput, notes: string, page: number): void {
  footer(slide, deck, page);
  watermark(slide, deck);
  if (notes) slide.addNotes(notes);
}

/** The deck as .pptx bytes. Timestamps inside the package are `createdAt`, so equal input gives equal bytes. */
export async function buildPptx(deck: DeckInput): Promise<Uint8Array> {
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.title = deck.title;
  pptx.author = deck.author;
  pptx.company = '';
  pptx.subject = deck.freshness;
  if (deck.locale === 'ru') pptx.theme = { headFontFace: FONT, bodyFontFace: FONT, lang: 'ru-RU' } as PptxGenJS.ThemeProps;
  const theme = deck.theme?.colors?.length ? deck.theme.colors.map(hex) : DECK_PALETTE;
  let page = 0;
  const nextPage = () => ++page;

  const cover = pptx.addSlide();
  cover.addShape(pptx.ShapeType.rect, { x: 0, y: 0, w: 0.25, h: H, fill: { color: theme[0]! }, line: { type: 'none' } });
  cover.addText(deck.title, { x: 1, y: 2.2, w: W - 2, h: 1.4, fontFace: FONT, fontSize: 40, bold: true, color: INK, valign: 'bottom', fit: 'shrink' });
  const created = Date.parse(deck.createdAt);
  const date = Number.isFinite(created) ? formatDate(created, 'day', deck.locale) : deck.createdAt;
  cover.addText(
    [
      { text: deck.author, options: { breakLine: true } },
      { text: date, options: { breakLine: true } },
      { text: deck.freshness, options: { color: MUTED } },
    ],
    { x: 1, y: 3.8, w: W - 2, h: 1.4, fontFace: FONT, fontSize: 18, color: INK, valign: 'top', paraSpaceAfter: 4 },
  );
  finish(cover, deck, [deck.title, deck.author, date, deck.freshness].join('\n'), nextPage());

  for (const s of deck.slides) {
    const chart = s.spec.chart;
    if (chart && isNative(chart.type)) {
      let plan;
      try {
        plan = planChart(s.result, { ...chart, type: chart.type }, s.labels, deck.locale);
      } catch (error) {
        throw new Error(`Slide "${s.title}": ${error instanceof Error ? error.message : String(error)}`);
      }
      if (plan.series.length && (plan.labels.length || plan.xValues.length)) {
        const slide = pptx.addSlide();
        heading(slide, s.title);
        addChart(pptx, slide, plan, s.spec, theme);
        finish(slide, deck, s.notes, nextPage());
        continue;
      }
    } else if (chart && chart.type !== 'table' && chart.type !== 'pivot' && s.image) {
      const slide = pptx.addSlide();
      heading(slide, s.title);
      slide.addImage({ data: s.image, ...contain(s.image, BODY), altText: s.title });
      finish(slide, deck, s.notes, nextPage());
      continue;
    }
    addTable(pptx, deck, s, nextPage);
  }

  const bytes = (await pptx.write({ outputType: 'uint8array', compression: true })) as Uint8Array;
  return normalise(bytes, Number.isFinite(created) ? new Date(created) : new Date(0));
}

const STAMP = /(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:(?:created|modified)>)/g;
const CHART_PART = /\b(chart|Microsoft_Excel_Worksheet)(\d+)(\.xml|\.xlsx)/g;

/**
 * Rewrites a zip with fixed entry dates and core-properties times (recursing into chart workbooks),
 * and renumbers charts from 1: pptxgenjs numbers them with a process-wide counter.
 */
async function normalise(bytes: Uint8Array, when: Date): Promise<Uint8Array> {
  const source = await JSZip.loadAsync(bytes);
  const out = new JSZip();
  const iso = when.toISOString().replace(/\.\d{3}Z$/, 'Z');
  // JSZip writes entry times in UTC; no folder entries (it would stamp those with the current time).
  const stamp = { date: when, createFolders: false };
  const ids = Object.keys(source.files)
    .map((n) => /^ppt\/charts\/chart(\d+)\.xml$/.exec(n)?.[1])
    .filter((id): id is string => id !== undefined)
    .sort((a, b) => Number(a) - Number(b));
  const renumber = new Map(ids.map((id, i) => [id, String(i + 1)]));
  const rename = (text: string) => text.replace(CHART_PART, (m, stem: string, id: string, ext: string) => (renumber.has(id) ? `${stem}${renumber.get(id)}${ext}` : m));
  // Sorted (chart workbooks land in the zip as they finish), with [Content_Types].xml first as OPC readers expect.
  const first = '[Content_Types].xml';
  const names = Object.keys(source.files).sort((a, b) => (a === first ? -1 : b === first ? 1 : a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const entry = source.files[name]!;
    if (entry.dir) continue;
    const target = rename(name);
    if (name.endsWith('.xlsx')) {
      out.file(target, await normalise(await entry.async('uint8array'), when), stamp);
    } else if (/\.(xml|rels)$/.test(name)) {
      // Only package plumbing names chart parts; slide text is never touched.
      const text = (await entry.async('string')).replace(STAMP, `$1${iso}$2`);
      out.file(target, name.endsWith('.rels') || name === first ? rename(text) : text, stamp);
    } else {
      out.file(target, await entry.async('uint8array'), stamp);
    }
  }
  return out.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}
