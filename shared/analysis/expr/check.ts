import { GRAINS, type Grain, type ValueType } from '../spec.js';
import type { BinaryOp, Expr, FunctionName } from './ast.js';
import { ExpressionError, parseExpression, type SyntaxNode } from './parse.js';

export { ExpressionError, parseExpression } from './parse.js';
export type { SyntaxNode } from './parse.js';

/** A field an expression may refer to: a column, or an already-checked calculated field. */
export interface FieldInfo {
  type: ValueType;
  /** The typed expression the reference stands for (a `col`, or the calculated field's tree). */
  expr: Expr;
}

export interface CheckOptions {
  /** The instant TODAY() is taken from (its UTC date). Defaults to the current time. */
  now?: Date | number;
  /** Names of the fields in scope, for "did you mean" suggestions on unknown fields. */
  fieldNames?: readonly string[];
}

/**
 * Largest checked tree, counting the calculated fields it uses at every place they are used. Bounds
 * the SQL and the in-memory evaluation a spec can ask for (fields that use fields twice double).
 */
export const MAX_EXPANDED_NODES = 10_000;
/**
 * Deepest checked tree, calculated fields included. Each level becomes a few levels of SQL and
 * SQLite refuses expression trees deeper than 1000.
 */
export const MAX_EXPANDED_DEPTH = 100;

/** Documentation of one function, for the expression editor's help. */
export interface FunctionHelp {
  name: FunctionName;
  /** e.g. `LEFT(text, count)`; optional arguments in brackets. */
  signature: string;
  /** Result type. */
  returns: ValueType | 'same as the arguments' | 'same as date';
  description: string;
}

