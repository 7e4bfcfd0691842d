import Database from 'better-sqlite3-multiple-ciphers';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  binSql,
  decimalRemainder,
  exprToSql,
  grainSql,
  quoteIdent,
  registerSqliteFunctions,
  roundHalfAwayFromZero,
  type Dialect,
  type SqlContext,
} from '../../electron/worker/query/sql-expr';
import type { Expr } from '../../shared/analysis/expr/ast';
import { checkExpression, type FieldInfo } from '../../shared/analysis/expr/check';
import { GRAINS, type Grain, type ValueType } from '../../shared/analysis/spec';
import { pgOrSkip, startPgCluster, type PgCluster } from '../helpers/pg-cluster';

type Storage = Extract<Expr, { k: 'col' }>['storage'];
type Value = number | string | boolean | null;

// One table, held as the SQLite cache holds it and as the warehouse holds it.
const COLUMNS: Array<{ name: string; storage: Storage; sqlite: string; pg: string }> = [
  { name: 'id', storage: 'integer', sqlite: 'INTEGER', pg: 'integer PRIMARY KEY' },
  { name: 'amount', storage: 'real', sqlite: 'REAL', pg: 'numeric(12,2)' },
  { name: 'qty', storage: 'integer', sqlite: 'INTEGER', pg: 'integer' },
  { name: 'ratio', storage: 'real', sqlite: 'REAL', pg: 'double precision' },
  // A collation that is not code-point order, so a missing COLLATE "C" would show.
  { name: 'name', storage: 'text', sqlite: 'TEXT', pg: 'text COLLATE "und-x-icu"' },
  { name: 'note', storage: 'text', sqlite: 'TEXT', pg: 'text COLLATE "und-x-icu"' },
  { name: 'flag', storage: 'boolean', sqlite: 'INTEGER', pg: 'boolean' },
  { name: 'd', storage: 'date', sqlite: 'TEXT', pg: 'date' },
  { name: 'ts', storage: 'timestamp', sqlite: 'TEXT', pg: 'timestamptz' },
  { name: 'tsl', storage: 'timestamp', sqlite: 'TEXT', pg: 'timestamp' },
];

// Rows in the cache's storage form: REAL numbers, 0/1 booleans, ISO text (zoned columns with Z).
const ROWS: Value[][] = [
  [1, 10.5, 3, 0.1, "O'Brien; DROP TABLE t; --", 'abc%_def', 1, '2024-01-31', '2024-03-08T10:15:00Z', '2024-03-08T10:15:00.5'],
  [2, -7.25, 0, -2.5, 'Привет', '  padded\t', 0, '2024-02-29', '2024-03-08T10:15:00.123456Z', '2023-12-31T23:59:59.999999'],
  [3, 0, -4, 2.675, 'ma\u00f1ana ß 🎉', '/* c */', null, '2021-01-03', '2020-12-31T23:00:00Z', '2021-01-04T00:00:00'],
  [4, null, null, null, null, null, null, null, null, null],
  [5, 1234.56, 7, 1.005, '', 'x', 1, '2024-12-30', '2025-01-01T00:00:00.000001Z', '2024-02-29T12:00:00'],
  [6, 2.5, 2, -0.5, 'ΣΑΣ', '%', 0, '1999-12-31', '2000-02-29T06:07:08.9Z', '1999-12-31T23:59:59'],
];

const TYPE_OF: Record<Storage, ValueType> = { integer: 'number', bigint: 'number', real: 'number', boolean: 'boolean', date: 'date', timestamp: 'timestamp', text: 'string' };

function resolve(name: string): FieldInfo | null {
  const c = COLUMNS.find((col) => col.name === name);
  if (!c) return null;
  const type = TYPE_OF[c.storage];
  return { type, expr: { k: 'col', type, name, storage: c.storage } };
}

const NOW = new Date('2024-03-08T12:00:00Z');
const typed = (source: string) => checkExpression(source, resolve, { now: NOW });

/** Timestamps in one comparable shape: `YYYY-MM-DDTHH:MM:SS.ffffffZ` (either engine's text, zone or not). */
function canonicalTimestamp(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|\+00(?::?00)?)?$/.exec(text);
  if (!m) throw new Error(`not a timestamp: ${text}`);
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(6, '0')}Z`;
}

/** A driver's value in the test's terms: numbers, booleans, date text, canonical timestamps. */
function normalise(value: unknown, type: Expr['type']): Value {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'number': {
      const n = Number(value);
      return Object.is(n, -0) ? 0 : n;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : Number(value) !== 0;
    case 'timestamp':
      return canonicalTimestamp(String(value));
    default:
      return String(value);
  }
}

interface Engine {
  dialect: Dialect;
  /** The expression evaluated over every row, in id order, normalised. */
  run(expr: Expr): Promise<Value[]>;
  /** Raw SQL over the table (`{}` is replaced by the table name). */
  select(sql: (ctx: SqlContext) => string, type: Expr['type']): Promise<Value[]>;
}

function contextFor(dialect: Dialect, params: Value[]): SqlContext {
  return {
    dialect,
    param(v) {
      params.push(v);
      return dialect === 'sqlite' ? '?' : `$${params.length}`;
    },
    column: (name) => quoteIdent(name),
  };
}

function sqliteEngine(): Engine & { db: Database.Database } {
  const db = new Database(':memory:');
  registerSqliteFunctions(db);
  db.exec(`CREATE TABLE t (${COLUMNS.map((c) => `${quoteIdent(c.name)} ${c.sqlite}`).join(', ')})`);
  const insert = db.prepare(`INSERT INTO t VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  for (const row of ROWS) insert.run(...row);
  const engine: Engine & { db: Database.Database } = {
    db,
    dialect: 'sqlite',
    async select(build, type) {
      const params: Value[] = [];
      const sql = build(contextFor('sqlite', params));
      const rows = db.prepare(`SELECT ${sql} AS v FROM t ORDER BY id`).all(...params) as Array<{ v: unknown }>;
      return rows.map((r) => normalise(r.v, type));
    },
    run: (expr) => engine.select((ctx) => exprToSql(expr, ctx), expr.type),
  };
  return engine;
}

