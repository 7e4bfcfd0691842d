import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.js';
import { launchChromium, SHOTS, startServe, type RunningHost } from './harness.js';

// The forecasting journey of issue 6, in Debian's Chromium against the browser host and its demo
// warehouse: an analyst forecasts branch deposits on a line chart, reads the fit statistics, saves the
// run, finds it in the Forecasts view, exports its table, and is refused the export where the
// extract's policy forbids CSV.
let host: RunningHost;
let browser: Browser;
let page: Page;
const outside: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  host = await startServe();
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB', acceptDownloads: true });
  page = await context.newPage();
  page.on('request', (r) => !r.url().startsWith(host.origin) && !r.url().startsWith(`blob:${host.origin}/`) && !r.url().startsWith('data:') && outside.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
const nav = (name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });
const plot = () => page.locator('.js-plotly-plot').first();

async function addField(field: string, shelf: 'Columns' | 'Rows' | 'Color' | 'Filters') {
  await page.getByRole('button', { name: field, exact: true }).click();
  await page.getByRole('menu', { name: `Add ${field} to` }).getByRole('menuitem', { name: shelf }).click();
}

async function newAnalysis(extract: string) {
  await nav('Analyses').click();
  // The builder stays on the analysis in hand; its list is one step back.
  const back = page.getByRole('button', { name: /All analyses/ });
  if (await back.count()) await back.click();
  await page.getByRole('button', { name: 'New analysis' }).click();
  const dialog = page.getByRole('dialog', { name: 'New analysis' });
  await dialog.getByRole('radio', { name: extract }).check();
  await dialog.getByRole('button', { name: 'Create' }).click();
}

async function forecast(options: { horizon?: string; model?: string } = {}) {
  await page.getByRole('button', { name: 'Forecast', exact: true }).click();
  const panel = page.getByRole('form', { name: 'Forecast settings' });
  if (options.horizon) await panel.getByLabel(/^Horizon/).fill(options.horizon);
  if (options.model) await panel.getByLabel('Model').selectOption({ label: options.model });
  await panel.getByRole('button', { name: 'Apply' }).click();
  await page.getByText(/^Forecast shown: /).waitFor({ timeout: 60_000 });
}

