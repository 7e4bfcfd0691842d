/**
 * Decimation: fewer points drawn, the same picture. Both methods return the indices of the points they
 * keep (ascending), so callers can map a kept point back to its result row and the output is always
 * a subset of the input. Inputs are array-likes (plain or typed arrays); nothing allocates per point.
 */
export type NumericArray = ArrayLike<number>;

/** A line or area series with more points than this many per pixel of width is decimated with LTTB. */
export const LINE_POINTS_PER_PIXEL = 2;
/** Scatters with more points than this are drawn with WebGL (`scattergl`). */
export const WEBGL_MIN_POINTS = 5_000;
/** Beyond this many points even WebGL is slow to draw and to hover: the analysis should aggregate. */
export const AGGREGATE_ABOVE_POINTS = 1_000_000;

/** How many points a line series `widthPx` wide keeps. */
export function lineTarget(widthPx: number): number {
  return Math.max(3, Math.round(Math.max(1, widthPx) * LINE_POINTS_PER_PIXEL));
}

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * Largest-Triangle-Three-Buckets (Steinarsson, 2013). `xs` must be ascending. Keeps the first and
 * last points and exactly `threshold` points in all (or every point if there are no more than that):
 * the points between are split into `threshold - 2` buckets, and from each bucket the point forming
 * the largest triangle with the point kept before it and the average of the next bucket is kept. A
 * spike is such a point, so it survives. Missing values (NaN) are never preferred.
 */
export function lttb(xs: NumericArray, ys: NumericArray, threshold: number): Int32Array {
  const n = Math.min(xs.length, ys.length);
  const target = Math.floor(threshold);
  if (target >= n) return identity(n);
  if (target <= 0) return new Int32Array(0);
  if (target === 1) return Int32Array.of(0);
  if (target === 2) return Int32Array.of(0, n - 1);

  const out = new Int32Array(target);
  const every = (n - 2) / (target - 2);
  let a = 0;
  out[0] = 0;
  for (let i = 0; i < target - 2; i++) {
    // Average of the next bucket (the last point stands in for the bucket after the last one).
    let avgStart = Math.floor((i + 1) * every) + 1;
    let avgEnd = Math.min(Math.floor((i + 2) * every) + 1, n - 1);
    if (i === target - 3) {
      avgStart = n - 1;
      avgEnd = n;
    }
    let avgX = 0;
    let avgY = 0;
    let counted = 0;
    for (let j = avgStart; j < avgEnd; j++) {
      const y = ys[j]!;
      if (Number.isNaN(y)) continue;
      avgX += xs[j]!;
      avgY += y;
      counted++;
    }
    if (counted) {
      avgX /= counted;
      avgY /= counted;
    } else {
      avgX = xs[Math.min(avgStart, n - 1)]!;
      avgY = ys[a]!;
    }

    const start = Math.floor(i * every) + 1;
    // The last bucket ends at the last interior point: (target − 2) · every can round to just under n − 2.
    const end = i === target - 3 ? n - 1 : Math.floor((i + 1) * every) + 1;
    const ax = xs[a]!;
    const ay = ys[a]!;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      // Twice the triangle's area; the factor does not change which is largest.
      const area = Math.abs((ax - avgX) * (ys[j]! - ay) - (ax - xs[j]!) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out[i + 1] = best;
    a = best;
  }
  out[target - 1] = n - 1;
  return out;
}

/**
 * Min/max per pixel (M4): the x range is cut into `pixels` equal columns and from each the first,
 * lowest, highest and last point are kept. Every extreme of every pixel column survives, so the drawn
 * envelope is exact at that width; the result has at most `4 × pixels` points. `xs` must be ascending.
 */
export function minMaxPerPixel(xs: NumericArray, ys: NumericArray, pixels: number): Int32Array {
  const n = Math.min(xs.length, ys.length);
  const columns = Math.max(1, Math.floor(pixels));
  if (n <= columns * 4) return identity(n);
  const x0 = xs[0]!;
  const span = xs[n - 1]! - x0 || 1;
  const keep = new Int32Array(Math.min(n, columns * 4));
  let kept = 0;
  let column = -1;
  let first = 0;
  let min = 0;
  let max = 0;
  let last = 0;
  const flush = () => {
    // Ascending and without repeats: first ≤ min/max ≤ last.
    const lo = Math.min(min, max);
    const hi = Math.max(min, max);
    for (const i of [first, lo, hi, last]) if (kept === 0 || keep[kept - 1]! < i) keep[kept++] = i;
  };
  for (let i = 0; i < n; i++) {
    const c = Math.min(columns - 1, Math.floor(((xs[i]! - x0) / span) * columns));
    if (c !== column) {
      if (column >= 0) flush();
      column = c;
      first = min = max = last = i;
      continue;
    }
    last = i;
    const y = ys[i]!;
    if (Number.isNaN(y)) continue;
    if (!(ys[min]! <= y)) min = i;
    if (!(ys[max]! >= y)) max = i;
  }
  flush();
  return keep.slice(0, kept);
}

/** The values of `source` at `indices`, as a Float64Array. */
export function pick(source: NumericArray, indices: ArrayLike<number>): Float64Array {
  const out = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = source[indices[i]!]!;
  return out;
}
