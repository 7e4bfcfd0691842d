import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.js';
import { launchChromium, SHOTS, startServe, type RunningHost } from './harness.js';

// axe-core on every view of the app, in both languages: no serious or critical WCAG 2.1 AA violation.
let host: RunningHost;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  host = await startServe();
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1366, height: 820 }, locale: 'en-GB' })).newPage();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

const NAV = ['Catalog', 'Connections', 'Analyses', 'Dashboards', 'Reports', 'Forecasts', 'Audit', 'Settings'];

describe('accessibility (axe-core)', () => {
  it('the first-run screen', async () => {
    await page.goto(host.url);
    await page.locator('h2#unlock-title').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('every view of an analyst workspace with the demo warehouse', async () => {
    await page.getByLabel('Passphrase', { exact: true }).fill('accessible workspace 1');
    await page.getByLabel('Repeat passphrase').fill('accessible workspace 1');
    await page.getByRole('button', { name: 'Create encrypted cache' }).click();
    await page.getByRole('button', { name: 'Open as analyst' }).click();
    await page.locator('table.catalog').waitFor({ timeout: 90_000 });
    const found: Record<string, unknown> = {};
    for (const name of NAV) {
      await page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
      await page.waitForTimeout(300);
      const v = await seriousViolations(page);
      if (v.length) found[name] = v;
      await page.screenshot({ path: join(SHOTS, `a11y-${name.toLowerCase()}.png`) });
    }
    expect(found).toEqual({});
  });

  it('every view again in Russian', async () => {
    await page.locator('.topbar').getByRole('group', { name: 'Language' }).getByRole('button', { name: 'RU', exact: true }).click();
    const found: Record<string, unknown> = {};
    for (const name of ['Каталог', 'Подключения', 'Анализы', 'Дашборды', 'Отчёты', 'Прогнозы', 'Аудит', 'Настройки']) {
      await page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
      await page.waitForTimeout(300);
      const v = await seriousViolations(page);
      if (v.length) found[name] = v;
    }
    expect(found).toEqual({});
    await page.locator('.topbar').getByRole('group', { name: 'Язык' }).getByRole('button', { name: 'EN', exact: true }).click();
  });

  it('would catch a violation (the check is live)', async () => {
    await page.evaluate(() => document.querySelector('main')!.append(Object.assign(document.createElement('button'), { className: 'planted' })));
    expect((await seriousViolations(page)).map((v) => v.id)).toContain('button-name');
    await page.evaluate(() => document.querySelector('button.planted')!.remove());
  });
});