/** Every function of the language, with its signature and a one-line description. */
export const EXPRESSION_FUNCTIONS: readonly FunctionHelp[] = [
  { name: 'COALESCE', signature: 'COALESCE(value, value, …)', returns: 'same as the arguments', description: 'The first argument that is not null.' },
  { name: 'UPPER', signature: 'UPPER(text)', returns: 'string', description: 'Text in upper case (all alphabets, not only A–Z).' },
  { name: 'LOWER', signature: 'LOWER(text)', returns: 'string', description: 'Text in lower case (all alphabets, not only A–Z).' },
  { name: 'TRIM', signature: 'TRIM(text)', returns: 'string', description: 'Text without leading and trailing spaces, tabs and line breaks.' },
  { name: 'LENGTH', signature: 'LENGTH(text)', returns: 'number', description: 'Number of characters.' },
  { name: 'LEFT', signature: 'LEFT(text, count)', returns: 'string', description: 'The first count characters.' },
  { name: 'RIGHT', signature: 'RIGHT(text, count)', returns: 'string', description: 'The last count characters.' },
  { name: 'SUBSTR', signature: 'SUBSTR(text, start[, length])', returns: 'string', description: 'Characters from position start (the first is 1), to the end or length of them.' },
  { name: 'REPLACE', signature: 'REPLACE(text, find, replacement)', returns: 'string', description: 'Text with every occurrence of find replaced (case-sensitive).' },
  { name: 'CONCAT', signature: 'CONCAT(text, text, …)', returns: 'string', description: 'The texts joined; null counts as empty (unlike &, where null gives null).' },
  { name: 'CONTAINS', signature: 'CONTAINS(text, part)', returns: 'boolean', description: 'Whether text contains part (case-sensitive; % and _ are ordinary characters).' },
  { name: 'STARTSWITH', signature: 'STARTSWITH(text, prefix)', returns: 'boolean', description: 'Whether text starts with prefix (case-sensitive).' },
  { name: 'ENDSWITH', signature: 'ENDSWITH(text, suffix)', returns: 'boolean', description: 'Whether text ends with suffix (case-sensitive).' },
  { name: 'ABS', signature: 'ABS(number)', returns: 'number', description: 'Absolute value.' },
  { name: 'ROUND', signature: 'ROUND(number[, digits])', returns: 'number', description: 'Rounded to digits decimals (default 0; negative rounds to tens, hundreds…), halves away from zero.' },
  { name: 'FLOOR', signature: 'FLOOR(number)', returns: 'number', description: 'Largest whole number not above the number.' },
  { name: 'CEIL', signature: 'CEIL(number)', returns: 'number', description: 'Smallest whole number not below the number.' },
  { name: 'SQRT', signature: 'SQRT(number)', returns: 'number', description: 'Square root; null for negative numbers.' },
  { name: 'POWER', signature: 'POWER(base, exponent)', returns: 'number', description: 'base raised to exponent; null when undefined (0 to a negative power, a negative base to a fraction).' },
  { name: 'LN', signature: 'LN(number)', returns: 'number', description: 'Natural logarithm; null for zero and negative numbers.' },
  { name: 'EXP', signature: 'EXP(number)', returns: 'number', description: 'e raised to the number.' },
  { name: 'YEAR', signature: 'YEAR(date)', returns: 'number', description: 'Year of a date or timestamp (UTC).' },
  { name: 'QUARTER', signature: 'QUARTER(date)', returns: 'number', description: 'Quarter, 1 to 4.' },
  { name: 'MONTH', signature: 'MONTH(date)', returns: 'number', description: 'Month, 1 to 12.' },
  { name: 'DAY', signature: 'DAY(date)', returns: 'number', description: 'Day of the month, 1 to 31.' },
  { name: 'WEEKDAY', signature: 'WEEKDAY(date)', returns: 'number', description: 'Day of the week, 1 (Monday) to 7 (Sunday).' },
  { name: 'HOUR', signature: 'HOUR(timestamp)', returns: 'number', description: 'Hour of a timestamp, 0 to 23 (UTC).' },
  { name: 'DATETRUNC', signature: "DATETRUNC('day'|'week'|'month'|'quarter'|'year', date)", returns: 'date', description: 'First day of the period containing the date (weeks start on Monday).' },
  { name: 'DATEDIFF', signature: "DATEDIFF('day'|'week'|'month'|'quarter'|'year', start, end)", returns: 'number', description: 'Number of period boundaries crossed from start to end (negative if end is earlier).' },
  { name: 'DATEADD', signature: "DATEADD('day'|'week'|'month'|'quarter'|'year', count, date)", returns: 'same as date', description: 'The date moved by count periods; month ends clamp (31 January + 1 month = 28 or 29 February).' },
  { name: 'TODAY', signature: 'TODAY()', returns: 'date', description: "Today's date (UTC) when the analysis runs." },
  { name: 'DATE', signature: "DATE('YYYY-MM-DD')", returns: 'date', description: 'A date written as text in quotes.' },
];

// Names of aggregates people write out of habit; calculated fields work row by row.
const AGGREGATES = new Set(['SUM', 'AVG', 'AVERAGE', 'COUNT', 'COUNTD', 'MIN', 'MAX', 'MEDIAN', 'PERCENTILE', 'STDDEV', 'STDEV', 'VAR', 'VARIANCE', 'ATTR']);

// Functions from other tools, and what this language calls them.
const FUNCTION_HINTS: Record<string, string> = {
  IIF: 'IF(condition, then, else)',
  IFNULL: 'COALESCE(value, fallback)',
  NVL: 'COALESCE(value, fallback)',
  ISNULL: 'COALESCE(value, fallback), or value IS NULL',
  LEN: 'LENGTH(text)',
  SUBSTRING: 'SUBSTR(text, start, length)',
  MID: 'SUBSTR(text, start, length)',
  CEILING: 'CEIL(number)',
  POW: 'POWER(base, exponent)',
  LOG: 'LN(number)',
  NOW: 'TODAY()',
  DATEPART: 'YEAR, QUARTER, MONTH, DAY, WEEKDAY or HOUR',
  DATE_TRUNC: "DATETRUNC('month', date)",
  FIND: 'CONTAINS(text, part)',
};

