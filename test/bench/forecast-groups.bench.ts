/**
 * `npm run bench:forecast-groups [-- --data DIR --series 1000 --length 120 --h 12 --model auto]`: the
 * per-group target of issue 6 — 1,000 monthly series of length 120, forecast with model selection
 * (every family fitted, three rolling-origin backtests each, calibration), on the worker-thread pool the
 * app uses (dist/electron/forecast.cjs). The series are real: the M3 monthly series with at least 120
 * observations (train and test joined), their last 120, repeated in turn to make up the count. Prints
 * the wall time per thread count; asserts nothing.
 */
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { readCompetition } from '../../electron/worker/forecast/competition.js';
import { ForecastPool, type ForecastJob } from '../../electron/worker/forecast/pool.js';
import type { ForecastModel } from '../../shared/contracts/forecast.js';

const ROOT = resolve(__dirname, '..', '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

async function main() {
  const dir = resolve(arg('data', resolve(ROOT, '..', 'shared', 'data', 'm3')));
  const count = Number(arg('series', '1000'));
  const length = Number(arg('length', '120'));
  const h = Number(arg('h', '12'));
  const model = arg('model', 'auto') as ForecastModel;
  const [monthly] = readCompetition(dir, ['Monthly']);
  if (!monthly) throw new Error(`No Monthly-train.csv in ${dir}`);
  const pool = monthly.series.map((s) => [...s.train, ...s.test]).filter((v) => v.length >= length).map((v) => v.slice(-length));
  const jobs: ForecastJob[] = Array.from({ length: count }, (_, i) => ({ values: pool[i % pool.length]!, options: { periods: [12], h, model, missing: 'zero' } }));
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`);
  console.log(`${count} series × ${length} months (from ${pool.length} distinct M3 monthly series), horizon ${h}, model ${model}, 3 backtest origins each`);
  const file = join(ROOT, 'dist', 'electron', 'forecast.cjs');
  const threadCounts = [...new Set([1, 2, cpus().length])];
  for (const threads of threadCounts) {
    const p = new ForecastPool({ file, threads, inlineUpTo: 0 });
    await p.run(jobs.slice(0, threads * 16)); // start the threads (and warm the JIT) before timing
    const t0 = performance.now();
    const out = await p.run(jobs);
    const s = (performance.now() - t0) / 1000;
    p.close();
    const families: Record<string, number> = {};
    for (const r of out) families[r.family] = (families[r.family] ?? 0) + 1;
    const mase = out.map((r) => r.backtest?.mase).filter((v): v is number => v != null && Number.isFinite(v));
    console.log(
      `  ${threads} thread${threads === 1 ? ' ' : 's'}: ${s.toFixed(2)} s (${((1000 * s) / count).toFixed(2)} ms per series)` +
        `  mean backtest MASE ${(mase.reduce((a, b) => a + b, 0) / mase.length).toFixed(3)}  chosen: ${Object.entries(families).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    );
  }
}

void main();
