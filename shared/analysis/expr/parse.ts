/**
 * Lexer and parser of Strongroom's expression language (calculated fields). The result is an untyped
 * syntax tree with source positions; `check.ts` turns it into a typed {@link Expr}. Runs everywhere
 * (worker and renderer): no Node or DOM APIs.
 *
 * Precedence, loosest first: OR; AND; NOT; IS [NOT] NULL; comparisons (= == != <> < <= > >=, not
 * chainable); & (text concatenation); + -; * / %; unary - and +.
 */

/** Longest expression accepted, in UTF-16 code units (the spec's own limit). */
export const MAX_SOURCE_LENGTH = 4000;
/** Deepest nesting of parentheses, calls, operators and IF/CASE the parser follows. */
export const MAX_NESTING = 64;

/** A syntax or type error in an expression, at a character offset of the source (0-based). */
export class ExpressionError extends Error {
  readonly position: number;

  constructor(message: string, position: number) {
    super(message);
    this.name = 'ExpressionError';
    this.position = position;
  }
}

/** Start (inclusive) and end (exclusive) offsets of a node in the source. */
export interface Span {
  pos: number;
  end: number;
}

export type SyntaxBinaryOp = '+' | '-' | '*' | '/' | '%' | '&' | '=' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

/** Untyped syntax tree. Operators are normalised (`==` is `=`, `<>` is `!=`); function names are upper-cased. */
export type SyntaxNode =
  | (Span & { kind: 'number'; value: number })
  | (Span & { kind: 'string'; value: string })
  | (Span & { kind: 'boolean'; value: boolean })
  | (Span & { kind: 'null' })
  /** `[Booked at]` or a bare identifier. */
  | (Span & { kind: 'field'; name: string })
  | (Span & { kind: 'unary'; op: '-' | '+' | 'not'; arg: SyntaxNode })
  /** `opPos` is where the operator is written. */
  | (Span & { kind: 'binary'; op: SyntaxBinaryOp; opPos: number; left: SyntaxNode; right: SyntaxNode })
  | (Span & { kind: 'isnull'; negate: boolean; opPos: number; arg: SyntaxNode })
  /** IF(…), IF … THEN … END, CASE WHEN … END (subject null) and CASE x WHEN … END. */
  | (Span & { kind: 'case'; form: 'if' | 'case'; subject: SyntaxNode | null; whens: Array<{ when: SyntaxNode; then: SyntaxNode }>; else: SyntaxNode | null })
  | (Span & { kind: 'call'; name: string; args: SyntaxNode[] });

type Token =
  | (Span & { t: 'num'; value: number })
  | (Span & { t: 'str'; value: string })
  | (Span & { t: 'field'; name: string })
  | (Span & { t: 'word'; text: string; upper: string })
  | (Span & { t: 'op'; text: string })
  | (Span & { t: 'eof' });

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IS', 'NULL', 'TRUE', 'FALSE', 'IF', 'THEN', 'ELSEIF', 'ELSE', 'END', 'CASE', 'WHEN']);

/** Whether a bare identifier is reserved (a field with this name must be written in brackets). */
export function isKeyword(word: string): boolean {
  return KEYWORDS.has(word.toUpperCase());
}

const OPERATORS = ['==', '!=', '<>', '<=', '>=', '(', ')', ',', '+', '-', '*', '/', '%', '&', '=', '<', '>'];

// Characters people reach for from other languages, with what to write instead.
const CHARACTER_HINTS: Record<string, string> = {
  '"': 'use single quotes for text (\'…\') and square brackets for field names ([…])',
  ';': 'an expression is a single formula',
  '|': 'use & to join text, or OR',
  '!': 'use NOT, or != for "not equal"',
  '^': 'use POWER(x, y)',
};

const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c);

