/**
 * The query benchmark's data and its fixed suite of analyses (see query.bench.ts).
 *
 * Data: a synthetic bank `transactions` extract, generated deterministically from a seeded PRNG so
 * the encrypted cache (query.bench.ts) and DuckDB (query-duckdb.ts) hold identical rows. Rows come
 * from a generator one at a time, so 10M rows never sit in memory as JS arrays.
 *
 * Suite: typical analyses as specs, each with hand-written DuckDB SQL asking the same question of the
 * same rows. The benchmark compares row counts and a checksum of the first measure across engines to
 * catch an entry that silently measures different work.
 */
import type { AnalysisSpec } from '../../shared/analysis/spec.js';
import { mulberry32 } from '../helpers/analysis-data.js';

export const EXTRACT = 'transactions';

/** "Now" for relative date filters, passed to every run so results do not depend on the day. */
export const NOW = '2026-01-15T12:00:00.000Z';
/** Bookings span START..NOW (about three years). */
const START_SEC = Date.UTC(2023, 0, 1) / 1000;
const END_SEC = Date.parse(NOW) / 1000;

/** Column order of every row: warehouse name and PostgreSQL type (as `format_type` prints it). */
export const COLUMNS = [
  { name: 'id', pgType: 'bigint' },
  { name: 'account_id', pgType: 'integer' },
  { name: 'branch', pgType: 'text' },
  { name: 'channel', pgType: 'text' },
  { name: 'currency', pgType: 'text' },
  { name: 'amount', pgType: 'numeric(14,2)' },
  { name: 'booked_at', pgType: 'timestamp with time zone' },
  { name: 'value_date', pgType: 'date' },
  { name: 'category', pgType: 'text' },
  { name: 'is_reversal', pgType: 'boolean' },
] as const;

export const BRANCHES = [
  'Москва, Центральный', 'Москва, Тверская', 'Москва-Сити', 'Санкт-Петербург, Невский', 'Санкт-Петербург, Васильевский',
  'Новосибирск', 'Екатеринбург', 'Казань', 'Нижний Новгород', 'Челябинск', 'Самара', 'Омск', 'Ростов-на-Дону', 'Уфа',
  'Красноярск', 'Пермь', 'Воронеж', 'Волгоград', 'Краснодар', 'Саратов', 'Тюмень', 'Тольятти', 'Ижевск', 'Барнаул',
  'Владивосток', 'Хабаровск', 'Иркутск', 'Калининград', 'Online (HQ)', 'Corporate Desk',
];
export const CHANNELS = ['atm', 'card', 'branch', 'online', 'transfer'];
const CHANNEL_WEIGHTS = [0.15, 0.45, 0.08, 0.2, 0.12];
/** Typical amount (in roubles) per channel: the log-normal's median. */
const CHANNEL_MEDIAN = [5000, 1200, 30_000, 2500, 8000];
export const CURRENCIES = ['RUB', 'USD', 'EUR', 'CNY'];
const CURRENCY_WEIGHTS = [0.86, 0.07, 0.05, 0.02];
const CURRENCY_RATE = [1, 90, 100, 12.5];
export const CATEGORIES = [
  'Продукты', 'Рестораны и кафе', 'Транспорт', 'Такси', 'АЗС', 'Аптеки', 'Медицина', 'Одежда и обувь', 'Электроника',
  'Дом и ремонт', 'Коммунальные платежи', 'Связь и интернет', 'Образование', 'Развлечения', 'Путешествия', 'Авиабилеты',
  'Отели', 'Красота', 'Спорт', 'Книги', 'Детские товары', 'Животные', 'Подписки', 'Маркетплейсы', 'Переводы: СБП',
  'Переводы между своими счетами', 'Перевод по номеру карты', 'Снятие наличных', 'Пополнение наличными', 'Зарплата',
  'Пенсия', 'Проценты по вкладу', 'Кешбэк', 'Налоги и штрафы', 'Страхование', 'Кредит: погашение', 'Ипотека',
  'Инвестиции', 'Благотворительность', 'Прочее',
];

/** Zipf-like weights, the first value the most common. */
const zipf = (n: number, s: number) => Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);

/** Cumulative distribution for sampling an index from weights with one uniform draw. */
function cdf(weights: number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const out = new Float64Array(weights.length);
  let acc = 0;
  weights.forEach((w, i) => (out[i] = acc += w / total));
  out[out.length - 1] = 1;
  return out;
}