type Param = 'number' | 'string' | 'datelike' | 'timestamp' | 'unit' | 'any';

interface Signature {
  params: Param[];
  /** How many trailing params may be left out. */
  optional?: number;
  /** Repeat the last param any number of times (at least once). */
  variadic?: boolean;
  returns: ValueType | 'unify' | 'third';
}

const SIGNATURES: Record<FunctionName, Signature> = {
  COALESCE: { params: ['any'], variadic: true, returns: 'unify' },
  UPPER: { params: ['string'], returns: 'string' },
  LOWER: { params: ['string'], returns: 'string' },
  TRIM: { params: ['string'], returns: 'string' },
  LENGTH: { params: ['string'], returns: 'number' },
  LEFT: { params: ['string', 'number'], returns: 'string' },
  RIGHT: { params: ['string', 'number'], returns: 'string' },
  SUBSTR: { params: ['string', 'number', 'number'], optional: 1, returns: 'string' },
  REPLACE: { params: ['string', 'string', 'string'], returns: 'string' },
  CONCAT: { params: ['string'], variadic: true, returns: 'string' },
  CONTAINS: { params: ['string', 'string'], returns: 'boolean' },
  STARTSWITH: { params: ['string', 'string'], returns: 'boolean' },
  ENDSWITH: { params: ['string', 'string'], returns: 'boolean' },
  ABS: { params: ['number'], returns: 'number' },
  ROUND: { params: ['number', 'number'], optional: 1, returns: 'number' },
  FLOOR: { params: ['number'], returns: 'number' },
  CEIL: { params: ['number'], returns: 'number' },
  SQRT: { params: ['number'], returns: 'number' },
  POWER: { params: ['number', 'number'], returns: 'number' },
  LN: { params: ['number'], returns: 'number' },
  EXP: { params: ['number'], returns: 'number' },
  YEAR: { params: ['datelike'], returns: 'number' },
  QUARTER: { params: ['datelike'], returns: 'number' },
  MONTH: { params: ['datelike'], returns: 'number' },
  DAY: { params: ['datelike'], returns: 'number' },
  WEEKDAY: { params: ['datelike'], returns: 'number' },
  HOUR: { params: ['timestamp'], returns: 'number' },
  DATETRUNC: { params: ['unit', 'datelike'], returns: 'date' },
  DATEDIFF: { params: ['unit', 'datelike', 'datelike'], returns: 'number' },
  DATEADD: { params: ['unit', 'number', 'datelike'], returns: 'third' },
  TODAY: { params: [], returns: 'date' },
  DATE: { params: ['string'], returns: 'date' },
};

const FUNCTION_NAMES = new Set(Object.keys(SIGNATURES));

const TYPE_NAMES: Record<ValueType | 'null', string> = {
  number: 'number',
  string: 'text',
  boolean: 'true/false',
  date: 'date',
  timestamp: 'timestamp',
  null: 'NULL',
};

const ARITHMETIC_VERBS: Record<string, string> = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '%': 'take the remainder of' };

const typeName = (e: Expr) => TYPE_NAMES[e.type];
const isDatelike = (t: Expr['type']) => t === 'date' || t === 'timestamp';

/** A field reference as written in brackets (`]` doubled). */
function bracketed(name: string): string {
  return `[${name.replaceAll(']', ']]')}]`;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function closest(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameCase = candidates.find((c) => c.toLowerCase() === lower);
  if (sameCase) return sameCase;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d <= bestDistance && (best === undefined || d < bestDistance)) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Gives a null-typed expression (NULL, or IF/CASE whose every branch is NULL) a type from its context. */
function coerce(e: Expr, type: ValueType): Expr {
  if (e.type !== 'null') return e;
  if (e.k === 'case') {
    return { k: 'case', type, whens: e.whens.map((w) => ({ when: w.when, then: coerce(w.then, type) })), else: e.else && coerce(e.else, type) };
  }
  return { k: 'lit', type, value: null };
}

const isNullLiteral = (e: Expr) => e.k === 'lit' && e.type === 'null';

function hasUnpairedSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return true;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return true;
    }
  }
  return false;
}

