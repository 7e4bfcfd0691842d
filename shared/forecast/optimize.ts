/**
 * Derivative-free minimisation: the Nelder–Mead simplex method (Nelder & Mead 1965) with the standard
 * coefficients (reflection 1, expansion 2, contraction ½, shrink ½), as R's `optim(method =
 * "Nelder-Mead")` runs it. Deterministic. Objectives may answer Infinity or NaN for points outside
 * their domain: such points are treated as the worst possible and the simplex moves away from them.
 */

export interface NelderMeadOptions {
  /** Initial simplex: the start point plus, for each coordinate i, the start moved by steps[i] along i. */
  steps: ArrayLike<number>;
  /** Stop when (worst − best) ≤ reltol · (|best| + reltol). Default 1e-8 (R's optim). */
  reltol?: number;
  /** At most this many objective evaluations. Default 200 · dimension. */
  maxEvaluations?: number;
}

export interface NelderMeadResult {
  x: Float64Array;
  value: number;
  evaluations: number;
}

export function nelderMead(f: (x: Float64Array) => number, start: ArrayLike<number>, options: NelderMeadOptions): NelderMeadResult {
  const d = start.length;
  const reltol = options.reltol ?? 1e-8;
  const maxEvaluations = options.maxEvaluations ?? 200 * Math.max(1, d);
  let evaluations = 0;
  const evaluate = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  const points: Float64Array[] = [];
  const values: number[] = [];
  for (let i = 0; i <= d; i++) {
    const p = Float64Array.from(start);
    if (i > 0) p[i - 1]! += options.steps[i - 1]!;
    points.push(p);
    values.push(evaluate(p));
  }
  if (d === 0) return { x: points[0]!, value: values[0]!, evaluations };
  const order = Array.from({ length: d + 1 }, (_, i) => i);
  const centroid = new Float64Array(d);
  const reflected = new Float64Array(d);
  const trial = new Float64Array(d);
  const move = (to: Float64Array, coefficient: number, worst: Float64Array) => {
    for (let j = 0; j < d; j++) to[j] = centroid[j]! + coefficient * (worst[j]! - centroid[j]!);
  };
  for (;;) {
    // Stable insertion sort by value (the same order Array#sort gives; d + 1 is small and nearly sorted).
    for (let k = 1; k <= d; k++) {
      const i = order[k]!;
      const v = values[i]!;
      let j = k - 1;
      while (j >= 0 && values[order[j]!]! - v > 0) (order[j + 1] = order[j]!), j--;
      order[j + 1] = i;
    }
    const best = order[0]!;
    const worst = order[d]!;
    const secondWorst = order[d - 1]!;
    const fBest = values[best]!;
    const fWorst = values[worst]!;
    if (evaluations >= maxEvaluations) break;
    if (Number.isFinite(fWorst) && fWorst - fBest <= reltol * (Math.abs(fBest) + reltol)) break;
    centroid.fill(0);
    for (let k = 0; k < d; k++) {
      const p = points[order[k]!]!;
      for (let j = 0; j < d; j++) centroid[j]! += p[j]! / d;
    }
    const pw = points[worst]!;
    move(reflected, -1, pw);
    const fr = evaluate(reflected);
    if (fr < fBest) {
      move(trial, -2, pw);
      const fe = evaluate(trial);
      if (fe < fr) {
        pw.set(trial);
        values[worst] = fe;
      } else {
        pw.set(reflected);
        values[worst] = fr;
      }
    } else if (fr < values[secondWorst]!) {
      pw.set(reflected);
      values[worst] = fr;
    } else {
      // Contract: outside when the reflection improved on the worst point, inside otherwise.
      const outside = fr < fWorst;
      move(trial, outside ? -0.5 : 0.5, pw);
      const fc = evaluate(trial);
      if (fc < (outside ? fr : fWorst)) {
        pw.set(trial);
        values[worst] = fc;
      } else {
        const pb = points[best]!;
        for (let k = 1; k <= d; k++) {
          const p = points[order[k]!]!;
          for (let j = 0; j < d; j++) p[j] = pb[j]! + 0.5 * (p[j]! - pb[j]!);
          values[order[k]!] = evaluate(p);
        }
      }
    }
  }
  let best = 0;
  for (let i = 1; i <= d; i++) if (values[i]! < values[best]!) best = i;
  return { x: points[best]!, value: values[best]!, evaluations };
}