function pick(table: Float64Array, u: number): number {
  let i = 0;
  while (u >= table[i]!) i++;
  return i;
}

/** mulberry32: small, fast, and the same sequence in every process for one seed. */
export const prng = mulberry32;

/**
 * One generated row in raw form; the generator reuses a single object, so consumers must copy what
 * they keep. Indices point into BRANCHES / CHANNELS / CURRENCIES / CATEGORIES.
 */
export interface RawRow {
  id: number;
  accountId: number;
  branch: number;
  channel: number;
  currency: number;
  /** Amount in hundredths (kopecks, cents); null is missing. */
  cents: number | null;
  /** booked_at as whole seconds since the epoch (UTC). */
  bookedSec: number;
  /** value_date as days since the epoch. */
  valueDay: number;
  /** Index into CATEGORIES, or -1 when missing. */
  category: number;
  reversal: boolean;
}

export const DEFAULT_SEED = 20260115;

/**
 * `n` transactions, in id order (booked_at rises with id, with a few days of jitter, and volume grows
 * over time as a real bank's does). Deterministic for (n, seed).
 */
export function* rawTransactions(n: number, seed = DEFAULT_SEED): Generator<RawRow> {
  const rand = prng(seed);
  const branches = cdf(zipf(BRANCHES.length, 0.8));
  const channels = cdf(CHANNEL_WEIGHTS);
  const currencies = cdf(CURRENCY_WEIGHTS);
  const categories = cdf(zipf(CATEGORIES.length, 0.7));
  const accounts = Math.max(1000, Math.round(n / 25));
  const span = END_SEC - START_SEC;
  const row: RawRow = { id: 0, accountId: 0, branch: 0, channel: 0, currency: 0, cents: 0, bookedSec: 0, valueDay: 0, category: 0, reversal: false };
  for (let i = 0; i < n; i++) {
    row.id = i + 1;
    const ua = rand();
    row.accountId = 1 + Math.floor(accounts * ua * ua); // a few busy accounts, a long tail of quiet ones
    row.branch = pick(branches, rand());
    row.channel = pick(channels, rand());
    row.currency = pick(currencies, rand());
    // Log-normal around the channel's typical amount (Box–Muller), in the row's currency.
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    let cents = Math.round((CHANNEL_MEDIAN[row.channel]! * Math.exp(1.1 * z) * 100) / CURRENCY_RATE[row.currency]!);
    if (cents < 1) cents = 1;
    const um = rand();
    row.cents = um < 0.005 ? null : um < 0.035 ? -cents : cents; // 0.5% missing, 3% refunds
    const jitter = (rand() - 0.5) * 4 * 86_400;
    let booked = Math.floor(START_SEC + span * (i / n) ** 0.85 + jitter);
    if (booked < START_SEC) booked = 2 * START_SEC - booked; // reflect at the ends rather than pile rows up on them
    if (booked > END_SEC) booked = 2 * END_SEC - booked;
    row.bookedSec = booked;
    const lag = row.channel === 4 ? Math.floor(rand() * 3) : rand() < 0.2 ? 1 : 0;
    row.valueDay = Math.floor(row.bookedSec / 86_400) + lag;
    row.category = rand() < 0.02 ? -1 : pick(categories, rand());
    row.reversal = rand() < 0.004;
    yield row;
  }
}

/**
 * Rows as the cache keeps them after a sync (seedExtract's cache form): numbers, timestamps as
 * `YYYY-MM-DDTHH:MM:SSZ` (what sync makes of PostgreSQL's `2024-03-08 10:15:00+00`), dates as
 * `YYYY-MM-DD`, booleans as 0/1.
 */
export function* cacheRows(n: number, seed = DEFAULT_SEED): Generator<unknown[]> {
  for (const r of rawTransactions(n, seed)) {
    yield [
      r.id,
      r.accountId,
      BRANCHES[r.branch],
      CHANNELS[r.channel],
      CURRENCIES[r.currency],
      r.cents === null ? null : r.cents / 100,
      `${new Date(r.bookedSec * 1000).toISOString().slice(0, 19)}Z`,
      new Date(r.valueDay * 86_400_000).toISOString().slice(0, 10),
      r.category < 0 ? null : CATEGORIES[r.category],
      r.reversal ? 1 : 0,
    ];
  }
}

