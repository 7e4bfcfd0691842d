/**
 * STL: Seasonal-Trend decomposition by Loess (Cleveland, Cleveland, McRae & Terpenning 1990), a port
 * of the netlib Fortran that R's `stats::stl` calls (stlstp, stlss, stlfts, stless, stlest, stlrwt),
 * with R's defaults:
 * - s.window: odd span (in cycles) of the loess that smooths each cycle-subseries, or 'periodic'
 *   (span 10n + 1 with degree 0: every subseries averaged, the seasonal pattern fixed);
 * - s.degree 0; t.window = nextodd(⌈1.5·period / (1 − 1.5/s.window)⌉), t.degree 1;
 *   l.window = nextodd(period), l.degree = t.degree; jumps ⌈window / 10⌉ (loess evaluated at every
 *   jump-th point, linear interpolation between);
 * - inner loops 2 and outer 0 without robustness; inner 1 and outer 15 with it (bisquare weights of
 *   the remainder, 6 × its median absolute value).
 *
 * The period may be non-integer (365.25, 52.18): as R, the defaults use it as given and the Fortran
 * gets it truncated (R's as.integer), so the cycle-subseries have length ⌊period⌋.
 *
 * Never throws and never answers NaN: non-finite values are filled by linear interpolation first
 * (the nearest finite value at the ends; 0 when none is finite), and a series without two full
 * cycles (R refuses n ≤ 2·period) gets a zero seasonal component and a loess trend.
 */

export interface StlOptions {
  /** Seasonal period, ≥ 2. Non-integer periods are truncated for the cycle-subseries, as R does. */
  period: number;
  /** Seasonal loess span in cycles (odd, ≥ 3; smaller or even values are bumped, as the Fortran does), or 'periodic'. Required, as in R. */
  sWindow: number | 'periodic';
  /** Seasonal loess degree, 0 or 1. Default 0 (R's default; 0 also when periodic). */
  sDegree?: 0 | 1;
  /** Trend loess span, odd. Default nextodd(⌈1.5·period / (1 − 1.5/sWindow)⌉). */
  tWindow?: number;
  /** Trend loess degree. Default 1. */
  tDegree?: 0 | 1;
  /** Low-pass loess span. Default nextodd(period). */
  lWindow?: number;
  /** Low-pass loess degree. Default tDegree. */
  lDegree?: 0 | 1;
  /** Robustness iterations (bisquare weights). Default false. */
  robust?: boolean;
  /** Inner loop passes. Default 2, or 1 when robust. */
  inner?: number;
  /** Outer (robustness) loop passes. Default 0, or 15 when robust. */
  outer?: number;
}

export interface StlResult {
  seasonal: number[];
  trend: number[];
  /** y − seasonal − trend. */
  remainder: number[];
  /** Robustness weights (all 1 without robustness). */
  weights: number[];
  /** The spans actually used (odd, after R's rules) and the integer period of the subseries. */
  period: number;
  sWindow: number;
  tWindow: number;
  lWindow: number;
}

/** R's nextodd: rounded, and bumped to the next odd integer when even. */
export function nextOdd(x: number): number {
  let v = Math.round(x);
  if (v % 2 === 0) v += 1;
  return v;
}

/** Non-finite values replaced by linear interpolation between finite neighbours (nearest at the ends; 0 when none). */
export function fillGaps(input: ArrayLike<number>): Float64Array {
  const n = input.length;
  const y = Float64Array.from(input as ArrayLike<number>);
  let prev = -1;
  for (let i = 0; i <= n; i++) {
    if (i < n && !Number.isFinite(y[i]!)) continue;
    if (i - prev > 1) {
      const a = prev >= 0 ? y[prev]! : i < n ? y[i]! : 0;
      const b = i < n ? y[i]! : a;
      for (let j = prev + 1; j < i; j++) y[j] = prev >= 0 && i < n ? a + ((b - a) * (j - prev)) / (i - prev) : prev >= 0 ? a : b;
    }
    prev = i;
  }
  return y;
}

/**
 * stlest: the loess fit at abscissa xs (1-based, as the Fortran) from y[nleft … nright] (1-based,
 * inclusive) with tricube weights over span len, optionally times robustness weights rw; degree 0 or 1.
 * `w` is scratch indexed like y (1-based: w[j − 1]). Answers NaN when every weight is 0 (not ok).
 */