/** How a character appears in an error message: quoted if printable, else its code point. */
function showChar(source: string, pos: number): string {
  const cp = source.codePointAt(pos)!;
  const ch = String.fromCodePoint(cp);
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || /^[\s\p{Cf}\p{Cs}\p{Co}\p{Cn}]$/u.test(ch)) {
    return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `'${ch}'`;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const n = source.length;
  let i = 0;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (/\s/.test(source[i]!)) {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c) || (c === 46 && isDigit(source.charCodeAt(i + 1)))) {
      while (isDigit(source.charCodeAt(i))) i++;
      if (source.charCodeAt(i) === 46) {
        i++;
        while (isDigit(source.charCodeAt(i))) i++;
      }
      const e = source.charCodeAt(i);
      if (e === 69 || e === 101) {
        let j = i + 1;
        const sign = source.charCodeAt(j);
        if (sign === 43 || sign === 45) j++;
        if (!isDigit(source.charCodeAt(j))) throw new ExpressionError(`Invalid number at ${start}: the exponent needs digits`, start);
        while (isDigit(source.charCodeAt(j))) j++;
        i = j;
      }
      const next = source.charCodeAt(i);
      if (isIdentPart(next) || next === 46) {
        let j = i;
        while (isIdentPart(source.charCodeAt(j)) || source.charCodeAt(j) === 46) j++;
        throw new ExpressionError(`Invalid number '${source.slice(start, Math.min(j, start + 30))}' at ${start}`, start);
      }
      const value = Number(source.slice(start, i));
      if (!Number.isFinite(value)) throw new ExpressionError(`Number at ${start} is too large`, start);
      tokens.push({ t: 'num', pos: start, end: i, value });
      continue;
    }
    if (c === 39) {
      // 'text', with '' for a quote
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw new ExpressionError(`Unterminated text at ${start}: it needs a closing '`, start);
        const q = source.indexOf("'", i);
        if (q < 0) throw new ExpressionError(`Unterminated text at ${start}: it needs a closing '`, start);
        value += source.slice(i, q);
        if (source.charCodeAt(q + 1) === 39) {
          value += "'";
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      tokens.push({ t: 'str', pos: start, end: i, value });
      continue;
    }
    if (c === 91) {
      // [field name], with ]] for a bracket
      let name = '';
      i++;
      for (;;) {
        const q = source.indexOf(']', i);
        if (q < 0) throw new ExpressionError(`Unterminated field name at ${start}: it needs a closing ]`, start);
        name += source.slice(i, q);
        if (source.charCodeAt(q + 1) === 93) {
          name += ']';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      if (name.length === 0) throw new ExpressionError(`Empty field name at ${start}`, start);
      tokens.push({ t: 'field', pos: start, end: i, name });
      continue;
    }
    if (isIdentStart(c)) {
      while (isIdentPart(source.charCodeAt(i))) i++;
      const text = source.slice(start, i);
      tokens.push({ t: 'word', pos: start, end: i, text, upper: text.toUpperCase() });
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op) {
      i += op.length;
      tokens.push({ t: 'op', pos: start, end: i, text: op === '==' ? '=' : op === '<>' ? '!=' : op });
      continue;
    }
    const hint = CHARACTER_HINTS[source[i]!];
    throw new ExpressionError(`Unexpected character ${showChar(source, i)} at ${i}${hint ? `: ${hint}` : ''}`, i);
  }
  tokens.push({ t: 'eof', pos: n, end: n });
  return tokens;
}

// Binding powers: an infix operator continues an operand only when it binds tighter than the caller.
const BP_OR = 10;
const BP_AND = 20;
const BP_NOT = 30;
const BP_IS = 40;
const BP_COMPARE = 50;
const BP_CONCAT = 60;
const BP_ADD = 70;
const BP_MUL = 80;
const BP_UNARY = 90;

const INFIX: Record<string, { bp: number; op: SyntaxBinaryOp }> = {
  '=': { bp: BP_COMPARE, op: '=' },
  '!=': { bp: BP_COMPARE, op: '!=' },
  '<': { bp: BP_COMPARE, op: '<' },
  '<=': { bp: BP_COMPARE, op: '<=' },
  '>': { bp: BP_COMPARE, op: '>' },
  '>=': { bp: BP_COMPARE, op: '>=' },
  '&': { bp: BP_CONCAT, op: '&' },
  '+': { bp: BP_ADD, op: '+' },
  '-': { bp: BP_ADD, op: '-' },
  '*': { bp: BP_MUL, op: '*' },
  '/': { bp: BP_MUL, op: '/' },
  '%': { bp: BP_MUL, op: '%' },
};

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): SyntaxNode {
    const node = this.expression(0);
    const tok = this.peek();
    if (tok.t !== 'eof') {
      const hint = tok.t === 'op' && tok.text === ')' ? ': there is no ( to close' : tok.t === 'op' && tok.text === ',' ? ': commas only separate function arguments' : '';
      this.fail(`Unexpected ${this.describe(tok)} at ${tok.pos}${hint}`, tok);
    }
    return node;
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    const tok = this.tokens[this.i]!;
    if (tok.t !== 'eof') this.i++;
    return tok;
  }

  private isOp(tok: Token, text: string): boolean {
    return tok.t === 'op' && tok.text === text;
  }

  private isWord(tok: Token, upper: string): boolean {
    return tok.t === 'word' && tok.upper === upper;
  }

  private describe(tok: Token): string {
    switch (tok.t) {
      case 'eof':
        return 'end of expression';
      case 'word':
        return KEYWORDS.has(tok.upper) ? tok.upper : `'${tok.text}'`;
      case 'op':
        return `'${tok.text}'`;
      case 'num':
        return 'number';
      case 'str':
        return 'text';
      case 'field':
        return 'field';
    }
  }

  private fail(message: string, tok: Token): never {
    throw new ExpressionError(message, tok.pos);
  }

  private expected(what: string): never {
    const tok = this.peek();
    this.fail(tok.t === 'eof' ? `Expected ${what} at ${tok.pos}` : `Expected ${what} at ${tok.pos}, found ${this.describe(tok)}`, tok);
  }

  private expectOp(text: string): Token {
    if (!this.isOp(this.peek(), text)) this.expected(`'${text}'`);
    return this.next();
  }

  private expectWord(upper: string): Token {
    if (!this.isWord(this.peek(), upper)) this.expected(upper);
    return this.next();
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING) {
      const tok = this.peek();
      this.fail(`The expression is nested too deeply at ${tok.pos} (more than ${MAX_NESTING} levels)`, tok);
    }
  }

  /** An operand, continued with infix operators binding tighter than `minBp`. */
  private expression(minBp: number): SyntaxNode {
    this.enter();
    try {
      return this.continueFrom(this.prefix(), minBp);
    } finally {
      this.depth--;
    }
  }

  private continueFrom(first: SyntaxNode, minBp: number): SyntaxNode {
    let left = first;
    for (;;) {
      const tok = this.peek();
      if (tok.t === 'word' && (tok.upper === 'AND' || tok.upper === 'OR')) {
        const bp = tok.upper === 'AND' ? BP_AND : BP_OR;
        if (bp <= minBp) return left;
        this.next();
        const right = this.expression(bp);
        left = { kind: 'binary', op: tok.upper === 'AND' ? 'and' : 'or', opPos: tok.pos, left, right, pos: left.pos, end: right.end };
        continue;
      }
      if (tok.t === 'word' && tok.upper === 'IS') {
        if (BP_IS <= minBp) return left;
        this.next();
        const negate = this.isWord(this.peek(), 'NOT');
        if (negate) this.next();
        if (!this.isWord(this.peek(), 'NULL')) this.expected(negate ? 'NULL' : 'NULL or NOT NULL');
        const end = this.next().end;
        left = { kind: 'isnull', negate, opPos: tok.pos, arg: left, pos: left.pos, end };
        continue;
      }
      const infix = tok.t === 'op' ? INFIX[tok.text] : undefined;
      if (!infix || infix.bp <= minBp) return left;
      this.next();
      const right = this.expression(infix.bp);
      left = { kind: 'binary', op: infix.op, opPos: tok.pos, left, right, pos: left.pos, end: right.end };
      if (infix.bp === BP_COMPARE) {
        const after = this.peek();
        if (after.t === 'op' && INFIX[after.text]?.bp === BP_COMPARE) {
          this.fail(`Comparisons cannot be chained at ${after.pos}: join them with AND`, after);
        }
      }
    }
  }

  private prefix(): SyntaxNode {
    const tok = this.next();
    switch (tok.t) {
      case 'num':
        return { kind: 'number', value: tok.value, pos: tok.pos, end: tok.end };
      case 'str':
        return { kind: 'string', value: tok.value, pos: tok.pos, end: tok.end };
      case 'field':
        return { kind: 'field', name: tok.name, pos: tok.pos, end: tok.end };
      case 'eof':
        return this.fail(`Expected a value at ${tok.pos}`, tok);
      case 'op': {
        if (tok.text === '(') {
          const inner = this.expression(0);
          this.expectOp(')');
          return inner;
        }
        if (tok.text === '-' || tok.text === '+') {
          const arg = this.expression(BP_UNARY);
          return { kind: 'unary', op: tok.text, arg, pos: tok.pos, end: arg.end };
        }
        return this.fail(`Expected a value at ${tok.pos}, found '${tok.text}'`, tok);
      }
      case 'word':
        break;
    }
    switch (tok.upper) {
      case 'TRUE':
      case 'FALSE':
        return { kind: 'boolean', value: tok.upper === 'TRUE', pos: tok.pos, end: tok.end };
      case 'NULL':
        return { kind: 'null', pos: tok.pos, end: tok.end };
      case 'NOT': {
        const arg = this.expression(BP_NOT);
        return { kind: 'unary', op: 'not', arg, pos: tok.pos, end: arg.end };
      }
      case 'IF':
        return this.ifExpression(tok);
      case 'CASE':
        return this.caseExpression(tok);
    }
    if (KEYWORDS.has(tok.upper)) return this.fail(`Unexpected ${tok.upper} at ${tok.pos}`, tok);
    if (this.isOp(this.peek(), '(')) return this.call(tok);
    return { kind: 'field', name: tok.text, pos: tok.pos, end: tok.end };
  }

  private call(name: Token & { t: 'word' }): SyntaxNode {
    this.next(); // (
    const args: SyntaxNode[] = [];
    if (!this.isOp(this.peek(), ')')) {
      for (;;) {
        args.push(this.expression(0));
        if (this.isOp(this.peek(), ',')) {
          this.next();
          continue;
        }
        if (!this.isOp(this.peek(), ')')) this.expected(`',' or ')'`);
        break;
      }
    }
    const end = this.next().end;
    return { kind: 'call', name: name.upper, args, pos: name.pos, end };
  }

  /** `IF(cond, then, else)` or `IF cond THEN a [ELSEIF c THEN b]… [ELSE e] END`. */
  private ifExpression(ifTok: Token): SyntaxNode {
    this.enter();
    try {
      let cond: SyntaxNode;
      if (this.isOp(this.peek(), '(')) {
        // Either the function form or a keyword form whose condition starts with a parenthesis.
        this.next();
        const first = this.expression(0);
        if (this.isOp(this.peek(), ',')) {
          const args = [first];
          while (this.isOp(this.peek(), ',')) {
            this.next();
            args.push(this.expression(0));
          }
          const close = this.expectOp(')');
          if (args.length !== 3) this.fail(`IF takes 3 arguments, IF(condition, then, else), not ${args.length}`, ifTok);
          return { kind: 'case', form: 'if', subject: null, whens: [{ when: args[0]!, then: args[1]! }], else: args[2]!, pos: ifTok.pos, end: close.end };
        }
        this.expectOp(')');
        cond = this.continueFrom(first, 0);
      } else {
        cond = this.expression(0);
      }
      this.expectWord('THEN');
      const whens = [{ when: cond, then: this.expression(0) }];
      let otherwise: SyntaxNode | null = null;
      for (;;) {
        if (this.isWord(this.peek(), 'ELSEIF')) {
          this.next();
          const when = this.expression(0);
          this.expectWord('THEN');
          whens.push({ when, then: this.expression(0) });
          continue;
        }
        if (this.isWord(this.peek(), 'ELSE')) {
          this.next();
          otherwise = this.expression(0);
        }
        break;
      }
      const end = this.expectWord('END').end;
      return { kind: 'case', form: 'if', subject: null, whens, else: otherwise, pos: ifTok.pos, end };
    } finally {
      this.depth--;
    }
  }

  /** `CASE WHEN c THEN a … [ELSE b] END` or `CASE x WHEN v THEN a … [ELSE b] END`. */
  private caseExpression(caseTok: Token): SyntaxNode {
    this.enter();
    try {
      const first = this.peek();
      if (this.isWord(first, 'END') || this.isWord(first, 'ELSE') || this.isWord(first, 'THEN')) this.expected('WHEN');
      const subject = this.isWord(first, 'WHEN') ? null : this.expression(0);
      const whens: Array<{ when: SyntaxNode; then: SyntaxNode }> = [];
      while (this.isWord(this.peek(), 'WHEN')) {
        this.next();
        const when = this.expression(0);
        this.expectWord('THEN');
        whens.push({ when, then: this.expression(0) });
      }
      if (whens.length === 0) this.expected('WHEN');
      let otherwise: SyntaxNode | null = null;
      if (this.isWord(this.peek(), 'ELSE')) {
        this.next();
        otherwise = this.expression(0);
      }
      const end = this.expectWord('END').end;
      return { kind: 'case', form: 'case', subject, whens, else: otherwise, pos: caseTok.pos, end };
    } finally {
      this.depth--;
    }
  }
}

/**
 * Parses an expression into an untyped syntax tree. Any input either parses or throws
 * {@link ExpressionError}; nothing else is thrown.
 */
export function parseExpression(source: string): SyntaxNode {
  if (typeof source !== 'string') throw new ExpressionError('The expression must be text', 0);
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new ExpressionError(`The expression is too long (${source.length} characters; at most ${MAX_SOURCE_LENGTH})`, MAX_SOURCE_LENGTH);
  }
  if (source.trim() === '') throw new ExpressionError('The expression is empty', 0);
  return new Parser(tokenize(source)).parse();
}