/** DuckDB's table: the same columns, the types a loader would pick (amount kept as DOUBLE, as the cache does). */
export const DUCKDB_TABLE_SQL = `CREATE TABLE transactions (id BIGINT, account_id INTEGER, branch VARCHAR, channel VARCHAR, currency VARCHAR,
  amount DOUBLE, booked_at TIMESTAMP, value_date DATE, category VARCHAR, is_reversal BOOLEAN)`;

/** Sum of the finite numbers in a column (bigints included): the cross-engine checksum of a measure. */
export function checksum(values: readonly unknown[]): number {
  let sum = 0;
  for (const v of values) {
    if (typeof v === 'number' && Number.isFinite(v)) sum += v;
    else if (typeof v === 'bigint') sum += Number(v);
  }
  return sum;
}

/**
 * A fingerprint of the whole table, the same on both sides when the rows are identical: exact integer
 * sums (amount in hundredths), text lengths in characters, and date extremes as the cache writes them.
 */
const FINGERPRINT_COLUMNS = `count(*) AS n, sum(account_id) AS accounts, sum(id) AS ids, count(amount) AS amounts, count(category) AS categories,
  sum(length(branch) + length(channel) + length(currency) + coalesce(length(category), 0)) AS text_chars`;
export const fingerprintSqlite = (table: string) => `SELECT ${FINGERPRINT_COLUMNS}, sum(CAST(round(amount * 100) AS INTEGER)) AS cents,
  sum(is_reversal) AS reversals, min(booked_at) AS first_booked, max(booked_at) AS last_booked, min(value_date) AS first_value,
  max(value_date) AS last_value, sum(unixepoch(booked_at) % 100003) AS booked_mod FROM "${table.replace(/"/g, '""')}"`;
export const FINGERPRINT_DUCKDB = `SELECT ${FINGERPRINT_COLUMNS}, sum(round(amount * 100)::BIGINT) AS cents,
  count(*) FILTER (WHERE is_reversal) AS reversals, strftime(min(booked_at), '%Y-%m-%dT%H:%M:%SZ') AS first_booked,
  strftime(max(booked_at), '%Y-%m-%dT%H:%M:%SZ') AS last_booked, strftime(min(value_date), '%Y-%m-%d') AS first_value,
  strftime(max(value_date), '%Y-%m-%d') AS last_value, sum(epoch(booked_at)::BIGINT % 100003) AS booked_mod FROM transactions`;

/** A fingerprint row as plain JSON (bigints as numbers). */
export function fingerprintJson(row: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
}

export interface SuiteEntry {
  id: string;
  title: string;
  spec: AnalysisSpec;
  /**
   * The same question in DuckDB SQL over `transactions` (booked_at is a UTC TIMESTAMP there). Output
   * columns carry the spec's output names, so the first measure can be checksummed on both sides.
   */
  duckdbSql: string;
}

/** Relative "last 12 months" as of NOW: the first of the month 11 months back, to the end of this month. */
function lastMonthsBounds(months: number): [string, string] {
  const now = new Date(NOW);
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return [from.toISOString().slice(0, 10), to.toISOString().slice(0, 10)];
}
const [LAST12_FROM, LAST12_TO] = lastMonthsBounds(12);

const spec = (s: Omit<AnalysisSpec, 'extract' | 'version'>): AnalysisSpec => ({ version: 1, extract: EXTRACT, ...s });

