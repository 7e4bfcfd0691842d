import { describe, expect, it } from 'vitest';
import { seasonalNaive } from '../../shared/forecast/baselines.js';
import { autoEts } from '../../shared/forecast/ets.js';
import { mase } from '../../shared/forecast/metrics.js';
import { mstl, mstlForecast } from '../../shared/forecast/mstl.js';
import { mainPeriod, periodsForGrain } from '../../shared/forecast/periods.js';
import { nextOdd, stl } from '../../shared/forecast/stl.js';
import { mulberry32 } from '../helpers/analysis-data.js';

/** Reproducible standard normals (Box–Muller on mulberry32). */
function normals(seed: number): () => number {
  const rnd = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) (ma += a[i]! / n), (mb += b[i]! / n);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

const allFinite = (xs: ArrayLike<number>) => Array.from(xs).every(Number.isFinite);

/** Daily series: trend + weekly pattern (weekends low) + yearly sine + noise. */
function daily(n: number, seed = 11) {
  const z = normals(seed);
  const weeklyShape = [4, 5, 5, 6, 8, -12, -16];
  const weekMean = weeklyShape.reduce((a, b) => a + b, 0) / 7;
  const trend: number[] = [];
  const weekly: number[] = [];
  const yearly: number[] = [];
  const y: number[] = [];
  for (let t = 0; t < n; t++) {
    trend.push(200 + 0.03 * t);
    weekly.push(weeklyShape[t % 7]! - weekMean);
    yearly.push(15 * Math.sin((2 * Math.PI * t) / 365.25) + 5 * Math.cos((4 * Math.PI * t) / 365.25));
    y.push(trend[t]! + weekly[t]! + yearly[t]! + 2 * z());
  }
  return { y, trend, weekly, yearly };
}

