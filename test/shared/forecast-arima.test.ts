import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCompetition } from '../../electron/worker/forecast/competition.js';
import { naive2 } from '../../shared/forecast/baselines.js';
import { mase, owa, smape } from '../../shared/forecast/metrics.js';
import { armaAcvf, expand, fitArma, invpartrans, kalman, partrans, psiWeights, rootsOutside } from '../../shared/forecast/arima-fit.js';
import { kpssStatistic, ndiffs, nsdiffs, seasonalStrength } from '../../shared/forecast/arima-tests.js';
import { autoArima, fitArima, type ArimaForecast } from '../../shared/forecast/arima.js';
import { mulberry32 } from '../helpers/analysis-data.js';

/** Reproducible standard normal draws (Box–Muller over mulberry32). */
function normals(n: number, seed: number): number[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd()));
}

function ar1(n: number, phi: number, seed: number, mean = 0): number[] {
  const e = normals(n + 100, seed);
  const out: number[] = [];
  let x = 0;
  for (let t = 0; t < n + 100; t++) {
    x = phi * x + e[t]!;
    if (t >= 100) out.push(mean + x);
  }
  return out;
}

function randomWalk(n: number, seed: number): number[] {
  let s = 100;
  return normals(n, seed).map((e) => (s += e));
}

function seasonalSeries(n: number, seed: number): number[] {
  const e = normals(n, seed);
  return e.map((v, t) => 50 + 0.1 * t + 10 * Math.sin((2 * Math.PI * t) / 12) + 4 * Math.cos((4 * Math.PI * t) / 12) + v);
}

function expectSound(f: ArimaForecast, h: number) {
  expect(f.mean).toHaveLength(h);
  for (const v of f.mean) expect(Number.isFinite(v)).toBe(true);
  for (const i of f.intervals) {
    expect(i.lower).toHaveLength(h);
    for (let k = 0; k < h; k++) {
      expect(Number.isFinite(i.lower[k]!) && Number.isFinite(i.upper[k]!)).toBe(true);
      expect(i.lower[k]!).toBeLessThanOrEqual(f.mean[k]!);
      expect(i.upper[k]!).toBeGreaterThanOrEqual(f.mean[k]!);
    }
  }
  for (const v of f.fitted) expect(Number.isFinite(v)).toBe(true);
  expect(Number.isNaN(f.aicc)).toBe(false);
  expect(f.model).toMatch(/^ARIMA\(\d,\d,\d\)/);
}

