import type { Expr } from '../../../../shared/analysis/expr/ast.js';
import { BOOL_NULL, type Codes } from './store.js';

/**
 * Vectors: what expression evaluation produces for a batch of rows. Null markers follow the store:
 * NaN for numbers, dates and timestamps (epoch ms); {@link BOOL_NULL} for booleans; `null` for text.
 * Vectors handed out may be views of the table's own arrays: nothing may write into an input vector.
 */

/** Rows of a batch: positions `start … start + n - 1` of `sel` (table row indices), or of the table itself when `sel` is null. */
export interface Rows {
  readonly start: number;
  readonly n: number;
  readonly sel: Uint32Array | null;
}

export interface NumVec {
  readonly t: 'num';
  readonly v: Float64Array;
}
export interface BoolVec {
  readonly t: 'bool';
  readonly v: Uint8Array;
}
export interface StrVec {
  readonly t: 'str';
  readonly v: readonly (string | null)[];
}
/** Text as codes into a dictionary (entries may repeat; a null entry is null). */
export interface DictVec {
  readonly t: 'dict';
  readonly codes: Codes | Int32Array;
  readonly dict: readonly (string | null)[];
}
/** One value for every row: `num` a number (NaN null), `bool` 0/1/BOOL_NULL, `str` a string or null. */
export interface ConstVec {
  readonly t: 'const';
  readonly kind: Kind;
  readonly value: number | string | null;
}
export type Vec = NumVec | BoolVec | StrVec | DictVec | ConstVec;
export type Kind = 'num' | 'bool' | 'str';

/** The vector kind an expression type evaluates to (dates and timestamps are numbers of ms). */
export function kindOf(type: Expr['type']): Kind {
  return type === 'boolean' ? 'bool' : type === 'string' ? 'str' : 'num';
}

export const constNum = (value: number): ConstVec => ({ t: 'const', kind: 'num', value });
export const constBool = (value: number): ConstVec => ({ t: 'const', kind: 'bool', value });
export const constStr = (value: string | null): ConstVec => ({ t: 'const', kind: 'str', value });
export const NULL_NUM = constNum(NaN);

/** Numbers of a vector as an array (a constant is spread). */
export function numArray(a: Vec, n: number): Float64Array {
  if (a.t === 'num') return a.v;
  if (a.t === 'const') return new Float64Array(n).fill(a.kind === 'num' ? (a.value as number) : NaN);
  throw new Error(`internal: number expected, got ${a.t}`);
}

/** Booleans (0/1/2) of a vector as an array. */
export function boolArray(a: Vec, n: number): Uint8Array {
  if (a.t === 'bool') return a.v;
  if (a.t === 'const') return new Uint8Array(n).fill(a.kind === 'bool' ? (a.value as number) : BOOL_NULL);
  throw new Error(`internal: boolean expected, got ${a.t}`);
}

/** Strings of a vector as an array. */
export function strArray(a: Vec, n: number): readonly (string | null)[] {
  if (a.t === 'str') return a.v;
  if (a.t === 'dict') {
    const out = new Array<string | null>(n);
    const { codes, dict } = a;
    for (let i = 0; i < n; i++) out[i] = dict[codes[i]!]!;
    return out;
  }
  if (a.t === 'const') return new Array<string | null>(n).fill(a.kind === 'str' ? (a.value as string | null) : null);
  throw new Error(`internal: text expected, got ${a.t}`);
}

export function numGetter(a: Vec): (i: number) => number {
  if (a.t === 'num') {
    const v = a.v;
    return (i) => v[i]!;
  }
  const c = a.t === 'const' && a.kind === 'num' ? (a.value as number) : NaN;
  return () => c;
}

export function strGetter(a: Vec): (i: number) => string | null {
  if (a.t === 'str') {
    const v = a.v;
    return (i) => v[i]!;
  }
  if (a.t === 'dict') {
    const { codes, dict } = a;
    return (i) => dict[codes[i]!]!;
  }
  const c = a.t === 'const' && a.kind === 'str' ? (a.value as string | null) : null;
  return () => c;
}

export function boolGetter(a: Vec): (i: number) => number {
  if (a.t === 'bool') {
    const v = a.v;
    return (i) => v[i]!;
  }
  const c = a.t === 'const' && a.kind === 'bool' ? (a.value as number) : BOOL_NULL;
  return () => c;
}

/** 1 where the vector is null. */
export function nullMask(a: Vec, n: number): Uint8Array {
  const out = new Uint8Array(n);
  switch (a.t) {
    case 'num': {
      const v = a.v;
      for (let i = 0; i < n; i++) out[i] = v[i] !== v[i] ? 1 : 0;
      break;
    }
    case 'bool': {
      const v = a.v;
      for (let i = 0; i < n; i++) out[i] = v[i] === BOOL_NULL ? 1 : 0;
      break;
    }
    case 'str': {
      const v = a.v;
      for (let i = 0; i < n; i++) out[i] = v[i] === null ? 1 : 0;
      break;
    }
    case 'dict': {
      const { codes, dict } = a;
      const isNull = new Uint8Array(dict.length);
      for (let c = 0; c < dict.length; c++) isNull[c] = dict[c] === null ? 1 : 0;
      for (let i = 0; i < n; i++) out[i] = isNull[codes[i]!]!;
      break;
    }
    case 'const': {
      const isNull = a.kind === 'num' ? a.value !== a.value : a.kind === 'bool' ? a.value === BOOL_NULL : a.value === null;
      if (isNull) out.fill(1);
    }
  }
  return out;
}

/** Looks a vector computed over a dictionary's entries up through `codes` (one row per code). */
export function throughCodes(out: Vec, codes: Codes | Int32Array, n: number): Vec {
  switch (out.t) {
    case 'const':
      return out;
    case 'str':
      return { t: 'dict', codes, dict: out.v };
    case 'dict': {
      const flat = new Array<string | null>(out.codes.length);
      for (let i = 0; i < flat.length; i++) flat[i] = out.dict[out.codes[i]!]!;
      return { t: 'dict', codes, dict: flat };
    }
    case 'num': {
      const v = new Float64Array(n);
      const src = out.v;
      for (let i = 0; i < n; i++) v[i] = src[codes[i]!]!;
      return { t: 'num', v };
    }
    case 'bool': {
      const v = new Uint8Array(n);
      const src = out.v;
      for (let i = 0; i < n; i++) v[i] = src[codes[i]!]!;
      return { t: 'bool', v };
    }
  }
}

/** Table values of the batch's rows: a view when the rows are contiguous, else a gathered copy. */
export function gatherF64(src: Float64Array, rows: Rows): Float64Array {
  const { start, n, sel } = rows;
  if (!sel) return src.subarray(start, start + n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = src[sel[start + i]!]!;
  return out;
}

export function gatherCodes<T extends Codes>(src: T, rows: Rows): T {
  const { start, n, sel } = rows;
  if (!sel) return src.subarray(start, start + n) as T;
  const out = new (src.constructor as new (n: number) => T)(n);
  for (let i = 0; i < n; i++) out[i] = src[sel[start + i]!]!;
  return out;
}