function est(
  y: Float64Array,
  yOff: number,
  n: number,
  len: number,
  deg: number,
  xs: number,
  nleft: number,
  nright: number,
  w: Float64Array,
  rw: Float64Array | null,
  rwOff: number,
): number {
  const range = n - 1;
  let h = Math.max(xs - nleft, nright - xs);
  if (len > n) h += Math.floor((len - n) / 2);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let a = 0;
  for (let j = nleft; j <= nright; j++) {
    let wj = 0;
    const r = Math.abs(j - xs);
    if (r <= h9) {
      if (r <= h1) wj = 1;
      else {
        const q = r / h;
        const c = 1 - q * q * q;
        wj = c * c * c;
      }
      if (rw) wj *= rw[rwOff + j - 1]!;
      a += wj;
    }
    w[j - 1] = wj;
  }
  if (!(a > 0)) return Number.NaN;
  for (let j = nleft; j <= nright; j++) w[j - 1]! /= a;
  if (h > 0 && deg > 0) {
    let mean = 0;
    for (let j = nleft; j <= nright; j++) mean += w[j - 1]! * j;
    let b = xs - mean;
    let c = 0;
    for (let j = nleft; j <= nright; j++) c += w[j - 1]! * (j - mean) * (j - mean);
    if (Math.sqrt(c) > 0.001 * range) {
      b /= c;
      for (let j = nleft; j <= nright; j++) w[j - 1]! *= b * (j - mean) + 1;
    }
  }
  let ys = 0;
  for (let j = nleft; j <= nright; j++) ys += w[j - 1]! * y[yOff + j - 1]!;
  return ys;
}

/**
 * stless: loess smooth of y[yOff … yOff + n − 1] with span len, degree deg, evaluated every njump-th
 * point and linearly interpolated between; written to out[outOff …]. Robustness weights rw[rwOff …] when given.
 */
function ess(
  y: Float64Array,
  yOff: number,
  n: number,
  len: number,
  deg: number,
  njump: number,
  rw: Float64Array | null,
  rwOff: number,
  out: Float64Array,
  outOff: number,
  w: Float64Array,
): void {
  if (n < 2) {
    out[outOff] = y[yOff]!;
    return;
  }
  const put = (i: number, nleft: number, nright: number) => {
    const v = est(y, yOff, n, len, deg, i, nleft, nright, w, rw, rwOff);
    out[outOff + i - 1] = Number.isNaN(v) ? y[yOff + i - 1]! : v;
  };
  const newnj = Math.max(1, Math.min(njump, n - 1));
  let nleft = 1;
  let nright = n;
  if (len >= n) {
    nleft = 1;
    nright = n;
    for (let i = 1; i <= n; i += newnj) put(i, nleft, nright);
  } else if (newnj === 1) {
    const nsh = (len + 1) >> 1;
    nleft = 1;
    nright = len;
    for (let i = 1; i <= n; i++) {
      if (i > nsh && nright !== n) nleft++, nright++;
      put(i, nleft, nright);
    }
  } else {
    const nsh = (len + 1) >> 1;
    for (let i = 1; i <= n; i += newnj) {
      if (i < nsh) (nleft = 1), (nright = len);
      else if (i >= n - nsh + 1) (nleft = n - len + 1), (nright = n);
      else (nleft = i - nsh + 1), (nright = len + i - nsh);
      put(i, nleft, nright);
    }
  }
  if (newnj !== 1) {
    for (let i = 1; i <= n - newnj; i += newnj) {
      const a = out[outOff + i - 1]!;
      const delta = (out[outOff + i + newnj - 1]! - a) / newnj;
      for (let j = i + 1; j <= i + newnj - 1; j++) out[outOff + j - 1] = a + delta * (j - i);
    }
    const k = Math.floor((n - 1) / newnj) * newnj + 1;
    if (k !== n) {
      put(n, nleft, nright);
      if (k !== n - 1) {
        const a = out[outOff + k - 1]!;
        const delta = (out[outOff + n - 1]! - a) / (n - k);
        for (let j = k + 1; j <= n - 1; j++) out[outOff + j - 1] = a + delta * (j - k);
      }
    }
  }
}

/** stlma: moving average of span len over x[0 … n − 1] into ave[0 … n − len]. */
function movingAverage(x: Float64Array, n: number, len: number, ave: Float64Array): void {
  const newn = n - len + 1;
  let v = 0;
  for (let i = 0; i < len; i++) v += x[i]!;
  ave[0] = v / len;
  for (let j = 1; j < newn; j++) {
    v = v - x[j - 1]! + x[j + len - 1]!;
    ave[j] = v / len;
  }
}

