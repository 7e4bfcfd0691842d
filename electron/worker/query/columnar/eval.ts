import type { BinaryOp, Expr } from '../../../../shared/analysis/expr/ast.js';
import { parseIsoInstant } from '../../../../shared/analysis/dates.js';
import { compareCodePoints } from '../../../../shared/analysis/table-calcs.js';
import { StrongroomError } from '../../../../shared/errors.js';
import { callFunction, remainder } from './functions.js';
import { BOOL_NULL, type ColumnarTable } from './store.js';
import {
  boolArray,
  boolGetter,
  constBool,
  constNum,
  constStr,
  gatherCodes,
  gatherF64,
  kindOf,
  nullMask,
  numArray,
  numGetter,
  strGetter,
  throughCodes,
  type DictVec,
  type Rows,
  type StrVec,
  type Vec,
} from './vector.js';

/**
 * Vectorised evaluation of typed expressions (shared/analysis/expr/ast.ts) over batches of rows.
 *
 * - Every node of a batch is evaluated once (calculated fields used twice are one object in the tree).
 * - A subtree whose only column is a text column is evaluated once per dictionary entry instead of
 *   once per row, and looked up through the rows' codes: UPPER([branch]) = 'X' costs a pass over
 *   small integer codes. Results are cached across batches.
 * - Subtrees without columns are folded to constants.
 */
export class Evaluator {
  private rows: Rows | null = null;
  private readonly memo = new Map<Expr, Vec>();
  private readonly columns = new Map<string, Vec>();
  private readonly viaDict = new Map<Expr, { dict: readonly (string | null)[]; out: Vec }>();
  private readonly refs = new Map<Expr, readonly string[]>();
  private readonly caseDicts = new Map<Expr, (string | null)[]>();

  constructor(
    private readonly table: ColumnarTable,
    /** When set, the only column there is, and its values: evaluation over a dictionary's entries. */
    private readonly domain: { name: string; vec: StrVec } | null = null,
  ) {}

  /** The expression's vector over `rows`. Calls with the same `rows` object share work. */
  eval(expr: Expr, rows: Rows): Vec {
    if (rows !== this.rows) {
      this.rows = rows;
      this.memo.clear();
      this.columns.clear();
    }
    return this.node(expr);
  }

  private node(e: Expr): Vec {
    const known = this.memo.get(e);
    if (known) return known;
    const out = e.k === 'lit' ? literal(e) : e.k === 'col' ? this.column(e.name) : (this.overDictionary(e) ?? this.compute(e));
    this.memo.set(e, out);
    return out;
  }

  private column(name: string): Vec {
    if (this.domain) {
      if (name === this.domain.name) return this.domain.vec;
      throw new StrongroomError('INTERNAL', `Column ${name} evaluated over the dictionary of ${this.domain.name}`);
    }
    const known = this.columns.get(name);
    if (known) return known;
    const col = this.table.column(name);
    if (!col) throw new StrongroomError('INTERNAL', `The in-memory copy has no column ${JSON.stringify(name)}`);
    const rows = this.rows!;
    const out: Vec =
      col.kind === 'text'
        ? { t: 'dict', codes: gatherCodes(col.codes, rows), dict: col.dict }
        : col.kind === 'boolean'
          ? { t: 'bool', v: gatherCodes(col.values, rows) }
          : { t: 'num', v: gatherF64(col.values, rows) };
    this.columns.set(name, out);
    return out;
  }

  /** Column names a subtree reads. */
  private refsOf(e: Expr): readonly string[] {
    const known = this.refs.get(e);
    if (known) return known;
    let out: readonly string[];
    switch (e.k) {
      case 'lit':
        out = [];
        break;
      case 'col':
        out = [e.name];
        break;
      default: {
        const children = e.k === 'un' || e.k === 'isnull' ? [e.arg] : e.k === 'bin' ? [e.left, e.right] : e.k === 'call' ? e.args : [...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
        const set = new Set<string>();
        for (const c of children) for (const name of this.refsOf(c)) set.add(name);
        out = [...set];
      }
    }
    this.refs.set(e, out);
    return out;
  }

  private overDictionary(e: Expr): Vec | null {
    if (this.domain) return null;
    const names = this.refsOf(e);
    if (names.length !== 1) return null;
    const name = names[0]!;
    const col = this.table.column(name);
    if (!col || col.kind !== 'text') return null;
    let entry = this.viaDict.get(e);
    if (!entry || entry.dict !== col.dict) {
      if (col.dict.length > this.rows!.n) return null;
      const sub = new Evaluator(this.table, { name, vec: { t: 'str', v: col.dict } });
      entry = { dict: col.dict, out: sub.eval(e, { start: 0, n: col.dict.length, sel: null }) };
      this.viaDict.set(e, entry);
    }
    return throughCodes(entry.out, (this.column(name) as DictVec).codes, this.rows!.n);
  }

  private compute(e: Exclude<Expr, { k: 'lit' | 'col' }>): Vec {
    const n = this.rows!.n;
    if (this.refsOf(e).length === 0 && n !== 1) {
      // No column: evaluate once and spread.
      const one = new Evaluator(this.table, this.domain).eval(e, { start: 0, n: 1, sel: null });
      return toConst(one, e.type);
    }
    switch (e.k) {
      case 'un': {
        const a = this.node(e.arg);
        if (e.op === 'neg') {
          const x = numArray(a, n);
          const out = new Float64Array(n);
          for (let i = 0; i < n; i++) out[i] = -x[i]!;
          return { t: 'num', v: out };
        }
        const x = boolArray(a, n);
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) out[i] = x[i] === BOOL_NULL ? BOOL_NULL : 1 - x[i]!;
        return { t: 'bool', v: out };
      }
      case 'isnull': {
        const m = nullMask(this.node(e.arg), n);
        if (e.negate) for (let i = 0; i < n; i++) m[i] = 1 - m[i]!;
        return { t: 'bool', v: m };
      }
      case 'bin':
        return binary(e.op, this.node(e.left), this.node(e.right), kindOf(e.left.type === 'null' ? e.right.type : e.left.type), n);
      case 'case':
        return this.caseWhen(e, n);
      case 'call':
        return callFunction(e, e.args.map((a) => this.node(a)), n);
    }
  }

