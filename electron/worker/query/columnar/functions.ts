import type { Expr } from '../../../../shared/analysis/expr/ast.js';
import { GRAINS, type Grain } from '../../../../shared/analysis/spec.js';
import { StrongroomError } from '../../../../shared/errors.js';
import { leftChars, power, rightChars, roundHalfAwayFromZero, substrChars, decimalRemainder } from '../sql-expr.js';
import { dateAdd, dateDiff, DayMemo, dayOf, hourOf, partOfDay, periodStart, type DatePart } from './calendar.js';
import { BOOL_NULL, DAY_MS, parseDate } from './store.js';
import { boolGetter, constNum, kindOf, numArray, numGetter, strGetter, type Vec } from './vector.js';

/**
 * Built-in functions of the expression language over vectors. Scalar rules (ROUND, %, LEFT/RIGHT/
 * SUBSTR counts, POWER) are the ones electron/worker/query/sql-expr.ts defines for both SQL dialects;
 * its JavaScript implementations are called directly so the engines cannot drift apart.
 */

type Call = Extract<Expr, { k: 'call' }>;

const nullable = (x: number): number | null => (x !== x ? null : x);

function str(n: number, f: (i: number) => string | null): Vec {
  const out = new Array<string | null>(n);
  for (let i = 0; i < n; i++) out[i] = f(i);
  return { t: 'str', v: out };
}

function num(n: number, f: (i: number) => number): Vec {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(i);
  return { t: 'num', v: out };
}

function bool(n: number, f: (i: number) => boolean | null): Vec {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const b = f(i);
    out[i] = b === null ? BOOL_NULL : b ? 1 : 0;
  }
  return { t: 'bool', v: out };
}

