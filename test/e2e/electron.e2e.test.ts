import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, SHOTS } from './harness.js';

/**
 * The real Electron app, driven by Playwright. Needs the Electron binary, which Electron 45+ downloads
 * on first launch; where it cannot be had (as on CI here) the suite is skipped, saying why. Looked up
 * without triggering a download, and the native binding must have been built for Electron's ABI.
 */
function electronBinary(): { path?: string; reason?: string } {
  const pkg = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return { reason: 'the Electron binary is not installed (it could not be downloaded here)' };
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { reason: `the Electron binary ${binary} is missing` };
  if (!existsSync(join(ROOT, 'dist', 'native', 'better_sqlite3.node'))) {
    return { reason: 'the SQLite binding for Electrons ABI is not built (node scripts/electron-native.mjs)' };
  }
  return { path: binary };
}

const found = electronBinary();
if (found.reason) console.log(`electron e2e skipped: ${found.reason}`);

describe.skipIf(!found.path)('the Electron app', () => {
  let app: ElectronApplication;
  let win: Page;
  let profile: string;

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'strongroom-electron-'));
    app = await electron.launch({
      executablePath: found.path!,
      args: [ROOT, ...(process.env.CI ? ['--no-sandbox'] : [])],
      env: { ...process.env, STRONGROOM_PROFILE: profile, STRONGROOM_DEMO_SCALE: '0.02' },
    });
    win = await app.firstWindow();
  });

  afterAll(async () => {
    await app?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('opens with a hardened window', async () => {
    const url = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.webContents.getURL());
    expect(url).toBe('app://strongroom/index.html');
    // The page sees only the minimal transport: no Node, no ipcRenderer.
    const exposed = await win.evaluate(() => ({
      transport: Object.keys((window as unknown as { strongroomTransport: object }).strongroomTransport).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(exposed).toEqual({ transport: ['onMessage', 'send'], require: 'undefined', process: 'undefined' });
  });

  it('blocks navigation and new windows', async () => {
    await win.evaluate(() => {
      window.open('https://example.com');
      window.location.href = 'https://example.com';
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(app.windows()).toHaveLength(1);
    expect(win.url()).toBe('app://strongroom/index.html');
  });

  it('sets a passphrase on first run, locks and unlocks', async () => {
    await win.getByLabel('Passphrase', { exact: true }).fill('electron passphrase 1');
    await win.getByLabel('Repeat passphrase').fill('electron passphrase 1');
    await win.getByRole('button', { name: 'Create encrypted cache' }).click();
    await win.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    await win.screenshot({ path: join(SHOTS, 'electron-catalog.png') });
    await win.getByRole('button', { name: 'Lock' }).click();
    await win.getByLabel('Passphrase', { exact: true }).fill('electron passphrase 1');
    await win.getByRole('button', { name: 'Unlock' }).click();
    await win.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    expect(existsSync(join(profile, 'strongroom.db'))).toBe(true);
  });

  it('draws a chart from the demo warehouse under the app:// CSP (plotly strict, no eval)', async () => {
    const problems: string[] = [];
    win.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await win.getByRole('button', { name: 'Open as analyst' }).click();
    await win.locator('table.catalog').waitFor({ timeout: 90_000 });
    await win.getByRole('button', { name: 'Sync all' }).click();
    await expect.poll(() => win.locator('table.catalog tbody tr td.num').first().textContent(), { timeout: 120_000 }).not.toBe('—');
    await win.getByRole('navigation').getByRole('button', { name: 'Analyses', exact: true }).click();
    await win.getByRole('button', { name: 'New analysis' }).click();
    await win.getByRole('dialog', { name: 'New analysis' }).getByRole('radio', { name: 'transactions' }).check();
    await win.getByRole('button', { name: 'Create' }).click();
    for (const [field, shelf] of [['booked_on', 'Columns'], ['amount', 'Rows']] as const) {
      await win.getByRole('button', { name: field, exact: true }).click();
      await win.getByRole('menu', { name: `Add ${field} to` }).getByRole('menuitem', { name: shelf }).click();
    }
    await win.getByRole('radio', { name: 'Column', exact: true }).check();
    await expect.poll(() => win.locator('.js-plotly-plot .barlayer .point').count(), { timeout: 30_000 }).toBe(36);
    await win.screenshot({ path: join(SHOTS, 'electron-builder.png') });
    expect(problems.filter((p) => /Content Security Policy|eval/i.test(p))).toEqual([]);
  });

  it('forecasts the line chart in the app', async () => {
    await win.getByRole('radio', { name: 'Line', exact: true }).check();
    await win.getByRole('button', { name: 'Forecast', exact: true }).click();
    const panel = win.getByRole('form', { name: 'Forecast settings' });
    await panel.getByLabel(/^Horizon/).fill('6');
    await panel.getByRole('button', { name: 'Apply' }).click();
    await win.getByText(/^Forecast shown: 1 series, horizon 6\./).waitFor({ timeout: 60_000 });
    expect(await win.getByRole('region', { name: 'Fit statistics' }).textContent()).toMatch(/MASE/);
    await win.screenshot({ path: join(SHOTS, 'electron-forecast.png') });
  });
});