/** Epoch milliseconds of a `YYYY-MM-DD` calendar date, or null if it is not one. */
function parseDateLiteral(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  back.setUTCFullYear(y, mo - 1, d);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || y < 1) return null;
  return back.getTime();
}

class Checker {
  private readonly nowMs: number;

  constructor(
    private readonly resolveField: (name: string) => FieldInfo | null,
    private readonly options: CheckOptions,
  ) {
    const now = options.now ?? Date.now();
    this.nowMs = typeof now === 'number' ? now : now.getTime();
  }

  check(node: SyntaxNode): Expr {
    switch (node.kind) {
      case 'number':
        return { k: 'lit', type: 'number', value: node.value };
      case 'string':
        if (node.value.includes('\0')) throw new ExpressionError('Text cannot contain the NUL character (U+0000)', node.pos);
        if (hasUnpairedSurrogate(node.value)) throw new ExpressionError('Text contains an unpaired surrogate (a broken character)', node.pos);
        return { k: 'lit', type: 'string', value: node.value };
      case 'boolean':
        return { k: 'lit', type: 'boolean', value: node.value };
      case 'null':
        return { k: 'lit', type: 'null', value: null };
      case 'field':
        return this.field(node);
      case 'unary':
        return this.unary(node);
      case 'binary':
        return this.binary(node);
      case 'isnull':
        return { k: 'isnull', type: 'boolean', arg: this.check(node.arg), negate: node.negate };
      case 'case':
        return this.caseExpr(node);
      case 'call':
        return this.call(node);
    }
  }

  private field(node: Extract<SyntaxNode, { kind: 'field' }>): Expr {
    const found = this.resolveField(node.name);
    if (found) return found.expr;
    let hint = '';
    const suggestion = this.options.fieldNames && closest(node.name, this.options.fieldNames);
    if (suggestion !== undefined) hint = `: did you mean ${bracketed(suggestion)}?`;
    else if (FUNCTION_NAMES.has(node.name.toUpperCase()) && SIGNATURES[node.name.toUpperCase() as FunctionName].params.length === 0) {
      hint = `: did you mean ${node.name.toUpperCase()}()?`;
    }
    throw new ExpressionError(`Unknown field ${bracketed(node.name)}${hint}`, node.pos);
  }

  private unary(node: Extract<SyntaxNode, { kind: 'unary' }>): Expr {
    const arg = this.check(node.arg);
    if (node.op === 'not') {
      if (arg.type !== 'boolean' && arg.type !== 'null') throw new ExpressionError(`NOT needs a true/false value, not ${typeName(arg)}`, node.pos);
      return { k: 'un', type: 'boolean', op: 'not', arg: coerce(arg, 'boolean') };
    }
    if (arg.type !== 'number' && arg.type !== 'null') {
      throw new ExpressionError(node.op === '-' ? `Cannot negate ${typeName(arg)}` : `Unary + needs a number, not ${typeName(arg)}`, node.pos);
    }
    if (node.op === '+') return coerce(arg, 'number');
    if (arg.k === 'lit') return { k: 'lit', type: 'number', value: arg.value === null ? null : -(arg.value as number) };
    return { k: 'un', type: 'number', op: 'neg', arg };
  }

