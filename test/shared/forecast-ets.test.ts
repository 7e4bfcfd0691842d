import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCompetition } from '../../electron/worker/forecast/competition.js';
import { naive2 } from '../../shared/forecast/baselines.js';
import { autoEts, fitEts, type EtsForecast } from '../../shared/forecast/ets.js';
import { admissible, filter, likelihood, linearVarianceFactors, normalStream, pointForecast } from '../../shared/forecast/ets-models.js';
import { mase, owa, smape } from '../../shared/forecast/metrics.js';
import { nelderMead } from '../../shared/forecast/optimize.js';

const M3 = resolve(__dirname, '..', '..', '..', 'shared', 'data', 'm3');

/** Reproducible Gaussian noise. */
function noise(n: number, sd: number, seed = 7): number[] {
  const next = normalStream(seed);
  return Array.from({ length: n }, () => sd * next());
}

function expectFinite(f: EtsForecast, h: number) {
  expect(f.mean).toHaveLength(h);
  for (const v of f.mean) expect(Number.isFinite(v)).toBe(true);
  for (const i of f.intervals) for (const v of [...i.lower, ...i.upper]) expect(Number.isFinite(v)).toBe(true);
}

describe('the ETS recursions and optimiser, on hand-worked numbers', () => {
  const par = { alpha: 0.5, beta: 0.2, gamma: 0.3, phi: 0.9 };

  it('SES: states, and the likelihood of additive and multiplicative errors', () => {
    // ℓ_0 = 10, y = 12, 11: ŷ = 10, e = 2, ℓ = 11; ŷ = 11, e = 0, ℓ = 11.
    const a = filter([12, 11], { error: 'A', trend: 'N', season: 'N' }, par, 10, 0, new Float64Array(1));
    expect(a.level).toBeCloseTo(11, 12);
    expect(a.lik).toBeCloseTo(2 * Math.log(4), 12);
    // Relative errors 0.2 and 0: n log Σe² + 2 Σ log|ŷ|.
    const m = filter([12, 11], { error: 'M', trend: 'N', season: 'N' }, par, 10, 0, new Float64Array(1));
    expect(m.lik).toBeCloseTo(2 * Math.log(0.04) + 2 * (Math.log(10) + Math.log(11)), 12);
  });

  it('trend and season updates: ℓ + αe, b + βe, s + γe', () => {
    // ℓ_0 = 10, b_0 = 1, y = 13: ŷ = 11, e = 2, ℓ = 12, b = 1.4; then 2 steps ahead 12 + 2·1.4.
    const t = filter([13], { error: 'A', trend: 'A', season: 'N' }, par, 10, 1, new Float64Array(1));
    expect(t.level).toBeCloseTo(12, 12);
    expect(t.trend).toBeCloseTo(1.4, 12);
    expect(pointForecast({ error: 'A', trend: 'A', season: 'N' }, par, t.level, t.trend, t.season, 1, 2)).toEqual([13.4, 14.8]);
    // Damped: ŷ = ℓ + (φ + φ²) b at two steps.
    expect(pointForecast({ error: 'A', trend: 'Ad', season: 'N' }, par, 10, 1, new Float64Array(1), 0, 2)[1]).toBeCloseTo(10 + 0.9 + 0.81, 12);
    // ℓ_0 = 10, s = (1, −1), y = 12: ŷ = 11, e = 1, ℓ = 10.5, s_0 = 1.3; next step uses s_1 = −1.
    const s = filter([12], { error: 'A', trend: 'N', season: 'A' }, par, 10, 0, Float64Array.of(1, -1));
    expect(s.level).toBeCloseTo(10.5, 12);
    expect(s.season[0]).toBeCloseTo(1.3, 12);
    expect(pointForecast({ error: 'A', trend: 'N', season: 'A' }, par, s.level, 0, s.season, 1, 2)).toEqual([9.5, 11.8]);
  });

  it('the optimiser\'s likelihood agrees with the filter for every model form', () => {
    const y = Float64Array.from(noise(60, 0.05, 17), (e, t) => (20 + 0.3 * t) * (1 + 0.2 * Math.sin(t)) * (1 + e));
    for (const error of ['A', 'M'] as const)
      for (const trend of ['N', 'A', 'Ad'] as const)
        for (const season of ['N', 'A', 'M'] as const) {
          const spec = { error, trend, season };
          const init = season === 'N' ? new Float64Array(1) : Float64Array.from({ length: 4 }, (_, i) => (season === 'M' ? 1 + 0.1 * (i - 1.5) : i - 1.5));
          const a = init.slice();
          const b = init.slice();
          const lik = likelihood(y, spec, par, 20, 0.3, a);
          expect(lik / filter(y, spec, par, 20, 0.3, b).lik).toBeCloseTo(1, 12);
          expect(Array.from(a)).toEqual(Array.from(b));
        }
    // A multiplicative-error prediction at 0 has no likelihood.
    expect(likelihood(Float64Array.of(1, 2), { error: 'M', trend: 'N', season: 'N' }, par, 0, 0, new Float64Array(1))).toBe(Infinity);
  });

  it('forecast variance of SES grows as 1 + (h − 1)α²', () => {
    linearVarianceFactors({ error: 'A', trend: 'N', season: 'N' }, par, 1, 5).forEach((f, k) => expect(f).toBeCloseTo(1 + k * 0.25, 12));
  });

  it('admissibility of seasonal models (roots of the characteristic polynomial, checked numerically)', () => {
    const at = (trend: 'N' | 'A' | 'Ad', alpha: number, beta: number, gamma: number, phi: number, m: number) => admissible({ error: 'A', trend, season: 'A' }, { alpha, beta, gamma, phi }, m);
    // Largest root moduli found by Durand–Kerner iteration: 0.975, 0.935, 0.992 (admissible); 1.016, 1.010 (not).
    expect(at('A', 0.8, 0.7, 0.15, 1, 4)).toBe(true);
    expect(at('A', 0.3, 0.05, 0.2, 1, 4)).toBe(true);
    expect(at('Ad', 0.2, 0.01, 0.1, 0.9, 12)).toBe(true);
    expect(at('A', 0.5, 0.4, 0.4, 1, 12)).toBe(false);
    expect(at('Ad', 0.6, 0.5, 0.35, 0.95, 12)).toBe(false);
    // Without trend the root at z = 1 is divided out; the usual region is admissible.
    expect(at('N', 0.05, 0, 0.9, 1, 12)).toBe(true);
    expect(admissible({ error: 'A', trend: 'A', season: 'N' }, { alpha: 0.9, beta: 0.85, gamma: 0, phi: 1 }, 1)).toBe(true);
  });

  it('Nelder–Mead finds the minimum of the Rosenbrock function', () => {
    const r = nelderMead((x) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2, [-1.2, 1], { steps: [0.5, 0.5], reltol: 1e-14, maxEvaluations: 5000 });
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
  });
});