async function saveForecast(title: string) {
  await page.getByRole('button', { name: 'Save forecast…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save forecast' });
  await dialog.getByRole('textbox', { name: 'Title' }).fill(title);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await dialog.getByText(`Saved “${title}”. Find it in the Forecasts view.`).waitFor({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
}

describe('forecasting', () => {
  it('opens the demo warehouse as the analyst and syncs it', async () => {
    await page.goto(host.url);
    await page.getByLabel('Passphrase', { exact: true }).fill('forecast journey 2026');
    await page.getByLabel('Repeat passphrase').fill('forecast journey 2026');
    await page.getByRole('button', { name: 'Create encrypted cache' }).click();
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    await page.getByRole('button', { name: 'Open as analyst' }).click();
    await nav('Catalog').click();
    await page.locator('table.catalog').waitFor({ timeout: 90_000 });
    await page.getByRole('button', { name: 'Sync all' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Sync all' }).isEnabled(), { timeout: 120_000 }).toBe(true);
  });

  it('forecasts monthly deposits on a line chart: dashed forecast, interval bands, fit statistics', async () => {
    await newAnalysis('branch_kpis');
    await addField('day', 'Columns');
    await addField('deposits', 'Rows');
    await page.getByRole('radio', { name: 'Line', exact: true }).check();
    await expect.poll(() => plot().locator('.scatterlayer .trace').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await forecast({ horizon: '12' });
    // The legend names the forecast and both bands; the forecast line is dashed.
    const legend = await plot().locator('.legend .legendtext').allTextContents();
    expect(legend.some((l) => /forecast$/.test(l))).toBe(true);
    expect(legend.filter((l) => /interval$/.test(l))).toHaveLength(2);
    const dashes = await plot().locator('.scatterlayer .trace path.js-line').evaluateAll((paths) => paths.map((p) => (p as SVGPathElement).style.strokeDasharray));
    expect(dashes.some((d) => d && d !== 'none')).toBe(true);
    const stats = page.getByRole('region', { name: 'Fit statistics' });
    await expect.poll(() => stats.textContent()).toMatch(/MASE/);
    expect(await stats.textContent()).toMatch(/80%: \d+% of backtest actuals inside/);
    await shot('40-forecast-line');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('forecasts per branch, saves the run, and finds it in the Forecasts view with its table', async () => {
    await addField('branch_id', 'Color');
    await expect.poll(() => page.getByText(/^Forecast shown: /).count()).toBe(0); // a changed question drops the stale forecast
    await forecast({ horizon: '6', model: 'Median of the three best models' });
    expect(await page.getByText(/^Forecast shown: 30 series/).count()).toBe(1);
    await shot('41-forecast-per-branch');
    await saveForecast('Deposits by branch, next half-year');

    await nav('Forecasts').click();
    const row = page.getByRole('row', { name: /Deposits by branch, next half-year/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('30');
    await row.getByRole('button', { name: /^Open/ }).click();
    const table = page.getByRole('region', { name: 'Forecast table' });
    await table.waitFor();
    await expect.poll(() => plot().locator('.legend .legendtext').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/forecast$/)]));
    await shot('42-forecasts-view');
    expect(await seriousViolations(page)).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const file = await download.path();
    const text = readFileSync(file!, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('period,branch_id,kind,deposits_sum,forecast,lower_80,upper_80,lower_95,upper_95,model');
    expect(lines.slice(1).filter((l) => l.includes(',forecast,'))).toHaveLength(30 * 6);
    await page.getByText(/^Saved .*\.csv \(\d+ rows\)\.$/).waitFor();
  });

  it('refuses the CSV export where the extract allows none, and says why', async () => {
    await newAnalysis('transactions');
    await addField('booked_on', 'Columns');
    await addField('amount', 'Rows');
    await page.getByRole('radio', { name: 'Line', exact: true }).check();
    await expect.poll(() => plot().locator('.scatterlayer .trace').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    // The builder's Export menu follows the same policy: no CSV for transactions, the deck is allowed.
    await page.getByRole('button', { name: 'Export…' }).click();
    const menu = page.getByRole('menu', { name: 'Export as' });
    expect(await menu.getByRole('menuitem', { name: /^CSV \(table\): not allowed\. The export policy of "transactions" does not allow CSV files\.$/ }).isDisabled()).toBe(true);
    const [deck] = await Promise.all([page.waitForEvent('download'), menu.getByRole('menuitem', { name: 'PowerPoint deck (PPTX)' }).click()]);
    expect(deck.suggestedFilename()).toBe('Untitled analysis.pptx');
    expect(readFileSync((await deck.path())!).subarray(0, 2).toString('latin1')).toBe('PK');
    await page.getByText('Exported Untitled analysis.pptx.').waitFor({ state: 'attached' });
    await forecast({ horizon: '3' });
    await saveForecast('Transactions next quarter');
    await nav('Forecasts').click();
    await page.getByRole('button', { name: 'All forecasts' }).click(); // the view stays on the run in hand
    await page.getByRole('row', { name: /Transactions next quarter/ }).getByRole('button', { name: /^Open/ }).click();
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await page.getByText(/^Not exported: the export policy of “transactions” does not allow CSV files \(allowed: pptx, pdf, png, svg, xlsx\)\.$/).waitFor();
    await shot('43-forecast-export-refused');
  });

  it('reads the saved run in Russian', async () => {
    await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'RU' }).click();
    await page.getByRole('region', { name: 'Качество модели' }).waitFor();
    await page.getByRole('region', { name: 'Таблица прогноза' }).waitFor();
    expect(await page.getByRole('button', { name: 'Экспорт в CSV' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Экспорт в CSV' }).click();
    await page.getByText('Не выгружено: политика экспорта «transactions» не разрешает файлы CSV (разрешено: pptx, pdf, png, svg, xlsx).').waitFor();
    const text = await page.locator('main').innerText();
    for (const english of ['Fit statistics', 'Forecast table', 'Backtest coverage', 'All forecasts', 'intervals widened']) expect(text).not.toContain(english);
    await shot('44-forecast-ru');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('group', { name: 'Язык' }).or(page.getByRole('group', { name: 'Language' })).getByRole('button', { name: 'EN' }).click();
  });

  it('kept every request on the host and logged no error', () => {
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
  });
});
