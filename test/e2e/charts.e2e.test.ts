import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITIES } from '../../electron/worker/demo/reference-data';
import type { ChartEncoding } from '../../shared/analysis/spec';
import { buildFigure, formatNumber, type ChartNote } from '../../shared/charts';
import { charts as strings } from '../../renderer/i18n/modules/charts';
import { demoCharts, dim, LABELS_EN, LABELS_RU, measure } from '../shared/charts-fixtures';
import { expectContained, inkShare, launchWithWebGL, startChartServer, watch, type ChartServer, type Files, type Watched } from './charts-server';
import { ROOT, SHOTS } from './harness';

/**
 * Every chart type drawn by the real plotly strict bundle in Debian's Chromium, without the app: a tiny
 * server sends a page, the bundle and figures built by shared/charts, all under the app's exact CSP
 * (so the page's script is a same-origin file: inline scripts are forbidden).
 */
const WIDTH = 580;
const HEIGHT = 340;
type Locale = 'en' | 'ru';

function caption(note: ChartNote | null, locale: Locale): string | null {
  if (!note) return null;
  const n = (v: number) => formatNumber(v, 'number', locale);
  const values: Record<string, string> =
    note.kind === 'decimated' ? { shown: n(note.shown), total: n(note.total) } : note.kind === 'folded' ? { count: n(note.total - note.shown) } : note.kind === 'unplaced' ? { count: n(note.count) } : { points: n(note.points) };
  return strings[locale].note[note.kind].replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');
}

// Typed arrays travel as base64 and become typed arrays again in the page, as the Chart hands them to plotly.
const json = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Float64Array || v instanceof Int32Array
      ? { $typed: v instanceof Float64Array ? 'f8' : 'i4', b64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') }
      : v,
  );

function figureSet(locale: Locale) {
  return demoCharts(CITIES, locale).map((c) => {
    const figure = buildFigure(c.data, c.chart as ChartEncoding, {
      locale,
      widthPx: WIDTH,
      labels: locale === 'ru' ? LABELS_RU : LABELS_EN,
      ...('branchLocations' in c ? { branchLocations: c.branchLocations } : {}),
    });
    return { id: c.id, title: `${c.chart.type}${'barMode' in c.chart ? ` (${c.chart.barMode})` : ''}`, figure, note: caption(figure.note, locale), width: WIDTH, height: HEIGHT };
  });
}