describe('autoEts on series with a known shape', () => {
  it('a level with noise: no trend, no season, flat SES-like forecasts near the level', () => {
    const y = noise(60, 2).map((e) => 100 + e);
    const f = autoEts(y, { period: 1, h: 8 });
    expect(f.model).toMatch(/^ETS\([AM],N,N\)$/);
    for (const v of f.mean) expect(v).toBe(f.mean[0]);
    expect(Math.abs(f.mean[0]! - 100)).toBeLessThan(2);
    // White noise around a level: the likelihood prefers heavy smoothing.
    expect(f.params.alpha).toBeLessThan(0.3);
  });

  it('a random walk: SES with alpha near 1, forecasting about the last value', () => {
    const steps = noise(80, 1, 11);
    const y = steps.map((_, t) => 50 + steps.slice(0, t + 1).reduce((a, b) => a + b, 0));
    const f = fitEts(y, { error: 'A', trend: 'N', season: 'N' }, { period: 1, h: 3 });
    expect(f.model).toBe('ETS(A,N,N)');
    expect(f.params.alpha).toBeGreaterThan(0.8);
    expect(Math.abs(f.mean[0]! - y[79]!)).toBeLessThan(0.5);
  });

  it('a clean linear trend is extrapolated', () => {
    const y = noise(40, 0.2, 3).map((e, t) => 10 + 2 * t + e);
    const f = autoEts(y, { period: 1, h: 10 });
    expect(f.model).toMatch(/^ETS\([AM],Ad?,N\)$/);
    f.mean.forEach((v, k) => expect(Math.abs(v - (10 + 2 * (40 + k)))).toBeLessThan(1.5));
  });

  it('a multiplicative seasonal series selects a seasonal model and forecasts the pattern', () => {
    const pattern = [0.7, 0.8, 0.9, 1.0, 1.1, 1.3, 1.4, 1.3, 1.1, 1.0, 0.8, 0.6];
    const truth = (t: number) => (200 + 3 * t) * pattern[t % 12]!;
    const y = noise(96, 0.01, 5).map((e, t) => truth(t) * (1 + e));
    const f = autoEts(y, { period: 12, h: 24 });
    expect(f.model).toMatch(/^ETS\(M,(N|A|Ad),M\)$/);
    expect(f.params.season).toHaveLength(12);
    f.mean.forEach((v, k) => expect(Math.abs(v / truth(96 + k) - 1)).toBeLessThan(0.05));
  });

  it('prediction intervals widen with the horizon and the 95% interval contains the 80%', () => {
    // A wandering level (so α is well above 0 and uncertainty grows), a slope and a season.
    const walk = noise(72, 2, 9);
    let level = 100;
    const seasonal = walk.map((e, t) => (level += e) + 0.5 * t + 10 * Math.sin((2 * Math.PI * t) / 12));
    for (const [spec, shape] of [
      [{ error: 'A', trend: 'A', season: 'A' }, 'analytic'],
      [{ error: 'M', trend: 'Ad', season: 'M' }, 'simulated'],
    ] as const) {
      const f = fitEts(seasonal, spec, { period: 12, h: 18, levels: [80, 95] });
      expect(f.model, shape).toBe(`ETS(${spec.error},${spec.trend},${spec.season})`);
      const [i80, i95] = f.intervals;
      expect(i80!.level).toBe(80);
      expect(i95!.level).toBe(95);
      const width = (i: typeof i80, k: number) => i!.upper[k]! - i!.lower[k]!;
      expect(width(i95, 17)).toBeGreaterThan(1.3 * width(i95, 0));
      for (let k = 0; k < 18; k++) {
        expect(i95!.lower[k]).toBeLessThan(i80!.lower[k]!);
        expect(i95!.upper[k]).toBeGreaterThan(i80!.upper[k]!);
        expect(i80!.lower[k]).toBeLessThan(f.mean[k]!);
        expect(i80!.upper[k]).toBeGreaterThan(f.mean[k]!);
        if (shape === 'analytic' && k > 0) expect(width(i95, k)).toBeGreaterThanOrEqual(width(i95, k - 1));
      }
    }
  });
});