  private binary(node: Extract<SyntaxNode, { kind: 'binary' }>): Expr {
    const left = this.check(node.left);
    const right = this.check(node.right);
    const at = node.opPos;
    const op = node.op;
    switch (op) {
      case '+':
      case '-':
      case '*':
      case '/':
      case '%': {
        const ok = (e: Expr) => e.type === 'number' || e.type === 'null';
        if (!ok(left) || !ok(right)) {
          let hint = '';
          if (op === '-' && isDatelike(left.type) && isDatelike(right.type)) hint = ": use DATEDIFF('day', start, end)";
          else if ((op === '+' || op === '-') && (isDatelike(left.type) || isDatelike(right.type))) hint = ": use DATEADD('day', count, date)";
          else if (op === '+' && (left.type === 'string' || right.type === 'string')) hint = ': join text with &';
          throw new ExpressionError(`Cannot ${ARITHMETIC_VERBS[op]} ${typeName(left)} and ${typeName(right)}${hint}`, at);
        }
        return { k: 'bin', type: 'number', op, left: coerce(left, 'number'), right: coerce(right, 'number') };
      }
      case '&': {
        for (const side of [left, right]) {
          if (side.type !== 'string' && side.type !== 'null') {
            throw new ExpressionError(`& joins text, not ${typeName(side)}: the other side is ${typeName(side === left ? right : left)}`, at);
          }
        }
        return { k: 'bin', type: 'string', op, left: coerce(left, 'string'), right: coerce(right, 'string') };
      }
      case 'and':
      case 'or': {
        for (const side of [left, right]) {
          if (side.type !== 'boolean' && side.type !== 'null') throw new ExpressionError(`${op.toUpperCase()} needs true/false values, not ${typeName(side)}`, at);
        }
        return { k: 'bin', type: 'boolean', op, left: coerce(left, 'boolean'), right: coerce(right, 'boolean') };
      }
      default:
        return this.comparison(op, left, right, at);
    }
  }

  private comparison(op: BinaryOp, left: Expr, right: Expr, at: number): Expr {
    if (isNullLiteral(left) || isNullLiteral(right)) {
      throw new ExpressionError(`Use IS NULL or IS NOT NULL to test for a missing value: a comparison with NULL is never true`, at);
    }
    const [l, r] = this.comparable(left, right, at);
    return { k: 'bin', type: 'boolean', op, left: l, right: r };
  }

  /** Both sides of a comparison with a common type (dates and timestamps compare as instants). */
  private comparable(left: Expr, right: Expr, at: number): [Expr, Expr] {
    if (left.type === 'null' && right.type === 'null') throw new ExpressionError('Cannot compare two values that are always NULL', at);
    if (left.type === 'null') return [coerce(left, right.type as ValueType), right];
    if (right.type === 'null') return [left, coerce(right, left.type)];
    if (left.type === right.type || (isDatelike(left.type) && isDatelike(right.type))) return [left, right];
    throw new ExpressionError(`Cannot compare ${typeName(left)} and ${typeName(right)}`, at);
  }

  private caseExpr(node: Extract<SyntaxNode, { kind: 'case' }>): Expr {
    const label = node.form === 'if' ? 'IF' : 'CASE';
    const subject = node.subject && this.check(node.subject);
    const whens: Array<{ when: Expr; then: Expr; at: number }> = node.whens.map((w) => {
      let when = this.check(w.when);
      if (subject) {
        if (isNullLiteral(when)) throw new ExpressionError(`WHEN NULL never matches: use CASE WHEN x IS NULL THEN … instead`, w.when.pos);
        const [l, r] = this.comparable(subject, when, w.when.pos);
        when = { k: 'bin', type: 'boolean', op: '=', left: l, right: r };
      } else if (when.type !== 'boolean' && when.type !== 'null') {
        throw new ExpressionError(`${label} condition must be true/false, not ${typeName(when)}`, w.when.pos);
      }
      return { when: coerce(when, 'boolean'), then: this.check(w.then), at: w.then.pos };
    });
    const otherwise = node.else && { expr: this.check(node.else), at: node.else.pos };
    const results = [...whens.map((w) => ({ expr: w.then, at: w.at })), ...(otherwise ? [otherwise] : [])];
    const type = this.unify(results, `${label} results`);
    return {
      k: 'case',
      type,
      whens: whens.map((w) => ({ when: w.when, then: type === 'null' ? w.then : coerce(w.then, type) })),
      else: otherwise ? (type === 'null' ? otherwise.expr : coerce(otherwise.expr, type)) : null,
    };
  }