interface Work {
  /** Five columns of length n + 2·np, as the Fortran's work(n + 2np, 5). */
  c1: Float64Array;
  c2: Float64Array;
  c3: Float64Array;
  c4: Float64Array;
  c5: Float64Array;
}

/** stlss: each cycle-subseries smoothed and extended one cycle both ways, into season[0 … n + 2np − 1]. */
function subseriesSmooth(y: Float64Array, n: number, np: number, ns: number, deg: number, njump: number, rw: Float64Array | null, season: Float64Array, w1: Float64Array, w2: Float64Array, w3: Float64Array, w4: Float64Array): void {
  for (let j = 1; j <= np; j++) {
    const k = Math.floor((n - j) / np) + 1;
    for (let i = 1; i <= k; i++) w1[i - 1] = y[(i - 1) * np + j - 1]!;
    if (rw) for (let i = 1; i <= k; i++) w3[i - 1] = rw[(i - 1) * np + j - 1]!;
    ess(w1, 0, k, ns, deg, njump, rw ? w3 : null, 0, w2, 1, w4);
    const nright = Math.min(ns, k);
    const first = est(w1, 0, k, ns, deg, 0, 1, nright, w4, rw ? w3 : null, 0);
    w2[0] = Number.isNaN(first) ? w2[1]! : first;
    const nleft = Math.max(1, k - ns + 1);
    const last = est(w1, 0, k, ns, deg, k + 1, nleft, k, w4, rw ? w3 : null, 0);
    w2[k + 1] = Number.isNaN(last) ? w2[k]! : last;
    for (let m = 1; m <= k + 2; m++) season[(m - 1) * np + j - 1] = w2[m - 1]!;
  }
}

/** stlstp: the inner loop. */
function innerLoop(y: Float64Array, n: number, np: number, ns: number, nt: number, nl: number, isdeg: number, itdeg: number, ildeg: number, nsjump: number, ntjump: number, nljump: number, ni: number, rw: Float64Array | null, season: Float64Array, trend: Float64Array, work: Work): void {
  const { c1, c2, c3, c4, c5 } = work;
  for (let pass = 0; pass < ni; pass++) {
    for (let i = 0; i < n; i++) c1[i] = y[i]! - trend[i]!;
    subseriesSmooth(c1, n, np, ns, isdeg, nsjump, rw, c2, c3, c4, c5, season);
    // stlfts: moving averages of spans np, np and 3 over the n + 2np points leave n.
    movingAverage(c2, n + 2 * np, np, c3);
    movingAverage(c3, n + np + 1, np, c1);
    movingAverage(c1, n + 2, 3, c3);
    ess(c3, 0, n, nl, ildeg, nljump, null, 0, c1, 0, c4);
    for (let i = 0; i < n; i++) season[i] = c2[np + i]! - c1[i]!;
    for (let i = 0; i < n; i++) c1[i] = y[i]! - season[i]!;
    ess(c1, 0, n, nt, itdeg, ntjump, rw, 0, trend, 0, c3);
  }
}

/** stlrwt: bisquare robustness weights of the residuals, scaled by 6 × their median absolute value. */
function robustnessWeights(y: Float64Array, fit: Float64Array, n: number, rw: Float64Array): void {
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = Math.abs(y[i]! - fit[i]!);
  const sorted = Float64Array.from(r).sort();
  const mid1 = Math.floor(n / 2) + 1;
  const mid2 = n - mid1 + 1;
  const cmad = 3 * (sorted[mid1 - 1]! + sorted[mid2 - 1]!);
  const c9 = 0.999 * cmad;
  const c1 = 0.001 * cmad;
  for (let i = 0; i < n; i++) {
    const ri = r[i]!;
    if (ri <= c1) rw[i] = 1;
    else if (ri <= c9) {
      const q = ri / cmad;
      rw[i] = (1 - q * q) * (1 - q * q);
    } else rw[i] = 0;
  }
}

const odd3 = (v: number) => {
  const x = Math.max(3, Math.round(v));
  return x % 2 === 0 ? x + 1 : x;
};

