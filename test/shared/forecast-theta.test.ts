import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCompetition } from '../../electron/worker/forecast/competition.js';
import { naive2 } from '../../shared/forecast/baselines.js';
import { mase, owa, smape } from '../../shared/forecast/metrics.js';
import { normalQuantile } from '../../shared/forecast/stats.js';
import { thetaForecast, type ThetaVariant } from '../../shared/forecast/theta.js';

const M3 = resolve(__dirname, '..', '..', '..', 'shared', 'data', 'm3');
const VARIANTS: ThetaVariant[] = ['standard', 'optimised', 'dynamic', 'auto'];

/** Deterministic noise in [−1, 1) (a linear congruential generator). */
function noise(n: number, seed = 7): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (2 * s) / 2 ** 31 - 1;
  });
}

describe('Theta forecasts: shape of the forecast', () => {
  const line = Array.from({ length: 40 }, (_, t) => 10 + 2 * t);

  it('extrapolates a linear series: OTM, DOTM and the combination follow the line, the standard method half its slope', () => {
    const next = Array.from({ length: 6 }, (_, i) => 10 + 2 * (40 + i));
    for (const variant of ['optimised', 'dynamic'] as const) {
      const f = thetaForecast(line, { period: 1, h: 6, variant });
      f.mean.forEach((v, i) => expect(v).toBeCloseTo(next[i]!, 0));
      expect(f.params.theta).toBeGreaterThan(100);
    }
    // Theta lines 0 and 2 of a straight line coincide, SES holds line 2 at its last value: the average
    // climbs at half the slope (a known property of the method, and what thetaf answers).
    const standard = thetaForecast(line, { period: 1, h: 6, variant: 'standard' });
    expect(standard.params.theta).toBe(2);
    standard.mean.forEach((v, i) => expect(v).toBeCloseTo(88 + (i + 1), 2));
    const auto = thetaForecast(line, { period: 1, h: 6 });
    expect(auto.model).toBe('Theta+OTM+DOTM');
    for (let i = 1; i < 6; i++) expect(auto.mean[i]! - auto.mean[i - 1]!).toBeGreaterThan(1.5);
  });

  it('keeps a flat series flat, with zero-width intervals', () => {
    for (const variant of VARIANTS) {
      const f = thetaForecast(Array<number>(30).fill(5), { period: 12, h: 8, variant });
      f.mean.forEach((v) => expect(v).toBeCloseTo(5, 10));
      for (const interval of f.intervals) interval.lower.forEach((v, i) => expect(interval.upper[i]! - v).toBeCloseTo(0, 8));
    }
  });

  it('keeps a multiplicative seasonal pattern, and an additive one for series that cross zero', () => {
    const pattern = [0.7, 0.8, 1.0, 1.1, 1.3, 1.4, 1.3, 1.1, 1.0, 0.9, 0.7, 0.7];
    const e = noise(96);
    const y = Array.from({ length: 96 }, (_, t) => (200 + 2 * t) * pattern[t % 12]! * (1 + 0.01 * e[t]!));
    for (const variant of VARIANTS) {
      const f = thetaForecast(y, { period: 12, h: 24, variant });
      expect(f.params.seasonality).toBe('multiplicative');
      // 96 ≡ 0 (mod 12): the forecast's month i is the pattern's month i. Divided by the pattern, the
      // next year's forecasts lie on the slowly rising trend (a year's growth here is under 6%).
      const adjusted = f.mean.slice(0, 12).map((v, i) => v / pattern[i]!);
      for (const v of adjusted) expect(Math.abs(v / adjusted[0]! - 1)).toBeLessThan(0.08);
      expect(f.mean.indexOf(Math.max(...f.mean.slice(0, 12)))).toBe(5);
    }
    const shape = [-30, -10, 0, 10, 30, 20, 10, 0, -10, -20, -30, 30];
    const crossing = Array.from({ length: 72 }, (_, t) => shape[t % 12]! + 0.5 * e[t]!);
    const f = thetaForecast(crossing, { period: 12, h: 12 });
    expect(f.params.seasonality).toBe('additive');
    f.mean.forEach((v, i) => expect(v).toBeCloseTo(shape[i]!, -0.5));
  });
});

