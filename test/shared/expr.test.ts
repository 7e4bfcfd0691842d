import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expr, FunctionName } from '../../shared/analysis/expr/ast';
import {
  checkExpression,
  EXPRESSION_FUNCTIONS,
  ExpressionError,
  MAX_EXPANDED_DEPTH,
  parseExpression,
  type CheckOptions,
  type FieldInfo,
} from '../../shared/analysis/expr/check';
import { MAX_NESTING, MAX_SOURCE_LENGTH, type SyntaxNode } from '../../shared/analysis/expr/parse';
import type { ValueType } from '../../shared/analysis/spec';

type Storage = Extract<Expr, { k: 'col' }>['storage'];

const COLUMNS: Record<string, Storage> = {
  amount: 'real',
  qty: 'integer',
  name: 'text',
  note: 'text',
  flag: 'boolean',
  day: 'date',
  'Booked at': 'timestamp',
  'a]b': 'text',
  if: 'integer',
};

const TYPES: Record<Storage, ValueType> = { integer: 'number', bigint: 'number', real: 'number', boolean: 'boolean', date: 'date', timestamp: 'timestamp', text: 'string' };

function column(name: string): FieldInfo | null {
  const storage = COLUMNS[name];
  if (!storage) return null;
  const type = TYPES[storage];
  return { type, expr: { k: 'col', type, name, storage } };
}

const NOW = new Date('2024-03-08T23:59:59.999Z');
const check = (source: string, options: CheckOptions = {}) => checkExpression(source, column, { now: NOW, ...options });

/** The parse tree as an S-expression, to read precedence at a glance. */
function sx(n: SyntaxNode): string {
  switch (n.kind) {
    case 'number':
      return String(n.value);
    case 'string':
      return JSON.stringify(n.value);
    case 'boolean':
      return String(n.value);
    case 'null':
      return 'null';
    case 'field':
      return `[${n.name}]`;
    case 'unary':
      return `(${n.op} ${sx(n.arg)})`;
    case 'binary':
      return `(${n.op} ${sx(n.left)} ${sx(n.right)})`;
    case 'isnull':
      return `(${n.negate ? 'notnull' : 'isnull'} ${sx(n.arg)})`;
    case 'case':
      return `(${n.form}${n.subject ? ` ${sx(n.subject)}` : ''}${n.whens.map((w) => ` (${sx(w.when)} ${sx(w.then)})`).join('')}${n.else ? ` (else ${sx(n.else)})` : ''})`;
    case 'call':
      return `(${n.name}${n.args.map((a) => ` ${sx(a)}`).join('')})`;
  }
}

/** The typed tree, compactly: literals with their type, columns in brackets. */
function show(e: Expr): string {
  switch (e.k) {
    case 'lit':
      return `${JSON.stringify(e.value)}:${e.type}`;
    case 'col':
      return `[${e.name}]`;
    case 'un':
      return `(${e.op} ${show(e.arg)})`;
    case 'bin':
      return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case 'isnull':
      return `(${e.negate ? 'notnull' : 'isnull'} ${show(e.arg)})`;
    case 'case':
      return `(case:${e.type}${e.whens.map((w) => ` (${show(w.when)} ${show(w.then)})`).join('')}${e.else ? ` (else ${show(e.else)})` : ''})`;
    case 'call':
      return `(${e.fn}:${e.type}${e.args.map((a) => ` ${show(a)}`).join('')})`;
  }
}

function errorOf(fn: () => unknown): ExpressionError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ExpressionError) return err;
    throw err;
  }
  throw new Error('expected an ExpressionError');
}

