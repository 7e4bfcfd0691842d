import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SHOTS, startServe, type RunningHost } from './harness.js';

let host: RunningHost;
let browser: Browser;
let page: Page;
const outside: string[] = [];

beforeAll(async () => {
  host = await startServe();
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' })).newPage();
  page.on('request', (r) => !r.url().startsWith(host.origin) && outside.push(r.url()));
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe('the demo warehouse, end to end in the browser', () => {
  it('first run offers the demo warehouse; branch staff sync only their branch', async () => {
    await page.goto(host.url);
    await page.getByLabel('Passphrase', { exact: true }).fill('demo workspace 2026');
    await page.getByLabel('Repeat passphrase').fill('demo workspace 2026');
    await page.getByRole('button', { name: 'Create encrypted cache' }).click();
    await page.getByText('Try the demo warehouse').waitFor();
    await shot('10-demo-offer');
    await page.getByRole('button', { name: 'Open as branch staff (St Petersburg)' }).click();
    // The staff role sees the extracts granted to branch staff, not customers.
    await page.locator('table.catalog').waitFor({ timeout: 60_000 });
    const names = await page.locator('table.catalog tbody tr td:first-child .muted').allTextContents();
    expect(names.some((n) => n.startsWith('transactions'))).toBe(true);
    expect(names.some((n) => n.startsWith('customers'))).toBe(false);
    await page.getByRole('button', { name: 'Sync all' }).click();
    await page.getByRole('button', { name: 'Sync all' }).waitFor({ timeout: 120_000 });
    await expect.poll(() => page.locator('table.catalog tbody tr td.num').first().textContent()).not.toBe('—');
    await shot('11-catalog-synced');
  });

  it('browses an extract: schema, and rows of the staff member\'s own branch only', async () => {
    await page.locator('table.catalog').getByRole('button', { name: /transactions/i }).first().click();
    await page.getByRole('grid').waitFor();
    const headers = await page.getByRole('grid').getByRole('columnheader').allTextContents();
    const branchColumn = headers.indexOf('branch_id');
    expect(branchColumn).toBeGreaterThanOrEqual(0);
    await expect.poll(() => page.locator('.vbody .vrow').first().locator('.vcell').nth(branchColumn).textContent()).toBe('2');
    const branches = await page.locator('.vbody .vrow').evaluateAll((rows, col) => rows.map((r) => r.children[col as number]?.textContent), branchColumn);
    expect(new Set(branches.filter(Boolean))).toEqual(new Set(['2']));
    // The sync that brought the rows is in the extract's history, under the staff member's name.
    await expect.poll(() => page.getByRole('heading', { name: 'Sync history' }).isVisible()).toBe(true);
    expect(await page.locator('table.grid.compact').last().locator('tbody tr').first().textContent()).toMatch(/Full load.*Synced.*staff_spb/);
    await shot('12-extract-detail');
    await page.getByRole('button', { name: '← Catalog' }).click();
  });

  it('shows the demo connection and tests it', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Connections' }).click();
    await page.getByRole('button', { name: 'Test' }).first().click();
    await expect.poll(() => page.locator('.ok').first().textContent()).toMatch(/Connected as staff_spb/);
    await shot('13-connections');
  });

  it('made no request outside the host (the demo runs in-process)', () => {
    expect(outside).toEqual([]);
  });
});
