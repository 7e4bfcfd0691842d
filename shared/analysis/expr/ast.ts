import type { ValueType } from '../spec.js';

/**
 * Typed expression trees: what a calculated field becomes once parsed and checked against an
 * extract's schema. The SQL dialects and the in-memory engine compile these; none of them ever sees
 * the source text.
 *
 * Semantics every backend follows (tests hold them to it):
 * - null propagates through arithmetic, comparisons and string functions (SQL three-valued logic);
 *   `and`/`or` follow SQL (false and null = false, true or null = true);
 * - `/` is floating-point division and `%` a floating-point remainder; dividing by zero gives null;
 * - `&` concatenates strings; a null operand gives null (CONCAT() treats nulls as empty);
 * - dates and timestamps are UTC.
 */
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '=' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or' | '&';
export type UnaryOp = 'neg' | 'not';

export type Expr =
  | { k: 'lit'; type: ValueType | 'null'; value: number | string | boolean | null }
  /** A column of the extract. `storage` is how the cache keeps it. */
  | { k: 'col'; type: ValueType; name: string; storage: 'integer' | 'bigint' | 'real' | 'boolean' | 'date' | 'timestamp' | 'text' }
  | { k: 'un'; type: ValueType; op: UnaryOp; arg: Expr }
  | { k: 'bin'; type: ValueType; op: BinaryOp; left: Expr; right: Expr }
  /** IF and CASE WHEN: the first `when` that is true picks its `then`; else `else` (null if absent). */
  | { k: 'case'; type: ValueType | 'null'; whens: Array<{ when: Expr; then: Expr }>; else: Expr | null }
  | { k: 'isnull'; type: 'boolean'; arg: Expr; negate: boolean }
  | { k: 'call'; type: ValueType; fn: FunctionName; args: Expr[] };

/** Built-in functions (upper-case in source, case-insensitive). */
export type FunctionName =
  | 'COALESCE'
  | 'UPPER' | 'LOWER' | 'TRIM' | 'LENGTH' | 'LEFT' | 'RIGHT' | 'SUBSTR' | 'REPLACE' | 'CONCAT' | 'CONTAINS' | 'STARTSWITH' | 'ENDSWITH'
  | 'ABS' | 'ROUND' | 'FLOOR' | 'CEIL' | 'SQRT' | 'POWER' | 'LN' | 'EXP'
  | 'YEAR' | 'QUARTER' | 'MONTH' | 'DAY' | 'WEEKDAY' | 'HOUR' | 'DATETRUNC' | 'DATEDIFF' | 'DATEADD' | 'TODAY' | 'DATE';