describe('parser: precedence', () => {
  it.each([
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
    ['1 - 2 - 3', '(- (- 1 2) 3)'],
    ['8 / 4 / 2', '(/ (/ 8 4) 2)'],
    ['1 + 2 % 3 * 4 / 5', '(+ 1 (/ (* (% 2 3) 4) 5))'],
    ['-2 * 3', '(* (- 2) 3)'],
    ['- - 1', '(- (- 1))'],
    ['--1', '(- (- 1))'],
    ['+1', '(+ 1)'],
    ['-a.b', null],
    ["a & 1 + 2", '(& [a] (+ 1 2))'],
    ["'x' & 'y' = 'xy'", '(= (& "x" "y") "xy")'],
    ['a = 1 OR b = 2 AND c = 3', '(or (= [a] 1) (and (= [b] 2) (= [c] 3)))'],
    ['a OR b OR c', '(or (or [a] [b]) [c])'],
    ['NOT a = 1 AND b', '(and (not (= [a] 1)) [b])'],
    ['NOT NOT a', '(not (not [a]))'],
    ['a = b IS NULL', '(isnull (= [a] [b]))'],
    ['NOT a IS NOT NULL', '(not (notnull [a]))'],
    ['a IS NULL OR b is not null', '(or (isnull [a]) (notnull [b]))'],
    ['a + 1 > b * 2', '(> (+ [a] 1) (* [b] 2))'],
    ['a == b', '(= [a] [b])'],
    ['a <> b', '(!= [a] [b])'],
    ['a != b', '(!= [a] [b])'],
    ['a <= b AND a >= c AND a < d AND a > e', '(and (and (and (<= [a] [b]) (>= [a] [c])) (< [a] [d])) (> [a] [e]))'],
    ['(a)', '[a]'],
  ])('%s', (source, expected) => {
    if (expected === null) {
      expect(() => parseExpression(source)).toThrow(ExpressionError);
      return;
    }
    expect(sx(parseExpression(source))).toBe(expected);
  });
});

describe('parser: syntax forms', () => {
  it.each([
    ['[Booked at]', '[Booked at]'],
    ['[a]]b]', '[a]b]'],
    ['[ spaces and ; -- /* ]', '[ spaces and ; -- /* ]'],
    ['[Привет 🎉]', '[Привет 🎉]'],
    ['amount', '[amount]'],
    ['_x9', '[_x9]'],
    ["'it''s'", '"it\'s"'],
    ["''", '""'],
    ["'Привет; -- /* 🎉'", '"Привет; -- /* 🎉"'],
    ['42', '42'],
    ['4.25', '4.25'],
    ['.5', '0.5'],
    ['1.', '1'],
    ['1.5e3', '1500'],
    ['2E-2', '0.02'],
    ['1e+2', '100'],
    ['TRUE', 'true'],
    ['false', 'false'],
    ['Null', 'null'],
    ['upper(name)', '(UPPER [name])'],
    ['Coalesce(a, b, c)', '(COALESCE [a] [b] [c])'],
    ['TODAY()', '(TODAY)'],
    ['IF(a, 1, 2)', '(if ([a] 1) (else 2))'],
    ['IF (a, 1, 2)', '(if ([a] 1) (else 2))'],
    ['IF a THEN 1 END', '(if ([a] 1))'],
    ['if a then 1 elseif b then 2 elseif c then 3 else 4 end', '(if ([a] 1) ([b] 2) ([c] 3) (else 4))'],
    ['IF (a) THEN 1 ELSE 2 END', '(if ([a] 1) (else 2))'],
    ['IF (a) OR b THEN 1 END', '(if ((or [a] [b]) 1))'],
    ['IF (x) + 1 > 2 THEN 1 END', '(if ((> (+ [x] 1) 2) 1))'],
    ['IF(a, 1, 2) + 1', '(+ (if ([a] 1) (else 2)) 1)'],
    ['CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END', '(case ([a] 1) ([b] 2) (else 3))'],
    ['CASE x WHEN 1 THEN \'one\' WHEN 2 THEN \'two\' END', '(case [x] (1 "one") (2 "two"))'],
    ['case (x + 1) when 2 then 3 end', '(case (+ [x] 1) (2 3))'],
    ['  1\t+\n2\r\n', '(+ 1 2)'],
  ])('%s', (source, expected) => {
    expect(sx(parseExpression(source))).toBe(expected);
  });

  it('records source positions', () => {
    const tree = parseExpression('[a] +  upper(b)');
    expect(tree).toMatchObject({ kind: 'binary', pos: 0, opPos: 4, end: 15, right: { kind: 'call', pos: 7, end: 15 } });
  });
});