  private caseWhen(e: Extract<Expr, { k: 'case' }>, n: number): Vec {
    const kind = kindOf(e.type);
    if (kind === 'str') {
      const fixed = this.caseOfConstants(e, n);
      if (fixed) return fixed;
    }
    const done = new Uint8Array(n);
    let pending = n;
    const num = kind === 'num' ? new Float64Array(n).fill(NaN) : null;
    const bool = kind === 'bool' ? new Uint8Array(n).fill(BOOL_NULL) : null;
    const str = kind === 'str' ? new Array<string | null>(n).fill(null) : null;
    const take = (source: Vec, pick: (i: number) => boolean) => {
      if (num) {
        const g = numGetter(source);
        for (let i = 0; i < n; i++) if (pick(i)) num[i] = g(i);
      } else if (bool) {
        const g = boolGetter(source);
        for (let i = 0; i < n; i++) if (pick(i)) bool[i] = g(i);
      } else {
        const g = strGetter(source);
        for (let i = 0; i < n; i++) if (pick(i)) str![i] = g(i);
      }
    };
    for (const w of e.whens) {
      if (pending === 0) break;
      const cond = boolArray(this.node(w.when), n);
      const hit = new Uint8Array(n);
      let hits = 0;
      for (let i = 0; i < n; i++) {
        if (!done[i] && cond[i] === 1) {
          hit[i] = 1;
          done[i] = 1;
          hits++;
        }
      }
      if (hits === 0) continue;
      pending -= hits;
      take(this.node(w.then), (i) => hit[i] === 1);
    }
    if (e.else && pending > 0) take(this.node(e.else), (i) => done[i] === 0);
    return num ? { t: 'num', v: num } : bool ? { t: 'bool', v: bool } : { t: 'str', v: str! };
  }

  /**
   * IF/CASE whose results are all text constants (IF [amount] < 0 THEN 'refund' ELSE 'payment' END):
   * codes into a fixed dictionary of the results, so grouping on it never hashes a string per row.
   */
  private caseOfConstants(e: Extract<Expr, { k: 'case' }>, n: number): Vec | null {
    const results = [...e.whens.map((w) => w.then), ...(e.else ? [e.else] : [])];
    if (results.length > 254 || !results.every((r) => this.node(r).t === 'const')) return null;
    let dict = this.caseDicts.get(e);
    if (!dict) {
      dict = results.map((r) => (this.node(r) as { value: string | null }).value);
      if (!e.else) dict.push(null);
      this.caseDicts.set(e, dict);
    }
    const otherwise = e.whens.length;
    const codes = new Uint8Array(n).fill(otherwise);
    const done = new Uint8Array(n);
    e.whens.forEach((w, branch) => {
      const cond = boolArray(this.node(w.when), n);
      for (let i = 0; i < n; i++) {
        if (cond[i] === 1 && done[i] === 0) {
          codes[i] = branch;
          done[i] = 1;
        }
      }
    });
    return { t: 'dict', codes, dict };
  }
}

function literal(e: Extract<Expr, { k: 'lit' }>): Vec {
  const v = e.value;
  switch (e.type) {
    case 'boolean':
      return constBool(v === null ? BOOL_NULL : v ? 1 : 0);
    case 'string':
      return constStr(v === null ? null : String(v));
    case 'date':
    case 'timestamp':
      // Plans carry epoch ms; ISO text is accepted too (as the SQL compiler does).
      return constNum(v === null ? NaN : typeof v === 'string' ? (parseIsoInstant(v)?.ms ?? NaN) : Number(v));
    default:
      return constNum(v === null ? NaN : Number(v));
  }
}

function toConst(one: Vec, type: Expr['type']): Vec {
  if (one.t === 'const') return one;
  switch (kindOf(type)) {
    case 'num':
      return constNum(numGetter(one)(0));
    case 'bool':
      return constBool(boolGetter(one)(0));
    case 'str':
      return constStr(strGetter(one)(0));
  }
}