/** A unary numeric function as a typed loop (NaN in, NaN out unless `f` says otherwise). */
function mapNum(a: Vec, n: number, f: (x: number) => number): Vec {
  if (a.t === 'const') return constNum(f(a.value as number));
  const x = numArray(a, n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(x[i]!);
  return { t: 'num', v: out };
}

function unitOf(e: Expr): Grain {
  if (e.k === 'lit' && typeof e.value === 'string' && (GRAINS as readonly string[]).includes(e.value)) return e.value as Grain;
  throw new StrongroomError('INTERNAL', 'A date unit must be one of day, week, month, quarter, year');
}

/** x % y as the SQL engines compute it (decimal remainder to 15 significant digits; null for y = 0). */
export function remainder(x: number, y: number): number {
  if (Number.isSafeInteger(x) && Number.isSafeInteger(y)) {
    if (y === 0) return NaN;
    const r = x % y;
    return r === 0 ? 0 : r;
  }
  if (x !== x || y !== y) return NaN;
  return decimalRemainder(x, y) ?? NaN;
}

function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** TRIM: spaces, tabs, CR and LF at both ends (what both SQL dialects remove). */
function trimBlanks(s: string): string {
  let a = 0;
  let b = s.length;
  const blank = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
  while (a < b && blank(s.charCodeAt(a))) a++;
  while (b > a && blank(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function datePart(part: DatePart, a: Vec, n: number): Vec {
  if (part === 'HOUR') return mapNum(a, n, hourOf);
  const memo = new DayMemo(partOfDay(part));
  return mapNum(a, n, (ms) => (ms !== ms ? NaN : memo.get(dayOf(ms))));
}

export function callFunction(e: Call, args: Vec[], n: number): Vec {
  const a = args[0]!;
  switch (e.fn) {
    case 'COALESCE': {
      const kind = kindOf(e.type);
      if (kind === 'num') {
        const gets = args.map(numGetter);
        return num(n, (i) => {
          for (const g of gets) {
            const v = g(i);
            if (v === v) return v;
          }
          return NaN;
        });
      }
      if (kind === 'bool') {
        const gets = args.map(boolGetter);
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          let v = BOOL_NULL;
          for (const g of gets) if ((v = g(i)) !== BOOL_NULL) break;
          out[i] = v;
        }
        return { t: 'bool', v: out };
      }
      const gets = args.map(strGetter);
      return str(n, (i) => {
        for (const g of gets) {
          const v = g(i);
          if (v !== null) return v;
        }
        return null;
      });
    }
    case 'UPPER':
    case 'LOWER':
    case 'TRIM': {
      const g = strGetter(a);
      const f = e.fn === 'UPPER' ? (s: string) => s.toUpperCase() : e.fn === 'LOWER' ? (s: string) => s.toLowerCase() : trimBlanks;
      return str(n, (i) => {
        const s = g(i);
        return s === null ? null : f(s);
      });
    }
    case 'LENGTH': {
      const g = strGetter(a);
      return num(n, (i) => {
        const s = g(i);
        return s === null ? NaN : codePointLength(s);
      });
    }
    case 'LEFT':
    case 'RIGHT': {
      const g = strGetter(a);
      const k = numGetter(args[1]!);
      const f = e.fn === 'LEFT' ? leftChars : rightChars;
      return str(n, (i) => f(g(i), nullable(k(i))));
    }
    case 'SUBSTR': {
      const g = strGetter(a);
      const start = numGetter(args[1]!);
      const length = args.length > 2 ? numGetter(args[2]!) : null;
      return str(n, (i) => substrChars(g(i), nullable(start(i)), length ? nullable(length(i)) : undefined));
    }
    case 'REPLACE': {
      const [g, find, by] = args.map(strGetter) as [ReturnType<typeof strGetter>, ReturnType<typeof strGetter>, ReturnType<typeof strGetter>];
      return str(n, (i) => {
        const s = g(i);
        const f = find(i);
        const r = by(i);
        if (s === null || f === null || r === null) return null;
        return f === '' ? s : s.split(f).join(r);
      });
    }
    case 'CONCAT': {
      const gets = args.map(strGetter);
      return str(n, (i) => {
        let s = '';
        for (const g of gets) s += g(i) ?? '';
        return s;
      });
    }
    case 'CONTAINS':
    case 'STARTSWITH':
    case 'ENDSWITH': {
      const g = strGetter(a);
      const p = strGetter(args[1]!);
      const fn = e.fn;
      return bool(n, (i) => {
        const s = g(i);
        const part = p(i);
        if (s === null || part === null) return null;
        return fn === 'CONTAINS' ? s.includes(part) : fn === 'STARTSWITH' ? s.startsWith(part) : s.endsWith(part);
      });
    }
    case 'ABS':
      return mapNum(a, n, Math.abs);
    case 'FLOOR':
      return mapNum(a, n, Math.floor);
    case 'CEIL':
      return mapNum(a, n, Math.ceil);
    case 'EXP':
      return mapNum(a, n, Math.exp);
    case 'SQRT':
      return mapNum(a, n, (x) => (x < 0 ? NaN : Math.sqrt(x)));
    case 'LN':
      return mapNum(a, n, (x) => (x > 0 ? Math.log(x) : NaN));
    case 'ROUND': {
      const digits = args.length > 1 ? numGetter(args[1]!) : () => 0;
      const x = numGetter(a);
      return num(n, (i) => {
        const v = x(i);
        const d = digits(i);
        if (v !== v || d !== d) return NaN;
        // Whole numbers at whole-number precision are already rounded (the common case, no BigInt).
        if (d >= 0 && Number.isInteger(v) && Math.abs(v) < 1e15) return v;
        return roundHalfAwayFromZero(v, d) ?? NaN;
      });
    }
    case 'POWER': {
      const x = numGetter(a);
      const y = numGetter(args[1]!);
      return num(n, (i) => {
        const b = x(i);
        const p = y(i);
        return b !== b || p !== p ? NaN : (power(b, p) ?? NaN);
      });
    }
    case 'YEAR':
    case 'QUARTER':
    case 'MONTH':
    case 'DAY':
    case 'WEEKDAY':
    case 'HOUR':
      return datePart(e.fn, a, n);
    case 'DATETRUNC': {
      const grain = unitOf(e.args[0]!);
      const memo = new DayMemo((day) => periodStart(day, grain));
      return mapNum(args[1]!, n, (ms) => (ms !== ms ? NaN : memo.get(dayOf(ms)) * DAY_MS));
    }
    case 'DATEDIFF': {
      const unit = unitOf(e.args[0]!);
      const x = numGetter(args[1]!);
      const y = numGetter(args[2]!);
      return num(n, (i) => dateDiff(unit, x(i), y(i)));
    }
    case 'DATEADD': {
      const unit = unitOf(e.args[0]!);
      const k = numGetter(args[1]!);
      const x = numGetter(args[2]!);
      return num(n, (i) => dateAdd(unit, k(i), x(i)));
    }
    case 'TODAY':
      return constNum(dayOf(Date.now()) * DAY_MS);
    case 'DATE': {
      const s = a.t === 'const' && typeof a.value === 'string' ? a.value : null;
      return constNum(s === null ? NaN : parseDate(s));
    }
  }
}