describe('checker: typed trees', () => {
  it.each([
    ['[amount] * qty + 1', '(+ (* [amount] [qty]) 1:number)', 'number'],
    ['-5', '-5:number', 'number'],
    ['-[amount]', '(neg [amount])', 'number'],
    ['+[amount]', '[amount]', 'number'],
    ["[name] & ' ' & note", '(& (& [name] " ":string) [note])', 'string'],
    ['[if] = 1', '(= [if] 1:number)', 'boolean'],
    ['[a]]b] IS NULL', '(isnull [a]b])', 'boolean'],
    ['NOT flag OR qty <> 2', '(or (not [flag]) (!= [qty] 2:number))', 'boolean'],
    ['[Booked at] >= day', '(>= [Booked at] [day])', 'boolean'],
    ['IF(flag, 1, 2)', '(case:number ([flag] 1:number) (else 2:number))', 'number'],
    ['IF flag THEN NULL ELSE 1 END', '(case:number ([flag] null:number) (else 1:number))', 'number'],
    ['IF flag THEN NULL END', '(case:null ([flag] null:null))', 'null'],
    ["IF qty > 10 THEN 'big' ELSEIF qty > 5 THEN 'mid' END", '(case:string ((> [qty] 10:number) "big":string) ((> [qty] 5:number) "mid":string))', 'string'],
    ["CASE qty WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END", '(case:string ((= [qty] 1:number) "one":string) ((= [qty] 2:number) "two":string) (else "many":string))', 'string'],
    ['CASE WHEN NULL THEN 1 END', '(case:number (null:boolean 1:number))', 'number'],
    ['COALESCE(amount, NULL, 0)', '(COALESCE:number [amount] null:number 0:number)', 'number'],
    ['COALESCE(NULL, NULL)', 'null:null', 'null'],
    ['UPPER(NULL)', '(UPPER:string null:string)', 'string'],
    ["concat(name, NULL, 'x')", '(CONCAT:string [name] null:string "x":string)', 'string'],
    ["Substr(name, 2)", '(SUBSTR:string [name] 2:number)', 'string'],
    ["SUBSTR(name, 2, 3)", '(SUBSTR:string [name] 2:number 3:number)', 'string'],
    ['ROUND(amount)', '(ROUND:number [amount])', 'number'],
    ["DATEDIFF('Month', day, TODAY())", '(DATEDIFF:number "month":string [day] 1709856000000:date)', 'number'],
    ["DATEADD('days', 1, [Booked at])", '(DATEADD:timestamp "day":string 1:number [Booked at])', 'timestamp'],
    ["DATEADD('year', -1, day)", '(DATEADD:date "year":string -1:number [day])', 'date'],
    ["DATETRUNC('week', [Booked at])", '(DATETRUNC:date "week":string [Booked at])', 'date'],
    ["DATE('2024-02-29')", '1709164800000:date', 'date'],
    ["DATE('0001-01-01') < day", '(< -62135596800000:date [day])', 'boolean'],
    ['HOUR([Booked at])', '(HOUR:number [Booked at])', 'number'],
    ['weekday(day) = 7', '(= (WEEKDAY:number [day]) 7:number)', 'boolean'],
    ["CONTAINS(name, '%_') AND STARTSWITH(name, 'a') AND ENDSWITH(name, 'z')", '(and (and (CONTAINS:boolean [name] "%_":string) (STARTSWITH:boolean [name] "a":string)) (ENDSWITH:boolean [name] "z":string))', 'boolean'],
    ['NULL IS NULL', '(isnull null:null)', 'boolean'],
  ])('%s', (source, expected, type) => {
    const e = check(source);
    expect(show(e)).toBe(expected);
    expect(e.type).toBe(type);
  });

  it('TODAY() is the UTC date of `now`', () => {
    expect(check('TODAY()', { now: Date.UTC(2024, 0, 1, 0, 0, 0) })).toEqual({ k: 'lit', type: 'date', value: Date.UTC(2024, 0, 1) });
    expect(check('TODAY()', { now: new Date('2023-12-31T23:59:59.999Z') })).toEqual({ k: 'lit', type: 'date', value: Date.UTC(2023, 11, 31) });
  });

  it('type-checks every function', () => {
    const samples: Record<FunctionName, string> = {
      COALESCE: 'COALESCE(name, note)',
      UPPER: 'UPPER(name)',
      LOWER: 'LOWER(name)',
      TRIM: 'TRIM(name)',
      LENGTH: 'LENGTH(name)',
      LEFT: 'LEFT(name, 2)',
      RIGHT: 'RIGHT(name, 2)',
      SUBSTR: 'SUBSTR(name, 2, 2)',
      REPLACE: "REPLACE(name, 'a', 'b')",
      CONCAT: 'CONCAT(name)',
      CONTAINS: "CONTAINS(name, 'a')",
      STARTSWITH: "STARTSWITH(name, 'a')",
      ENDSWITH: "ENDSWITH(name, 'a')",
      ABS: 'ABS(amount)',
      ROUND: 'ROUND(amount, 2)',
      FLOOR: 'FLOOR(amount)',
      CEIL: 'CEIL(amount)',
      SQRT: 'SQRT(amount)',
      POWER: 'POWER(amount, 2)',
      LN: 'LN(amount)',
      EXP: 'EXP(amount)',
      YEAR: 'YEAR(day)',
      QUARTER: 'QUARTER([Booked at])',
      MONTH: 'MONTH(day)',
      DAY: 'DAY(day)',
      WEEKDAY: 'WEEKDAY(day)',
      HOUR: 'HOUR([Booked at])',
      DATETRUNC: "DATETRUNC('quarter', day)",
      DATEDIFF: "DATEDIFF('week', day, [Booked at])",
      DATEADD: "DATEADD('quarter', 1, day)",
      TODAY: 'TODAY()',
      DATE: "DATE('2024-01-01')",
    };
    const expectedType = (fn: FunctionName): string => {
      const help = EXPRESSION_FUNCTIONS.find((f) => f.name === fn)!;
      return help.returns === 'same as the arguments' ? 'string' : help.returns === 'same as date' ? 'date' : help.returns;
    };
    for (const [fn, source] of Object.entries(samples) as Array<[FunctionName, string]>) {
      expect(check(source).type, source).toBe(expectedType(fn));
      expect(check(source.toLowerCase().replace('[booked at]', '[Booked at]')).type, source).toBe(expectedType(fn));
    }
    expect(EXPRESSION_FUNCTIONS.map((f) => f.name).sort()).toEqual(Object.keys(samples).sort());
    for (const f of EXPRESSION_FUNCTIONS) {
      expect(f.signature.startsWith(`${f.name}(`)).toBe(true);
      expect(f.description.length).toBeGreaterThan(5);
    }
  });

  it('inlines calculated fields as resolveField gives them', () => {
    const calc: Record<string, Expr> = { double: check('[amount] * 2') };
    const resolve = (name: string) => (calc[name] ? { type: calc[name].type as ValueType, expr: calc[name] } : column(name));
    expect(show(checkExpression('[double] + 1', resolve))).toBe('(+ (* [amount] 2:number) 1:number)');
  });

  it('passes errors from resolveField through unchanged', () => {
    const boom = new Error('cycle');
    expect(() =>
      checkExpression('[x] + 1', () => {
        throw boom;
      }),
    ).toThrow(boom);
  });

  it('bounds calculated fields that use each other twice (exponential growth)', () => {
    const calc = new Map<string, Expr>();
    const resolve = (name: string): FieldInfo | null => {
      const e = calc.get(name);
      return e ? { type: 'number', expr: e } : column(name);
    };
    calc.set('f0', check('[amount]'));
    let failed: ExpressionError | undefined;
    for (let i = 1; i < 40 && !failed; i++) {
      try {
        calc.set(`f${i}`, checkExpression(`[f${i - 1}] + [f${i - 1}]`, resolve));
      } catch (err) {
        failed = err as ExpressionError;
      }
    }
    expect(failed).toBeInstanceOf(ExpressionError);
    expect(failed!.message).toMatch(/too large once the calculated fields it uses are filled in/);
  });
});