export const SUITE: SuiteEntry[] = [
  {
    id: 'branch_total',
    title: 'Total by branch',
    spec: spec({ dimensions: [{ field: 'branch' }], measures: [{ agg: 'sum', field: 'amount', as: 'total' }], sort: [{ by: 'total', dir: 'desc' }], chart: { type: 'bar', x: 'branch', y: 'total' } }),
    duckdbSql: `SELECT branch, sum(amount) AS total FROM transactions GROUP BY branch ORDER BY total DESC NULLS LAST, branch NULLS LAST`,
  },
  {
    id: 'monthly_last12',
    title: 'Monthly totals, last 12 months',
    spec: spec({
      dimensions: [{ field: 'booked_at', grain: 'month', as: 'month' }],
      measures: [{ agg: 'sum', field: 'amount', as: 'total' }, { agg: 'count', as: 'n' }],
      filters: [{ field: 'booked_at', op: 'relative', last: 12, unit: 'month' }],
      sort: [{ by: 'month' }],
      chart: { type: 'line', x: 'month', y: 'total' },
    }),
    duckdbSql: `SELECT date_trunc('month', booked_at)::DATE AS month, sum(amount) AS total, count(*) AS n FROM transactions
      WHERE booked_at >= TIMESTAMP '${LAST12_FROM}' AND booked_at < TIMESTAMP '${LAST12_TO}' GROUP BY month ORDER BY month NULLS LAST`,
  },
  {
    id: 'channel_currency',
    title: 'Count and average by channel × currency',
    spec: spec({ dimensions: [{ field: 'channel' }, { field: 'currency' }], measures: [{ agg: 'count', as: 'n' }, { agg: 'avg', field: 'amount', as: 'avg_amount' }] }),
    duckdbSql: `SELECT channel, currency, count(*) AS n, avg(amount) AS avg_amount FROM transactions GROUP BY channel, currency
      ORDER BY channel NULLS LAST, currency NULLS LAST`,
  },
  {
    id: 'top10_categories',
    title: 'Top 10 categories by sum',
    spec: spec({ dimensions: [{ field: 'category' }], measures: [{ agg: 'sum', field: 'amount', as: 'total' }], sort: [{ by: 'total', dir: 'desc' }], limit: 10 }),
    duckdbSql: `SELECT category, sum(amount) AS total FROM transactions GROUP BY category ORDER BY total DESC NULLS LAST, category NULLS LAST LIMIT 10`,
  },
  {
    id: 'weekly_kazan',
    title: 'Weekly count, one branch (in filter)',
    spec: spec({
      dimensions: [{ field: 'booked_at', grain: 'week', as: 'week' }],
      measures: [{ agg: 'count', as: 'n' }],
      filters: [{ field: 'branch', op: 'in', values: ['Казань'] }],
    }),
    duckdbSql: `SELECT date_trunc('week', booked_at)::DATE AS week, count(*) AS n FROM transactions WHERE branch IN ('Казань') GROUP BY week ORDER BY week NULLS LAST`,
  },
  {
    id: 'median_p90_channel',
    title: 'Median and 90th percentile amount by channel',
    spec: spec({
      dimensions: [{ field: 'channel' }],
      measures: [{ agg: 'median', field: 'amount', as: 'median_amount' }, { agg: 'percentile', field: 'amount', p: 0.9, as: 'p90_amount' }],
    }),
    duckdbSql: `SELECT channel, quantile_cont(amount, 0.5) AS median_amount, quantile_cont(amount, 0.9) AS p90_amount FROM transactions
      GROUP BY channel ORDER BY channel NULLS LAST`,
  },
  {
    id: 'distinct_accounts_month',
    title: 'Distinct accounts by month',
    spec: spec({ dimensions: [{ field: 'booked_at', grain: 'month', as: 'month' }], measures: [{ agg: 'count_distinct', field: 'account_id', as: 'accounts' }] }),
    duckdbSql: `SELECT date_trunc('month', booked_at)::DATE AS month, count(DISTINCT account_id) AS accounts FROM transactions GROUP BY month ORDER BY month NULLS LAST`,
  },
  {
    id: 'pivot_branch_quarter',
    title: 'Pivot branch × quarter, subtotals',
    spec: spec({
      dimensions: [{ field: 'branch' }, { field: 'booked_at', grain: 'quarter', as: 'quarter' }],
      measures: [{ agg: 'sum', field: 'amount', as: 'total' }],
      pivot: { rows: ['branch'], columns: ['quarter'], subtotals: true, grandTotals: true },
    }),
    duckdbSql: `SELECT branch, date_trunc('quarter', booked_at)::DATE AS quarter, sum(amount) AS total FROM transactions
      GROUP BY GROUPING SETS ((branch, quarter), (branch), (quarter), ())
      ORDER BY GROUPING(branch, quarter), branch NULLS LAST, quarter NULLS LAST`,
  },
  {
    id: 'stddev_category',
    title: 'Stddev by category, not reversals',
    spec: spec({
      dimensions: [{ field: 'category' }],
      measures: [{ agg: 'stddev', field: 'amount', as: 'sd' }],
      filters: [{ field: 'is_reversal', op: 'in', values: [false] }],
    }),
    duckdbSql: `SELECT category, stddev_samp(amount) AS sd FROM transactions WHERE is_reversal = false GROUP BY category ORDER BY category NULLS LAST`,
  },
  {
    id: 'calc_refund_payment',
    title: 'Calculated field as dimension (refund/payment)',
    spec: spec({
      calculated: [{ name: 'kind', expr: "IF [amount] < 0 THEN 'refund' ELSE 'payment' END" }],
      dimensions: [{ field: 'kind' }],
      measures: [{ agg: 'count', as: 'n' }, { agg: 'sum', field: 'amount', as: 'total' }],
    }),
    duckdbSql: `SELECT CASE WHEN amount < 0 THEN 'refund' ELSE 'payment' END AS kind, count(*) AS n, sum(amount) AS total FROM transactions
      GROUP BY kind ORDER BY kind NULLS LAST`,
  },
  {
    id: 'contains_category',
    title: "Contains filter on category ('ПЕРЕВОД', any case)",
    spec: spec({
      dimensions: [{ field: 'channel' }],
      measures: [{ agg: 'count', as: 'n' }, { agg: 'sum', field: 'amount', as: 'total' }],
      filters: [{ field: 'category', op: 'contains', value: 'ПЕРЕВОД' }],
    }),
    duckdbSql: `SELECT channel, count(*) AS n, sum(amount) AS total FROM transactions WHERE contains(lower(category), lower('ПЕРЕВОД'))
      GROUP BY channel ORDER BY channel NULLS LAST`,
  },
  {
    id: 'amount_histogram',
    title: 'Histogram of amount (bins of 1000, 0..100000)',
    spec: spec({
      dimensions: [{ field: 'amount', bin: { width: 1000, origin: 0 }, as: 'amount_bin' }],
      measures: [{ agg: 'count', as: 'n' }],
      filters: [{ field: 'amount', op: 'range', min: 0, max: 100_000 }],
      chart: { type: 'histogram', x: 'amount_bin', y: 'n' },
    }),
    duckdbSql: `SELECT 0 + 1000 * floor((amount - 0) / 1000) AS amount_bin, count(*) AS n FROM transactions
      WHERE amount >= 0 AND amount <= 100000 GROUP BY amount_bin ORDER BY amount_bin NULLS LAST`,
  },
  {
    id: 'ytd_running_total',
    title: 'Running total within each year (tableCalcs)',
    spec: spec({
      dimensions: [{ field: 'booked_at', grain: 'year', as: 'year' }, { field: 'booked_at', grain: 'month', as: 'month' }],
      measures: [{ agg: 'sum', field: 'amount', as: 'total' }],
      tableCalcs: [{ calc: 'running_total', measure: 'total', as: 'ytd', along: 'month' }],
    }),
    duckdbSql: `SELECT year, month, total, sum(total) OVER (PARTITION BY year ORDER BY month) AS ytd FROM (
        SELECT date_trunc('year', booked_at)::DATE AS year, date_trunc('month', booked_at)::DATE AS month, sum(amount) AS total
        FROM transactions GROUP BY year, month) ORDER BY year NULLS LAST, month NULLS LAST`,
  },
  {
    id: 'top5_branches_channel',
    title: 'Branch × channel for the top 5 branches by count (top filter)',
    spec: spec({
      dimensions: [{ field: 'branch' }, { field: 'channel' }],
      measures: [{ agg: 'count', as: 'n' }],
      filters: [{ field: 'branch', op: 'top', n: 5, by: { agg: 'count' } }],
    }),
    duckdbSql: `WITH top AS (SELECT branch FROM transactions GROUP BY branch ORDER BY count(*) DESC, branch LIMIT 5)
      SELECT branch, channel, count(*) AS n FROM transactions WHERE branch IN (SELECT branch FROM top)
      GROUP BY branch, channel ORDER BY branch NULLS LAST, channel NULLS LAST`,
  },
  {
    id: 'top100_accounts',
    title: 'Top 100 accounts by turnover (high-cardinality group)',
    spec: spec({
      dimensions: [{ field: 'account_id' }],
      measures: [{ agg: 'sum', field: 'amount', as: 'total' }, { agg: 'count', as: 'n' }],
      sort: [{ by: 'total', dir: 'desc' }],
      limit: 100,
    }),
    duckdbSql: `SELECT account_id, sum(amount) AS total, count(*) AS n FROM transactions GROUP BY account_id
      ORDER BY total DESC NULLS LAST, account_id NULLS LAST LIMIT 100`,
  },
];