function millionPoints() {
  const n = 1_000_000;
  const x = new Array<number>(n);
  const y = new Array<number>(n);
  let seed = 1;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < n; i++) {
    const u = rnd();
    x[i] = Math.round(Math.exp(8 + u * 6));
    y[i] = Math.round(x[i]! * (0.2 + rnd() * 0.6 + (rnd() < 0.01 ? 2 : 0)));
  }
  const data = { columns: [dim('account_id', 'number'), measure('balance'), measure('turnover')], data: [Array.from({ length: n }, (_, i) => i), x, y], rowCount: n, truncated: false, engine: 'memory' as const, cached: false, extractVersion: 1, syncedAt: null, elapsedMs: 1 };
  const figure = buildFigure(data, { type: 'scatter', x: 'balance', y: 'turnover', format: 'compact' }, { locale: 'ru', widthPx: 1100, labels: LABELS_RU });
  return [{ id: 'gl', title: 'scattergl (1 000 000)', figure, note: caption(figure.note, 'ru'), width: 1100, height: 520 }];
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Strongroom charts</title><link rel="stylesheet" href="/page.css"></head>
<body><main id="grid"></main><script src="/plotly.js"></script><script src="/page.js"></script></body></html>`;

const CSS = `body { margin: 0; background: #f3f5f8; font: 14px 'DejaVu Sans', Arial, sans-serif; color: #17202e; }
#grid { display: flex; flex-wrap: wrap; gap: 14px; padding: 14px; }
.card { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: 10px 12px; }
.card h2 { font-size: 13px; margin: 0 0 6px; color: #4a5668; font-weight: 600; }
.note { margin: 4px 0 0; padding: 4px 8px; font-size: 12px; color: #4a5668; background: #fff6e0; border-radius: 4px; width: fit-content; }`;

// The page's own script: fetches the figures (connect-src 'self'), draws them one by one, reports.
const SCRIPT = `(async () => {
  const q = new URLSearchParams(location.search);
  document.documentElement.lang = q.get('lang');
  const revive = (k, v) => {
    if (!v || typeof v !== 'object' || !v.$typed) return v;
    const bytes = Uint8Array.from(atob(v.b64), (c) => c.charCodeAt(0));
    return v.$typed === 'f8' ? new Float64Array(bytes.buffer) : new Int32Array(bytes.buffer);
  };
  const figures = JSON.parse(await (await fetch('/figures/' + q.get('set') + '-' + q.get('lang') + '.json')).text(), revive);
  const grid = document.getElementById('grid');
  const results = [];
  for (const f of figures) {
    const card = document.createElement('section');
    card.className = 'card';
    card.id = 'card-' + f.id;
    const title = document.createElement('h2');
    title.textContent = f.title;
    const plot = document.createElement('div');
    plot.id = 'plot-' + f.id;
    card.append(title, plot);
    if (f.note) {
      const note = document.createElement('p');
      note.className = 'note';
      note.textContent = f.note;
      card.append(note);
    }
    grid.append(card);
    const started = performance.now();
    try {
      await Plotly.react(plot, f.figure.data, Object.assign({}, f.figure.layout, { width: f.width, height: f.height }), f.figure.config);
      results.push({ id: f.id, ok: true, ms: Math.round(performance.now() - started) });
    } catch (e) {
      results.push({ id: f.id, ok: false, error: String((e && e.stack) || e) });
    }
  }
  window.__results = results;
})();`;

let server: ChartServer;
let browser: Browser;

beforeAll(async () => {
  const files: Files = new Map([
    ['/', { type: 'text/html; charset=utf-8', body: PAGE }],
    ['/page.js', { type: 'text/javascript', body: SCRIPT }],
    ['/page.css', { type: 'text/css', body: CSS }],
    ['/plotly.js', { type: 'text/javascript', body: readFileSync(join(ROOT, 'node_modules', 'plotly.js-strict-dist-min', 'plotly-strict.min.js')) }],
    ['/figures/gl-ru.json', { type: 'application/json', body: json(millionPoints()) }],
  ]);
  for (const locale of ['en', 'ru'] as const) files.set(`/figures/all-${locale}.json`, { type: 'application/json', body: json(figureSet(locale)) });
  server = await startChartServer(files);
  browser = await launchWithWebGL();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Result = { id: string; ok: boolean; error?: string; ms: number };

async function open(set: string, locale: Locale, viewport?: { width: number; height: number }): Promise<{ w: Watched; results: Result[] }> {
  const w = await watch(browser, `${server.origin}/?set=${set}&lang=${locale}`, locale, viewport);
  await w.page.waitForFunction(() => (window as unknown as { __results?: unknown }).__results, undefined, { timeout: 90_000 });
  return { w, results: await w.page.evaluate(() => (window as unknown as { __results: Result[] }).__results) };
}

/** What each chart type must have drawn, as plotly's SVG classes. */
const DRAWN: Record<string, string> = {
  column: '.barlayer .point path',
  bar: '.barlayer .point path',
  histogram: '.barlayer .point path',
  combo: '.barlayer .point path',
  line: '.scatterlayer .js-line',
  area: '.scatterlayer .js-fill',
  scatter: '.scatterlayer .point',
  bubble: '.scatterlayer .point',
  map: '.scatterlayer .point',
  pie: '.pielayer .slice path',
  donut: '.pielayer .slice path',
  heatmap: '.heatmaplayer image',
  box: '.boxlayer path.box',
};

describe('charts in Chromium under the app CSP', () => {
  for (const locale of ['en', 'ru'] as const) {
    it(`draws every chart type (${locale})`, async () => {
      const { w, results } = await open('all', locale);
      expect(results.filter((r) => !r.ok)).toEqual([]);
      expect(results.map((r) => r.id).sort()).toEqual(Object.keys(DRAWN).sort());
      for (const [id, selector] of Object.entries(DRAWN)) {
        expect(await w.page.locator(`#plot-${id} ${selector}`).count(), id).toBeGreaterThan(0);
        await w.page.locator(`#card-${id}`).screenshot({ path: join(SHOTS, `charts-${locale}-${id}.png`) });
      }
      // Locale reaches the axes: Russian month names and separators.
      if (locale === 'ru') {
        expect(await w.page.locator('#plot-column .xtick text').allTextContents()).toContain('янв 2024');
        const ticks = await w.page.locator('#plot-column .ytick text').allTextContents();
        expect(ticks.join(' ')).toMatch(/млн/);
        // The zero of an axis in millions is a plain 0, not "0 млн".
        expect(ticks[0]).toBe('0');
      } else {
        expect(await w.page.locator('#plot-column .xtick text').allTextContents()).toContain('Jan 2024');
      }
      await w.page.screenshot({ path: join(SHOTS, `charts-${locale}.png`), fullPage: true });
      await expectContained(w, server.origin);
      await w.page.context().close();
    });
  }

  it('draws 1,000,000 points with WebGL (scattergl)', async () => {
    const { w, results } = await open('gl', 'ru', { width: 1160, height: 640 });
    expect(results[0]).toMatchObject({ ok: true });
    expect(await w.page.locator('#plot-gl canvas.gl-canvas-context').count()).toBeGreaterThan(0);
    const png = await w.page.locator('#plot-gl .draglayer').screenshot();
    await w.page.locator('#card-gl').screenshot({ path: join(SHOTS, 'charts-scattergl.png') });
    // The plot area is mostly white without the points; with a million of them, a good part is ink.
    expect(await inkShare(browser, png)).toBeGreaterThan(0.05);
    expect(await w.page.locator('#card-gl .note').textContent()).toBe('1\u00a0000\u00a0000 точек, отрисовано через WebGL');
    console.log(`scattergl: 1,000,000 points drawn in ${results[0]!.ms} ms`);
    await expectContained(w, server.origin);
    await w.page.context().close();
  });
});
