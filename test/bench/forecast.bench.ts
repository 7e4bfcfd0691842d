/**
 * `npm run bench:forecast -- --data DIR [--only Monthly,Quarterly] [--methods auto,theta]`: forecast accuracy on competition
 * data in M4's layout (see electron/worker/forecast/competition.ts), scored as M4 scored it: sMAPE,
 * MASE and OWA relative to Naive2, with the time per series. DIR defaults to ../shared/data/m3 (the M3
 * competition). Data is read from disk only, never downloaded. Prints figures; asserts nothing.
 */
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { readCompetition, type CompetitionSeries } from '../../electron/worker/forecast/competition.js';
import { drift, naive, naive2, seasonalNaive } from '../../shared/forecast/baselines.js';
import { autoArima } from '../../shared/forecast/arima.js';
import { autoEts } from '../../shared/forecast/ets.js';
import { mase, owa, smape } from '../../shared/forecast/metrics.js';
import { thetaForecast } from '../../shared/forecast/theta.js';
import { forecastSeries } from '../../shared/forecast/auto.js';
import type { Interval } from '../../shared/forecast/types.js';

const ROOT = resolve(__dirname, '..', '..');

/** Point forecasts, or a forecast with intervals (whose coverage of the test data is printed too). */
type Method = (series: CompetitionSeries) => number[] | { mean: number[]; intervals: Interval[] };

/** The methods compared. Models join this list as they are built (issue 6). */
const METHODS: Array<[string, Method]> = [
  ['Naive2', (s) => naive2(s.train, s.h, s.period)],
  ['Naive', (s) => naive(s.train, s.h)],
  ['Seasonal naive', (s) => seasonalNaive(s.train, s.h, s.period)],
  ['Drift', (s) => drift(s.train, s.h)],
  // ── models (issue 6): one line each, below this marker ──
  ['ETS (auto)', (s) => autoEts(s.train, { period: s.period, h: s.h })],
  ['ARIMA (auto)', (s) => autoArima(s.train, { period: s.period, h: s.h })],
  ['Theta', (s) => thetaForecast(s.train, { period: s.period, h: s.h, variant: 'standard' }).mean],
  ['Theta OTM', (s) => thetaForecast(s.train, { period: s.period, h: s.h, variant: 'optimised' }).mean],
  ['Theta DOTM', (s) => thetaForecast(s.train, { period: s.period, h: s.h, variant: 'dynamic' }).mean],
  ['Theta auto', (s) => thetaForecast(s.train, { period: s.period, h: s.h, variant: 'auto' })],
  ['ETS+Theta mean', (s) => {
    const a = autoEts(s.train, { period: s.period, h: s.h }).mean;
    const b = thetaForecast(s.train, { period: s.period, h: s.h, variant: 'auto' }).mean;
    return a.map((v, i) => (v + b[i]!) / 2);
  }],
  // What the app answers (shared/forecast/auto.ts): backtests, calibrated intervals, notes.
  ['Strongroom auto', (s) => forecastSeries(Array.from(s.train), { periods: [s.period], h: s.h })],
  ['Strongroom median', (s) => forecastSeries(Array.from(s.train), { periods: [s.period], h: s.h, model: 'combination' })],
  ['Strongroom ETS', (s) => forecastSeries(Array.from(s.train), { periods: [s.period], h: s.h, model: 'ets' })],
  ['Strongroom ARIMA', (s) => forecastSeries(Array.from(s.train), { periods: [s.period], h: s.h, model: 'arima' })],
  ['Strongroom Theta', (s) => forecastSeries(Array.from(s.train), { periods: [s.period], h: s.h, model: 'theta' })],
];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main() {
  const dir = resolve(arg('data') ?? resolve(ROOT, '..', 'shared', 'data', 'm3'));
  const only = arg('only')?.split(',');
  // --methods ets,auto: only the methods whose names contain one of these (Naive2, the yardstick, always runs).
  const methods = arg('methods')?.split(',');
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`);
  console.log(`data: ${dir}`);
  for (const set of readCompetition(dir, only)) {
    const n = set.series.length;
    console.log(`\n${set.name}: ${n} series, horizon ${set.series[0]?.h}, period ${set.series[0]?.period}`);
    console.log(`  ${'method'.padEnd(18)} ${'sMAPE'.padStart(7)} ${'MASE'.padStart(7)} ${'OWA'.padStart(7)} ${'ms/series'.padStart(10)} ${'cover 80%'.padStart(10)} ${'cover 95%'.padStart(10)}`);
    let reference: { smape: number; mase: number } | null = null;
    for (const [name, method] of METHODS) {
      if (name !== 'Naive2' && methods && !methods.some((w) => name.toLowerCase().includes(w.toLowerCase()))) continue;
      let s = 0;
      let m = 0;
      const t0 = performance.now();
      const inside = new Map<number, { hit: number; all: number }>();
      for (const series of set.series) {
        const answer = method(series);
        const f = Array.isArray(answer) ? answer : answer.mean;
        s += smape(series.test, f);
        m += mase(series.train, series.test, f, series.period);
        if (!Array.isArray(answer)) {
          for (const iv of answer.intervals) {
            const c = inside.get(iv.level) ?? { hit: 0, all: 0 };
            series.test.forEach((a, i) => ((c.all += 1), (c.hit += a >= iv.lower[i]! && a <= iv.upper[i]! ? 1 : 0)));
            inside.set(iv.level, c);
          }
        }
      }
      const cover = (level: number) => {
        const c = inside.get(level);
        return c ? `${((100 * c.hit) / c.all).toFixed(1)}%` : '';
      };
      const ms = (performance.now() - t0) / n;
      const score = { smape: s / n, mase: m / n };
      reference ??= score;
      console.log(`  ${name.padEnd(18)} ${score.smape.toFixed(2).padStart(7)} ${score.mase.toFixed(3).padStart(7)} ${owa(score, reference).toFixed(3).padStart(7)} ${ms.toFixed(3).padStart(10)} ${cover(80).padStart(10)} ${cover(95).padStart(10)}`);
    }
  }
}

main();