const RAW_TYPES = new Set([20, 1082, 1114, 1184, 1700]); // int8, date, timestamp, timestamptz, numeric: as text

async function postgresEngine(cluster: PgCluster): Promise<Engine & { client: pg.Client }> {
  const client = new pg.Client({
    connectionString: cluster.adminUrl,
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (RAW_TYPES.has(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
  });
  await client.connect();
  await client.query("SET TimeZone = 'UTC'");
  await client.query(`CREATE TABLE t (${COLUMNS.map((c) => `${quoteIdent(c.name)} ${c.pg}`).join(', ')})`);
  for (const row of ROWS) {
    const values = row.map((v, i) => (COLUMNS[i]!.storage === 'boolean' && v !== null ? v === 1 : v));
    await client.query(`INSERT INTO t VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`, values);
  }
  const engine: Engine & { client: pg.Client } = {
    client,
    dialect: 'postgres',
    async select(build, type) {
      const params: Value[] = [];
      const sql = build(contextFor('postgres', params));
      const result = await client.query<{ v: unknown }>(`SELECT ${sql} AS v FROM t ORDER BY id`, params);
      return result.rows.map((r) => normalise(r.v, type));
    },
    run: (expr) => engine.select((ctx) => exprToSql(expr, ctx), expr.type),
  };
  return engine;
}

const N = null;
const T = true;
const F = false;

interface Case {
  source: string;
  /** One value per row (ids 1–6). Timestamps in any ISO shape; compared at the microsecond. */
  expected: Value[];
  /** Compare numbers to 12 significant digits instead of exactly. */
  approx?: boolean;
}

// Expected values worked out by hand from the rows above (not from either engine).
const CASES: Case[] = [
  // arithmetic
  { source: 'amount + qty', expected: [13.5, -7.25, -4, N, 1241.56, 4.5], approx: true },
  { source: 'amount * 2 - qty', expected: [18, -14.5, 4, N, 2462.12, 3], approx: true },
  { source: '-qty', expected: [-3, 0, 4, N, -7, -2] },
  { source: 'qty / 2', expected: [1.5, 0, -2, N, 3.5, 1] },
  { source: 'amount / qty', expected: [3.5, N, 0, N, 176.36571428571428, 1.25], approx: true },
  { source: 'qty / 0', expected: [N, N, N, N, N, N] },
  { source: '1 / (qty - qty)', expected: [N, N, N, N, N, N] },
  { source: 'qty % 3', expected: [0, 0, -1, N, 1, 2] },
  { source: 'amount % 2', expected: [0.5, -1.25, 0, N, 0.56, 0.5] },
  { source: 'ratio % 0.1', expected: [0, 0, 0.075, N, 0.005, 0] },
  { source: 'amount % -3', expected: [1.5, -1.25, 0, N, 1.56, 2.5] },
  { source: 'amount % 0', expected: [N, N, N, N, N, N] },
  { source: '9007199254740991 % 10', expected: [0, 0, 0, 0, 0, 0] },
  { source: '2 + 3 * 4 - 10 / 4', expected: [11.5, 11.5, 11.5, 11.5, 11.5, 11.5] },
  // ROUND halves away from zero, on the decimal value
  { source: 'ROUND(ratio, 2)', expected: [0.1, -2.5, 2.68, N, 1.01, -0.5] },
  { source: 'ROUND(amount)', expected: [11, -7, 0, N, 1235, 3] },
  { source: 'ROUND(ratio * -1)', expected: [0, 3, -3, N, -1, 1] },
  { source: 'ROUND(amount, -1)', expected: [10, -10, 0, N, 1230, 0] },
  { source: 'ROUND(amount, 1.9)', expected: [10.5, -7.3, 0, N, 1234.6, 2.5] },
  { source: 'ROUND(amount, NULL)', expected: [N, N, N, N, N, N] },
  { source: 'ROUND(0.1 + 0.2, 20) = 0.3', expected: [T, T, T, T, T, T] },
  { source: 'FLOOR(ratio)', expected: [0, -3, 2, N, 1, -1] },
  { source: 'CEIL(ratio)', expected: [1, -2, 3, N, 2, 0] },
  { source: 'ABS(amount)', expected: [10.5, 7.25, 0, N, 1234.56, 2.5] },
  { source: 'SQRT(qty)', expected: [Math.sqrt(3), 0, N, N, Math.sqrt(7), Math.SQRT2], approx: true },
  { source: 'LN(qty)', expected: [Math.log(3), N, N, N, Math.log(7), Math.LN2], approx: true },
  { source: 'EXP(ratio)', expected: [Math.exp(0.1), Math.exp(-2.5), Math.exp(2.675), N, Math.exp(1.005), Math.exp(-0.5)], approx: true },
  { source: 'POWER(qty, 0.5)', expected: [Math.sqrt(3), 0, N, N, Math.sqrt(7), Math.SQRT2], approx: true },
  { source: 'POWER(qty, -1)', expected: [1 / 3, N, -0.25, N, 1 / 7, 0.5], approx: true },
  { source: 'POWER(qty, 2)', expected: [9, 0, 16, N, 49, 4] },
  // text
  { source: 'UPPER(name)', expected: ["O'BRIEN; DROP TABLE T; --", 'ПРИВЕТ', 'MA\u00d1ANA SS 🎉', N, '', 'ΣΑΣ'] },
  { source: 'LOWER(name)', expected: ["o'brien; drop table t; --", 'привет', 'ma\u00f1ana ß 🎉', N, '', 'σας'] },
  { source: 'LENGTH(name)', expected: [25, 6, 10, N, 0, 3] },
  { source: 'LEFT(name, 3)', expected: ["O'B", 'При', 'ma\u00f1', N, '', 'ΣΑΣ'] },
  { source: 'LEFT(name, 2.9)', expected: ["O'", 'Пр', 'ma', N, '', 'ΣΑ'] },
  { source: 'LEFT(name, -1)', expected: ['', '', '', N, '', ''] },
  { source: 'LEFT(name, NULL)', expected: [N, N, N, N, N, N] },
  { source: 'RIGHT(name, 2)', expected: ['--', 'ет', ' 🎉', N, '', 'ΑΣ'] },
  { source: 'RIGHT(name, qty)', expected: [' --', '', '', N, '', 'ΑΣ'] },
  { source: 'RIGHT(name, 1e12)', expected: ["O'Brien; DROP TABLE t; --", 'Привет', 'ma\u00f1ana ß 🎉', N, '', 'ΣΑΣ'] },
  { source: 'SUBSTR(name, 2, 3)', expected: ["'Br", 'рив', 'a\u00f1a', N, '', 'ΑΣ'] },
  { source: 'SUBSTR(name, 0, 2)', expected: ['O', 'П', 'm', N, '', 'Σ'] },
  { source: 'SUBSTR(name, -1, 3)', expected: ['O', 'П', 'm', N, '', 'Σ'] },
  { source: 'SUBSTR(name, 9)', expected: [' DROP TABLE t; --', '', ' 🎉', N, '', ''] },
  { source: 'SUBSTR(name, 2, -1)', expected: ['', '', '', N, '', ''] },
  { source: 'SUBSTR(name, qty)', expected: ['Brien; DROP TABLE t; --', 'Привет', 'ma\u00f1ana ß 🎉', N, '', 'ΑΣ'] },
  { source: 'SUBSTR(name, -1e12, 2e12)', expected: ["O'Brien; DROP TABLE t; --", 'Привет', 'ma\u00f1ana ß 🎉', N, '', 'ΣΑΣ'] },
  { source: "REPLACE(name, ';', '|')", expected: ["O'Brien| DROP TABLE t| --", 'Привет', 'ma\u00f1ana ß 🎉', N, '', 'ΣΑΣ'] },
  { source: "REPLACE(note, '%', 'pct')", expected: ['abcpct_def', '  padded\t', '/* c */', N, 'x', 'pct'] },
  { source: "REPLACE(name, '', 'x')", expected: ["O'Brien; DROP TABLE t; --", 'Привет', 'ma\u00f1ana ß 🎉', N, '', 'ΣΑΣ'] },
  { source: "REPLACE(name, 'Привет', '''; --')", expected: ["O'Brien; DROP TABLE t; --", "'; --", 'ma\u00f1ana ß 🎉', N, '', 'ΣΑΣ'] },
  { source: 'TRIM(note)', expected: ['abc%_def', 'padded', '/* c */', N, 'x', '%'] },
  { source: "name & '!'", expected: ["O'Brien; DROP TABLE t; --!", 'Привет!', 'ma\u00f1ana ß 🎉!', N, '!', 'ΣΑΣ!'] },
  { source: "CONCAT(name, NULL, '|', note)", expected: ["O'Brien; DROP TABLE t; --|abc%_def", 'Привет|  padded\t', 'ma\u00f1ana ß 🎉|/* c */', '|', '|x', 'ΣΑΣ|%'] },
  { source: "CONTAINS(note, '%')", expected: [T, F, F, N, F, T] },
  { source: "CONTAINS(note, '_')", expected: [T, F, F, N, F, F] },
  { source: "CONTAINS(note, 'c%_d')", expected: [T, F, F, N, F, F] },
  { source: "CONTAINS(name, '')", expected: [T, T, T, N, T, T] },
  { source: "CONTAINS(name, 'o''brien')", expected: [F, F, F, N, F, F] },
  { source: "CONTAINS(name, 'O''Brien; DROP')", expected: [T, F, F, N, F, F] },
  { source: "STARTSWITH(note, '/*')", expected: [F, F, T, N, F, F] },
  { source: "STARTSWITH(name, 'при')", expected: [F, F, F, N, F, F] },
  { source: "STARTSWITH(LOWER(name), 'при')", expected: [F, T, F, N, F, F] },
  { source: "STARTSWITH(note, '%')", expected: [F, F, F, N, F, T] },
  { source: "ENDSWITH(name, '--')", expected: [T, F, F, N, F, F] },
  { source: "ENDSWITH(name, '🎉')", expected: [F, F, T, N, F, F] },
  { source: "ENDSWITH(name, '')", expected: [T, T, T, N, T, T] },
  { source: "ENDSWITH(note, '_def')", expected: [T, F, F, N, F, F] },
  // comparisons and logic (text by code point, whatever the column's collation)
  { source: "name < 'a'", expected: [T, F, F, N, T, F] },
  { source: 'UPPER(name) < LOWER(name)', expected: [T, T, T, N, F, T] },
  { source: "name = 'Привет'", expected: [F, T, F, N, F, F] },
  { source: "name != ''", expected: [T, T, T, N, F, T] },
  { source: 'qty >= 2', expected: [T, F, F, N, T, T] },
  { source: 'amount = 10.5', expected: [T, F, F, N, F, F] },
  { source: 'flag = TRUE', expected: [T, F, N, N, T, F] },
  { source: 'flag <> FALSE', expected: [T, F, N, N, T, F] },
  { source: 'flag < TRUE', expected: [F, T, N, N, F, T] },
  { source: 'NOT flag', expected: [F, T, N, N, F, T] },
  { source: 'flag AND qty > 0', expected: [T, F, F, N, T, F] },
  { source: 'flag OR qty > 0', expected: [T, F, N, N, T, T] },
  { source: 'flag IS NULL', expected: [F, F, T, T, F, F] },
  { source: 'name IS NOT NULL', expected: [T, T, T, F, T, T] },
  // IF and CASE
  { source: "IF(flag, 'yes', 'no')", expected: ['yes', 'no', 'no', 'no', 'yes', 'no'] },
  { source: "IF qty > 5 THEN 'big' ELSEIF qty > 0 THEN 'small' END", expected: ['small', N, N, N, 'big', 'small'] },
  { source: "CASE qty WHEN 3 THEN 'three' WHEN 0 THEN 'zero' ELSE 'other' END", expected: ['three', 'zero', 'other', 'other', 'other', 'other'] },
  { source: 'CASE WHEN amount > 100 THEN amount ELSE 0 END', expected: [0, 0, 0, 0, 1234.56, 0] },
  { source: 'IF flag THEN NULL ELSE qty END', expected: [N, 0, -4, N, N, 2] },
  { source: 'IF flag THEN d ELSE DATE(\'2000-01-01\') END', expected: ['2024-01-31', '2000-01-01', '2000-01-01', '2000-01-01', '2024-12-30', '2000-01-01'] },
  { source: 'COALESCE(flag, FALSE)', expected: [T, F, F, F, T, F] },
  { source: "COALESCE(name, note, '?')", expected: ["O'Brien; DROP TABLE t; --", 'Привет', 'ma\u00f1ana ß 🎉', '?', '', 'ΣΑΣ'] },
  { source: 'COALESCE(amount, 0) + 1', expected: [11.5, -6.25, 1, 1, 1235.56, 3.5], approx: true },
  { source: 'COALESCE(ts, tsl)', expected: ['2024-03-08T10:15:00Z', '2024-03-08T10:15:00.123456Z', '2020-12-31T23:00:00Z', N, '2025-01-01T00:00:00.000001Z', '2000-02-29T06:07:08.9Z'] },
  // date parts (UTC; WEEKDAY is ISO, Monday 1)
  { source: 'YEAR(d)', expected: [2024, 2024, 2021, N, 2024, 1999] },
  { source: 'QUARTER(d)', expected: [1, 1, 1, N, 4, 4] },
  { source: 'MONTH(d)', expected: [1, 2, 1, N, 12, 12] },
  { source: 'DAY(d)', expected: [31, 29, 3, N, 30, 31] },
  { source: 'WEEKDAY(d)', expected: [3, 4, 7, N, 1, 5] },
  { source: 'YEAR(ts)', expected: [2024, 2024, 2020, N, 2025, 2000] },
  { source: 'WEEKDAY(ts)', expected: [5, 5, 4, N, 3, 2] },
  { source: 'HOUR(ts)', expected: [10, 10, 23, N, 0, 6] },
  { source: 'HOUR(tsl)', expected: [10, 23, 0, N, 12, 23] },
  { source: 'QUARTER(tsl)', expected: [1, 4, 1, N, 1, 4] },
  // DATETRUNC (weeks start on Monday)
  { source: "DATETRUNC('week', d)", expected: ['2024-01-29', '2024-02-26', '2020-12-28', N, '2024-12-30', '1999-12-27'] },
  { source: "DATETRUNC('quarter', d)", expected: ['2024-01-01', '2024-01-01', '2021-01-01', N, '2024-10-01', '1999-10-01'] },
  { source: "DATETRUNC('month', ts)", expected: ['2024-03-01', '2024-03-01', '2020-12-01', N, '2025-01-01', '2000-02-01'] },
  { source: "DATETRUNC('year', tsl)", expected: ['2024-01-01', '2023-01-01', '2021-01-01', N, '2024-01-01', '1999-01-01'] },
  { source: "DATETRUNC('day', tsl)", expected: ['2024-03-08', '2023-12-31', '2021-01-04', N, '2024-02-29', '1999-12-31'] },
  { source: "DATETRUNC('week', ts)", expected: ['2024-03-04', '2024-03-04', '2020-12-28', N, '2024-12-30', '2000-02-28'] },
  { source: "DATETRUNC('quarter', tsl)", expected: ['2024-01-01', '2023-10-01', '2021-01-01', N, '2024-01-01', '1999-10-01'] },
  // DATEADD: month ends clamp; time of day kept
  { source: "DATEADD('month', 1, d)", expected: ['2024-02-29', '2024-03-29', '2021-02-03', N, '2025-01-30', '2000-01-31'] },
  { source: "DATEADD('month', -1, DATE('2024-03-31'))", expected: ['2024-02-29', '2024-02-29', '2024-02-29', '2024-02-29', '2024-02-29', '2024-02-29'] },
  { source: "DATEADD('year', 1, d)", expected: ['2025-01-31', '2025-02-28', '2022-01-03', N, '2025-12-30', '2000-12-31'] },
  { source: "DATEADD('quarter', qty, d)", expected: ['2024-10-31', '2024-02-29', '2020-01-03', N, '2026-09-30', '2000-06-30'] },
  { source: "DATEADD('day', qty, ts)", expected: ['2024-03-11T10:15:00Z', '2024-03-08T10:15:00.123456Z', '2020-12-27T23:00:00Z', N, '2025-01-08T00:00:00.000001Z', '2000-03-02T06:07:08.9Z'] },
  { source: "DATEADD('week', -1, tsl)", expected: ['2024-03-01T10:15:00.5', '2023-12-24T23:59:59.999999', '2020-12-28T00:00:00', N, '2024-02-22T12:00:00', '1999-12-24T23:59:59'] },
  { source: "DATEADD('month', 12, ts)", expected: ['2025-03-08T10:15:00Z', '2025-03-08T10:15:00.123456Z', '2021-12-31T23:00:00Z', N, '2026-01-01T00:00:00.000001Z', '2001-02-28T06:07:08.9Z'] },
  { source: "DATEADD('day', 1.9, d)", expected: ['2024-02-01', '2024-03-01', '2021-01-04', N, '2024-12-31', '2000-01-01'] },
  { source: "DATEADD('day', -1.9, d)", expected: ['2024-01-30', '2024-02-28', '2021-01-02', N, '2024-12-29', '1999-12-30'] },
  { source: "DATEADD('day', NULL, d)", expected: [N, N, N, N, N, N] },
  // DATEDIFF counts calendar boundaries
  { source: "DATEDIFF('day', d, ts)", expected: [37, 8, -3, N, 2, 60] },
  { source: "DATEDIFF('day', tsl, ts)", expected: [0, 68, -4, N, 307, 60] },
  { source: "DATEDIFF('week', d, ts)", expected: [5, 1, 0, N, 0, 9] },
  { source: "DATEDIFF('month', d, tsl)", expected: [2, -2, 0, N, -10, 0] },
  { source: "DATEDIFF('quarter', d, ts)", expected: [0, 0, -1, N, 1, 1] },
  { source: "DATEDIFF('year', tsl, ts)", expected: [0, 1, -1, N, 1, 1] },
  { source: "DATEDIFF('week', DATE('2020-12-31'), DATE('2021-01-04'))", expected: [1, 1, 1, 1, 1, 1] },
  { source: "DATEDIFF('week', DATE('2021-01-03'), DATE('2021-01-04'))", expected: [1, 1, 1, 1, 1, 1] },
  { source: "DATEDIFF('day', DATE('2023-02-28'), DATE('2024-02-28'))", expected: [365 + 0, 365, 365, 365, 365, 365] },
  { source: "DATEDIFF('day', DATE('2024-02-28'), DATE('2025-02-28'))", expected: [366, 366, 366, 366, 366, 366] },
  { source: "DATEDIFF('day', DATE('1900-02-28'), DATE('1900-03-01')) + DATEDIFF('day', DATE('2000-02-28'), DATE('2000-03-01'))", expected: [3, 3, 3, 3, 3, 3] },
  { source: "DATEDIFF('month', TODAY(), d)", expected: [-2, -1, -38, N, 9, -291] },
  // timestamps compare as instants, to the microsecond, zone or not
  { source: 'ts < tsl', expected: [T, F, T, N, F, F] },
  { source: 'd < ts', expected: [T, T, F, N, T, T] },
  { source: "ts > DATE('2025-01-01')", expected: [F, F, F, N, T, F] },
  { source: "ts = DATE('2025-01-01')", expected: [F, F, F, N, F, F] },
  { source: "tsl = DATEADD('day', 0, tsl)", expected: [T, T, T, N, T, T] },
  { source: "DATEADD('day', 0, ts) >= ts", expected: [T, T, T, N, T, T] },
  { source: 'TODAY() > d', expected: [T, T, T, N, F, T] },
];

/** Every string literal in a tree except date units, which become SQL constants by design. */
function stringLiterals(e: Expr, out: string[] = []): string[] {
  switch (e.k) {
    case 'lit':
      if (typeof e.value === 'string') out.push(e.value);
      break;
    case 'un':
    case 'isnull':
      stringLiterals(e.arg, out);
      break;
    case 'bin':
      stringLiterals(e.left, out);
      stringLiterals(e.right, out);
      break;
    case 'case':
      for (const w of e.whens) stringLiterals(w.when, stringLiterals(w.then, out));
      if (e.else) stringLiterals(e.else, out);
      break;
    case 'call':
      (e.fn.startsWith('DATE') ? e.args.slice(1) : e.args).forEach((a) => stringLiterals(a, out));
      break;
    default:
      break;
  }
  return out;
}

function expectValues(actual: Value[], expected: Value[], type: Expr['type'], approx: boolean, label: string): void {
  const want = expected.map((v) => (v === null ? null : type === 'timestamp' ? canonicalTimestamp(String(v)) : v));
  expect(actual.length, label).toBe(want.length);
  actual.forEach((v, i) => {
    const w = want[i]!;
    if (approx && typeof w === 'number' && typeof v === 'number') {
      expect(Math.abs(v - w), `${label} row ${i + 1}: ${v} vs ${w}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w)));
    } else {
      expect(v, `${label} row ${i + 1}`).toStrictEqual(w);
    }
  });
}

const usePg = pgOrSkip('sql-expr on PostgreSQL');
const engines: Array<[Dialect]> = usePg ? [['sqlite'], ['postgres']] : [['sqlite']];

describe.each(engines)('expressions on %s', (dialect) => {
  let engine: Engine;
  let cluster: PgCluster | undefined;
  let close: () => Promise<void> = async () => {};

  beforeAll(async () => {
    if (dialect === 'sqlite') {
      const e = sqliteEngine();
      engine = e;
      close = async () => {
        e.db.close();
      };
    } else {
      cluster = await startPgCluster();
      const e = await postgresEngine(cluster);
      engine = e;
      close = async () => {
        await e.client.end();
        await cluster!.stop();
      };
    }
  }, 120_000);
  afterAll(() => close());

  it.each(CASES)('$source', async ({ source, expected, approx }) => {
    const expr = typed(source);
    const params: Value[] = [];
    const sql = exprToSql(expr, contextFor(dialect, params));
    for (const literal of stringLiterals(expr)) if (literal.length > 1) expect(sql).not.toContain(literal);
    expectValues(await engine.run(expr), expected, expr.type, approx ?? false, source);
  });

  it('compares plan timestamps (epoch milliseconds with microsecond fractions) exactly', async () => {
    const ts: Expr = { k: 'col', type: 'timestamp', name: 'ts', storage: 'timestamp' };
    const tsl: Expr = { k: 'col', type: 'timestamp', name: 'tsl', storage: 'timestamp' };
    const lit = (value: number | string): Expr => ({ k: 'lit', type: 'timestamp', value });
    const cmp = (op: '=' | '<' | '>=', left: Expr, right: Expr): Expr => ({ k: 'bin', type: 'boolean', op, left, right });
    expect(await engine.run(cmp('=', ts, lit(Date.UTC(2024, 2, 8, 10, 15, 0, 123) + 0.456)))).toEqual([F, T, F, N, F, F]);
    expect(await engine.run(cmp('<', ts, lit(Date.UTC(2024, 2, 8, 10, 15, 0) + 0.5)))).toEqual([T, F, T, N, F, T]);
    expect(await engine.run(cmp('=', tsl, lit(Date.UTC(2024, 2, 8, 10, 15, 0, 500))))).toEqual([T, F, F, N, F, F]);
    expect(await engine.run(cmp('=', tsl, lit('2023-12-31T23:59:59.999999Z')))).toEqual([F, T, F, N, F, F]);
    expect(await engine.run(cmp('>=', ts, lit(Date.UTC(2025, 0, 1))))).toEqual([F, F, F, N, T, F]);
    const day: Expr = { k: 'lit', type: 'date', value: Date.UTC(2024, 1, 29) };
    expect(await engine.run({ k: 'bin', type: 'boolean', op: '=', left: { k: 'col', type: 'date', name: 'd', storage: 'date' }, right: day })).toEqual([F, T, F, N, F, F]);
    expect(await engine.run({ k: 'lit', type: 'timestamp', value: Date.UTC(2024, 2, 8, 10, 15, 0, 123) + 0.456 })).toEqual(Array(6).fill('2024-03-08T10:15:00.123456Z'));
  });

  it('truncates to every grain with grainSql', async () => {
    const expected: Record<Grain, Value[]> = {
      day: ['2024-03-08', '2024-03-08', '2020-12-31', N, '2025-01-01', '2000-02-29'],
      week: ['2024-03-04', '2024-03-04', '2020-12-28', N, '2024-12-30', '2000-02-28'],
      month: ['2024-03-01', '2024-03-01', '2020-12-01', N, '2025-01-01', '2000-02-01'],
      quarter: ['2024-01-01', '2024-01-01', '2020-10-01', N, '2025-01-01', '2000-01-01'],
      year: ['2024-01-01', '2024-01-01', '2020-01-01', N, '2025-01-01', '2000-01-01'],
    };
    for (const grain of GRAINS) {
      expect(await engine.select((ctx) => grainSql(ctx.column('ts'), 'timestamp', grain, dialect), 'date'), grain).toEqual(expected[grain]);
    }
    expect(await engine.select((ctx) => grainSql(ctx.column('d'), 'date', 'week', dialect), 'date')).toEqual(['2024-01-29', '2024-02-26', '2020-12-28', N, '2024-12-30', '1999-12-27']);
  });

  it('bins numbers with binSql, floor not truncation, after the value has bound its parameters', async () => {
    expect(await engine.select((ctx) => binSql(ctx.column('amount'), 5, 1, ctx), 'number')).toEqual([6, -9, -4, N, 1231, 1]);
    expect(await engine.select((ctx) => binSql(ctx.column('qty'), 3, 0, ctx), 'number')).toEqual([3, 0, -6, N, 6, 0]);
    const plusOne = typed('qty + 1');
    expect(await engine.select((ctx) => binSql(exprToSql(plusOne, ctx), 2.5, -1, ctx), 'number')).toEqual([4, -1, -3.5, N, 6.5, 1.5]);
  });

  it('quotes identifiers', async () => {
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
    expect(await engine.select(() => `${quoteIdent('qty')} + 0`, 'number')).toEqual([3, 0, -4, N, 7, 2]);
    expect(() => quoteIdent('a\0b')).toThrow(/NUL/);
  });

  it('rejects units and literals that did not come from the checker', () => {
    const ctx = contextFor(dialect, []);
    const d: Expr = { k: 'col', type: 'date', name: 'd', storage: 'date' };
    expect(() => exprToSql({ k: 'call', type: 'date', fn: 'DATETRUNC', args: [{ k: 'lit', type: 'string', value: "day'); DROP TABLE t; --" }, d] }, ctx)).toThrow(/unit/);
    expect(() => exprToSql({ k: 'lit', type: 'number', value: Number.NaN }, ctx)).toThrow(/finite/);
    expect(() => grainSql('"d"', 'date', 'fortnight' as Grain, dialect)).toThrow(/grain/);
  });

  it('compiles the deepest expression the checker allows', async () => {
    const deep = typed(`${'ROUND(ABS(FLOOR('.repeat(20)}ratio${')))'.repeat(20)}`);
    expect(await engine.run(deep)).toEqual([0, 3, 2, N, 1, 1]);
    const chain = typed(`${'LEFT(UPPER(SUBSTR('.repeat(21)}name${', 1, 30)), 30)'.repeat(21)}`);
    expect((await engine.run(chain))[1]).toBe('ПРИВЕТ');
    const dates = typed(`${"DATEADD('month', 1, ".repeat(60)}d${')'.repeat(60)}`);
    // 31 January, then the 29th (February 2024), then the 28th from February 2025 on.
    expect((await engine.run(dates))[0]).toBe('2029-01-28');
  });

  it('refuses SQL that would grow too large rather than building it', async () => {
    // PostgreSQL guards SQRT's domain with CASE, which repeats the operand: nesting doubles it.
    const nested = typed(`${'SQRT('.repeat(30)}qty${')'.repeat(30)}`);
    if (dialect === 'postgres') {
      expect(() => exprToSql(nested, contextFor(dialect, []))).toThrow(/too complex/);
    } else {
      expect((await engine.run(nested))[0]).toBeCloseTo(1, 6);
    }
  });
});

describe('scalar reference implementations', () => {
  it('ROUND rounds the 15-digit decimal value half away from zero', () => {
    expect(roundHalfAwayFromZero(2.675, 2)).toBe(2.68);
    expect(roundHalfAwayFromZero(1.005, 2)).toBe(1.01);
    expect(roundHalfAwayFromZero(-2.5, 0)).toBe(-3);
    expect(roundHalfAwayFromZero(0.5)).toBe(1);
    expect(roundHalfAwayFromZero(1234.5678, -2)).toBe(1200);
    expect(roundHalfAwayFromZero(1e300, 2)).toBe(1e300);
    expect(roundHalfAwayFromZero(5e-324, 400)).toBe(0); // digits clamp to 300
    expect(roundHalfAwayFromZero(1.5e-300, 300)).toBe(2e-300);
    expect(roundHalfAwayFromZero(0.30000000000000004, 17)).toBe(0.3);
    expect(roundHalfAwayFromZero(null, 1)).toBe(null);
  });

  it('% is the decimal remainder with the sign of the dividend', () => {
    expect(decimalRemainder(-7, 3)).toBe(-1);
    expect(decimalRemainder(7, -3)).toBe(1);
    expect(decimalRemainder(0.3, 0.1)).toBe(0);
    expect(decimalRemainder(-4, 2)).toBe(0);
    expect(Object.is(decimalRemainder(-4, 2), -0)).toBe(false);
    expect(decimalRemainder(1e300, 1e-300)).toBe(0);
    expect(decimalRemainder(5, 0)).toBe(null);
    // 2^53 - 1 has 16 digits; as PostgreSQL's numeric it is 9007199254740990.
    expect(decimalRemainder(9007199254740991, 10)).toBe(0);
  });
});

// Random well-typed expressions, compiled for both dialects: the SQL must run, and both engines must agree.
describe.runIf(usePg)('SQLite and PostgreSQL agree on random expressions', () => {
  let sqlite: Engine & { db: Database.Database };
  let postgres: Engine & { client: pg.Client };
  let cluster: PgCluster;

  beforeAll(async () => {
    sqlite = sqliteEngine();
    cluster = await startPgCluster();
    postgres = await postgresEngine(cluster);
  }, 120_000);
  afterAll(async () => {
    sqlite?.db.close();
    await postgres?.client.end();
    await cluster?.stop();
  });

  const { expression } = fc.letrec<Record<'number' | 'string' | 'boolean' | 'date' | 'timestamp' | 'expression', string>>((tie) => {
    const n = () => tie('number');
    const s = () => tie('string');
    const b = () => tie('boolean');
    const d = () => tie('date');
    const t = () => tie('timestamp');
    const dt = () => fc.oneof(d(), t());
    const unit = fc.constantFrom("'day'", "'week'", "'month'", "'quarter'", "'year'");
    const call = (name: string, ...args: fc.Arbitrary<string>[]) => fc.tuple(...args).map((a) => `${name}(${a.join(', ')})`);
    const op = (l: fc.Arbitrary<string>, ops: string[], r: fc.Arbitrary<string>) => fc.tuple(l, fc.constantFrom(...ops), r).map(([a, o, c]) => `(${a} ${o} ${c})`);
    const iff = (x: () => fc.Arbitrary<string>) => fc.tuple(b(), x(), x()).map(([c, a, e]) => `IF(${c}, ${a}, ${e})`);
    const leaf = <T>(arb: fc.Arbitrary<T>) => arb;
    return {
      number: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf(fc.constantFrom('amount', 'qty', 'ratio', '0', '1', '-2', '2.5', '0.1', '0.15', '1.005', '2.675', '-7.25', '100', '1e10', '1234.5678', 'NULL')),
        op(n(), ['+', '-', '*', '/', '%'], n()),
        n().map((x) => `-${x}`),
        call('ROUND', n()),
        call('ROUND', n(), fc.constantFrom('0', '1', '2', '-1', '3')),
        call('ABS', n()),
        call('FLOOR', n()),
        call('CEIL', n()),
        call('SQRT', n()),
        call('LN', n()),
        call('LENGTH', s()),
        call('YEAR', dt()),
        call('QUARTER', dt()),
        call('MONTH', dt()),
        call('DAY', dt()),
        call('WEEKDAY', dt()),
        call('HOUR', t()),
        call('DATEDIFF', unit, dt(), dt()),
        call('COALESCE', n(), n()),
        iff(n),
      ),
      string: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf(fc.constantFrom('name', 'note', "''", "'a'", "'%'", "'Ж'", "'ß'", "'x''y'", 'NULL')),
        call('UPPER', s()),
        call('LOWER', s()),
        call('TRIM', s()),
        call('LEFT', s(), n()),
        call('RIGHT', s(), n()),
        call('SUBSTR', s(), n()),
        call('SUBSTR', s(), n(), n()),
        call('REPLACE', s(), s(), s()),
        call('CONCAT', s(), s()),
        op(s(), ['&'], s()),
        call('COALESCE', s(), s()),
        iff(s),
      ),
      boolean: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf(fc.constantFrom('flag', 'TRUE', 'FALSE', 'NULL')),
        op(n(), ['=', '!=', '<', '<=', '>', '>='], n()),
        op(s(), ['=', '!=', '<', '>='], s()),
        op(dt(), ['=', '<', '>='], dt()),
        op(b(), ['AND', 'OR', '='], b()),
        b().map((x) => `NOT ${x}`),
        fc.oneof(n(), s(), dt()).map((x) => `(${x} IS NULL)`),
        call('CONTAINS', s(), s()),
        call('STARTSWITH', s(), s()),
        call('ENDSWITH', s(), s()),
      ),
      date: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf(fc.constantFrom('d', "DATE('2024-02-29')", "DATE('2000-12-31')", 'TODAY()')),
        call('DATETRUNC', unit, dt()),
        fc.tuple(unit, fc.constantFrom('1', '-1', '13', '0', '2.7', 'qty'), d()).map(([u, k, x]) => `DATEADD(${u}, ${k}, ${x})`),
        iff(d),
      ),
      timestamp: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf(fc.constantFrom('ts', 'tsl')),
        fc.tuple(unit, fc.constantFrom('1', '-1', '13', '0', 'qty'), t()).map(([u, k, x]) => `DATEADD(${u}, ${k}, ${x})`),
        iff(t),
      ),
      expression: fc.oneof(n(), s(), b(), d(), t()),
    };
  });

  it('gives the same values', async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(expression, async (source) => {
        let expr: Expr;
        try {
          expr = typed(source);
        } catch {
          return; // e.g. always-NULL comparisons the checker refuses
        }
        const lite = await sqlite.run(expr);
        let remote: Value[];
        try {
          remote = await postgres.run(expr);
        } catch (err) {
          // PostgreSQL raises on float overflow/underflow and dates out of range (SQLSTATE class 22),
          // where SQLite gives infinities or null: documented, not compared.
          if ((err as { code?: string }).code?.startsWith('22')) return;
          throw new Error(`${source}: ${(err as Error).message}`);
        }
        compared++;
        remote.forEach((r, i) => {
          const l = lite[i];
          if (typeof r === 'number' && typeof l === 'number' && Number.isFinite(r)) {
            expect(Math.abs(l - r), `${source} row ${i + 1}: sqlite ${l}, postgres ${r}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(r)));
          } else {
            expect(l, `${source} row ${i + 1}`).toStrictEqual(r);
          }
        });
      }),
      { numRuns: Number(process.env.SQL_EXPR_RUNS ?? 400) },
    );
    expect(compared).toBeGreaterThan(Number(process.env.SQL_EXPR_RUNS ?? 400) * 0.75);
  }, 120_000);
});
