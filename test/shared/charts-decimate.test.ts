import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../shared/analysis/spec';
import { buildFigure, lttb, minMaxPerPixel } from '../../shared/charts';
import { dim, EN, measure } from './charts-fixtures';

const series = fc
  .array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 3, maxLength: 400 })
  .map((ys) => ({ xs: Float64Array.from(ys, (_, i) => i * 1.5), ys: Float64Array.from(ys) }));

describe('LTTB', () => {
  it('keeps first and last, exactly `threshold` points, ascending indices of input points', () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 3, max: 500 }), ({ xs, ys }, threshold) => {
        const kept = lttb(xs, ys, threshold);
        expect(kept.length).toBe(Math.min(threshold, xs.length));
        expect(kept[0]).toBe(0);
        expect(kept[kept.length - 1]).toBe(xs.length - 1);
        for (let i = 1; i < kept.length; i++) expect(kept[i]!).toBeGreaterThan(kept[i - 1]!);
        // Indices into the input: the output is a subset, and its x stays monotone.
        for (const i of kept) expect(i >= 0 && i < xs.length).toBe(true);
        for (let i = 1; i < kept.length; i++) expect(xs[kept[i]!]!).toBeGreaterThan(xs[kept[i - 1]!]!);
      }),
    );
  });

  it('a spike survives decimation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 5000 }), fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 10, max: 100 }), (n, seed, threshold) => {
        const spike = 1 + (seed % (n - 2));
        const xs = Float64Array.from({ length: n }, (_, i) => i);
        const ys = Float64Array.from({ length: n }, (_, i) => (i === spike ? 1000 : Math.sin(i / 7)));
        expect(Array.from(lttb(xs, ys, threshold))).toContain(spike);
      }),
    );
  });

  it('keeps a spike on the last interior point, where the bucket bound rounds down (3,045 points into 87)', () => {
    const n = 3045;
    const xs = Float64Array.from({ length: n }, (_, i) => i);
    const ys = Float64Array.from({ length: n }, (_, i) => (i === n - 2 ? 1000 : Math.sin(i / 7)));
    expect(Array.from(lttb(xs, ys, 87))).toContain(n - 2);
  });

  it('matches a worked example', () => {
    // 8 points into 4: buckets {1,2,3} and {4,5,6} between the fixed ends (every = 6 / 2 = 3).
    //   Bucket 1: from point 0 (0, 0) towards the average of bucket 2, (5, 0). Doubled triangle area
    //   |(0−5)(y−0) − (0−x)(0−0)| = 5|y|: points 1, 2, 3 give 5, 45, 0, so point 2 (2, 9) is kept.
    //   Bucket 2: from point 2 (2, 9) towards the last point (7, 0). Area |−5(y−9) + 9(2−x)|:
    //   points 4, 5, 6 give 17, 38, 1, so point 5 (5, −4) is kept.
    const xs = [0, 1, 2, 3, 4, 5, 6, 7];
    const ys = [0, 1, 9, 0, 2, -4, 2, 0];
    expect(Array.from(lttb(xs, ys, 4))).toEqual([0, 2, 5, 7]);
  });

  it('degenerate thresholds', () => {
    const xs = [0, 1, 2, 3];
    expect(Array.from(lttb(xs, xs, 10))).toEqual([0, 1, 2, 3]);
    expect(Array.from(lttb(xs, xs, 2))).toEqual([0, 3]);
    expect(Array.from(lttb(xs, xs, 0))).toEqual([]);
  });
});

describe('min/max per pixel', () => {
  it('keeps first, last and every pixel column’s extremes, at most 4 per column', () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 1, max: 60 }), ({ xs, ys }, pixels) => {
        const kept = minMaxPerPixel(xs, ys, pixels);
        expect(kept.length).toBeLessThanOrEqual(Math.max(xs.length <= pixels * 4 ? xs.length : 0, pixels * 4));
        expect(kept[0]).toBe(0);
        expect(kept[kept.length - 1]).toBe(xs.length - 1);
        for (let i = 1; i < kept.length; i++) expect(kept[i]!).toBeGreaterThan(kept[i - 1]!);
        const values = Array.from(kept, (i) => ys[i]!);
        expect(Math.max(...values)).toBe(Math.max(...ys));
        expect(Math.min(...values)).toBe(Math.min(...ys));
      }),
    );
  });
});