describe('ARIMA building blocks', () => {
  it('partrans gives stationary AR coefficients and invpartrans inverts it', () => {
    const out = [0, 0, 0];
    partrans([0.3, -1.2, 2], 0, 3, out);
    const back = invpartrans(out);
    expect(back[0]).toBeCloseTo(0.3, 8);
    expect(back[1]).toBeCloseTo(-1.2, 8);
    expect(back[2]).toBeCloseTo(2, 8);
    // AR(1): the coefficient is tanh of the coordinate.
    const one = [0];
    partrans([0.5], 0, 1, one);
    expect(one[0]).toBeCloseTo(Math.tanh(0.5), 12);
  });

  it('expands multiplicative polynomials: (1 − 0.5B)(1 − 0.8B⁴) and (1 + 0.4B)(1 − 0.7B⁴)', () => {
    expect(Array.from(expand([0.5], [0.8], 4, -1))).toEqual([0.5, 0, 0, 0.8, -0.4].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(expand([0.4], [-0.7], 4, 1))).toEqual([0.4, 0, 0, -0.7, -0.28].map((v) => expect.closeTo(v, 12)));
  });

  it('autocovariances and the Kalman likelihood match a brute-force Gaussian likelihood', () => {
    const ar = expand([0.5, -0.2], [0.6], 4, -1);
    const ma = expand([0.4], [-0.7], 4, 1);
    const n = 30;
    const x = Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) + 0.3 * Math.cos(i * 2.1));
    const g = armaAcvf(ar, ma, psiWeights(ar, ma, 64), n)!;
    const long = psiWeights(ar, ma, 4000);
    let g0 = 0;
    for (const p of long) g0 += p * p;
    expect(g[0]).toBeCloseTo(g0, 8);
    // Cholesky of the Toeplitz covariance: log det and the quadratic form.
    const L = Array.from({ length: n }, () => new Float64Array(n));
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        let s = g[Math.abs(i - j)]!;
        for (let k = 0; k < j; k++) s -= L[i]![k]! * L[j]![k]!;
        L[i]![j] = i === j ? Math.sqrt(s) : s / L[j]![j]!;
      }
    let logdet = 0;
    const z: number[] = [];
    for (let i = 0; i < n; i++) {
      logdet += 2 * Math.log(L[i]![i]!);
      let s = x[i]!;
      for (let k = 0; k < i; k++) s -= L[i]![k]! * z[k]!;
      z.push(s / L[i]![i]!);
    }
    const k = kalman(x, ar, ma, false)!;
    expect(k.sumLogF).toBeCloseTo(logdet, 8);
    expect(k.sww).toBeCloseTo(z.reduce((s, v) => s + v * v, 0), 8);
  });

  it('rootsOutside: the Schur–Cohn test against 1.01', () => {
    expect(rootsOutside([0.5])).toBe(true);
    expect(rootsOutside([0.995])).toBe(false); // root 1.005
    expect(rootsOutside([1.2, -0.32])).toBe(true); // roots 1.25 and 2.5
    expect(rootsOutside(expand([], [0.9], 12, -1))).toBe(false); // |root| = 0.9^(−1/12) ≈ 1.0088
    expect(rootsOutside(expand([], [0.8], 12, -1))).toBe(true); // ≈ 1.0188
  });

  it('KPSS: stationary noise passes, a random walk needs one difference, noise has no season', () => {
    expect(kpssStatistic(normals(200, 3), 5)).toBeLessThan(0.463);
    expect(ndiffs(normals(200, 3))).toBe(0);
    expect(ndiffs(randomWalk(300, 4))).toBe(1);
    expect(seasonalStrength(normals(120, 5), 12)).toBeLessThan(0.64);
    expect(nsdiffs(seasonalSeries(120, 6), 12)).toBe(1);
    expect(nsdiffs(seasonalSeries(30, 6), 12)).toBe(0);
  });

  it('fitArma recovers an AR(1) by exact likelihood', () => {
    const y = Float64Array.from(ar1(400, -0.5, 11, 3));
    const fit = fitArma(y, { p: 1, q: 0, P: 0, Q: 0, m: 1, constant: true }, 200)!;
    expect(fit.ar[0]).toBeCloseTo(-0.5, 1);
    expect(fit.c).toBeCloseTo(3, 0);
    expect(fit.sigma2).toBeCloseTo(1, 0);
  });
});

