/**
 * `npm run bench:ui`: time from a spec change in the analysis builder to the chart painted, in Debian's
 * Chromium against the browser host, for a scatter of 10,000 and of 1,000,000 points (WebGL), and a
 * line of 1,000,000 points (LTTB-decimated). Each figure is a real user action (a click on the chart
 * type or the aggregation) through the worker, the engine, the transport and plotly to the next frame.
 * Prints figures with the machine; asserts nothing. BENCH_UI_ROWS (default 1,000,000), BENCH_UI_REPEAT.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { createWorkerRuntime } from '../../electron/worker/runtime.js';
import type { Api } from '../../shared/contracts/index.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';
import { mulberry32 } from '../helpers/analysis-data.js';
import { seedExtract } from '../helpers/seed-extract.js';

const ROOT = resolve(__dirname, '..', '..');
const ROWS = Number(process.env.BENCH_UI_ROWS ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_UI_REPEAT ?? 5);
const PASS = 'ui benchmark passphrase';
const CHROMIUM = process.env.STRONGROOM_CHROMIUM ?? '/usr/bin/chromium';
// The e2e flags, plus SwiftShader's software WebGL, which headless Chromium without a GPU needs for scattergl.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader'];

function* points(n: number) {
  const rnd = mulberry32(11);
  for (let i = 1; i <= n; i++) {
    const x = rnd() * 100;
    yield [i, x, Math.sin(i / 5000) * 40 + x * 0.3 + (rnd() - 0.5) * 25, i % 7 === 0 ? 'branch' : 'online'];
  }
}

async function seedProfile(dir: string) {
  const runtime = createWorkerRuntime({ profileDir: dir, scrypt: { N: 2 ** 14, r: 8, p: 1 } });
  const { api } = createClient<Api>(createLoopbackTransport((r) => runtime.server.handle(r)));
  await api.session.create({ passphrase: PASS });
  const t = Date.now();
  seedExtract(runtime.vault.db(), {
    name: 'points',
    columns: [{ name: 'point_id', pgType: 'bigint' }, { name: 'x', pgType: 'double precision' }, { name: 'y', pgType: 'double precision' }, { name: 'channel', pgType: 'text' }],
    rows: points(ROWS),
  });
  console.log(`seeded ${ROWS.toLocaleString('en')} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const measures = [{ agg: 'sum' as const, field: 'x', as: 'x_sum' }, { agg: 'sum' as const, field: 'y', as: 'y_sum' }];
  for (const [title, n] of [['Scatter 10k', 10_000], [`Scatter ${ROWS / 1e6}M`, ROWS]] as const) {
    await api.analyses.save({
      title,
      spec: { version: 1, extract: 'points', dimensions: [{ field: 'point_id' }], measures, filters: n < ROWS ? [{ field: 'point_id', op: 'range', max: n }] : [], limit: 1_000_000, chart: { type: 'scatter', x: 'x_sum', y: 'y_sum' } },
    });
  }
  // For the breakdown: the engine alone, in-process, on the warm in-memory copy (no transport, no drawing).
  await api.analysis.warm('points');
  for (const [label, max] of [['10k', 10_000], [`${ROWS / 1e6}M`, ROWS]] as const) {
    const spec = { version: 1, extract: 'points', dimensions: [{ field: 'point_id' }], measures, filters: [{ field: 'point_id', op: 'range', max }], limit: 1_000_000 };
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push((await api.analysis.run({ ...spec, measures: [measures[0]!, { ...measures[1]!, agg: i % 2 ? 'sum' : 'avg' }] }, { mode: 'memory', noCache: true })).elapsedMs);
    console.log(`engine alone, ${label} points (memory engine, in-process): ${fmt(times)}`);
  }
  runtime.close();
}

async function serve(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['bin/strongroom.mjs', 'serve', '--json', '--profile', dir], { cwd: ROOT, env: { ...process.env, STRONGROOM_PASSPHRASE: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) done((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => fail(new Error(`serve exited with ${code}`)));
  });
  return { url, stop: () => new Promise((done) => (child.once('exit', done), child.kill('SIGTERM'))) };
}

/** Clicks, then waits for plotly to take new data and for the frame after it: that frame is the paint. */
async function timed(page: Page, action: () => Promise<void>): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as { __bench: { t0: number; before: unknown } };
    const gd = document.querySelector('.js-plotly-plot') as unknown as { data?: unknown } | null;
    w.__bench = { t0: 0, before: gd?.data };
    document.addEventListener('pointerdown', () => (w.__bench.t0 = performance.now()), { capture: true, once: true });
    document.addEventListener('change', () => (w.__bench.t0 ||= performance.now()), { capture: true, once: true });
  });
  await action();
  return page.evaluate(
    () =>
      new Promise<number>((done) => {
        const w = window as unknown as { __bench: { t0: number; before: unknown } };
        const tick = () => {
          const gd = document.querySelector('.js-plotly-plot') as unknown as { data?: unknown } | null;
          const busy = document.querySelector('[aria-busy="true"]');
          if (gd?.data && gd.data !== w.__bench.before && !busy) requestAnimationFrame(() => done(performance.now() - w.__bench.t0));
          else requestAnimationFrame(tick);
        };
        tick();
      }),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0).padStart(5)} ms  (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n=${xs.length})`;

async function main() {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; Chromium ${CHROMIUM} (software WebGL)`);
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-bench-ui-'));
  await seedProfile(dir);
  const host = await serve(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' })).newPage();
    await page.goto(host.url);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation').getByRole('button', { name: 'Analyses', exact: true }).click();
    for (const title of ['Scatter 10k', `Scatter ${ROWS / 1e6}M`]) {
      console.log(`\n${title}`);
      await page.getByRole('button', { name: 'All analyses' }).click().catch(() => undefined);
      const open = await timed(page, () => page.getByRole('button', { name: `Open ${title}` }).click());
      const note = (await page.locator('.chart-note, .chart-caption').first().textContent().catch(() => '')) ?? '';
      const type = await page.evaluate(() => (document.querySelector('.js-plotly-plot') as unknown as { data: Array<{ type: string }> }).data[0]!.type);
      console.log(`  open (first query, memory copy may load)   ${open.toFixed(0).padStart(5)} ms; trace ${type}; ${note.trim()}`);
      const aggregate = page.getByRole('combobox', { name: 'Aggregation of y' });
      const agg: number[] = [];
      const toLine: number[] = [];
      const toScatter: number[] = [];
      for (let i = 0; i < REPEAT; i++) {
        // A spec change that re-runs the query: the aggregation of y (sum ⇄ average; one row per point, same points).
        agg.push(await timed(page, async () => void (await aggregate.selectOption(i % 2 === 0 ? 'avg' : 'sum'))));
        // A spec change that only redraws: scatter → line (LTTB) → scatter.
        toLine.push(await timed(page, () => page.getByRole('radio', { name: 'Line', exact: true }).check()));
        const lineNote = (await page.locator('.chart-note, .chart-caption').first().textContent().catch(() => '')) ?? '';
        if (i === 0) console.log(`  line: ${lineNote.trim()}`);
        toScatter.push(await timed(page, () => page.getByRole('radio', { name: 'Scatter', exact: true }).check()));
      }
      console.log(`  aggregation change → painted (query + draw) ${fmt(agg)}`);
      console.log(`  scatter → line (LTTB), redraw only          ${fmt(toLine)}`);
      console.log(`  line → scatter (WebGL), redraw only         ${fmt(toScatter)}`);
      await page.screenshot({ path: join(ROOT, 'test-results', `bench-ui-${title.replace(/\W+/g, '-').toLowerCase()}.png`) });
    }
  } finally {
    await browser.close();
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
