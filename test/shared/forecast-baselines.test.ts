import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCompetition } from '../../electron/worker/forecast/competition.js';
import { deseasonalise, drift, naive, naive2, seasonalNaive } from '../../shared/forecast/baselines.js';
import { mase, maseScale, owa, smape } from '../../shared/forecast/metrics.js';
import { acf, isSeasonal, seasonalIndices } from '../../shared/forecast/seasonality.js';

const M3 = resolve(__dirname, '..', '..', '..', 'shared', 'data', 'm3');

describe('M4 accuracy measures, on hand-worked numbers', () => {
  it('sMAPE and MASE', () => {
    // |10−12|·2/22 = 0.1818…, |20−15|·2/35 = 0.2857…: mean 0.2338 → 23.38 %.
    expect(smape([10, 20], [12, 15])).toBeCloseTo(23.377, 3);
    expect(smape([0, 5], [0, 5])).toBe(0);
    // Seasonal differences at lag 2 of [1, 2, 4, 6, 7]: 3, 4, 3 → scale 10/3; errors 1 and 3 → 2 / (10/3) = 0.6.
    expect(maseScale([1, 2, 4, 6, 7], 2)).toBeCloseTo(10 / 3, 12);
    expect(mase([1, 2, 4, 6, 7], [8, 9], [9, 6], 2)).toBeCloseTo(0.6, 12);
    expect(owa({ smape: 12, mase: 0.9 }, { smape: 15, mase: 1 })).toBeCloseTo(0.85, 12);
  });

  it('acf (as R computes it) and the seasonality test', () => {
    // Deviations from the mean 3: −2, 0, −1, 1, 0, 2; lag-0 sum 10; lag 1: −1 → −0.1; lag 2: 2 + 2 → 0.4.
    const r = acf([1, 3, 2, 4, 3, 5], 2);
    expect(r[0]).toBeCloseTo(-0.1, 12);
    expect(r[1]).toBeCloseTo(0.4, 12);
    const seasonal = Array.from({ length: 48 }, (_, t) => 100 + 20 * Math.sin((2 * Math.PI * t) / 12) + t * 0.1);
    expect(isSeasonal(seasonal, 12)).toBe(true);
    expect(isSeasonal(Array.from({ length: 48 }, (_, t) => t), 12)).toBe(false);
    // Fewer than three full seasons are never called seasonal, and a period of 1 never is.
    expect(isSeasonal(seasonal.slice(0, 35), 12)).toBe(false);
    expect(isSeasonal(seasonal, 1)).toBe(false);
  });

  it('classical decomposition recovers known multiplicative indices', () => {
    const pattern = [0.8, 1.2, 1.0, 1.0];
    const y = Array.from({ length: 40 }, (_, t) => 50 * pattern[t % 4]!);
    const indices = seasonalIndices(y, 4);
    indices.forEach((v, i) => expect(v).toBeCloseTo(pattern[i]!, 10));
    const { adjusted, future, seasonal } = deseasonalise(y, 6, 4);
    expect(seasonal).toBe(true);
    adjusted.forEach((v) => expect(v).toBeCloseTo(50, 8));
    // The next steps continue the cycle where the history stopped (40 ≡ 0 mod 4).
    future.forEach((v, i) => expect(v).toBeCloseTo(pattern[i % 4]!, 10));
  });

  it('the baselines', () => {
    expect(naive([1, 2, 3], 2)).toEqual([3, 3]);
    expect(seasonalNaive([1, 2, 3, 4, 5], 3, 2)).toEqual([4, 5, 4]);
    expect(drift([1, 3, 5], 2)).toEqual([7, 9]);
    expect(naive2([5, 6, 7], 2, 1)).toEqual([7, 7]);
  });
});

describe.runIf(existsSync(M3))('Naive2 on M3, scored as M4 scores it', () => {
  it('reproduces the reference figures measured with the competition code (sMAPE 16.76, MASE 1.038 monthly)', () => {
    const [monthly] = readCompetition(M3, ['Monthly']);
    expect(monthly!.series).toHaveLength(1428);
    let s = 0;
    let m = 0;
    for (const series of monthly!.series) {
      const f = naive2(series.train, series.h, series.period);
      s += smape(series.test, f);
      m += mase(series.train, series.test, f, series.period);
    }
    expect(s / 1428).toBeCloseTo(16.76, 2);
    expect(m / 1428).toBeCloseTo(1.038, 3);
  });
});
