/**
 * A deliberately naive reference executor for analysis plans, to check the real engines against
 * (the in-memory columnar engine, the SQLite cache and PostgreSQL). Row at a time, Maps with JSON
 * keys, full sorts; it shares no code with any engine (not even the shared date or ordering helpers).
 *
 * Rows hold cache-form values: numbers, 0/1 booleans, `YYYY-MM-DD` dates, ISO timestamp text
 * (`2024-03-08T10:15:00Z`, `…00.123456Z`), strings, null.
 */
import type { Expr } from '../../shared/analysis/expr/ast.js';
import type { EngineResult, Plan, PlanFilter, RankBy } from '../../shared/analysis/plan.js';
import type { Cell, Grain } from '../../shared/analysis/spec.js';

/** A value while evaluating: dates and timestamps are epoch milliseconds. */
type V = number | string | boolean | null;
type Row = Record<string, unknown>;

const DAY = 86_400_000;

// ---- dates -------------------------------------------------------------------------------------

function utc(y: number, month0: number, d: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, month0, d);
  t.setUTCHours(0, 0, 0, 0);
  return t.getTime();
}

function ymd(ms: number): [number, number, number] {
  const t = new Date(ms);
  return [t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()];
}

function monthDays(y: number, month0: number): number {
  return new Date(utc(y, month0 + 1, 1) - DAY).getUTCDate();
}