  /** The one type shared by `values` (nulls fit anything), or 'null' if all are null. */
  private unify(values: Array<{ expr: Expr; at: number }>, what: string): ValueType | 'null' {
    let type: ValueType | 'null' = 'null';
    for (const v of values) {
      if (v.expr.type === 'null') continue;
      if (type === 'null') type = v.expr.type;
      else if (v.expr.type !== type) throw new ExpressionError(`${what} must all have the same type: ${TYPE_NAMES[type]} and ${typeName(v.expr)}`, v.at);
    }
    return type;
  }

  private call(node: Extract<SyntaxNode, { kind: 'call' }>): Expr {
    const name = node.name;
    if (AGGREGATES.has(name)) throw new ExpressionError(`${name} is not a function here: calculated fields are row-level (aggregate them as a measure)`, node.pos);
    if (!FUNCTION_NAMES.has(name)) {
      const hint = FUNCTION_HINTS[name] ?? closest(name, [...FUNCTION_NAMES]);
      throw new ExpressionError(`Unknown function ${name}${hint ? `: did you mean ${hint}?` : ''}`, node.pos);
    }
    const fn = name as FunctionName;
    const sig = SIGNATURES[fn];
    const min = sig.params.length - (sig.optional ?? 0);
    const max = sig.variadic ? Infinity : sig.params.length;
    const n = node.args.length;
    if (n < min || n > max) {
      const help = EXPRESSION_FUNCTIONS.find((f) => f.name === fn)!.signature;
      const count = sig.variadic ? `at least ${min} argument${min === 1 ? '' : 's'}` : min === max ? `${min} argument${min === 1 ? '' : 's'}` : `${min} or ${max} arguments`;
      throw new ExpressionError(`${fn} takes ${count}, ${help}, not ${n}`, node.pos);
    }
    if (fn === 'TODAY') {
      const now = new Date(this.nowMs);
      return { k: 'lit', type: 'date', value: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) };
    }
    if (fn === 'DATE') {
      const arg = node.args[0]!;
      if (arg.kind !== 'string') throw new ExpressionError("DATE needs a date written in quotes, like DATE('2024-03-01')", arg.pos);
      const ms = parseDateLiteral(arg.value);
      if (ms === null) throw new ExpressionError(`'${arg.value.slice(0, 40)}' is not a date: write it as 'YYYY-MM-DD'`, arg.pos);
      return { k: 'lit', type: 'date', value: ms };
    }

    const args: Expr[] = [];
    node.args.forEach((argNode, i) => {
      const param = sig.params[Math.min(i, sig.params.length - 1)]!;
      if (param === 'unit') {
        args.push({ k: 'lit', type: 'string', value: this.unit(fn, argNode) });
        return;
      }
      const arg = this.check(argNode);
      const where = sig.params.length > 1 || sig.variadic ? ` (argument ${i + 1})` : '';
      const wrong = (expected: string): never => {
        throw new ExpressionError(`${fn} expects ${expected}${where}, not ${typeName(arg)}`, argNode.pos);
      };
      switch (param) {
        case 'number':
        case 'string':
          if (arg.type !== param && arg.type !== 'null') wrong(param === 'string' ? 'text' : 'a number');
          args.push(coerce(arg, param));
          return;
        case 'timestamp':
          if (arg.type !== 'timestamp' && arg.type !== 'null') wrong('a timestamp');
          args.push(coerce(arg, 'timestamp'));
          return;
        case 'datelike':
          if (!isDatelike(arg.type) && arg.type !== 'null') wrong('a date or timestamp');
          args.push(coerce(arg, 'date'));
          return;
        case 'any':
          args.push(arg);
          return;
      }
    });