describe('autoEts robustness', () => {
  it('constant, zero, negative, short and length-1 series give finite forecasts', () => {
    const cases: number[][] = [
      Array(30).fill(5),
      Array(30).fill(0),
      [0, 0, 3, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 4, 0, 0, 1, 0, 0],
      noise(40, 5, 2).map((e, t) => -50 + e - 0.5 * t),
      noise(30, 1, 4).map((e, t) => (t % 2 ? 1 : -1) * 3 + e),
      [7],
      [3, 4],
      [3, 4, 6],
      [1, 2, 1, 3, 2],
      noise(20, 1).map((e, t) => 10 + e + (t % 12)),
      [1e9, 1e9 + 1, 1e9 - 2, 1e9 + 5, 1e9, 1e9 + 3, 1e9 - 1, 1e9 + 2],
      [1e-9, 2e-9, 1.5e-9, 3e-9, 2.5e-9, 2e-9, 4e-9, 3e-9],
    ];
    for (const y of cases) for (const period of [1, 4, 12]) expectFinite(autoEts(y, { period, h: 12 }), 12);
    expect(autoEts([7], { period: 1, h: 3 }).mean).toEqual([7, 7, 7]);
    expect(autoEts(Array(30).fill(5), { period: 12, h: 2 }).mean).toEqual([5, 5]);
    expect(autoEts(Array(30).fill(0), { period: 1, h: 2 }).mean).toEqual([0, 0]);
  });

  it('is scale-invariant, down to 1e-300 and up to 1e300', () => {
    const y = noise(48, 0.05, 13).map((e, t) => (30 + t) * (1 + 0.3 * Math.sin(t)) * (1 + e));
    const base = autoEts(y, { period: 4, h: 6 });
    for (const k of [1e-300, 1e-6, 1e6, 1e300]) {
      const f = autoEts(y.map((v) => v * k), { period: 4, h: 6 });
      expect(f.model).toBe(base.model);
      expectFinite(f, 6);
      f.mean.forEach((v, i) => expect(v / k / base.mean[i]!).toBeCloseTo(1, 6));
      f.intervals[1]!.upper.forEach((v, i) => expect(v / k / base.intervals[1]!.upper[i]!).toBeCloseTo(1, 6));
    }
  });

  it('multiplicative models are never chosen, or forced, for data that are not strictly positive', () => {
    const y = noise(48, 1, 8).map((e, t) => 20 * Math.sin(t) + e);
    expect(autoEts(y, { period: 4, h: 4 }).model).toMatch(/^ETS\(A,/);
    expect(fitEts(y, { error: 'M', trend: 'N', season: 'M' }, { period: 4, h: 4 }).model).toBe('ETS(A,N,A)');
    // Too short for two seasons: the season is dropped.
    expect(fitEts(y.slice(0, 20), { error: 'A', trend: 'N', season: 'A' }, { period: 12, h: 4 }).model).toBe('ETS(A,N,N)');
  });

  it('is deterministic: the same input gives identical output, intervals included', () => {
    const y = noise(60, 0.05, 12).map((e, t) => (50 + t) * (1 + 0.2 * Math.cos(t)) * (1 + e));
    expect(autoEts(y, { period: 6, h: 12 })).toEqual(autoEts(Float64Array.from(y), { period: 6, h: 12 }));
    const simulated = fitEts(y, { error: 'M', trend: 'A', season: 'M' }, { period: 6, h: 12 });
    expect(simulated).toEqual(fitEts(y, { error: 'M', trend: 'A', season: 'M' }, { period: 6, h: 12 }));
  });
});

describe('fitEts options for backtest refits', () => {
  // A trending, multiplicatively seasonal series; the refit sees the first 72 of its 90 values.
  const pattern = [0.8, 0.85, 0.95, 1.0, 1.1, 1.2, 1.25, 1.2, 1.05, 0.95, 0.85, 0.8];
  const y = noise(90, 0.03, 21).map((e, t) => (100 + 1.5 * t) * pattern[t % 12]! * (1 + e));
  const prefix = y.slice(0, 72);

  it('a warm start from the full-history fit gives the same model and near-identical forecasts', () => {
    for (const spec of [
      { error: 'M', trend: 'A', season: 'M' },
      { error: 'A', trend: 'Ad', season: 'A' },
      { error: 'M', trend: 'N', season: 'N' },
    ] as const) {
      const full = fitEts(y, spec, { period: 12, h: 18 });
      const cold = fitEts(prefix, spec, { period: 12, h: 18 });
      const warm = fitEts(prefix, spec, { period: 12, h: 18, start: full.params });
      expect(warm.model).toBe(cold.model);
      expectFinite(warm, 18);
      // The same optimum, up to the optimiser's tolerance.
      expect(Math.abs(warm.aicc - cold.aicc)).toBeLessThan(0.5);
      warm.mean.forEach((v, k) => expect(Math.abs(v / cold.mean[k]! - 1)).toBeLessThan(0.02));
    }
  });

  it('a warm start is scale-free and ignores parts the model does not use', () => {
    const spec = { error: 'M', trend: 'Ad', season: 'M' } as const;
    const full = fitEts(y, spec, { period: 12, h: 6 });
    const warm = fitEts(prefix, spec, { period: 12, h: 6, start: full.params });
    const scaled = fitEts(prefix.map((v) => v * 1e6), spec, { period: 12, h: 6, start: { ...full.params, level: full.params.level * 1e6, trend: full.params.trend! * 1e6 } });
    scaled.mean.forEach((v, k) => expect(v / 1e6 / warm.mean[k]!).toBeCloseTo(1, 6));
    // A seasonal start for a model without season, and a start with no trend for a trended model.
    expectFinite(fitEts(prefix, { error: 'A', trend: 'N', season: 'N' }, { period: 12, h: 6, start: full.params }), 6);
    expectFinite(fitEts(prefix, { error: 'A', trend: 'A', season: 'A' }, { period: 12, h: 6, start: { alpha: 0.3, level: 100, sigma2: 1 } }), 6);
    // A start the data cannot support (a multiplicative model forecasting ~0) falls back to a cold fit.
    const cold = fitEts(prefix, { error: 'M', trend: 'N', season: 'N' }, { period: 12, h: 6 });
    expect(fitEts(prefix, { error: 'M', trend: 'N', season: 'N' }, { period: 12, h: 6, start: { alpha: 0.5, level: 0, sigma2: 1 } }).mean).toEqual(cold.mean);
  });

  it('fewer simulated paths still give ordered, finite intervals close to the default ones', () => {
    const spec = { error: 'M', trend: 'A', season: 'M' } as const;
    const full = fitEts(prefix, spec, { period: 12, h: 18 });
    for (const paths of [50, 250]) {
      const f = fitEts(prefix, spec, { period: 12, h: 18, paths });
      expect(f.mean).toEqual(full.mean);
      expectFinite(f, 18);
      const [i80, i95] = f.intervals;
      for (let k = 0; k < 18; k++) {
        expect(i95!.lower[k]).toBeLessThanOrEqual(i80!.lower[k]!);
        expect(i80!.lower[k]).toBeLessThan(f.mean[k]!);
        expect(i80!.upper[k]).toBeGreaterThan(f.mean[k]!);
        expect(i95!.upper[k]).toBeGreaterThanOrEqual(i80!.upper[k]!);
        // Within a quarter of the default interval's half-width.
        const half = full.intervals[1]!.upper[k]! - full.mean[k]!;
        if (paths > 50) expect(Math.abs(i95!.upper[k]! - full.intervals[1]!.upper[k]!)).toBeLessThan(0.25 * half);
      }
    }
    // The default is 1,000 paths.
    expect(fitEts(prefix, spec, { period: 12, h: 18, paths: 1000 })).toEqual(full);
  });

  it('interval quantiles by selection agree with a full sort', () => {
    const spec = { error: 'M', trend: 'Ad', season: 'N' } as const;
    const f = fitEts(prefix, spec, { period: 1, h: 4, levels: [50, 80, 95, 99] });
    expect(f.intervals.map((i) => i.level)).toEqual([50, 80, 95, 99]);
    for (let k = 0; k < 4; k++) {
      const ls = f.intervals.map((i) => i.lower[k]!);
      const us = f.intervals.map((i) => i.upper[k]!);
      for (let j = 1; j < 4; j++) expect(ls[j]).toBeLessThanOrEqual(ls[j - 1]!), expect(us[j]).toBeGreaterThanOrEqual(us[j - 1]!);
    }
  });
});

describe.runIf(existsSync(M3))('autoEts on M3 monthly data', () => {
  it('beats Naive2 (OWA < 1) on the first 200 monthly series', () => {
    const [monthly] = readCompetition(M3, ['Monthly']);
    const series = monthly!.series.slice(0, 200);
    const ets = { smape: 0, mase: 0 };
    const base = { smape: 0, mase: 0 };
    for (const s of series) {
      const f = autoEts(s.train, { period: s.period, h: s.h }).mean;
      const b = naive2(s.train, s.h, s.period);
      ets.smape += smape(s.test, f) / 200;
      ets.mase += mase(s.train, s.test, f, s.period) / 200;
      base.smape += smape(s.test, b) / 200;
      base.mase += mase(s.train, s.test, b, s.period) / 200;
    }
    expect(owa(ets, base)).toBeLessThan(1);
  });
});