describe('autoArima', () => {
  it('AR(1) with φ = 0.7: d = 0, φ recovered within 0.1', () => {
    const f = autoArima(ar1(500, 0.7, 20260601), { period: 1, h: 10 });
    expect(f.params.order[1]).toBe(0);
    expect(f.params.order[4]).toBe(0);
    expectSound(f, 10);
    // The chosen model may add MA terms; an AR(1) shows as its first AR coefficient (or in the ψ weights).
    expect(f.params.ar.length).toBeGreaterThanOrEqual(1);
    expect(Math.abs(f.params.ar[0]! - 0.7)).toBeLessThan(0.1);
    expect(f.model).toContain('with non-zero mean');
  });

  it('a random walk gets d = 1', () => {
    const f = autoArima(randomWalk(300, 99), { period: 1, h: 12 });
    expect(f.params.order[1]).toBe(1);
    expectSound(f, 12);
  });

  it('a monthly seasonal series gets D = 1 or seasonal terms', () => {
    const f = autoArima(seasonalSeries(144, 12), { period: 12, h: 24 });
    const [, , , P, D, Q, m] = f.params.order;
    expect(m).toBe(12);
    expect(D! + P! + Q!).toBeGreaterThan(0);
    expect(f.model).toMatch(/\)\(\d,\d,\d\)\[12\]/);
    expectSound(f, 24);
    // The forecast follows the season: peak near t ≡ 3 (mod 12), trough near 9.
    const at = (t: number) => f.mean[(t - 144 + 240) % 12]!;
    expect(at(147)).toBeGreaterThan(at(153) + 10);
  });

  it('intervals widen with the horizon, 95% wider than 80%, and contain the mean', () => {
    const f = autoArima(randomWalk(120, 5), { period: 1, h: 12 });
    const [i80, i95] = f.intervals;
    expect(i80!.level).toBe(80);
    expect(i95!.level).toBe(95);
    for (let k = 1; k < 12; k++) expect(i95!.upper[k]! - i95!.lower[k]!).toBeGreaterThanOrEqual(i95!.upper[k - 1]! - i95!.lower[k - 1]! - 1e-9);
    for (let k = 0; k < 12; k++) expect(i95!.upper[k]! - i95!.lower[k]!).toBeGreaterThan(i80!.upper[k]! - i80!.lower[k]!);
    const custom = autoArima(randomWalk(120, 5), { period: 1, h: 3, levels: [50] });
    expect(custom.intervals.map((i) => i.level)).toEqual([50]);
  });

  it('constant, zero, short, tiny and huge series give finite answers', () => {
    const constant = autoArima(Array(40).fill(7), { period: 12, h: 6 });
    expect(constant.mean).toEqual(Array(6).fill(7));
    expect(constant.model).toBe('ARIMA(0,0,0) with non-zero mean');
    expectSound(constant, 6);
    const zero = autoArima(Array(30).fill(0), { period: 4, h: 4 });
    expect(zero.mean).toEqual([0, 0, 0, 0]);
    expect(zero.model).toBe('ARIMA(0,0,0) with zero mean');
    for (const y of [[], [5], [1, 2], [3, 1, 4], [1, 2, 3, 4, 5], [1, 5, 2, 8, 3, 9, 4], Array.from({ length: 13 }, (_, i) => i % 4)]) {
      const f = autoArima(y, { period: 12, h: 5 });
      expect(f.mean).toHaveLength(5);
      for (const v of f.mean) expect(Number.isFinite(v)).toBe(true);
      for (const i of f.intervals) for (const v of [...i.lower, ...i.upper]) expect(Number.isFinite(v)).toBe(true);
    }
    const line = autoArima(Array.from({ length: 30 }, (_, i) => 2 * i + 1), { period: 1, h: 3 });
    expectSound(line, 3);
    for (const scale of [1e-200, 1e200]) expectSound(autoArima(randomWalk(60, 8).map((v) => v * scale), { period: 1, h: 4 }), 4);
    // A straight line is explained by one difference: continued exactly, as ARIMA(0,1,0) with drift.
    const exact = autoArima(Array.from({ length: 20 }, (_, i) => 3 * i + 2), { period: 1, h: 3 });
    expect(exact.model).toBe('ARIMA(0,1,0) with drift');
    exact.mean.forEach((v, k) => expect(v).toBeCloseTo(3 * (20 + k) + 2, 9));
    // Too short for a mean: never a zero-mean forecast of positive data.
    expect(autoArima([3, 1, 4], { period: 1, h: 2 }).mean).toEqual([4, 4]);
    const withNaN = autoArima([1, 2, Number.NaN, 4, 3, 5, 4, 6, 5, 7, 6, 8], { period: 1, h: 2 });
    for (const v of withNaN.mean) expect(Number.isFinite(v)).toBe(true);
  });

  it('is deterministic', () => {
    const y = seasonalSeries(96, 3);
    expect(autoArima(y, { period: 12, h: 12 })).toEqual(autoArima(y, { period: 12, h: 12 }));
  });

  it('names drift and means as R does', () => {
    const trend = normals(150, 21).map((e, t) => 10 + 0.5 * t + e + 0.5 * Math.sin(t));
    const f = autoArima(trend.map((v, t) => v + (t > 0 ? 0 : 0)), { period: 1, h: 5 });
    expectSound(f, 5);
    if (f.params.order[1] === 1 && f.params.constant !== 0) {
      expect(f.model).toContain('with drift');
      expect(f.params.constant).toBeCloseTo(0.5, 0);
    }
  });
});