describe('STL', () => {
  const n = 144;
  const z = normals(3);
  const season = Array.from({ length: n }, (_, t) => 10 * Math.sin((2 * Math.PI * t) / 12));
  const trend = Array.from({ length: n }, (_, t) => 50 + 0.5 * t + 5 * Math.sin(t / 30));
  const y = season.map((s, t) => s + trend[t]! + 0.5 * z());

  it('defaults as R: t.window = nextodd(ceiling(1.5 period / (1 − 1.5 / s.window))), l.window = nextodd(period)', () => {
    const fit = stl(y, { period: 12, sWindow: 7 });
    expect(fit.tWindow).toBe(nextOdd(Math.ceil((1.5 * 12) / (1 - 1.5 / 7)))); // 23
    expect(fit.tWindow).toBe(23);
    expect(fit.lWindow).toBe(13);
    expect(stl(y, { period: 12, sWindow: 'periodic' }).tWindow).toBe(19);
  });

  for (const sWindow of [7, 13, 'periodic'] as const)
    for (const robust of [false, true])
      it(`recovers a period-12 sine (s.window ${sWindow}, robust ${robust}); parts add up to y`, () => {
        const fit = stl(y, { period: 12, sWindow, robust });
        let maxError = 0;
        for (let t = 0; t < n; t++) {
          expect(fit.seasonal[t]! + fit.trend[t]! + fit.remainder[t]!).toBeCloseTo(y[t]!, 10);
          maxError = Math.max(maxError, Math.abs(fit.seasonal[t]! - season[t]!));
        }
        // Amplitude 10, noise sd 0.5: the seasonal estimate is within 1.5 everywhere, 0.6 on average.
        expect(maxError).toBeLessThan(1.5);
        const mae = fit.seasonal.reduce((a, s, t) => a + Math.abs(s - season[t]!), 0) / n;
        expect(mae).toBeLessThan(0.6);
        expect(correlation(fit.trend, trend)).toBeGreaterThan(0.99);
        if (!robust) expect(fit.weights.every((w) => w === 1)).toBe(true);
      });

  it('periodic: the same seasonal value at each cycle position', () => {
    const fit = stl(y, { period: 12, sWindow: 'periodic' });
    for (let t = 12; t < n; t++) expect(fit.seasonal[t]).toBeCloseTo(fit.seasonal[t - 12]!, 12);
  });

  it('robustness weights put an outlier down', () => {
    const spiked = [...y];
    spiked[70] = spiked[70]! + 200;
    const plain = stl(spiked, { period: 12, sWindow: 7 });
    const robust = stl(spiked, { period: 12, sWindow: 7, robust: true });
    expect(robust.weights[70]).toBe(0);
    const err = (f: typeof plain) => f.seasonal.reduce((a, s, t) => a + Math.abs(s - season[t]!), 0) / n;
    expect(err(robust)).toBeLessThan(err(plain));
    expect(err(robust)).toBeLessThan(0.6);
  });

  it('short, constant and gappy series: finite parts, no throw', () => {
    const short = stl([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { period: 12, sWindow: 7 });
    expect(short.seasonal.every((s) => s === 0)).toBe(true);
    expect(allFinite(short.trend) && allFinite(short.remainder)).toBe(true);
    const constant = stl(Array(60).fill(5), { period: 12, sWindow: 7, robust: true });
    for (let t = 0; t < 60; t++) {
      expect(constant.seasonal[t]).toBeCloseTo(0, 10);
      expect(constant.trend[t]).toBeCloseTo(5, 10);
    }
    const gappy = [...y];
    gappy[0] = Number.NaN;
    gappy[50] = Number.POSITIVE_INFINITY;
    gappy[51] = Number.NaN;
    const g = stl(gappy, { period: 12, sWindow: 7 });
    expect(allFinite(g.seasonal) && allFinite(g.trend) && allFinite(g.remainder)).toBe(true);
    expect(stl([], { period: 12, sWindow: 7 }).trend).toEqual([]);
    expect(allFinite(stl([3], { period: 12, sWindow: 7 }).trend)).toBe(true);
  });
});

/**
 * Monthly Mauna Loa CO2, 1959–1987 (R's `co2`, first 348 values), with reference output of the netlib
 * Fortran STL (statsmodels' `stl_test_results.csv`): period 12, spans 35 / 19 / 13, degrees 1, jumps 4 / 2 / 2.
 */
const CO2 = [
  315.58, 316.39, 316.79, 317.82, 318.39, 318.22, 316.68, 315.01, 314.02, 313.55, 315.02, 315.75, 316.52, 317.1, 317.79, 319.22, 320.08, 319.7, 318.27, 315.99, 314.24, 314.05, 315.05, 316.23,
  316.92, 317.76, 318.54, 319.49, 320.64, 319.85, 318.7, 316.96, 315.17, 315.47, 316.19, 317.17, 318.12, 318.72, 319.79, 320.68, 321.28, 320.89, 319.79, 317.56, 316.46, 315.59, 316.85, 317.87,
  318.87, 319.25, 320.13, 321.49, 322.34, 321.62, 319.85, 317.87, 316.36, 316.24, 317.13, 318.46, 319.57, 320.23, 320.89, 321.54, 322.2, 321.9, 320.42, 318.6, 316.73, 317.15, 317.94, 318.91,
  319.73, 320.78, 321.23, 322.49, 322.59, 322.35, 321.61, 319.24, 318.23, 317.76, 319.36, 319.5, 320.35, 321.4, 322.22, 323.45, 323.8, 323.5, 322.16, 320.09, 318.26, 317.66, 319.47, 320.7,
  322.06, 322.23, 322.78, 324.1, 324.63, 323.79, 322.34, 320.73, 319, 318.99, 320.41, 321.68, 322.3, 322.89, 323.59, 324.65, 325.3, 325.15, 323.88, 321.8, 319.99, 319.86, 320.88, 322.36,
  323.59, 324.23, 325.34, 326.33, 327.03, 326.24, 325.39, 323.16, 321.87, 321.31, 322.34, 323.74, 324.61, 325.58, 326.55, 327.81, 327.82, 327.53, 326.29, 324.66, 323.12, 323.09, 324.01, 325.1,
  326.12, 326.62, 327.16, 327.94, 329.15, 328.79, 327.53, 325.65, 323.6, 323.78, 325.13, 326.26, 326.93, 327.84, 327.96, 329.93, 330.25, 329.24, 328.13, 326.42, 324.97, 325.29, 326.56, 327.73,
  328.73, 329.7, 330.46, 331.7, 332.66, 332.22, 331.02, 329.39, 327.58, 327.27, 328.3, 328.81, 329.44, 330.89, 331.62, 332.85, 333.29, 332.44, 331.35, 329.58, 327.58, 327.55, 328.56, 329.73,
  330.45, 330.98, 331.63, 332.88, 333.63, 333.53, 331.9, 330.08, 328.59, 328.31, 329.44, 330.64, 331.62, 332.45, 333.36, 334.46, 334.84, 334.29, 333.04, 330.88, 329.23, 328.83, 330.18, 331.5,
  332.8, 333.22, 334.54, 335.82, 336.45, 335.97, 334.65, 332.4, 331.28, 330.73, 332.05, 333.54, 334.65, 335.06, 336.32, 337.39, 337.66, 337.56, 336.24, 334.39, 332.43, 332.22, 333.61, 334.78,
  335.88, 336.43, 337.61, 338.53, 339.06, 338.92, 337.39, 335.72, 333.64, 333.65, 335.07, 336.53, 337.82, 338.19, 339.89, 340.56, 341.22, 340.92, 339.26, 337.27, 335.66, 335.54, 336.71, 337.79,
  338.79, 340.06, 340.93, 342.02, 342.65, 341.8, 340.01, 337.94, 336.17, 336.28, 337.76, 339.05, 340.18, 341.04, 342.16, 343.01, 343.64, 342.91, 341.72, 339.52, 337.75, 337.68, 339.14, 340.37,
  341.32, 342.45, 343.05, 344.91, 345.77, 345.3, 343.98, 342.41, 339.89, 340.03, 341.19, 342.87, 343.74, 344.55, 345.28, 347, 347.37, 346.74, 345.36, 343.19, 340.97, 341.2, 342.76, 343.96,
  344.82, 345.82, 347.24, 348.09, 348.66, 347.9, 346.27, 344.21, 342.88, 342.58, 343.99, 345.31, 345.98, 346.72, 347.63, 349.24, 349.83, 349.1, 347.52, 345.43, 344.48, 343.89, 345.29, 346.54,
  347.66, 348.07, 349.12, 350.55, 351.34, 350.8, 349.1, 347.54, 346.2, 346.2, 347.44, 348.67,
];

describe('STL against the netlib Fortran', () => {
  const spans = { period: 12, sWindow: 35, tWindow: 19, lWindow: 13, sDegree: 1, tDegree: 1, lDegree: 1 } as const;
  const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThan(1e-9 * Math.max(1, Math.abs(want)));
  it('robust: 1 inner, 2 outer passes', () => {
    const fit = stl(CO2, { ...spans, inner: 1, outer: 2 });
    const ref: Array<[number, number, number, number]> = [
      [0, -0.13125464336066284, 315.55193972532356, 0.94748803176461716],
      [1, 0.51706942811097434, 315.6444815723392, 0.88239070760993688],
      [82, -1.9653380963052129, 320.69461437192018, 0.2651672528703003],
      [147, 2.3800185233733959, 326.32393967871712, 0.10460030870706755],
      [329, 2.4300960550680695, 346.74406165265196, 0.98591020096949877],
      [347, -0.94898196289088432, 349.70269160292088, 0.98071842215379312],
    ];
    for (const [i, s, t, w] of ref) close(fit.seasonal[i]!, s), close(fit.trend[i]!, t), close(fit.weights[i]!, w);
  });
  it('one point shorter (the jumps end differently)', () => {
    const fit = stl(CO2.slice(0, 347), { ...spans, inner: 1, outer: 2 });
    close(fit.seasonal[345]!, -3.429780476928725), close(fit.trend[345]!, 349.29520526770301);
    close(fit.seasonal[346]!, -2.1439626087705559), close(fit.trend[346]!, 349.49737580784608), close(fit.weights[346]!, 0.98257179446393594);
  });
  it('not robust: 2 inner passes (stlez)', () => {
    const fit = stl(CO2, { ...spans, sWindow: 35 });
    close(fit.seasonal[0]!, -0.10538205005252366), close(fit.trend[0]!, 315.53927465710586);
    close(fit.seasonal[21]!, -2.9411903737664491), close(fit.trend[21]!, 317.15896679335583);
  });
});

describe('MSTL', () => {
  const { y, weekly, yearly } = daily(1096);

  it('recovers weekly and yearly components of 3 years of daily data', () => {
    const dec = mstl(y, [365.25, 7]);
    expect(dec.periods).toEqual([7, 365.25]);
    expect(dec.seasonals.map((s) => s.period)).toEqual([7, 365.25]);
    const rWeekly = correlation(dec.seasonals[0]!.values, weekly);
    const rYearly = correlation(dec.seasonals[1]!.values, yearly);
    console.log(`MSTL component recovery: weekly r = ${rWeekly.toFixed(4)}, yearly r = ${rYearly.toFixed(4)}`);
    expect(rWeekly).toBeGreaterThan(0.9);
    expect(rYearly).toBeGreaterThan(0.9);
    for (let t = 0; t < y.length; t++) {
      const sum = dec.trend[t]! + dec.seasonals[0]!.values[t]! + dec.seasonals[1]!.values[t]! + dec.remainder[t]!;
      expect(sum).toBeCloseTo(y[t]!, 9);
    }
  });

  it('drops periods without two full cycles, sorts, and copes with none', () => {
    expect(mstl(y.slice(0, 700), [365.25, 7]).periods).toEqual([7]);
    expect(mstl(y.slice(0, 731), [7, 365.25]).periods).toEqual([7, 365.25]); // 365.25 < 731 / 2
    expect(mstl(y.slice(0, 730), [7, 365.25]).periods).toEqual([7]);
    expect(mstl(y.slice(0, 400), [7, 7, 7.5, 14]).periods).toEqual([7, 14]); // ⌊7.5⌋ = 7: the same cycle
    const none = mstl(y.slice(0, 10), [7, 365.25]);
    expect(none.periods).toEqual([]);
    expect(none.seasonals).toEqual([]);
    expect(allFinite(none.trend) && allFinite(none.remainder)).toBe(true);
    none.trend.forEach((v, t) => expect(v + none.remainder[t]!).toBeCloseTo(y[t]!, 9));
  });

  it('a single period is STL with s.window 11 (and 5 inner passes)', () => {
    const one = mstl(y.slice(0, 200), [7]);
    const direct = stl(y.slice(0, 200), { period: 7, sWindow: 11, inner: 5 });
    expect(one.seasonals[0]!.values).toEqual(direct.seasonal);
    expect(one.trend).toEqual(direct.trend);
  });
});

describe('MSTL forecasts', () => {
  const h = 60;

  it('beats seasonal naive and seasonal ETS on held-out daily data', () => {
    const rows: string[] = [];
    const results: Array<{ m: number; sn: number; ets: number }> = [];
    let wins = 0;
    const seeds = [11, 12, 13, 14, 15];
    for (const seed of seeds) {
      const { y } = daily(1096 + h, seed);
      const train = y.slice(0, 1096);
      const test = y.slice(1096);
      const f = mstlForecast(train, { period: 7, periods: [7, 365.25], h });
      expect(f.model).toMatch(/^MSTL\(7,365\.25\)\+/);
      const m = mase(train, test, f.mean, 7);
      const sn = mase(train, test, seasonalNaive(train, h, 7), 7);
      const ets = mase(train, test, autoEts(train, { period: 7, h }).mean, 7);
      rows.push(`seed ${seed}: ${f.model} MASE ${m.toFixed(3)}, seasonal naive ${sn.toFixed(3)}, ETS(period 7) ${ets.toFixed(3)}`);
      if (m < sn && m < ets) wins++;
      results.push({ m, sn, ets });
    }
    console.log(rows.join('\n'));
    expect(wins).toBe(seeds.length);
    // Honest margins: at least 15% below the better rival on every seed, 30% on average.
    for (const r of results) expect(r.m).toBeLessThan(0.85 * Math.min(r.sn, r.ets));
    const mean = (f: (r: (typeof results)[number]) => number) => results.reduce((a, r) => a + f(r), 0) / results.length;
    expect(mean((r) => r.m)).toBeLessThan(0.7 * Math.min(mean((r) => r.sn), mean((r) => r.ets)));
  });

  it('shape: model name, params, intervals around the mean, fitted', () => {
    const { y } = daily(1096);
    const f = mstlForecast(y, { period: 7, periods: [7, 365.25], h, levels: [80, 95] });
    expect(f.mean).toHaveLength(h);
    expect(f.params.periods).toEqual([7, 365.25]);
    expect(typeof f.params.alpha).toBe('number');
    expect(f.intervals.map((i) => i.level)).toEqual([80, 95]);
    for (let k = 0; k < h; k++) {
      expect(f.intervals[1]!.lower[k]!).toBeLessThanOrEqual(f.intervals[0]!.lower[k]!);
      expect(f.intervals[0]!.lower[k]!).toBeLessThanOrEqual(f.mean[k]!);
      expect(f.mean[k]!).toBeLessThanOrEqual(f.intervals[0]!.upper[k]!);
      expect(f.intervals[0]!.upper[k]!).toBeLessThanOrEqual(f.intervals[1]!.upper[k]!);
    }
    expect(f.fitted).toHaveLength(y.length);
    expect(allFinite(f.fitted!)).toBe(true);
  });

  it('edge cases: constant, short, gappy, tiny, empty — finite answers, degraded names', () => {
    const check = (f: ReturnType<typeof mstlForecast>, steps: number) => {
      expect(f.mean).toHaveLength(steps);
      expect(allFinite(f.mean)).toBe(true);
      for (const i of f.intervals) expect(allFinite(i.lower) && allFinite(i.upper)).toBe(true);
    };
    const constant = mstlForecast(Array(800).fill(42), { period: 7, periods: [7, 365.25], h: 30 });
    check(constant, 30);
    constant.mean.forEach((v) => expect(v).toBeCloseTo(42, 8));
    expect(constant.model).toMatch(/^MSTL\(7,365\.25\)\+/);

    const { y } = daily(1096);
    const short = mstlForecast(y.slice(0, 60), { period: 7, periods: [7, 365.25], h: 14 });
    check(short, 14);
    expect(short.model).toMatch(/^MSTL\(7\)\+ETS/);

    const tooShort = mstlForecast(y.slice(0, 12), { period: 7, periods: [7, 365.25], h: 5 });
    check(tooShort, 5);
    expect(tooShort.model).toMatch(/no MSTL season/);
    expect(tooShort.params.periods).toEqual([]);

    const gappy = y.slice(0, 400);
    gappy[100] = Number.NaN;
    gappy[399] = Number.NaN;
    check(mstlForecast(gappy, { period: 7, periods: [7], h: 10 }), 10);
    check(mstlForecast([1, 2], { period: 7, h: 3 }), 3);
    check(mstlForecast([], { period: 1, h: 3 }), 3);
    check(mstlForecast(y.slice(0, 200), { period: 7, periods: [7, 365.25], h: 0 }), 0);
  });

  it('weekly data with period 52.18: a yearly component on ⌊52.18⌋ = 52 weeks', () => {
    const z = normals(5);
    const n = 160;
    const yearly = Array.from({ length: n + 26 }, (_, t) => 30 * Math.sin((2 * Math.PI * t) / 52.18));
    const y = yearly.map((s, t) => 1000 + 2 * t + s + 3 * z());
    const f = mstlForecast(y.slice(0, n), { period: 52, periods: periodsForGrain('week', n), h: 26 });
    expect(f.model).toMatch(/^MSTL\(52\.18\)\+ETS/);
    // MASE scaled by one-step differences (the lag-52 ones are mostly trend here).
    const m = mase(y.slice(0, n), y.slice(n), f.mean, 1);
    const sn = mase(y.slice(0, n), y.slice(n), seasonalNaive(y.slice(0, n), 26, 52), 1);
    console.log(`weekly, 160 weeks, h 26: ${f.model} MASE ${m.toFixed(3)}, seasonal naive ${sn.toFixed(3)}`);
    expect(m).toBeLessThan(0.5 * sn);
  });

  it('is fast: 3 years of daily data with periods [7, 365.25]', () => {
    const { y } = daily(1096);
    mstlForecast(y, { period: 7, periods: [7, 365.25], h: 60 }); // warm-up
    const runs = 10;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) mstlForecast(y, { period: 7, periods: [7, 365.25], h: 60 });
    const ms = (performance.now() - t0) / runs;
    const t1 = performance.now();
    for (let i = 0; i < runs; i++) mstl(y, [7, 365.25]);
    const decMs = (performance.now() - t1) / runs;
    console.log(`mstlForecast, 1096 days, [7, 365.25], h 60: ${ms.toFixed(1)} ms (decomposition alone ${decMs.toFixed(1)} ms)`);
    expect(ms).toBeLessThan(100);
  });
});

