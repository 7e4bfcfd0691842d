import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SHOTS, startServe, type RunningHost } from './harness.js';

const PASS = 'Moscow river 1147';

let host: RunningHost;
let browser: Browser;
let page: Page;
const requests: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  host = await startServe();
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1366, height: 820 }, locale: 'en-GB' });
  page = await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

describe('the app in Chromium against the browser host', () => {
  it('first run: sets a passphrase and opens the workspace', async () => {
    await page.goto(host.url);
    await expect.poll(() => page.locator('h2#unlock-title').textContent()).toBe('Protect your workspace');
    // The token leaves the address bar once read.
    expect(page.url()).not.toContain('token=');
    await shot('01-first-run');
    await page.getByLabel('Passphrase', { exact: true }).fill('too short');
    await page.getByLabel('Repeat passphrase').fill('too short');
    await page.getByRole('button', { name: 'Create encrypted cache' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('At least 10 characters');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByLabel('Repeat passphrase').fill(PASS);
    await page.getByRole('button', { name: 'Create encrypted cache' }).click();
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    await expect.poll(() => page.getByText('No extracts in this cache yet').isVisible()).toBe(true);
    await expect.poll(() => page.locator('.stat-value').first().textContent()).toBe('0');
    await shot('02-catalog');
    // The cache really exists, encrypted, in the profile.
    const files = readdirSync(host.profileDir);
    expect(files).toEqual(expect.arrayContaining(['strongroom.db', 'strongroom.keys.json']));
    expect(readFileSync(join(host.profileDir, 'strongroom.db')).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
  });

  it('every view of the navigation opens', async () => {
    for (const [name, heading] of [
      ['Connections', 'Connections'],
      ['Analyses', 'Analyses'],
      ['Dashboards', 'Dashboards'],
      ['Reports', 'Reports'],
      ['Forecasts', 'Forecasts'],
      ['Audit', 'Audit'],
      ['Settings', 'Settings'],
      ['Catalog', 'Catalog'],
    ] as const) {
      await page.getByRole('navigation').getByRole('button', { name }).click();
      await expect.poll(() => page.locator('.topbar h1').textContent()).toBe(heading);
      expect(await page.getByRole('button', { name, exact: true }).getAttribute('aria-current')).toBe('page');
    }
  });

  it('lock, then a wrong and then the right passphrase', async () => {
    await page.getByRole('button', { name: 'Lock' }).click();
    await expect.poll(() => page.locator('h2#unlock-title').textContent()).toBe('Unlock Strongroom');
    await page.getByLabel('Passphrase').fill('not my passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.locator('#unlock-error').textContent()).toBe('That passphrase does not unlock this cache (1 failed attempt).');
    expect(await page.getByLabel('Passphrase').inputValue()).toBe('');
    await shot('03-wrong-passphrase');
    await page.getByLabel('Passphrase').fill(PASS);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    // The failed attempt is in the audit log, recorded when the cache could next be written.
    await page.getByRole('navigation').getByRole('button', { name: 'Audit' }).click();
    await expect.poll(() => page.locator('table.grid tbody tr').count()).toBeGreaterThanOrEqual(4);
    const actions = await page.locator('table.grid tbody tr td:nth-child(2)').allTextContents();
    expect(actions.slice(0, 4)).toEqual(['Unlocked', 'Failed unlock attempt', 'Locked', 'Cache created']);
    await shot('04-audit');
  });

  it('switches the language to Russian, with Russian number and date formats', async () => {
    await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'RU' }).click();
    await expect.poll(() => page.locator('.topbar h1').textContent()).toBe('Аудит');
    expect(await page.getByRole('navigation').getByRole('button').allTextContents()).toEqual([
      'Каталог',
      'Подключения',
      'Анализы',
      'Дашборды',
      'Отчёты',
      'Прогнозы',
      'Аудит',
      'Настройки',
    ]);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    // Russian dates: "25 нояб. 2026 г." style, not English month names.
    const firstDate = await page.locator('table.grid tbody tr td:first-child').first().textContent();
    expect(firstDate).toMatch(/\d{1,2} [а-я]+\.? \d{4}/);
    await shot('05-audit-ru');
    await page.getByRole('navigation').getByRole('button', { name: 'Настройки' }).click();
    await expect.poll(() => page.getByText('Зашифрованный кэш', { exact: true }).count()).toBeGreaterThan(0);
    // scrypt N=16384 in Russian format uses a (narrow) no-break space as the group separator.
    await expect.poll(() => page.locator('.facts').textContent()).toMatch(/N=16\s384/);
    await shot('06-settings-ru');
    // The choice survives a reload and applies to the unlock screen.
    await page.getByRole('button', { name: 'Заблокировать' }).click();
    await page.reload();
    await expect.poll(() => page.locator('h2#unlock-title').textContent()).toBe('Разблокировать Strongroom');
    await shot('07-unlock-ru');
    await page.getByLabel('Парольная фраза').fill(PASS);
    await page.getByRole('button', { name: 'Разблокировать' }).click();
    await page.getByRole('navigation', { name: 'Главное меню' }).waitFor();
    await page.getByRole('group', { name: 'Язык' }).getByRole('button', { name: 'EN' }).click();
    await expect.poll(() => page.locator('.topbar h1').textContent()).toBe('Catalog');
  });

  it('changes the auto-lock time and the passphrase from Settings', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
    const minutes = page.locator('input[name="autoLockMinutes"]');
    await expect.poll(() => minutes.inputValue()).toBe('15');
    await minutes.fill('5');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByText('Auto-lock after 5 min idle').isVisible()).toBe(true);
    await page.getByLabel('Current passphrase').fill('wrong current one');
    await page.getByLabel('New passphrase', { exact: true }).fill('Neva embankment 1703');
    await page.getByLabel('Repeat new passphrase').fill('Neva embankment 1703');
    await page.getByRole('button', { name: 'Change passphrase' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBe('That passphrase does not unlock this cache.');
    await page.getByLabel('Current passphrase').fill(PASS);
    await page.getByRole('button', { name: 'Change passphrase' }).click();
    await expect.poll(() => page.getByText('Passphrase changed.').isVisible()).toBe(true);
    await shot('08-settings');
    await page.getByRole('button', { name: 'Lock' }).click();
    await expect.poll(() => page.locator('h2#unlock-title').textContent()).toBe('Unlock Strongroom');
    await page.getByLabel('Passphrase', { exact: true }).fill('Neva embankment 1703');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
  });

  it('throttles repeated wrong passphrases on the unlock screen, then lets the right one in', async () => {
    await page.getByRole('button', { name: 'Lock' }).click();
    await expect.poll(() => page.locator('h2#unlock-title').textContent()).toBe('Unlock Strongroom');
    for (let i = 1; i <= 3; i++) {
      await page.getByLabel('Passphrase', { exact: true }).fill(`wrong guess number ${i}`);
      await page.getByRole('button', { name: 'Unlock' }).click();
      await expect.poll(() => page.locator('#unlock-error').textContent()).toContain(`(${i} failed attempt`);
    }
    await expect.poll(() => page.getByTestId('throttled').textContent()).toMatch(/Too many wrong passphrases\. Try again in 1 s\./);
    await page.getByLabel('Passphrase', { exact: true }).fill('Neva embankment 1703');
    expect(await page.getByRole('button', { name: 'Unlock' }).isDisabled()).toBe(true);
    await shot('09-throttled');
    await expect.poll(() => page.getByRole('button', { name: 'Unlock' }).isDisabled(), { timeout: 5000 }).toBe(false);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
  });

  it('made no request outside the host and logged no errors', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith(host.origin))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