const MIRROR: Partial<Record<BinaryOp, BinaryOp>> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '=': '=', '!=': '!=' };

function binary(op: BinaryOp, a: Vec, b: Vec, kind: 'num' | 'bool' | 'str', n: number): Vec {
  switch (op) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return arithmetic(op, numArray(a, n), numArray(b, n), n);
    case 'and':
    case 'or': {
      const x = boolArray(a, n);
      const y = boolArray(b, n);
      const out = new Uint8Array(n);
      if (op === 'and') for (let i = 0; i < n; i++) out[i] = x[i] === 0 || y[i] === 0 ? 0 : x[i] === BOOL_NULL || y[i] === BOOL_NULL ? BOOL_NULL : 1;
      else for (let i = 0; i < n; i++) out[i] = x[i] === 1 || y[i] === 1 ? 1 : x[i] === BOOL_NULL || y[i] === BOOL_NULL ? BOOL_NULL : 0;
      return { t: 'bool', v: out };
    }
    case '&': {
      const x = strGetter(a);
      const y = strGetter(b);
      const out = new Array<string | null>(n);
      for (let i = 0; i < n; i++) {
        const p = x(i);
        const q = y(i);
        out[i] = p === null || q === null ? null : p + q;
      }
      return { t: 'str', v: out };
    }
    default:
      if (kind === 'num') {
        if (b.t === 'const' && a.t === 'num') return compareNumScalar(op, a.v, b.value as number, n);
        if (a.t === 'const' && b.t === 'num') return compareNumScalar(MIRROR[op]!, b.v, a.value as number, n);
        return compareWith(op, n, numArray(a, n), numArray(b, n), (p, q) => (p !== p || q !== q ? null : p - q));
      }
      if (kind === 'bool') {
        const x = boolArray(a, n);
        const y = boolArray(b, n);
        return compareWith(op, n, x, y, (p, q) => (p === BOOL_NULL || q === BOOL_NULL ? null : p - q));
      }
      {
        const x = strGetter(a);
        const y = strGetter(b);
        const equality = op === '=' || op === '!=';
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const p = x(i);
          const q = y(i);
          if (p === null || q === null) out[i] = BOOL_NULL;
          else out[i] = test(op, equality ? (p === q ? 0 : 1) : compareCodePoints(p, q)) ? 1 : 0;
        }
        return { t: 'bool', v: out };
      }
  }
}

function test(op: BinaryOp, c: number): boolean {
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

function compareWith<T extends Float64Array | Uint8Array>(op: BinaryOp, n: number, x: T, y: T, cmp: (p: number, q: number) => number | null): Vec {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = cmp(x[i]!, y[i]!);
    out[i] = c === null ? BOOL_NULL : test(op, c) ? 1 : 0;
  }
  return { t: 'bool', v: out };
}

/** The fast path: a numeric vector against a constant (x < 5, d >= DATE('2024-01-01')). */
function compareNumScalar(op: BinaryOp, x: Float64Array, c: number, n: number): Vec {
  const out = new Uint8Array(n);
  if (c !== c) return { t: 'bool', v: out.fill(BOOL_NULL) };
  switch (op) {
    case '=':
      for (let i = 0; i < n; i++) out[i] = x[i] !== x[i] ? BOOL_NULL : x[i] === c ? 1 : 0;
      break;
    case '!=':
      for (let i = 0; i < n; i++) out[i] = x[i] !== x[i] ? BOOL_NULL : x[i] !== c ? 1 : 0;
      break;
    case '<':
      for (let i = 0; i < n; i++) out[i] = x[i] !== x[i] ? BOOL_NULL : x[i]! < c ? 1 : 0;
      break;
    case '<=':
      for (let i = 0; i < n; i++) out[i] = x[i] !== x[i] ? BOOL_NULL : x[i]! <= c ? 1 : 0;
      break;
    case '>':
      for (let i = 0; i < n; i++) out[i] = x[i] !== x[i] ? BOOL_NULL : x[i]! > c ? 1 : 0;
      break;
    default:
      for (let i = 0; i < n; i++) out[i] = x[i] !== x[i] ? BOOL_NULL : x[i]! >= c ? 1 : 0;
  }
  return { t: 'bool', v: out };
}

function arithmetic(op: '+' | '-' | '*' | '/' | '%', x: Float64Array, y: Float64Array, n: number): Vec {
  const out = new Float64Array(n);
  switch (op) {
    case '+':
      for (let i = 0; i < n; i++) out[i] = x[i]! + y[i]!;
      break;
    case '-':
      for (let i = 0; i < n; i++) out[i] = x[i]! - y[i]!;
      break;
    case '*':
      for (let i = 0; i < n; i++) out[i] = x[i]! * y[i]!;
      break;
    case '/':
      for (let i = 0; i < n; i++) out[i] = y[i] === 0 ? NaN : x[i]! / y[i]!;
      break;
    case '%':
      for (let i = 0; i < n; i++) out[i] = remainder(x[i]!, y[i]!);
      break;
  }
  return { t: 'num', v: out };
}