/**
 * STL decomposition y = seasonal + trend + remainder, as R's `stl(ts(y, frequency = period), s.window, …)`.
 * Without two full cycles (n ≤ 2·period) or with period < 2 the seasonal component is 0 and the trend
 * is a degree-1 loess of span t.window (clamped to the series), so callers always get finite parts.
 */
export function stl(input: ArrayLike<number>, options: StlOptions): StlResult {
  const y = fillGaps(input);
  const n = y.length;
  const period = Number.isFinite(options.period) ? options.period : 1;
  const periodic = options.sWindow === 'periodic' || !Number.isFinite(options.sWindow);
  const sWindowRaw = periodic ? 10 * n + 1 : (options.sWindow as number);
  const sDegree = periodic ? 0 : (options.sDegree ?? 0);
  const tDegree = options.tDegree ?? 1;
  const lDegree = options.lDegree ?? tDegree;
  // R: t.window = nextodd(ceiling(1.5 * period / (1 - 1.5 / s.window))), with s.window as given.
  const tWindowRaw = options.tWindow ?? nextOdd(Math.ceil((1.5 * period) / (1 - 1.5 / Math.max(sWindowRaw, 3))));
  const lWindowRaw = options.lWindow ?? nextOdd(period);
  const robust = options.robust ?? false;
  const inner = Math.max(1, Math.floor(options.inner ?? (robust ? 1 : 2)));
  const outer = Math.max(0, Math.floor(options.outer ?? (robust ? 15 : 0)));
  // The Fortran's own clamps: spans odd and ≥ 3, period ≥ 2.
  const ns = odd3(sWindowRaw);
  const nt = odd3(tWindowRaw);
  const nl = odd3(lWindowRaw);
  const np = Math.max(2, Math.trunc(period));
  const weights = new Float64Array(n).fill(1);

  if (n === 0) return { seasonal: [], trend: [], remainder: [], weights: [], period: np, sWindow: ns, tWindow: nt, lWindow: nl };
  if (period < 2 || n <= 2 * period) {
    const trend = new Float64Array(n);
    ess(y, 0, n, Math.min(nt, n), 1, 1, null, 0, trend, 0, new Float64Array(n));
    return finish(y, new Float64Array(n), trend, weights, np, ns, nt, nl);
  }

  const nsjump = Math.ceil(ns / 10);
  const ntjump = Math.ceil(nt / 10);
  const nljump = Math.ceil(nl / 10);
  const size = n + 2 * np;
  const work: Work = { c1: new Float64Array(size), c2: new Float64Array(size), c3: new Float64Array(size), c4: new Float64Array(size), c5: new Float64Array(size) };
  const season = new Float64Array(size);
  const trend = new Float64Array(n);
  let useWeights = false;
  for (let k = 0; ; ) {
    innerLoop(y, n, np, ns, nt, nl, sDegree, tDegree, lDegree, nsjump, ntjump, nljump, inner, useWeights ? weights : null, season, trend, work);
    k++;
    if (k > outer) break;
    const fit = work.c1;
    for (let i = 0; i < n; i++) fit[i] = trend[i]! + season[i]!;
    robustnessWeights(y, fit, n, weights);
    useWeights = true;
  }
  const seasonal = season.slice(0, n);
  if (periodic) {
    // R: the seasonal component replaced by its mean at each cycle position.
    const sums = new Float64Array(np);
    const counts = new Float64Array(np);
    for (let i = 0; i < n; i++) (sums[i % np]! += seasonal[i]!), (counts[i % np]! += 1);
    for (let i = 0; i < n; i++) seasonal[i] = sums[i % np]! / counts[i % np]!;
  }
  return finish(y, seasonal, trend, weights, np, ns, nt, nl);
}

function finish(y: Float64Array, seasonal: Float64Array, trend: Float64Array, weights: Float64Array, np: number, ns: number, nt: number, nl: number): StlResult {
  const n = y.length;
  const s = new Array<number>(n);
  const t = new Array<number>(n);
  const r = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    // Guard the (theoretical) non-finite case so that parts always add up to y.
    const si = Number.isFinite(seasonal[i]!) ? seasonal[i]! : 0;
    const ti = Number.isFinite(trend[i]!) ? trend[i]! : y[i]! - si;
    s[i] = si;
    t[i] = ti;
    r[i] = y[i]! - si - ti;
  }
  return { seasonal: s, trend: t, remainder: r, weights: Array.from(weights), period: np, sWindow: ns, tWindow: nt, lWindow: nl };
}
