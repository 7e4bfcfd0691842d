import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITIES } from '../../electron/worker/demo/reference-data';
import type { AnalysisResult, Cell } from '../../shared/analysis/spec';
import { demoCharts, dim, measure, result } from '../shared/charts-fixtures';
import { expectContained, launchWithWebGL, startChartServer, watch, type ChartServer, type Files } from './charts-server';
import { ROOT, SHOTS } from './harness';

/**
 * The real Chart component (renderer/components/chart) bundled with esbuild as the app is with Vite,
 * in Chromium under the app's CSP: plotly loaded lazily as its own chunk, KPI tile, virtualised table
 * and pivot, clicks and keyboard picking of marks, onRendered/onReady, accessibility (axe-core).
 */
const ENTRY = `
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createI18n } from './renderer/i18n/index.ts';
import { Chart } from './renderer/components/chart/Chart.tsx';
import './renderer/styles.css';

const w = window;
w.__clicks = [];
w.__rendered = {};
w.__handles = {};
const lang = new URLSearchParams(location.search).get('lang') === 'ru' ? 'ru' : 'en';
document.documentElement.lang = lang;
fetch('/cases.json').then((r) => r.json()).then((cases) => {
  createRoot(document.getElementById('root')).render(
    <I18nextProvider i18n={createI18n(lang)}>
      <main className="cases">
        {cases.map((c) => (
          <section key={c.id} className="case" id={'case-' + c.id}>
            <h2>{c.title}</h2>
            <Chart
              result={c.result}
              chart={c.chart}
              title={c.title}
              height={c.height}
              pivot={c.pivot}
              branchLocations={c.branchLocations}
              onMarkClick={(m) => w.__clicks.push({ id: c.id, values: m.values })}
              onRendered={(info) => (w.__rendered[c.id] = info)}
              onReady={(h) => (w.__handles[c.id] = h)}
            />
          </section>
        ))}
      </main>
    </I18nextProvider>,
  );
});
`;

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Chart component</title>
<link rel="stylesheet" href="/app/entry.css"><link rel="stylesheet" href="/page.css"></head>
<body><div id="root"></div><script type="module" src="/app/entry.js"></script></body></html>`;
const CSS = `.cases { display: grid; grid-template-columns: repeat(2, 560px); gap: 16px; padding: 16px; align-items: start; }
.case { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: 12px 14px; }
.case h2 { font-size: 14px; margin: 0 0 8px; }`;

/** Amount by branch × channel with subtotals and a grand total, as the engine returns a pivot. */
function pivotResult(): AnalysisResult {
  const branches = ['Moscow', 'Kazan', 'Omsk'];
  const channels = ['card', 'atm', 'online'];
  const rows: Cell[][] = [];
  const grouping: number[] = [];
  const amount = (b: number, c: number) => 1000 * (3 - b) + 150 * c + 0.25;
  branches.forEach((b, i) => channels.forEach((c, j) => (rows.push([b, c, amount(i, j)]), grouping.push(0))));
  branches.forEach((b, i) => (rows.push([b, null, channels.reduce((s, _, j) => s + amount(i, j), 0)]), grouping.push(2)));
  channels.forEach((c, j) => (rows.push([null, c, branches.reduce((s, _, i) => s + amount(i, j), 0)]), grouping.push(1)));
  rows.push([null, null, rows.slice(0, 9).reduce((s, r) => s + (r[2] as number), 0)]);
  grouping.push(3);
  return result([dim('branch'), dim('channel'), measure('amount')], rows, grouping);
}

function cases(locale: 'en' | 'ru') {
  const demo: Record<string, { chart: unknown; data: AnalysisResult; branchLocations?: unknown }> = Object.fromEntries(demoCharts(CITIES, locale).map((c) => [c.id, c]));
  const months = ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'];
  const table = result(
    [dim('tx_id', 'number'), dim('branch'), dim('booked_on', 'date'), measure('amount')],
    Array.from({ length: 10_000 }, (_, i) => [i + 1, CITIES[i % 30]!.cityEn, `2024-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`, Math.round(((i * 7919) % 100_000) * 1.37) / 100]),
  );
  return [
    { id: 'column', title: 'Amount by month and channel', chart: demo.column!.chart, result: demo.column!.data, height: 320 },
    { id: 'kpi', title: 'Card turnover', chart: { type: 'kpi', x: 'month', y: 'amount', format: 'currency' }, result: result([dim('month', 'date'), measure('amount')], months.map((m, i) => [m, 1_200_000 + i * 85_000.5])), height: 160 },
    { id: 'line', title: 'Transactions per hour', chart: demo.line!.chart, result: demo.line!.data, height: 280 },
    { id: 'map', title: 'Customers by branch', chart: demo.map!.chart, result: demo.map!.data, branchLocations: demo.map!.branchLocations, height: 320 },
    { id: 'table', title: 'Transactions', chart: { type: 'table', format: 'currency' }, result: table, height: 300 },
    { id: 'pivot', title: 'Amount by branch and channel', chart: { type: 'pivot', format: 'currency' }, result: pivotResult(), pivot: { rows: ['branch'], columns: ['channel'] }, height: 300 },
  ];
}

let server: ChartServer;
let browser: Browser;

beforeAll(async () => {
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'tsx', sourcefile: 'entry.tsx' },
    absWorkingDir: ROOT,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    jsx: 'automatic',
    outdir: join(ROOT, 'app'),
    entryNames: 'entry',
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'error',
  });
  const files: Files = new Map([
    ['/', { type: 'text/html; charset=utf-8', body: PAGE }],
    ['/page.css', { type: 'text/css', body: CSS }],
  ]);
  for (const file of out.outputFiles) {
    files.set(`/${relative(ROOT, file.path)}`, { type: file.path.endsWith('.css') ? 'text/css' : 'text/javascript', body: Buffer.from(file.contents) });
  }
  for (const locale of ['en', 'ru'] as const) files.set(`/cases-${locale}.json`, { type: 'application/json', body: JSON.stringify(cases(locale)) });
  // The page fetches /cases.json; the locale picks the file.
  server = await startChartServer(
    new Proxy(files, {
      get(target, key) {
        if (key === 'get') return (path: string) => (path === '/cases.json' ? target.get(`/cases-${current}.json`) : target.get(path));
        return Reflect.get(target, key, target) as unknown;
      },
    }),
  );
  browser = await launchWithWebGL();
}, 120_000);
let current: 'en' | 'ru' = 'en';

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Win = { __clicks: Array<{ id: string; values: Record<string, Cell> }>; __rendered: Record<string, { ms: number; points: number; decimated: boolean }>; __handles: Record<string, { toPng(w: number, h: number): Promise<string> }> };
const win = <T,>(page: Page, f: (w: Win) => T) => page.evaluate(f as (w: unknown) => T, undefined as never);

async function openCases(locale: 'en' | 'ru') {
  current = locale;
  const w = await watch(browser, `${server.origin}/?lang=${locale}`, locale, { width: 1200, height: 1500 });
  await w.page.waitForFunction(() => Object.keys((window as unknown as Win).__rendered).length === 6, undefined, { timeout: 60_000 });
  return w;
}

describe('the Chart component in Chromium under the app CSP', () => {
  it('draws plotly charts, KPI, table and pivot; reports paints; clicks and keys pick marks (en)', async () => {
    const w = await openCases('en');
    const { page } = w;
    const rendered = await page.evaluate(() => (window as unknown as Win).__rendered);
    expect(rendered.line).toMatchObject({ decimated: true });
    expect(rendered.column!.ms).toBeGreaterThan(0);
    expect(await page.locator('#case-line figcaption').textContent()).toMatch(/^Showing 1,\d{3} of 8,760 points, simplified/);

    // A click on a bar reports the dimension values of that bar.
    // (plotly's bars take no pointer events themselves: the click lands on the plot's drag layer above.)
    const bar = (await page.locator('#case-column .barlayer .point path').first().boundingBox())!;
    await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
    await expect.poll(() => page.evaluate(() => (window as unknown as Win).__clicks.at(-1))).toEqual({ id: 'column', values: { booked_on_month: '2023-01-01', channel: 'card' } });

    // Keyboard: the chart is a tab stop named by its title; its marks list follows; Enter picks.
    await page.locator('#case-column figure').focus();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Amount by month and channel');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('listbox');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => (window as unknown as Win).__clicks.at(-1))).toEqual({ id: 'column', values: { booked_on_month: '2023-01-01', channel: 'atm' } });
    await page.locator('#case-column').screenshot({ path: join(SHOTS, 'charts-component-marks.png') });

    // KPI: the latest month against the one before, in words for screen readers too.
    expect(await page.locator('#case-kpi .kpi-value').textContent()).toBe('₽1,455,001.50');
    expect(await page.locator('#case-kpi .kpi-delta.up .sr-only').textContent()).toBe('Up ₽85,000.50 (6.2%) from Mar 2024');

    // Table: 10,000 rows, a few dozen in the DOM; scrolled to the end, the header is still on top.
    expect(await page.locator('#case-table [role="row"]').count()).toBeLessThan(60);
    await page.locator('#case-table .rt-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect.poll(() => page.locator('#case-table [role="row"][aria-rowindex="10001"]').count()).toBe(1);
    const head = await page.locator('#case-table .rt-head').boundingBox();
    const scroller = await page.locator('#case-table .rt-scroll').boundingBox();
    expect(Math.abs(head!.y - scroller!.y)).toBeLessThan(2);
    await page.locator('#case-table .rt-scroll').evaluate((el) => el.scrollTo(0, 0));

    // Pivot: subtotals and the grand total in bold.
    expect(await page.locator('#case-pivot tbody tr.total').count()).toBe(1);
    expect(await page.locator('#case-pivot tbody tr.total th').first().textContent()).toBe('Grand total');
    expect(await page.locator('#case-pivot tbody tr.total td').first().evaluate((el) => getComputedStyle(el).fontWeight)).toBe('700');
    expect(await page.locator('#case-pivot thead th.total').textContent()).toBe('Grand total');

    // Handles render PNGs, plotly's and the HTML charts' alike.
    for (const id of ['column', 'kpi', 'table']) {
      const png = await page.evaluate((k) => (window as unknown as Win).__handles[k]!.toPng(320, 200), id);
      expect(png.startsWith('data:image/png;base64,'), id).toBe(true);
    }

    // axe-core: no WCAG A/AA violations (evaluated through the debugger protocol, not a page script).
    await page.evaluate(readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }).axe;
      const { violations } = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] });
      return violations.map((v) => ({ id: v.id, nodes: v.nodes.length }));
    });
    expect(violations).toEqual([]);

    await page.screenshot({ path: join(SHOTS, 'charts-component-en.png'), fullPage: true });
    await expectContained(w, server.origin);
    await page.context().close();
  });

  it('speaks Russian: formats, captions, totals (ru)', async () => {
    const w = await openCases('ru');
    const { page } = w;
    expect(await page.locator('#case-kpi .kpi-value').textContent()).toBe('1\u00a0455\u00a0001,50\u00a0₽');
    expect(await page.locator('#case-kpi .kpi-delta .sr-only').textContent()).toBe('Рост на 85\u00a0000,50\u00a0₽ (6,2\u00a0%) к мар 2024');
    expect(await page.locator('#case-pivot tbody tr.total th').first().textContent()).toBe('Общий итог');
    expect(await page.locator('#case-line figcaption').textContent()).toMatch(/^Показано 1\u00a0\d{3} из 8\u00a0760 точек/);
    await page.screenshot({ path: join(SHOTS, 'charts-component-ru.png'), fullPage: true });
    await expectContained(w, server.origin);
    await page.context().close();
  });
});