describe('periods for a date grain', () => {
  it('day, week, month, quarter, year', () => {
    expect(periodsForGrain('day', 1096)).toEqual([7, 365.25]);
    expect(periodsForGrain('day', 730)).toEqual([7]);
    expect(periodsForGrain('day', 731)).toEqual([7, 365.25]);
    expect(periodsForGrain('day', 60)).toEqual([7]);
    expect(periodsForGrain('day', 13)).toEqual([]);
    expect(periodsForGrain('week', 120)).toEqual([52.18]);
    expect(periodsForGrain('week', 100)).toEqual([]);
    expect(periodsForGrain('month', 24)).toEqual([12]);
    expect(periodsForGrain('month', 23)).toEqual([]);
    expect(periodsForGrain('quarter', 8)).toEqual([4]);
    expect(periodsForGrain('year', 100)).toEqual([]);
  });

  it('main period: the shortest, rounded; 1 when none', () => {
    expect(mainPeriod([7, 365.25])).toBe(7);
    expect(mainPeriod([365.25, 7])).toBe(7);
    expect(mainPeriod([52.18])).toBe(52);
    expect(mainPeriod([12])).toBe(12);
    expect(mainPeriod([])).toBe(1);
    expect(mainPeriod([1, Number.NaN])).toBe(1);
  });
});