describe('checker: errors', () => {
  it.each<[string, RegExp | string, number]>([
    ['[amout] + 1', 'Unknown field [amout]', 0],
    ['1 + amout', 'Unknown field [amout]', 4],
    ['SUM([amount])', 'SUM is not a function here: calculated fields are row-level', 0],
    ['1 + avg(amount)', 'AVG is not a function here', 4],
    ['([amount] + 1', "Expected ')' at 13", 13],
    ['(1 + 2))', "Unexpected ')' at 7: there is no ( to close", 7],
    ['UPPER(name, 1', "Expected ',' or ')' at 13", 13],
    ['UPPER(name 1)', "Expected ',' or ')' at 11, found number", 11],
    ['[name] + 1', 'Cannot add text and number', 7],
    ["'a' + 'b'", 'Cannot add text and text: join text with &', 4],
    ['[day] - [day]', "Cannot subtract date and date: use DATEDIFF('day', start, end)", 6],
    ['[day] + 1', "Cannot add date and number: use DATEADD('day', count, date)", 6],
    ['flag * 2', 'Cannot multiply true/false and number', 5],
    ['amount % name', 'Cannot take the remainder of number and text', 7],
    ['amount & name', '& joins text, not number', 7],
    ['-name', 'Cannot negate text', 0],
    ['NOT 1', 'NOT needs a true/false value, not number', 0],
    ['flag AND 1', 'AND needs true/false values, not number', 5],
    ['1 OR flag', 'OR needs true/false values, not number', 2],
    ['name = 1', 'Cannot compare text and number', 5],
    ['day < flag', 'Cannot compare date and true/false', 4],
    ['1 < 2 < 3', 'Comparisons cannot be chained at 6: join them with AND', 6],
    ['amount = NULL', 'Use IS NULL or IS NOT NULL', 7],
    ['amount IS 1', 'Expected NULL or NOT NULL at 10, found number', 10],
    ['amount IS NOT TRUE', 'Expected NULL at 14, found TRUE', 14],
    ['UPPER(amount)', 'UPPER expects text, not number', 6],
    ['LEFT(name, name)', 'LEFT expects a number (argument 2), not text', 11],
    ['YEAR(name)', 'YEAR expects a date or timestamp, not text', 5],
    ['HOUR(day)', 'HOUR expects a timestamp, not date', 5],
    ['CONCAT(name, 1)', 'CONCAT expects text (argument 2), not number', 13],
    ['LEFT(name)', 'LEFT takes 2 arguments, LEFT(text, count), not 1', 0],
    ['ROUND(1, 2, 3)', 'ROUND takes 1 or 2 arguments', 0],
    ['TODAY(1)', 'TODAY takes 0 arguments', 0],
    ['COALESCE()', 'COALESCE takes at least 1 argument', 0],
    ['FOO(1)', 'Unknown function FOO', 0],
    ['len(name)', 'Unknown function LEN: did you mean LENGTH(text)?', 0],
    ['UPPR(name)', 'Unknown function UPPR: did you mean UPPER?', 0],
    ['today + 1', 'Unknown field [today]: did you mean TODAY()?', 0],
    ["IF flag THEN 1 ELSE 'x' END", 'IF results must all have the same type: number and text', 20],
    ["IF(flag, day, [Booked at])", 'IF results must all have the same type: date and timestamp', 14],
    ["CASE WHEN flag THEN 'a' WHEN qty > 1 THEN 2 END", 'CASE results must all have the same type: text and number', 42],
    ['IF 1 THEN 2 END', 'IF condition must be true/false, not number', 3],
    ["CASE qty WHEN 'a' THEN 1 END", 'Cannot compare number and text', 14],
    ['CASE qty WHEN NULL THEN 1 END', 'WHEN NULL never matches', 14],
    ["COALESCE(qty, 'x')", 'COALESCE arguments must all have the same type: number and text', 14],
    ['IF(flag, 1)', 'IF takes 3 arguments, IF(condition, then, else), not 2', 0],
    ['IF flag THEN 1', 'Expected END at 14', 14],
    ['IF flag 1 END', 'Expected THEN at 8, found number', 8],
    ['CASE END', 'Expected WHEN at 5, found END', 5],
    ['CASE WHEN flag THEN 1', 'Expected END at 21', 21],
    ['1 +', 'Expected a value at 3', 3],
    ['1 + )', "Expected a value at 4, found ')'", 4],
    ['1, 2', "Unexpected ',' at 1: commas only separate function arguments", 1],
    ['THEN', 'Unexpected THEN at 0', 0],
    ['1 2', 'Unexpected number at 2', 2],
    ["'abc", "Unterminated text at 0: it needs a closing '", 0],
    ["name = 'it''s", 'Unterminated text at 7', 7],
    ['[abc', 'Unterminated field name at 0', 0],
    ['[]', 'Empty field name at 0', 0],
    ['1 ; DROP TABLE x', "Unexpected character ';' at 2: an expression is a single formula", 2],
    ['name = "x"', 'Unexpected character \'"\' at 7: use single quotes', 7],
    ['a || b', "Unexpected character '|' at 2", 2],
    ['1 + é', "Unexpected character 'é' at 4", 4],
    ['1 + 🎉', "Unexpected character '🎉' at 4", 4],
    ['1 +\u0000', 'Unexpected character U+0000 at 3', 3],
    ['12abc', "Invalid number '12abc' at 0", 0],
    ['1.2.3', 'Invalid number', 0],
    ['1e', 'Invalid number at 0: the exponent needs digits', 0],
    ['1e999', 'Number at 0 is too large', 0],
    ["'a\u0000b'", 'Text cannot contain the NUL character', 0],
    ["'\ud800'", 'unpaired surrogate', 0],
    ['DATEADD(month, 1, day)', "DATEADD unit goes in quotes: 'month'", 8],
    ["DATEADD('fortnight', 1, day)", "DATEADD unit must be one of 'day', 'week', 'month', 'quarter', 'year', not 'fortnight'", 8],
    ['DATETRUNC(1, day)', 'DATETRUNC needs a unit in quotes first', 10],
    ["DATEDIFF('day', day, name)", 'DATEDIFF expects a date or timestamp (argument 3), not text', 21],
    ["DATE('2024-02-30')", "'2024-02-30' is not a date: write it as 'YYYY-MM-DD'", 5],
    ["DATE('2023-02-29')", 'is not a date', 5],
    ["DATE('24-01-01')", 'is not a date', 5],
    ['DATE(name)', "DATE needs a date written in quotes, like DATE('2024-03-01')", 5],
    ['', 'The expression is empty', 0],
    ['   ', 'The expression is empty', 0],
  ])('%s', (source, message, position) => {
    const err = errorOf(() => check(source));
    if (typeof message === 'string') expect(err.message).toContain(message);
    else expect(err.message).toMatch(message);
    expect(err.position).toBe(position);
  });

  it('suggests a field when the caller lists the names', () => {
    expect(errorOf(() => check('[amout] * 2', { fieldNames: Object.keys(COLUMNS) })).message).toBe('Unknown field [amout]: did you mean [amount]?');
    expect(errorOf(() => check('AMOUNT', { fieldNames: Object.keys(COLUMNS) })).message).toBe('Unknown field [AMOUNT]: did you mean [amount]?');
    expect(errorOf(() => check('[zzz]', { fieldNames: Object.keys(COLUMNS) })).message).toBe('Unknown field [zzz]');
  });

  it('keeps to the length and nesting limits', () => {
    const long = errorOf(() => check('1'.padEnd(MAX_SOURCE_LENGTH + 1, ' ')));
    expect(long.message).toMatch(/too long/);
    expect(long.position).toBe(MAX_SOURCE_LENGTH);
    expect(check(`${'1 + '.repeat(50)}1`).type).toBe('number');

    const nested = (depth: number) => `${'('.repeat(depth)}1${')'.repeat(depth)}`;
    expect(check(nested(MAX_NESTING - 1)).type).toBe('number');
    const deep = errorOf(() => check(nested(MAX_NESTING + 10)));
    expect(deep.message).toMatch(/nested too deeply at \d+ \(more than 64 levels\)/);
    const calls = errorOf(() => check(`${'ABS('.repeat(200)}1${')'.repeat(200)}`));
    expect(calls.message).toMatch(/nested too deeply/);
    const unary = errorOf(() => check(`${'NOT '.repeat(900)}TRUE`));
    expect(unary.message).toMatch(/nested too deeply/);
    const ifs = errorOf(() => check(`${'IF flag THEN 1 ELSE '.repeat(100)}0${' END'.repeat(100)}`));
    expect(ifs.message).toMatch(/nested too deeply/);
    // A long chain nests without recursion in the parser; the checked tree still has a depth bound.
    const chain = errorOf(() => check(`${'1 + '.repeat(MAX_EXPANDED_DEPTH + 5)}1`));
    expect(chain.message).toMatch(/nested too deeply once the calculated fields/);
  });
});