describe('fitArima', () => {
  it('refits the order autoArima chose to the same parameters', () => {
    const y = seasonalSeries(120, 17);
    const auto = autoArima(y, { period: 12, h: 12 });
    const [p, d, q, P, D, Q] = auto.params.order as [number, number, number, number, number, number];
    const fixed = fitArima(y, { p, d, q, P, D, Q, constant: auto.model.includes('with') && !auto.model.includes('zero') }, { period: 12, h: 12 });
    expect(fixed.model).toBe(auto.model);
    for (const key of ['ar', 'ma', 'sar', 'sma'] as const) {
      expect(fixed.params[key]).toHaveLength(auto.params[key].length);
      fixed.params[key].forEach((v, i) => expect(Math.abs(v - auto.params[key][i]!)).toBeLessThan(0.05));
    }
    expect(Math.abs(fixed.aicc - auto.aicc)).toBeLessThan(0.5);
    for (let k = 0; k < 12; k++) expect(Math.abs(fixed.mean[k]! - auto.mean[k]!)).toBeLessThan(0.05 * Math.abs(auto.mean[k]!) + 0.5);
  });

  it('the airline model on a seasonal series; impossible orders are reduced, not refused', () => {
    const y = seasonalSeries(72, 2).map((v) => v * 10);
    const airline = fitArima(y, { p: 0, d: 1, q: 1, P: 0, D: 1, Q: 1 }, { period: 12, h: 12 });
    expect(airline.model).toBe('ARIMA(0,1,1)(0,1,1)[12]');
    expectSound(airline, 12);
    const tooBig = fitArima(y.slice(0, 20), { p: 5, d: 1, q: 5, P: 2, D: 1, Q: 2 }, { period: 12, h: 6 });
    expectSound(tooBig, 6);
    const nonSeasonal = fitArima(ar1(80, 0.5, 4), { p: 1, d: 0, q: 0, P: 1, D: 1, Q: 1 }, { period: 1, h: 3 });
    expect(nonSeasonal.model).toBe('ARIMA(1,0,0) with non-zero mean');
    expectSound(fitArima([1, 2, 3], { p: 1, d: 1, q: 1 }, { period: 1, h: 2 }), 2);
  });

  it('is much cheaper than the search', () => {
    const y = seasonalSeries(120, 9);
    const auto = autoArima(y, { period: 12, h: 12 });
    const [p, d, q, P, D, Q] = auto.params.order as [number, number, number, number, number, number];
    let t0 = performance.now();
    for (let i = 0; i < 5; i++) autoArima(y, { period: 12, h: 12 });
    const search = performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < 5; i++) fitArima(y, { p, d, q, P, D, Q }, { period: 12, h: 12 });
    expect(performance.now() - t0).toBeLessThan(search);
  });
});

const M3 = resolve(__dirname, '..', '..', '..', 'shared', 'data', 'm3');

describe.skipIf(!existsSync(resolve(M3, 'Monthly-train.csv')))('autoArima on M3 (first 60 monthly series)', () => {
  it('beats Naive2 and answers finite forecasts', () => {
    const [monthly] = readCompetition(M3, ['Monthly']);
    const series = monthly!.series.slice(0, 60);
    let s0 = 0, m0 = 0, s1 = 0, m1 = 0;
    for (const s of series) {
      const f = autoArima(s.train, { period: s.period, h: s.h });
      expectSound(f, s.h);
      const b = naive2(s.train, s.h, s.period);
      (s0 += smape(s.test, b)), (m0 += mase(s.train, s.test, b, s.period));
      (s1 += smape(s.test, f.mean)), (m1 += mase(s.train, s.test, f.mean, s.period));
    }
    expect(owa({ smape: s1, mase: m1 }, { smape: s0, mase: m0 })).toBeLessThan(0.95);
  });
});