describe('Theta forecasts: prediction intervals', () => {
  const e = noise(60, 11);
  const y = Array.from({ length: 60 }, (_, t) => 100 + 0.5 * t + 5 * e[t]!);

  it('widen with the horizon, contain the mean, and 95% contains 80%', () => {
    for (const variant of VARIANTS) {
      const f = thetaForecast(y, { period: 1, h: 12, levels: [80, 95], variant });
      const [i80, i95] = f.intervals;
      expect(i80!.level).toBe(80);
      expect(i95!.level).toBe(95);
      for (let i = 0; i < 12; i++) {
        expect(i80!.lower[i]).toBeLessThan(f.mean[i]!);
        expect(i80!.upper[i]).toBeGreaterThan(f.mean[i]!);
        expect(i95!.lower[i]).toBeLessThan(i80!.lower[i]!);
        expect(i95!.upper[i]).toBeGreaterThan(i80!.upper[i]!);
        if (i > 0) expect(i95!.upper[i]! - i95!.lower[i]!).toBeGreaterThan(i95!.upper[i - 1]! - i95!.lower[i - 1]!);
      }
    }
  });

  it('use normal quantiles: the one-step 95% half-width is 1.96 σ', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.1)).toBeCloseTo(-1.281552, 6);
    expect(normalQuantile(0.5)).toBe(0);
    const f = thetaForecast(y, { period: 1, h: 3, levels: [95], variant: 'standard' });
    const half = (f.intervals[0]!.upper[0]! - f.intervals[0]!.lower[0]!) / 2;
    expect(half).toBeCloseTo(1.959964 * Math.sqrt(f.params.sigma2), 4);
  });
});

describe('Theta forecasts: robustness', () => {
  const cases: Array<[string, number[]]> = [
    ['empty', []],
    ['one value', [42]],
    ['two values', [3, 5]],
    ['three values', [3, 5, 4]],
    ['constant', Array<number>(50).fill(7)],
    ['zeros', Array<number>(50).fill(0)],
    ['negative', Array.from({ length: 50 }, (_, t) => -100 - t + 3 * Math.sin(t))],
    ['mixed signs, seasonal', Array.from({ length: 50 }, (_, t) => 10 * Math.sin((2 * Math.PI * t) / 12))],
    ['one spike among zeros', Array.from({ length: 40 }, (_, t) => (t === 20 ? 1000 : 0))],
    ['huge values', Array.from({ length: 30 }, (_, t) => 1e150 * (1 + t))],
    ['tiny values', Array.from({ length: 30 }, (_, t) => 1e-300 * (1 + (t % 3)))],
  ];

  it.each(cases)('%s: finite forecasts and intervals from every variant', (_, y) => {
    for (const variant of VARIANTS) {
      for (const period of [1, 4, 12]) {
        const f = thetaForecast(y, { period, h: 10, variant });
        expect(f.mean).toHaveLength(10);
        for (const v of [...f.mean, ...f.intervals.flatMap((i) => [...i.lower, ...i.upper])]) expect(Number.isFinite(v)).toBe(true);
        for (const v of Object.values(f.params)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
      }
    }
  });

  it('forecasts short series by their last value and a positive series never below zero', () => {
    expect(thetaForecast([3, 5], { period: 1, h: 2 }).mean).toEqual([5, 5]);
    expect(thetaForecast([], { period: 1, h: 2 }).mean).toEqual([0, 0]);
    const falling = Array.from({ length: 20 }, (_, t) => 200 - 10 * t);
    for (const variant of VARIANTS) {
      const f = thetaForecast(falling, { period: 1, h: 30, variant });
      f.mean.forEach((v) => expect(v).toBeGreaterThanOrEqual(0));
      f.intervals[0]!.lower.forEach((v) => expect(v).toBeGreaterThanOrEqual(0));
    }
  });

  it('is deterministic', () => {
    const y = Array.from({ length: 80 }, (_, t) => 50 + 10 * Math.sin(t / 3) + noise(80)[t]!);
    for (const variant of VARIANTS) expect(thetaForecast(y, { period: 12, h: 18, variant })).toEqual(thetaForecast(y, { period: 12, h: 18, variant }));
  });
});

describe.runIf(existsSync(M3))('Theta forecasts on M3 monthly (first 200 series), scored as M4 scores them', () => {
  it('every variant beats Naive2 clearly (OWA < 0.95)', () => {
    const [monthly] = readCompetition(M3, ['Monthly']);
    const series = monthly!.series.slice(0, 200);
    const score = (forecast: (s: (typeof series)[number]) => number[]) => {
      let s = 0;
      let m = 0;
      for (const x of series) {
        const f = forecast(x);
        s += smape(x.test, f);
        m += mase(x.train, x.test, f, x.period);
      }
      return { smape: s / series.length, mase: m / series.length };
    };
    const reference = score((x) => naive2(x.train, x.h, x.period));
    for (const variant of VARIANTS) {
      const result = owa(score((x) => thetaForecast(x.train, { period: x.period, h: x.h, variant }).mean), reference);
      expect(result, variant).toBeLessThan(0.95);
    }
  });
});