describe('hostile input', () => {
  const FRAGMENTS = [
    '[amount]', '[name]', '[day]', '[Booked at]', 'flag', 'qty', '[a]]b]', '[', ']', '(', ')', ',', "'", "''", "'x'", "'--'", "';'", '1', '0', '-1', '1.5', '1e3', '.', 'e',
    '+', '-', '*', '/', '%', '&', '=', '==', '!=', '<>', '<', '<=', '>', '>=', 'AND', 'OR', 'NOT', 'IS', 'NULL', 'TRUE', 'FALSE', 'IF', 'THEN', 'ELSEIF', 'ELSE', 'END',
    'CASE', 'WHEN', 'UPPER(', 'LEFT(', 'SUBSTR(', 'ROUND(', 'DATEADD(', "'month'", 'DATEDIFF(', 'DATETRUNC(', 'TODAY()', "DATE('2024-02-29')", 'COALESCE(', 'IF(', 'SUM(',
    ';', '--', '/*', '*/', '\u0000', 'Привет', '🎉', '\ud83c', '"', '\\', '\n',
  ];
  const soup = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).chain((parts) => fc.constantFrom(parts.join(' '), parts.join('')));
  const codeUnits = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 60 }).map((units) => String.fromCharCode(...units));

  const parsesOrExplains = (source: string) => {
    try {
      const e = check(source);
      expect(['lit', 'col', 'un', 'bin', 'case', 'isnull', 'call']).toContain(e.k);
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      expect(Number.isInteger(err.position)).toBe(true);
      expect(err.position).toBeGreaterThanOrEqual(0);
      expect(err.position).toBeLessThanOrEqual(source.length);
      expect(err.message.length).toBeGreaterThan(0);
    }
  };

  it('any string either checks or throws ExpressionError', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), parsesOrExplains), { numRuns: 2000 });
    fc.assert(fc.property(codeUnits, parsesOrExplains), { numRuns: 2000 });
    fc.assert(fc.property(soup, parsesOrExplains), { numRuns: 5000 });
  });

  it('deep or long hostile input fails cleanly', () => {
    for (const source of ['('.repeat(5000), '-'.repeat(3999) + '1', "'".repeat(4000), '['.repeat(4000), 'NOT '.repeat(1000), 'IF('.repeat(1000), 'CASE CASE CASE'.repeat(200), '1+'.repeat(1999) + '1']) {
      parsesOrExplains(source);
    }
  });
});
