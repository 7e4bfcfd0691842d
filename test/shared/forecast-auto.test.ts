/**
 * The forecast selector and what it rests on: cleaning a queried series, planning and scoring
 * rolling-origin backtests, calibrating intervals, the calendar, and the promise that no input makes
 * it throw or answer NaN.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORECAST_MODELS } from '../../shared/contracts/forecast.js';
import { forecastSeries } from '../../shared/forecast/auto.js';
import { calibrationFactors, planBacktest, scoreBacktest, widen } from '../../shared/forecast/backtest.js';
import { addPeriods, isoDate, parseDateCell, periodRange, periodStart } from '../../shared/forecast/calendar.js';
import { prepareSeries } from '../../shared/forecast/prepare.js';
import { crostonModel, driftModel, seasonalNaiveModel } from '../../shared/forecast/simple.js';
import { normalStream } from '../../shared/forecast/ets-models.js';

const codes = (notes: Array<{ code: string }>) => notes.map((n) => n.code);

describe('prepareSeries', () => {
  it('drops periods before the first value, and fills gaps by the measure\'s meaning', () => {
    const zero = prepareSeries([null, null, 5, null, 7, null], 'zero');
    expect(zero).toMatchObject({ y: [5, 0, 7, 0], start: 2, kind: 'regular' });
    expect(codes(zero.notes)).toEqual(['LEADING_GAP', 'GAPS_FILLED', 'ZEROS']);
    expect(zero.notes[1]!.values).toEqual({ count: 2, how: 'zero' });
    const interpolated = prepareSeries([4, null, null, 10, null], 'interpolate');
    expect(interpolated.y).toEqual([4, 6, 8, 10, 10]);
    expect(interpolated.positive).toBe(true);
    expect(codes(interpolated.notes)).toEqual(['GAPS_FILLED']);
  });

  it('recognises empty, constant, intermittent and signed series', () => {
    expect(prepareSeries([null, null], 'zero')).toMatchObject({ kind: 'empty', y: [] });
    expect(prepareSeries([NaN, Infinity], 'zero').kind).toBe('empty');
    expect(prepareSeries([3, 3, 3], 'zero')).toMatchObject({ kind: 'constant', notes: [{ code: 'CONSTANT', values: { value: 3 } }] });
    expect(prepareSeries([0, 0, 4, 0, 0, 0, 2, 0], 'zero')).toMatchObject({ kind: 'intermittent', notes: [{ code: 'INTERMITTENT', values: { percent: 75 } }] });
    expect(codes(prepareSeries([1, -2, 3, 4], 'zero').notes)).toEqual(['NEGATIVE']);
  });
});

describe('backtests', () => {
  it('plans three origins a third of the horizon apart, ending at the last observation, and shrinks when short', () => {
    expect(planBacktest(120, 18, 26)).toEqual({ origins: [90, 96, 102], horizon: 18 });
    expect(planBacktest(30, 18, 26)).toEqual({ origins: [26], horizon: 4 });
    expect(planBacktest(40, 6, 26)).toEqual({ origins: [28, 30, 32, 34].slice(1), horizon: 6 });
    expect(planBacktest(26, 6, 26)).toBeNull();
  });

  it('scores MASE, sMAPE and interval coverage on the held-back actuals', () => {
    const y = [1, 2, 3, 4, 5, 6, 7, 8];
    const forecasts = [{ origin: 6, mean: [7, 10], intervals: [{ level: 80, lower: [6.5, 9], upper: [7.5, 11] }] }];
    const { score, misses } = scoreBacktest(y, 1, forecasts, [80]);
    // In-sample naive MAE on 1…6 is 1; errors 0 and 2 → MASE 1.
    expect(score).toMatchObject({ origins: 1, horizon: 2, mase: 1 });
    expect(score.smape).toBeCloseTo(100 * (0 + (2 * 2) / 18) / 2, 10);
    expect(score.coverage).toEqual([{ level: 80, rate: 0.5 }]);
    expect(misses[0]!.ratios).toEqual([0, 2]);
  });

  it('calibrates: widens to the level-quantile of the miss ratios, never narrows, caps at 3, needs 12 points', () => {
    const ratios = Array.from({ length: 20 }, (_, i) => (i + 1) / 10); // 0.1 … 2.0
    expect(calibrationFactors([{ level: 80, ratios }])).toEqual([{ level: 80, factor: 1.6 }]);
    expect(calibrationFactors([{ level: 50, ratios: ratios.map((r) => r / 4) }])).toEqual([{ level: 50, factor: 1 }]);
    expect(calibrationFactors([{ level: 95, ratios: ratios.map((r) => r * 10) }])).toEqual([{ level: 95, factor: 3 }]);
    expect(calibrationFactors([{ level: 80, ratios: ratios.slice(0, 11) }])).toEqual([{ level: 80, factor: 1 }]);
    const wide = widen([10], [{ level: 80, lower: [8], upper: [13] }], [{ level: 80, factor: 2 }], true);
    expect(wide).toEqual([{ level: 80, lower: [6], upper: [16] }]);
    expect(widen([1], [{ level: 80, lower: [0.5], upper: [2] }], [{ level: 80, factor: 3 }], true)[0]!.lower).toEqual([0]);
  });
});

describe('calendar', () => {
  it('truncates to ISO weeks, months, quarters and years in UTC, and steps across month ends and leap days', () => {
    const ms = Date.UTC(2024, 1, 29, 23, 59); // Thursday 29 February 2024
    expect(isoDate(periodStart(ms, 'day'))).toBe('2024-02-29');
    expect(isoDate(periodStart(ms, 'week'))).toBe('2024-02-26');
    expect(isoDate(periodStart(ms, 'month'))).toBe('2024-02-01');
    expect(isoDate(periodStart(ms, 'quarter'))).toBe('2024-01-01');
    expect(isoDate(periodStart(ms, 'year'))).toBe('2024-01-01');
    expect(isoDate(addPeriods(Date.UTC(2024, 10, 1), 'month', 3))).toBe('2025-02-01');
    expect(isoDate(addPeriods(Date.UTC(2024, 9, 1), 'quarter', 1))).toBe('2025-01-01');
    expect(periodRange(Date.UTC(2024, 0, 1), Date.UTC(2024, 3, 1), 'month').map(isoDate)).toEqual(['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01']);
    expect(parseDateCell('2024-03-01')).toBe(Date.UTC(2024, 2, 1));
    expect(parseDateCell('2024-03-01T10:00:00Z')).toBe(Date.UTC(2024, 2, 1, 10));
    expect(parseDateCell(null)).toBeNaN();
  });
});

describe('simple models', () => {
  it('seasonal naive intervals widen once per season; drift extends the first-to-last line; Croston is a flat rate', () => {
    const y = Array.from({ length: 36 }, (_, t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 12) + (t % 5));
    const s = seasonalNaiveModel(y, 24, 12, [95]);
    expect(s.mean.slice(0, 12)).toEqual(y.slice(24));
    const width = (i: number) => s.intervals[0]!.upper[i]! - s.intervals[0]!.lower[i]!;
    expect(width(11)).toBeCloseTo(width(0), 10);
    expect(width(12) / width(0)).toBeCloseTo(Math.SQRT2, 10);
    const d = driftModel([1, 3, 5, 7], 2, [80]);
    expect(d.mean).toEqual([9, 11]);
    const c = crostonModel([0, 0, 6, 0, 0, 6, 0, 0, 6], 3, [80]);
    expect(c.mean[0]).toBeCloseTo(0.95 * 2, 1);
    expect(c.intervals[0]!.lower.every((v) => v >= 0)).toBe(true);
  });
});

describe('forecastSeries', () => {
  it('gives a seasonal trending series a seasonal model, with backtests, candidates and calibration', () => {
    const noise = normalStream(3);
    const y = Array.from({ length: 96 }, (_, t) => (200 + 2 * t) * (1 + 0.2 * Math.sin((2 * Math.PI * t) / 12)) + 4 * noise());
    const r = forecastSeries(y, { periods: [12], h: 12 });
    expect(r.mean).toHaveLength(12);
    expect(r.backtest).toMatchObject({ origins: 3, horizon: 12 });
    expect(r.backtest!.mase!).toBeLessThan(0.6);
    expect(r.candidates.map((c) => c.family)).toEqual(expect.arrayContaining(['ets', 'theta', 'snaive', 'drift', 'combination']));
    // The candidates are listed best backtest first.
    const scores = r.candidates.map((c) => c.mase ?? Infinity);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    expect(r.calibration.map((c) => c.level)).toEqual([80, 95]);
    expect(r.calibration.every((c) => c.factor >= 1 && c.factor <= 3)).toBe(true);
    expect(r.notes).toEqual([]);
  });

  it('brings MSTL in for daily data with weekly and yearly seasons', () => {
    const z = normalStream(5);
    const week = [0.8, 1, 1, 1.1, 1.3, 0.6, 0.4];
    const y = Array.from({ length: 3 * 365 + 1 }, (_, t) => 1000 + 0.3 * t + 150 * week[t % 7]! + 120 * Math.sin((2 * Math.PI * t) / 365.25) + 30 * z());
    const r = forecastSeries(y, { periods: [7, 365.25], h: 30 });
    const mstl = r.candidates.find((c) => c.family === 'mstl');
    expect(mstl?.model).toBe('MSTL(7,365.25)+ETS(A,A,N)');
    expect(mstl!.mase!).toBeLessThan(1);
    expect(r.backtest!.mase!).toBeLessThan(1);
    // Two months of the same data: too short for the yearly season, so no MSTL (ETS holds the week).
    expect(forecastSeries(y.slice(-60), { periods: [7, 365.25], h: 14 }).candidates.map((c) => c.family)).not.toContain('mstl');
  });

  it('explains short histories, and forecasts a constant as itself', () => {
    expect(forecastSeries([5], { periods: [12], h: 3 })).toMatchObject({ mean: [5, 5, 5], intervals: [], notes: [{ code: 'SHORT' }] });
    const three = forecastSeries([5, 6, 7], { periods: [12], h: 2 });
    expect(three).toMatchObject({ model: 'Drift', mean: [8, 9] });
    const year = forecastSeries(Array.from({ length: 15 }, (_, t) => 10 + t + (t % 3)), { periods: [12], h: 6 });
    expect(codes(year.notes)).toContain('SHORT');
    expect(year.notes.find((n) => n.code === 'SHORT')!.values).toEqual({ count: 15, period: 12 });
    expect(forecastSeries([], { periods: [], h: 4 })).toMatchObject({ mean: [], notes: [{ code: 'EMPTY' }] });
    expect(forecastSeries([2, 2, 2, 2, 2], { periods: [], h: 2, model: 'arima' })).toMatchObject({ model: 'Constant', mean: [2, 2] });
  });

  it('falls back, and says so, when the chosen family cannot model the series', () => {
    const r = forecastSeries(Array.from({ length: 40 }, (_, t) => 50 + t), { periods: [12], h: 4, model: 'mstl' });
    expect(r.family).not.toBe('mstl');
    expect(codes(r.notes)).toContain('FALLBACK');
    expect(r.mean.every(Number.isFinite)).toBe(true);
  });

  it('never throws and never answers NaN, whatever the series and model', () => {
    const value = fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
      { weight: 2, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom(1e15, -1e15, 1e-12) },
    );
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 60 }),
        fc.constantFrom(...FORECAST_MODELS),
        fc.constantFrom([], [4], [12], [7, 365.25], [52.18]),
        fc.integer({ min: 1, max: 14 }),
        fc.constantFrom('zero' as const, 'interpolate' as const),
        (values, model, periods, h, missing) => {
          const r = forecastSeries(values, { periods, h, model, missing });
          const observed = values.some((v) => v !== null);
          expect(r.mean).toHaveLength(observed ? h : 0);
          for (const v of r.mean) expect(Number.isFinite(v)).toBe(true);
          for (const iv of r.intervals) {
            expect(iv.lower).toHaveLength(r.mean.length);
            iv.lower.forEach((lo, i) => {
              expect(Number.isFinite(lo) && Number.isFinite(iv.upper[i]!)).toBe(true);
              expect(lo).toBeLessThanOrEqual(iv.upper[i]! + 1e-6 * Math.abs(iv.upper[i]!));
            });
          }
          if (r.backtest?.mase != null) expect(Number.isFinite(r.backtest.mase)).toBe(true);
        },
      ),
      { numRuns: 150, seed: 6 },
    );
  });
});