function bigScatter(n: number): AnalysisResult {
  // Columns as the engine returns them: plain arrays of numbers, one per column.
  const x = new Array<number>(n);
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    x[i] = (i * 7919) % 100_003;
    y[i] = Math.sin(i) * 1000 + (i % 997);
  }
  return {
    columns: [dim('account_id', 'number'), measure('balance'), measure('turnover')],
    data: [Array.from({ length: n }, (_, i) => i), x, y],
    rowCount: n,
    truncated: false,
    engine: 'memory',
    cached: false,
    extractVersion: 1,
    syncedAt: null,
    elapsedMs: 1,
  };
}

describe('large scatters', () => {
  it('above 5,000 points a scatter is drawn with WebGL and says so', () => {
    const small = buildFigure(bigScatter(5000), { type: 'scatter', x: 'balance', y: 'turnover' }, EN);
    expect(small.data[0]!.type).toBe('scatter');
    const large = buildFigure(bigScatter(5001), { type: 'scatter', x: 'balance', y: 'turnover' }, EN);
    expect(large.data[0]!.type).toBe('scattergl');
    expect(large.note).toEqual({ kind: 'webgl', points: 5001 });
  });

  it('1,000,000 points go to scattergl as typed arrays, without per-point objects', () => {
    const data = bigScatter(1_000_000);
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage().heapUsed;
    const fig = buildFigure(data, { type: 'scatter', x: 'balance', y: 'turnover' }, EN);
    const grown = process.memoryUsage().heapUsed - before;
    const trace = fig.data[0]!;
    expect(trace.type).toBe('scattergl');
    expect(trace.x).toBeInstanceOf(Float64Array);
    expect(trace.y).toBeInstanceOf(Float64Array);
    expect((trace.x as Float64Array).length).toBe(1_000_000);
    // No per-point tooltips or customdata: a template formats hovered points, rows maps clicks back.
    expect(trace.hovertext).toBeUndefined();
    expect(trace.customdata).toBeUndefined();
    expect(trace.hovertemplate).toContain('%{y:');
    expect(fig.rows[0]).toBeInstanceOf(Int32Array);
    expect(fig.rows[0]![123_456]).toBe(123_456);
    expect(fig.note).toEqual({ kind: 'webgl', points: 1_000_000 });
    // Typed arrays live outside the JS heap; a million small arrays or strings would add 40+ MB to it.
    expect(grown).toBeLessThan(24 * 1024 * 1024);
  });

  it('more than a million points: still drawn, and the note asks for aggregation', () => {
    const fig = buildFigure(bigScatter(1_000_001), { type: 'scatter', x: 'balance', y: 'turnover' }, EN);
    expect(fig.note).toEqual({ kind: 'aggregate', points: 1_000_001 });
  });

  it('colour splits a large scatter into WebGL series whose rows map back to the result', () => {
    const n = 20_000;
    const data = bigScatter(n);
    data.columns.push(dim('segment'));
    data.data.push(Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'sme' : 'retail')));
    const fig = buildFigure(data, { type: 'scatter', x: 'balance', y: 'turnover', color: 'segment' }, EN);
    expect(fig.data.map((t) => [t.type, (t.x as Float64Array).length])).toEqual([
      ['scattergl', Math.ceil(n / 3)],
      ['scattergl', n - Math.ceil(n / 3)],
    ]);
    expect(fig.rows[1]![0]).toBe(1);
    expect((fig.data[1]!.x as Float64Array)[0]).toBe(data.data[1]![1]);
  });
});