function parseDateText(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new Error(`reference: bad date ${s}`);
  return utc(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function parseTimestampText(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z?$/.exec(s);
  if (!m) throw new Error(`reference: bad timestamp ${s}`);
  const whole = utc(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + ((Number(m[4]) * 60 + Number(m[5])) * 60 + Number(m[6])) * 1000;
  const micros = m[7] ? Number((m[7] + '000000').slice(0, 6)) : 0;
  return micros === 0 ? whole : whole + micros / 1000;
}

function truncate(ms: number, grain: Grain): number {
  const [y, mo, d] = ymd(ms);
  switch (grain) {
    case 'day':
      return utc(y, mo, d);
    case 'week':
      return utc(y, mo, d) - ((new Date(ms).getUTCDay() + 6) % 7) * DAY;
    case 'month':
      return utc(y, mo, 1);
    case 'quarter':
      return utc(y, mo - (mo % 3), 1);
    case 'year':
      return utc(y, 0, 1);
  }
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

// ---- text --------------------------------------------------------------------------------------

function chars(s: string): string[] {
  return Array.from(s);
}

/** Code point order, written out. */
function cpCompare(a: string, b: string): number {
  const x = chars(a).map((c) => c.codePointAt(0)!);
  const y = chars(b).map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** Orders values of one type: numbers, strings by code point, false < true; null last. */
function compareValues(a: V, b: V): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'string') return cpCompare(a, b as string);
  if (typeof a === 'boolean') return Number(a) - Number(b);
  return a < (b as number) ? -1 : a > (b as number) ? 1 : 0;
}

// ---- numbers -----------------------------------------------------------------------------------

/** x as an exact decimal of 15 significant digits: [integer digits as bigint, power of ten]. */
function dec15(x: number): [bigint, number] {
  const [mant, exp] = Math.abs(x).toExponential(14).split('e') as [string, string];
  const digits = BigInt(mant.replace('.', ''));
  return [x < 0 ? -digits : digits, Number(exp) - 14];
}

function decToNumber(d: bigint, e: number): number {
  return Number(`${d}e${e}`);
}

function refRound(x: number, digits: number): number {
  const places = Math.max(-300, Math.min(300, Math.trunc(digits)));
  const [d, e] = dec15(x);
  if (e >= -places) return decToNumber(d, e);
  const unit = 10n ** BigInt(-places - e);
  const neg = d < 0n;
  const a = neg ? -d : d;
  let q = a / unit;
  if ((a % unit) * 2n >= unit) q += 1n;
  const r = decToNumber(q, -places);
  return neg ? -r : r;
}

function refMod(x: number, y: number): number | null {
  if (y === 0 || !Number.isFinite(x) || !Number.isFinite(y)) return null;
  const [a, ea] = dec15(x);
  const [b, eb] = dec15(y);
  const e = Math.min(ea, eb);
  const r = (a * 10n ** BigInt(ea - e)) % (b * 10n ** BigInt(eb - e)); // bigint % keeps the dividend's sign
  const out = decToNumber(r, e);
  return out === 0 ? 0 : out;
}

// ---- expressions -------------------------------------------------------------------------------

function fromCache(value: unknown, e: Extract<Expr, { k: 'col' }>): V {
  if (value === null || value === undefined) return null;
  switch (e.type) {
    case 'boolean':
      return value === 1 || value === true;
    case 'date':
      return parseDateText(String(value));
    case 'timestamp':
      return parseTimestampText(String(value));
    case 'number':
      return Number(value);
    default:
      return String(value);
  }
}

function evaluate(e: Expr, row: Row): V {
  switch (e.k) {
    case 'lit':
      return e.value;
    case 'col':
      return fromCache(row[e.name], e);
    case 'un': {
      const a = evaluate(e.arg, row);
      if (a === null) return null;
      return e.op === 'neg' ? -(a as number) : !a;
    }
    case 'isnull':
      return (evaluate(e.arg, row) === null) !== e.negate;
    case 'case': {
      for (const w of e.whens) if (evaluate(w.when, row) === true) return evaluate(w.then, row);
      return e.else ? evaluate(e.else, row) : null;
    }
    case 'bin': {
      const a = evaluate(e.left, row);
      const b = evaluate(e.right, row);
      if (e.op === 'and') return a === false || b === false ? false : a === null || b === null ? null : true;
      if (e.op === 'or') return a === true || b === true ? true : a === null || b === null ? null : false;
      if (a === null || b === null) return null;
      switch (e.op) {
        case '+':
          return (a as number) + (b as number);
        case '-':
          return (a as number) - (b as number);
        case '*':
          return (a as number) * (b as number);
        case '/':
          return b === 0 ? null : (a as number) / (b as number);
        case '%':
          return refMod(a as number, b as number);
        case '&':
          return `${a as string}${b as string}`;
        default: {
          const c = compareValues(a, b);
          return { '=': c === 0, '!=': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[e.op as '=' | '!=' | '<' | '<=' | '>' | '>='];
        }
      }
    }
    case 'call':
      return callFn(e, row);
  }
}

function callFn(e: Extract<Expr, { k: 'call' }>, row: Row): V {
  if (e.fn === 'COALESCE') {
    for (const a of e.args) {
      const v = evaluate(a, row);
      if (v !== null) return v;
    }
    return null;
  }
  if (e.fn === 'CONCAT') return e.args.map((a) => evaluate(a, row) ?? '').join('');
  const unit = (e.args[0]?.k === 'lit' ? e.args[0].value : null) as Grain;
  const args = e.args.map((a) => evaluate(a, row));
  if (args.some((a) => a === null)) return null;
  const s = args[0] as string;
  const x = args[0] as number;
  const count = (v: V) => Math.max(Math.trunc(v as number), 0);
  switch (e.fn) {
    case 'UPPER':
      return s.toUpperCase();
    case 'LOWER':
      return s.toLowerCase();
    case 'TRIM':
      return s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    case 'LENGTH':
      return chars(s).length;
    case 'LEFT':
      return chars(s).slice(0, count(args[1]!)).join('');
    case 'RIGHT': {
      const n = count(args[1]!);
      return n === 0 ? '' : chars(s).slice(-n).join('');
    }
    case 'SUBSTR': {
      const start = Math.trunc(args[1] as number);
      const end = args.length > 2 ? start + count(args[2]!) : Infinity; // exclusive, 1-based
      return chars(s)
        .filter((_, i) => i + 1 >= start && i + 1 < end)
        .join('');
    }
    case 'REPLACE':
      return (args[1] as string) === '' ? s : s.split(args[1] as string).join(args[2] as string);
    case 'CONTAINS':
      return s.includes(args[1] as string);
    case 'STARTSWITH':
      return s.startsWith(args[1] as string);
    case 'ENDSWITH':
      return s.endsWith(args[1] as string);
    case 'ABS':
      return Math.abs(x);
    case 'ROUND':
      return refRound(x, args.length > 1 ? (args[1] as number) : 0);
    case 'FLOOR':
      return Math.floor(x);
    case 'CEIL':
      return Math.ceil(x);
    case 'SQRT':
      return x < 0 ? null : Math.sqrt(x);
    case 'LN':
      return x <= 0 ? null : Math.log(x);
    case 'EXP':
      return Math.exp(x);
    case 'POWER': {
      const r = x ** (args[1] as number);
      return Number.isFinite(r) ? r : null;
    }
    case 'YEAR':
      return ymd(x)[0];
    case 'QUARTER':
      return Math.floor(ymd(x)[1] / 3) + 1;
    case 'MONTH':
      return ymd(x)[1] + 1;
    case 'DAY':
      return ymd(x)[2];
    case 'WEEKDAY':
      return ((new Date(x).getUTCDay() + 6) % 7) + 1;
    case 'HOUR':
      return new Date(x).getUTCHours();
    case 'DATETRUNC':
      return truncate(args[1] as number, unit);
    case 'DATEDIFF': {
      const [a, b] = [args[1] as number, args[2] as number];
      const [ya, ma] = ymd(a);
      const [yb, mb] = ymd(b);
      switch (unit) {
        case 'day':
          return Math.round((truncate(b, 'day') - truncate(a, 'day')) / DAY);
        case 'week':
          return Math.round((truncate(b, 'week') - truncate(a, 'week')) / (7 * DAY));
        case 'month':
          return yb * 12 + mb - (ya * 12 + ma);
        case 'quarter':
          return yb * 4 + Math.floor(mb / 3) - (ya * 4 + Math.floor(ma / 3));
        case 'year':
          return yb - ya;
      }
      return null;
    }
    case 'DATEADD': {
      const n = Math.trunc(args[1] as number);
      const ms = args[2] as number;
      const timeOfDay = ms - truncate(ms, 'day');
      const [y, mo, d] = ymd(ms);
      let out: number;
      if (unit === 'day' || unit === 'week') out = utc(y, mo, d + n * (unit === 'week' ? 7 : 1));
      else {
        const months = mo + n * (unit === 'month' ? 1 : unit === 'quarter' ? 3 : 12);
        const ny = y + Math.floor(months / 12);
        const nm = ((months % 12) + 12) % 12;
        out = utc(ny, nm, Math.min(d, monthDays(ny, nm)));
      }
      const year = new Date(out).getUTCFullYear();
      return year < 1 || year > 9999 ? null : out + timeOfDay;
    }
    case 'TODAY':
      return truncate(Date.now(), 'day');
    case 'DATE':
      return parseDateText(s);
  }
  throw new Error(`reference: unknown function ${String(e.fn)}`);
}

// ---- filters, aggregates, results --------------------------------------------------------------

function passes(f: Exclude<PlanFilter, { op: 'top' }>, v: V): boolean {
  switch (f.op) {
    case 'in':
      return v === null ? f.includeNull : f.values.some((x) => compareValues(x, v) === 0);
    case 'not_in':
      return v === null ? !f.includeNull : !f.values.some((x) => compareValues(x, v) === 0);
    case 'range':
      if (v === null) return false;
      if (f.min !== undefined && compareValues(v, f.min) < 0) return false;
      if (f.max !== undefined && compareValues(v, f.max) > (f.maxExclusive ? -1 : 0)) return false;
      return true;
    case 'contains':
      return v !== null && (f.caseSensitive ? (v as string).includes(f.value) : (v as string).toLowerCase().includes(f.value.toLowerCase()));
    case 'null':
      return v === null;
    case 'not_null':
      return v !== null;
  }
}

function aggregateRows(m: RankBy, rows: Row[]): V {
  if (m.expr === null) return rows.length;
  const values = rows.map((r) => evaluate(m.expr!, r)).filter((v): v is Exclude<V, null> => v !== null);
  const nums = values as number[];
  switch (m.agg) {
    case 'count':
      return values.length;
    case 'count_distinct':
      return new Set(values.map((v) => JSON.stringify(v))).size;
    case 'sum':
      return values.length ? nums.reduce((a, b) => a + b, 0) : null;
    case 'avg':
      return values.length ? nums.reduce((a, b) => a + b, 0) / values.length : null;
    case 'min':
    case 'max': {
      if (!values.length) return null;
      const sorted = [...values].sort(compareValues);
      return m.agg === 'min' ? sorted[0]! : sorted[sorted.length - 1]!;
    }
    case 'median':
    case 'percentile': {
      if (!values.length) return null;
      const sorted = [...nums].sort((a, b) => a - b);
      const pos = (m.p ?? 0.5) * (sorted.length - 1);
      const lo = Math.floor(pos);
      const hi = Math.ceil(pos);
      return lo === hi ? sorted[lo]! : sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
    }
    case 'stddev': {
      if (values.length < 2) return null;
      const mean = nums.reduce((a, b) => a + b, 0) / nums.length;
      return Math.sqrt(nums.reduce((a, b) => a + (b - mean) ** 2, 0) / (nums.length - 1));
    }
  }
}

/** A dimension's grouping value (raw: instants stay numbers so distinct instants stay distinct). */
function dimensionValue(d: Plan['dimensions'][number], row: Row): V {
  const v = evaluate(d.expr, row);
  if (v === null) return null;
  if (d.grain) return truncate(v as number, d.grain);
  if (d.bin) return Math.floor(((v as number) - d.bin.origin) / d.bin.width) * d.bin.width + d.bin.origin;
  if (d.expr.type === 'date') return truncate(v as number, 'day');
  return v;
}

function toCell(v: V, type: Plan['columns'][number]['type']): Cell {
  if (v === null) return null;
  if (type === 'date') return isoDay(v as number);
  if (type === 'timestamp') return new Date(v as number).toISOString();
  return v;
}

export function referenceExecute(plan: Plan, rows: Record<string, unknown>[]): EngineResult {
  const plain = plan.filters.filter((f): f is Exclude<PlanFilter, { op: 'top' }> => f.op !== 'top');
  const base = rows.filter((r) => plain.every((f) => passes(f, evaluate(f.expr, r))));
  let selected = base;
  for (const t of plan.filters) {
    if (t.op !== 'top') continue;
    const groups = new Map<string, { value: V; rows: Row[] }>();
    for (const r of base) {
      const value = evaluate(t.expr, r);
      const key = JSON.stringify(value);
      if (!groups.has(key)) groups.set(key, { value, rows: [] });
      groups.get(key)!.rows.push(r);
    }
    const ranked = [...groups.entries()].map(([key, g]) => ({ key, value: g.value, by: aggregateRows(t.by, g.rows) }));
    ranked.sort((a, b) => {
      if (a.by !== b.by) {
        if (a.by === null) return 1;
        if (b.by === null) return -1;
        const c = compareValues(a.by, b.by);
        if (c !== 0) return t.bottom ? c : -c;
      }
      return compareValues(a.value, b.value);
    });
    const keep = new Set(ranked.slice(0, t.n).map((x) => x.key));
    selected = selected.filter((r) => keep.has(JSON.stringify(evaluate(t.expr, r))));
  }

  const nd = plan.dimensions.length;
  const data: Cell[][] = plan.columns.map(() => []);
  const grouping: number[] = [];
  let truncated = false;
  for (const mask of plan.groupingSets) {
    const groups = new Map<string, { dims: V[]; rows: Row[] }>();
    if (nd === 0 || plan.dimensions.every((_, d) => mask & (1 << d))) groups.set('all', { dims: plan.dimensions.map(() => null), rows: [] });
    for (const r of selected) {
      const dims = plan.dimensions.map((d, i) => (mask & (1 << i) ? null : dimensionValue(d, r)));
      const key = groups.has('all') ? 'all' : JSON.stringify(dims);
      if (!groups.has(key)) groups.set(key, { dims, rows: [] });
      groups.get(key)!.rows.push(r);
    }
    const out = [...groups.values()].map((g) => [...g.dims, ...plan.measures.map((m) => aggregateRows(m, g.rows))]);
    out.sort((a, b) => {
      for (const o of plan.order) {
        const c = compareValues(a[o.column]!, b[o.column]!);
        if (c !== 0) return a[o.column] === null || b[o.column] === null ? c : o.dir === 'desc' ? -c : c;
      }
      return 0;
    });
    if (mask === 0 && out.length > plan.limit) truncated = true;
    for (const row of out.slice(0, plan.limit)) {
      row.forEach((v, c) => data[c]!.push(toCell(v, plan.columns[c]!.type)));
      grouping.push(mask);
    }
  }
  return { data, rowCount: grouping.length, grouping, truncated };
}
