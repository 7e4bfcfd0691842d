import { join } from 'node:path';
import pg from 'pg';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.js';
import { launchChromium, SHOTS, startServe, type RunningHost } from './harness.js';

// The analyst's journey of issue 5, in Debian's Chromium against two browser hosts (two workstations):
// the analyst builds and saves analyses, puts them on a dashboard, cross-filters and publishes it; a
// Moscow branch employee then syncs from the same warehouse and reads the report on their own rows.
let analystHost: RunningHost;
let staffHost: RunningHost;
let browser: Browser;
let analyst: Page;
let staff: Page;
let warehousePort = 0;
const outside: string[] = [];
const errors: string[] = [];

async function newPage(host: RunningHost, who: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' })).newPage();
  page.on('request', (r) => !r.url().startsWith(host.origin) && !r.url().startsWith(`blob:${host.origin}/`) && !r.url().startsWith('data:') && outside.push(`${who}: ${r.url()}`));
  page.on('pageerror', (e) => errors.push(`${who}: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`${who}: ${m.text()}`));
  return page;
}

beforeAll(async () => {
  [analystHost, staffHost] = await Promise.all([startServe(), startServe()]);
  browser = await launchChromium();
  analyst = await newPage(analystHost, 'analyst');
  staff = await newPage(staffHost, 'staff');
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([analystHost?.stop(), staffHost?.stop()]);
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });

async function createCache(page: Page, host: RunningHost, passphrase: string) {
  await page.goto(host.url);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Repeat passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Create encrypted cache' }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
}

async function syncAll(page: Page) {
  await nav(page, 'Catalog').click();
  await page.locator('table.catalog').waitFor({ timeout: 90_000 });
  await page.getByRole('button', { name: 'Sync all' }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Sync all' }).isEnabled(), { timeout: 120_000 }).toBe(true);
  await expect.poll(() => page.locator('table.catalog tbody tr td.num').first().textContent(), { timeout: 120_000 }).not.toBe('—');
}

/** Puts a field on a shelf the keyboard-and-click way: the field's button opens "Add … to". */
async function addField(page: Page, field: string, shelf: 'Columns' | 'Rows' | 'Color' | 'Size' | 'Filters') {
  await page.getByRole('button', { name: field, exact: true }).click();
  await page.getByRole('menu', { name: `Add ${field} to` }).getByRole('menuitem', { name: shelf }).click();
}

const plot = (scope: Page | Locator) => scope.locator('.js-plotly-plot').first();
const bars = (scope: Page | Locator) => plot(scope).locator('.barlayer .point');
const marks = (scope: Page | Locator) => scope.getByRole('listbox', { name: /^Marks of/ }).first().getByRole('option');

async function saveAnalysis(page: Page, title: string, description: string, tags: string) {
  await page.getByRole('button', { name: 'Save…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save analysis' });
  await dialog.getByRole('textbox', { name: 'Title' }).fill(title);
  await dialog.getByRole('textbox', { name: 'Description' }).fill(description);
  await dialog.getByRole('textbox', { name: 'Tags' }).fill(tags);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

async function newAnalysis(page: Page, extract: string) {
  await nav(page, 'Analyses').click();
  await page.getByRole('button', { name: 'New analysis' }).click();
  const dialog = page.getByRole('dialog', { name: 'New analysis' });
  await dialog.getByRole('radio', { name: extract }).check();
  await dialog.getByRole('button', { name: 'Create' }).click();
}

describe('the analyst builds, saves, composes and publishes', () => {
  it('opens the demo warehouse as the analyst and syncs it', async () => {
    await createCache(analyst, analystHost, 'analyst workbench 2026');
    await analyst.getByRole('button', { name: 'Open as analyst' }).click();
    await syncAll(analyst);
    await nav(analyst, 'Connections').click();
    const server = await analyst.getByText(/127\.0\.0\.1:\d+\/postgres/).first().textContent();
    warehousePort = Number(/:(\d+)\//.exec(server!)![1]);
    expect(warehousePort).toBeGreaterThan(0);
  });

  it('builds a bar chart of transaction amount by month', async () => {
    await newAnalysis(analyst, 'transactions');
    await addField(analyst, 'booked_on', 'Columns');
    await addField(analyst, 'amount', 'Rows');
    await analyst.getByRole('radio', { name: 'Bar', exact: true }).check();
    // Three years of demo data: one bar per month.
    await expect.poll(() => bars(analyst).count(), { timeout: 30_000 }).toBe(36);
    expect(await analyst.getByRole('button', { name: 'booked_on · Month', exact: true }).count()).toBe(1);
    expect(await analyst.getByRole('button', { name: 'Sum of amount', exact: true }).count()).toBe(1);
    // The chart names its columns in words, as the pills do; its value axis starts at a plain 0.
    expect(await plot(analyst).locator('.g-xtitle').textContent()).toBe('Sum of amount');
    expect(await plot(analyst).locator('.g-ytitle').textContent()).toBe('booked_on (month)');
    const ticks = await plot(analyst).locator('.xtick text').allTextContents();
    expect(ticks[0]).toBe('0');
    expect(ticks.slice(1).every((t) => t.endsWith('M'))).toBe(true);
    await shot(analyst, '20-builder-bar');
    expect(await seriousViolations(analyst)).toEqual([]);
  });

  it('adds a filter, switches to a line chart, undoes the switch', async () => {
    const before = await marks(analyst).allTextContents();
    await addField(analyst, 'channel', 'Filters');
    await analyst.getByRole('list', { name: 'Values of channel' }).getByRole('checkbox', { name: /card/ }).check();
    await expect.poll(() => analyst.getByRole('button', { name: /^channel: card/ }).count()).toBeGreaterThan(0);
    // The filter reached the engine: every month's total dropped.
    await expect.poll(async () => (await marks(analyst).allTextContents()).join('|'), { timeout: 30_000 }).not.toBe(before.join('|'));
    await shot(analyst, '21-builder-filtered');

    await analyst.getByRole('radio', { name: 'Line', exact: true }).check();
    await expect.poll(() => bars(analyst).count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => plot(analyst).locator('.scatterlayer .js-line').count()).toBeGreaterThan(0);
    await shot(analyst, '22-builder-line');

    await analyst.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => bars(analyst).count(), { timeout: 30_000 }).toBe(36);
    expect(await analyst.getByRole('radio', { name: 'Bar', exact: true }).isChecked()).toBe(true);
    // Undo took back the chart type only: the filter stays.
    expect(await analyst.getByRole('button', { name: /^channel: card/ }).count()).toBeGreaterThan(0);
  });

  it('explores a mark: view data shows exactly the rows behind it', async () => {
    // The first mark from the keyboard: January 2023 of card transactions.
    const list = analyst.getByRole('listbox', { name: /^Marks of/ }).first();
    await list.focus();
    await list.press('Enter');
    const menu = analyst.getByRole('menu', { name: /^Explore/ });
    await menu.getByRole('menuitem', { name: 'View data' }).click();
    const dialog = analyst.getByRole('dialog', { name: 'Rows behind the mark' });
    const grid = dialog.getByRole('grid', { name: 'Rows behind the mark' });
    await grid.waitFor({ timeout: 30_000 });
    const headers = await grid.getByRole('columnheader').allTextContents();
    const rows = await grid.locator('.vbody .vrow').evaluateAll((els, cols) => els.map((r) => cols.map((c) => r.children[c as number]?.textContent ?? '')), [headers.indexOf('channel'), headers.indexOf('booked_on')]);
    expect(rows.length).toBeGreaterThan(5);
    for (const [channel, day] of rows) {
      expect(channel).toBe('card');
      expect(day).toMatch(/Jan 2023|2023-01|01\/2023|\/01\/2023/);
    }
    expect(Number((await dialog.getByRole('status').textContent())!.replace(/\D/g, ''))).toBeGreaterThan(rows.length - 1);
    await shot(analyst, '22-view-data');
    expect(await seriousViolations(analyst)).toEqual([]);
    await analyst.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('speaks Russian throughout: no English left in the builder', async () => {
    await analyst.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'RU' }).click();
    await analyst.getByRole('button', { name: 'Отменить' }).first().waitFor();
    await expect.poll(() => plot(analyst).locator('.xtitle, .ytitle').allTextContents()).toContain('Сумма amount');
    // Visible text and accessible labels, less what the data and the user wrote (field names, values).
    const english = await analyst.evaluate(() => {
      const texts: string[] = [];
      const walker = document.createTreeWalker(document.querySelector('.shell')!, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n.textContent ?? '');
      for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
        for (const a of ['aria-label', 'title', 'placeholder']) texts.push(el.getAttribute(a) ?? '');
      }
      return texts.map((t) => t.trim()).filter((t) => /\b[A-Za-z]{3,}\s+[a-z]{2,}\b/.test(t.replace(/[a-z]+_[a-z_]+/g, '')));
    });
    expect(english).toEqual([]);
    await shot(analyst, '22-builder-ru');
    await analyst.getByRole('group', { name: 'Язык' }).getByRole('button', { name: 'EN' }).click();
    await analyst.getByRole('button', { name: 'Undo' }).waitFor();
  });

  it('saves it with a title, description and tags; the list shows its thumbnail', async () => {
    await saveAnalysis(analyst, 'Card spending by month', 'Card transactions, sum of amount per month.', 'cards, monthly');
    await analyst.getByRole('button', { name: 'All analyses' }).click();
    const list = analyst.getByRole('list', { name: 'Saved analyses' });
    await list.getByRole('heading', { name: 'Card spending by month' }).waitFor();
    const thumb = list.locator('img').first();
    expect(await thumb.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(50);
  });

  it('builds and saves a second analysis: amount by branch', async () => {
    await newAnalysis(analyst, 'transactions');
    await addField(analyst, 'branch_id', 'Columns');
    // This time by drag and drop, as with a mouse.
    await analyst.getByRole('button', { name: 'amount', exact: true }).dragTo(analyst.getByRole('list', { name: 'Rows shelf' }));
    await expect.poll(() => analyst.getByRole('button', { name: 'Sum of amount', exact: true }).count()).toBe(1);
    await analyst.getByRole('radio', { name: 'Column', exact: true }).check();
    await expect.poll(() => bars(analyst).count(), { timeout: 30_000 }).toBe(30);
    // As a map, every branch is placed from the synced branches extract, named by its city.
    await analyst.getByRole('radio', { name: 'Map', exact: true }).check();
    await expect.poll(() => plot(analyst).locator('.scatterlayer .point').count(), { timeout: 30_000 }).toBe(30);
    expect(await plot(analyst).locator('.scatterlayer .textpoint').allTextContents()).toContain('Moscow');
    expect(await analyst.getByText(/no known branch location/).count()).toBe(0);
    await shot(analyst, '23-builder-map');
    await analyst.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => bars(analyst).count(), { timeout: 30_000 }).toBe(30);
    await saveAnalysis(analyst, 'Amount by branch', 'Sum of transaction amounts per branch.', 'branches');
    await analyst.getByRole('button', { name: 'All analyses' }).click();
    await expect.poll(() => analyst.getByRole('list', { name: 'Saved analyses' }).getByRole('heading').count()).toBe(2);
    await shot(analyst, '23-analyses-list');
    expect(await seriousViolations(analyst)).toEqual([]);
    // The same list in Russian: every label translated, dates in Russian.
    await analyst.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'RU' }).click();
    await analyst.getByRole('list', { name: 'Сохранённые анализы' }).waitFor();
    await shot(analyst, '23-analyses-list-ru');
    expect(await seriousViolations(analyst)).toEqual([]);
    await analyst.getByRole('group', { name: 'Язык' }).getByRole('button', { name: 'EN' }).click();
  });

  it('puts both on a dashboard and cross-filters', async () => {
    await nav(analyst, 'Dashboards').click();
    await analyst.getByRole('button', { name: 'New dashboard' }).click();
    await analyst.getByRole('textbox', { name: 'Dashboard title' }).fill('Branch activity');
    for (const title of ['Card spending by month', 'Amount by branch']) {
      await analyst.getByRole('button', { name: 'Add tile' }).click();
      await analyst.getByRole('dialog', { name: 'Add a tile' }).getByRole('button', { name: `Add ${title}` }).click();
    }
    await analyst.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => analyst.getByText('Saved', { exact: true }).count()).toBeGreaterThan(0);
    const months = analyst.getByRole('group', { name: 'Card spending by month', exact: true });
    const branches = analyst.getByRole('group', { name: 'Amount by branch', exact: true });
    await expect.poll(() => bars(months).count(), { timeout: 30_000 }).toBe(36);
    await expect.poll(() => bars(branches).count(), { timeout: 30_000 }).toBe(30);
    expect(await plot(branches).locator('.g-ytitle').textContent()).toBe('Sum of amount');
    // The layout buttons: a set of move arrows and a set of size glyphs, told apart by their titles.
    await months.hover();
    expect(await months.getByRole('group', { name: 'Move' }).getByRole('button').count()).toBe(4);
    expect(await months.getByRole('group', { name: 'Size' }).getByRole('button', { name: 'Narrower' }).getAttribute('title')).toBe('Narrower');
    // Resize from the keyboard: Shift+↓ makes the focused tile taller, Shift+↑ shorter again.
    const height = async () => (await months.boundingBox())!.height;
    const initial = await height();
    await months.focus();
    await months.press('Shift+ArrowDown');
    await expect.poll(height).toBeGreaterThan(initial + 10);
    await months.press('Shift+ArrowUp');
    await expect.poll(height).toBe(initial);
    await shot(analyst, '24-dashboard');

    const before = await marks(months).allTextContents();
    // Pick branch 5 in the second tile from the keyboard, as a click on its bar would.
    const list = branches.getByRole('listbox', { name: /^Marks of/ });
    await list.focus();
    for (let i = 0; i < 4; i++) await list.press('ArrowDown');
    await list.press('Enter');
    await expect.poll(() => analyst.getByText(/Filtered by: branch_id = 5/).count()).toBeGreaterThan(0);
    // The other tile now shows branch 5 only; the clicked tile keeps every branch.
    await expect.poll(async () => (await marks(months).allTextContents()).join('|'), { timeout: 30_000 }).not.toBe(before.join('|'));
    expect(await bars(branches).count()).toBe(30);
    await shot(analyst, '25-dashboard-cross-filtered');
    await analyst.getByRole('button', { name: 'Clear cross-filter' }).click();
    await expect.poll(async () => (await marks(months).allTextContents()).join('|'), { timeout: 30_000 }).toBe(before.join('|'));
    expect(await seriousViolations(analyst)).toEqual([]);
  });

  it('publishes the dashboard as a report for branch staff', async () => {
    await analyst.getByRole('button', { name: 'Publish as report…' }).click();
    const dialog = analyst.getByRole('dialog', { name: 'Publish as report' });
    expect(await dialog.getByRole('textbox', { name: 'Report name' }).inputValue()).toBe('branch_activity');
    expect(await dialog.getByRole('textbox', { name: 'Roles' }).inputValue()).toBe('branch_staff');
    // transactions allows visual formats and xlsx, not csv: the policy shows before anything is sent.
    expect(await dialog.getByRole('checkbox', { name: 'CSV' }).isDisabled()).toBe(true);
    await dialog.getByRole('checkbox', { name: 'PDF' }).check();
    await dialog.getByRole('checkbox', { name: 'PNG image' }).check();
    await shot(analyst, '26-publish-dialog');
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => dialog.getByRole('status').textContent(), { timeout: 30_000 }).toMatch(/Published “branch_activity” to branch_staff/);
    await shot(analyst, '27-published');
  });
});

describe('a Moscow branch employee reads the report', () => {
  it('connects to the same warehouse as staff_msk and syncs', async () => {
    await createCache(staff, staffHost, 'moscow branch 2026');
    await nav(staff, 'Connections').click();
    await staff.getByLabel('Name', { exact: true }).fill('Bank warehouse');
    await staff.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await staff.getByLabel('Port', { exact: true }).fill(String(warehousePort));
    await staff.getByLabel('Database', { exact: true }).fill('postgres');
    await staff.getByLabel('User', { exact: true }).fill('staff_msk');
    await staff.getByLabel('Password', { exact: true }).fill('demo');
    await staff.getByLabel(/^TLS/).selectOption({ label: 'Off' });
    await staff.getByRole('button', { name: 'Save connection' }).click();
    await expect.poll(() => staff.getByText(`127.0.0.1:${warehousePort}/postgres`).count()).toBeGreaterThan(0);
    await syncAll(staff);
    // Branch staff are viewers: the warehouse says so, and the builder is not offered.
    await expect.poll(() => nav(staff, 'Analyses').count()).toBe(0);
    expect(await nav(staff, 'Dashboards').count()).toBe(0);
  });

  it('opens the report read-only, on their own branch only', async () => {
    await nav(staff, 'Reports').click();
    await staff.getByRole('list', { name: 'Reports' }).getByRole('button', { name: 'Open report Branch activity' }).click();
    await expect.poll(() => staff.getByRole('note', { name: 'Read-only report' }).textContent()).toMatch(/published by analyst/);
    expect(await staff.getByText('Exports this report allows: PDF, PNG image').count()).toBe(1);
    for (const name of ['Add tile', 'Save', 'Publish as report…', 'Remove tile']) expect(await staff.getByRole('button', { name, exact: true }).count()).toBe(0);

    const branches = staff.getByRole('group', { name: 'Amount by branch', exact: true });
    const months = staff.getByRole('group', { name: 'Card spending by month', exact: true });
    await expect.poll(() => bars(months).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    // The warehouse's row-level security decides which branch that is; ask it directly.
    const client = new pg.Client({ host: '127.0.0.1', port: warehousePort, user: 'staff_msk', password: 'demo', database: 'postgres' });
    await client.connect();
    const own = (await client.query<{ branch_id: number }>('SELECT DISTINCT branch_id FROM bank.transactions')).rows.map((r) => r.branch_id);
    await client.end();
    expect(own).toHaveLength(1);
    await expect.poll(() => bars(branches).count(), { timeout: 30_000 }).toBe(1);
    expect((await marks(branches).allTextContents())[0]).toMatch(new RegExp(`^${own[0]}\\b`));
    await shot(staff, '28-report-staff');
    expect(await seriousViolations(staff)).toEqual([]);
  });

  it('sent nothing outside the two hosts and logged no errors', () => {
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
  });
});