    if (sig.returns === 'unify') {
      // COALESCE
      const type = this.unify(
        args.map((expr, i) => ({ expr, at: node.args[i]!.pos })),
        `${fn} arguments`,
      );
      if (type === 'null') return { k: 'lit', type: 'null', value: null };
      return { k: 'call', type, fn, args: args.map((a) => coerce(a, type)) };
    }
    const type = sig.returns === 'third' ? (args[2]!.type as ValueType) : sig.returns;
    return { k: 'call', type, fn, args };
  }

  /** A period unit: a text literal naming a grain. */
  private unit(fn: FunctionName, node: SyntaxNode): Grain {
    const units = GRAINS.map((g) => `'${g}'`).join(', ');
    if (node.kind === 'string') {
      const unit = node.value.trim().toLowerCase();
      if ((GRAINS as readonly string[]).includes(unit)) return unit as Grain;
      const singular = unit.endsWith('s') ? unit.slice(0, -1) : unit;
      if ((GRAINS as readonly string[]).includes(singular)) return singular as Grain;
      throw new ExpressionError(`${fn} unit must be one of ${units}, not '${node.value.slice(0, 20)}'`, node.pos);
    }
    if (node.kind === 'field' && (GRAINS as readonly string[]).includes(node.name.toLowerCase())) {
      throw new ExpressionError(`${fn} unit goes in quotes: '${node.name.toLowerCase()}'`, node.pos);
    }
    throw new ExpressionError(`${fn} needs a unit in quotes first: one of ${units}`, node.pos);
  }
}

/** Size and depth of a tree, counting shared subtrees (calculated fields used twice) at every use. */
function measure(expr: Expr, memo: Map<Expr, { size: number; depth: number }>): { size: number; depth: number } {
  const known = memo.get(expr);
  if (known) return known;
  let children: Expr[];
  switch (expr.k) {
    case 'lit':
    case 'col':
      children = [];
      break;
    case 'un':
    case 'isnull':
      children = [expr.arg];
      break;
    case 'bin':
      children = [expr.left, expr.right];
      break;
    case 'case':
      children = expr.whens.flatMap((w) => [w.when, w.then]);
      if (expr.else) children.push(expr.else);
      break;
    case 'call':
      children = expr.args;
      break;
  }
  let size = 1;
  let depth = 0;
  for (const child of children) {
    const m = measure(child, memo);
    size = Math.min(size + m.size, Number.MAX_SAFE_INTEGER);
    depth = Math.max(depth, m.depth);
  }
  const result = { size, depth: depth + 1 };
  memo.set(expr, result);
  return result;
}

/**
 * Parses and type-checks a calculated-field expression. `resolveField` gives the typed expression of
 * a column or of another calculated field (the caller handles cycles between calculated fields);
 * its result is inlined. TODAY() becomes a date literal of `options.now`. Throws
 * {@link ExpressionError} (with the character offset) for anything wrong with the expression; errors
 * thrown by `resolveField` pass through unchanged.
 *
 * The result may have type 'null' (an expression that is always NULL); callers decide whether to accept it.
 */
export function checkExpression(source: string, resolveField: (name: string) => FieldInfo | null, options: CheckOptions = {}): Expr {
  const node = parseExpression(source);
  const expr = new Checker(resolveField, options).check(node);
  // Fields are inlined: a field used twice that uses a field twice… grows exponentially. Bound it.
  const { size, depth } = measure(expr, new Map());
  if (size > MAX_EXPANDED_NODES) {
    throw new ExpressionError(`The expression is too large once the calculated fields it uses are filled in (more than ${MAX_EXPANDED_NODES} parts)`, 0);
  }
  if (depth > MAX_EXPANDED_DEPTH) {
    throw new ExpressionError(`The expression is nested too deeply once the calculated fields it uses are filled in (more than ${MAX_EXPANDED_DEPTH} levels)`, 0);
  }
  return expr;
}
