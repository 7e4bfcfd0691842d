// SQL that builds the synthetic bank in schema `bank`. Everything is generated inside the database
// with generate_series; every random choice is a hash of a row number and a fixed salt
// (demo_gen.u), never random(), so the output does not depend on plan or evaluation order and is
// the same on every run at the same scale.
import { ATM_SITES, CATEGORIES, CHANNELS, CITIES, FEMALE_NAMES, HOLIDAYS, MALE_NAMES, SPECIALS, SURNAMES, feminineSurname, type Category } from './reference-data';

/** First and last day of the generated history: three full calendar years (1096 days). */
export const FIRST_DAY = '2023-01-01';
export const LAST_DAY = '2025-12-31';
export const DAYS = 1096;
/** The "as of" moment of the generated data: every generated updated_at is at or before it. */
export const AS_OF = '2026-01-01 00:00:00+03';
const TZ = 'Europe/Moscow';

/** Row counts the generator aims for at a scale (1 = full size). Branches are always 30. */
export interface DemoSizes {
  customers: number;
  transactions: number;
  loans: number;
  atmsPerMillionScale: number;
}

export function sizesFor(scale: number): DemoSizes {
  return {
    customers: Math.max(200, Math.round(100_000 * scale)),
    transactions: Math.max(2_000, Math.round(2_000_000 * scale)),
    loans: Math.max(50, Math.round(25_000 * scale)),
    atmsPerMillionScale: 150 * scale,
  };
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const num = (n: number) => {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return String(n);
};
const textArray = (items: readonly string[]) => `ARRAY[${items.map(lit).join(',')}]::text[]`;
const floatArray = (items: readonly number[]) => `ARRAY[${items.map(num).join(',')}]::float8[]`;

// ── Categories: one numbered list, ordinary ones per channel followed by the specials ──────────────

interface NumberedCategory extends Category {
  key: number;
  channel: (typeof CHANNELS)[number];
}

const NUMBERED: NumberedCategory[] = (() => {
  const out: NumberedCategory[] = [];
  for (const channel of CHANNELS) for (const c of CATEGORIES[channel]) out.push({ ...c, channel, key: out.length + 1 });
  for (const s of SPECIALS) out.push({ ...s.category, channel: s.channel, key: out.length + 1 });
  return out;
})();

/** CASE expression picking an ordinary category key of a channel from a uniform `u`. */
function ordinaryPick(channel: (typeof CHANNELS)[number], u: string): string {
  const list = NUMBERED.filter((c) => c.channel === channel && c.share > 0);
  const total = list.reduce((s, c) => s + c.share, 0);
  let cum = 0;
  const arms = list.slice(0, -1).map((c) => {
    cum += c.share / total;
    return `WHEN ${u} < ${num(cum)} THEN ${c.key}`;
  });
  return `CASE ${arms.join(' ')} ELSE ${list[list.length - 1]!.key} END`;
}

const specialKey = (i: number) => NUMBERED.length - SPECIALS.length + i + 1;

// ── Steps ─────────────────────────────────────────────────────────────────────────────────────────

/** Table definitions; each is created in the transaction that fills it (no WAL under wal_level=minimal). */
const DDL: Record<string, string> = {
  branches: `
CREATE TABLE bank.branches (
  branch_id   integer NOT NULL,
  code        text NOT NULL,
  name        text NOT NULL,
  city        text NOT NULL,
  city_en     text NOT NULL,
  region      text NOT NULL,
  region_code text NOT NULL,
  lat         double precision NOT NULL,
  lon         double precision NOT NULL,
  population  integer NOT NULL,
  opened_on   date NOT NULL,
  updated_at  timestamptz NOT NULL
);`,
  customers: `
CREATE TABLE bank.customers (
  customer_id    integer NOT NULL,
  branch_id      integer NOT NULL,
  full_name      text NOT NULL,
  gender         text NOT NULL CHECK (gender IN ('F', 'M')),
  birth_date     date NOT NULL,
  phone          text NOT NULL,
  passport       text NOT NULL,
  segment        text NOT NULL,
  age_band       text NOT NULL,
  customer_since date NOT NULL,
  updated_at     timestamptz NOT NULL
);`,
  accounts: `
CREATE TABLE bank.accounts (
  account_id  integer NOT NULL,
  customer_id integer NOT NULL,
  branch_id   integer NOT NULL,
  product     text NOT NULL,
  currency    text NOT NULL,
  opened_on   date NOT NULL,
  closed_on   date,
  status      text NOT NULL,
  balance     numeric(14,2) NOT NULL,
  updated_at  timestamptz NOT NULL
);`,
  transactions: `
CREATE TABLE bank.transactions (
  txn_id      bigint NOT NULL,
  account_id  integer NOT NULL,
  customer_id integer NOT NULL,
  branch_id   integer NOT NULL,
  booked_at   timestamptz NOT NULL,
  booked_on   date NOT NULL,
  amount      numeric(14,2) NOT NULL,
  direction   text NOT NULL,
  channel     text NOT NULL,
  mcc         integer,
  category    text NOT NULL,
  updated_at  timestamptz NOT NULL
);`,
  loans: `
CREATE TABLE bank.loans (
  loan_id       integer NOT NULL,
  customer_id   integer NOT NULL,
  branch_id     integer NOT NULL,
  product       text NOT NULL,
  principal     numeric(14,2) NOT NULL,
  rate          numeric(5,2) NOT NULL,
  term_months   integer NOT NULL,
  issued_on     date NOT NULL,
  maturity_on   date NOT NULL,
  outstanding   numeric(14,2) NOT NULL,
  status        text NOT NULL,
  days_past_due integer NOT NULL,
  updated_at    timestamptz NOT NULL
);`,
  atms: `
CREATE TABLE bank.atms (
  atm_id       integer NOT NULL,
  branch_id    integer NOT NULL,
  site         text NOT NULL,
  lat          double precision NOT NULL,
  lon          double precision NOT NULL,
  cash_in      boolean NOT NULL,
  installed_on date NOT NULL,
  updated_at   timestamptz NOT NULL
);`,
  atm_daily: `
CREATE TABLE bank.atm_daily (
  atm_id      integer NOT NULL,
  day         date NOT NULL,
  branch_id   integer NOT NULL,
  withdrawals integer NOT NULL,
  amount      numeric(14,2) NOT NULL,
  updated_at  timestamptz NOT NULL
);`,
  branch_kpis: `
CREATE TABLE bank.branch_kpis (
  branch_id    integer NOT NULL,
  day          date NOT NULL,
  deposits     numeric(16,2) NOT NULL,
  new_accounts integer NOT NULL,
  visits       integer NOT NULL,
  nps          numeric(5,1),
  updated_at   timestamptz NOT NULL
);`,
  staff_branches: `
CREATE TABLE bank.staff_branches (
  role      name NOT NULL,
  branch_id integer NOT NULL,
  PRIMARY KEY (role, branch_id)
);`,
};

/** One table: create, fill and key it in one transaction, then gather planner statistics. */
function load(table: string, fill: string, key?: string): string {
  return `BEGIN;\n${DDL[table]}\n${fill}\n${key ? `ALTER TABLE bank.${table} ADD PRIMARY KEY (${key});` : ''}\nCOMMIT;\nANALYZE bank.${table};\n`;
}

export function schemaSql(): string {
  return `
DROP SCHEMA IF EXISTS demo_gen CASCADE;
CREATE SCHEMA demo_gen;
CREATE SCHEMA bank;
COMMENT ON SCHEMA bank IS 'Strongroom demo: a deterministic synthetic Russian retail bank. Not real data.';

-- Uniform [0,1) from a row number and a salt; inlined by the planner.
CREATE FUNCTION demo_gen.u(id bigint, salt integer) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (hashint8extended(id, salt) & 4503599627370495)::double precision / 4503599627370496 $$;
-- Standard normal (Box-Muller) from salts salt and salt + 1.
CREATE FUNCTION demo_gen.z(id bigint, salt integer) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT sqrt(-2 * ln(1 - demo_gen.u(id, salt))) * cos(2 * pi() * demo_gen.u(id, salt + 1)) $$;

SET work_mem = '64MB';
`;
}

export function branchesSql(): string {
  const rows = CITIES.map(
    (c, i) =>
      `(${i + 1}, ${lit(c.code)}, ${lit(c.branchName)}, ${lit(c.city)}, ${lit(c.cityEn)}, ${lit(c.region)}, ${lit(c.okato)}, ${num(c.lat)}, ${num(c.lon)}, ${c.population}, DATE ${lit(c.openedOn)})`,
  );
  return (
    load('branches', `
INSERT INTO bank.branches (branch_id, code, name, city, city_en, region, region_code, lat, lon, population, opened_on, updated_at)
SELECT v.*, (v.opened_on + 30)::timestamp AT TIME ZONE '${TZ}'
  FROM (VALUES ${rows.join(',\n         ')}) AS v(branch_id, code, name, city, city_en, region, region_code, lat, lon, population, opened_on);`, 'branch_id') +
    `ALTER TABLE bank.branches ADD UNIQUE (code);\n` +
    load('staff_branches', `INSERT INTO bank.staff_branches (role, branch_id) SELECT 'staff_' || code, branch_id FROM bank.branches;`) +
    // Cumulative population shares: customers are spread over branches like the cities' people.
    `CREATE TABLE demo_gen.branch_shares AS
SELECT b.branch_id, b.region_code,
       (sum(b.population) OVER (ORDER BY b.branch_id) - b.population)::float8 / sum(b.population) OVER () AS lo,
       sum(b.population) OVER (ORDER BY b.branch_id)::float8 / sum(b.population) OVER () AS hi
  FROM bank.branches b;
ANALYZE demo_gen.branch_shares;
`
  );
}

/** The calendar: day factors, transaction counts per day, channel mix and holiday specials. */
export function daysSql(transactions: number): string {
  const holidays = Object.entries(HOLIDAYS).map(([md, h]) => `(${lit(md)}, ${num(h.factor)}, ${h.closed ? 'true' : 'false'})`);
  const specials = SPECIALS.flatMap((s, i) => Object.entries(s.days).map(([d, p]) => `(${lit(s.channel)}, ${lit(d)}, ${specialKey(i)}, ${num(p)})`));
  // Monday..Sunday and January..December.
  const weekly = floatArray([0.97, 0.98, 1.0, 1.02, 1.14, 1.07, 0.83]);
  const monthly = floatArray([0.9, 0.95, 1.0, 0.99, 1.02, 1.03, 1.05, 1.05, 0.99, 1.0, 1.01, 1.1]);
  return `
CREATE TABLE demo_gen.days AS
WITH cal AS (
  SELECT i, DATE '${FIRST_DAY}' + i AS day FROM generate_series(0, ${DAYS - 1}) AS i
), f AS (
  SELECT cal.i, cal.day, extract(isodow FROM cal.day)::int AS dow, extract(month FROM cal.day)::int AS month,
         to_char(cal.day, 'MM-DD') AS md, to_char(cal.day, 'DD') AS dd, cal.i / 365.25::float8 AS t,
         coalesce(h.factor, 1.0)::float8 AS hfactor,
         coalesce(h.closed, false) OR extract(isodow FROM cal.day) = 7 AS closed
    FROM cal LEFT JOIN (VALUES ${holidays.join(', ')}) AS h(md, factor, closed) ON h.md = to_char(cal.day, 'MM-DD')
), l AS (
  SELECT f.*,
         (1 + 0.17 * f.t) * (${weekly})[f.dow] * (${monthly})[f.month] * f.hfactor * (0.94 + 0.12 * demo_gen.u(f.i, 901)) AS lambda,
         greatest(0.02, 0.11 - 0.025 * f.t) * (CASE WHEN f.closed THEN 0.05 ELSE 1 END) AS w_branch,
         greatest(0.05, 0.16 - 0.025 * f.t) * (CASE WHEN f.hfactor > 1.05 THEN 1.25 ELSE 1 END) AS w_atm,
         0.17 + 0.05 * f.t AS w_online,
         0.56::float8 AS w_card
    FROM f
), c AS (
  SELECT l.*, l.w_branch + l.w_atm + l.w_online + l.w_card AS w_sum,
         sum(l.lambda) OVER (ORDER BY l.day ROWS UNBOUNDED PRECEDING) AS cum, sum(l.lambda) OVER () AS total
    FROM l
)
SELECT c.i, c.day, (c.day::timestamp AT TIME ZONE '${TZ}') AS day_start, c.dow, c.month, c.md, c.dd, c.t, c.hfactor, c.closed, c.lambda,
       coalesce(lag(round(${transactions} * c.cum / c.total)::bigint) OVER (ORDER BY c.day), 0) AS n_lo,
       round(${transactions} * c.cum / c.total)::bigint AS n_hi,
       -- Cumulative channel thresholds for one uniform draw: branch | atm | online | card.
       c.w_branch / c.w_sum AS c_branch,
       (c.w_branch + c.w_atm) / c.w_sum AS c_atm,
       (c.w_branch + c.w_atm + c.w_online) / c.w_sum AS c_online,
       coalesce(cs.key, 0) AS card_special, coalesce(cs.p, 0) AS card_special_p,
       coalesce(os.key, 0) AS online_special, coalesce(os.p, 0) AS online_special_p
  FROM c
  LEFT JOIN (VALUES ${specials.join(', ')}) AS cs(channel, d, key, p) ON cs.channel = 'card' AND cs.d = c.md
  LEFT JOIN (VALUES ${specials.join(', ')}) AS os(channel, d, key, p) ON os.channel = 'online' AND os.d = c.dd;
CREATE TABLE demo_gen.categories AS
SELECT * FROM (VALUES ${NUMBERED.map((c) => `(${c.key}, ${lit(c.category)}, ${c.mcc ?? 'NULL::int'}, ${lit(c.direction)}, ${num(c.median)}::float8, ${num(c.sigma)}::float8, ${c.roundTo ?? 0})`).join(',\n  ')})
  AS v(key, category, mcc, direction, median, sigma, round_to);
`;
}

export function customersSql(customers: number): string {
  const men = MALE_NAMES.map((m) => m[0]);
  const sons = MALE_NAMES.map((m) => m[1]);
  const daughters = MALE_NAMES.map((m) => m[2]);
  const pick = (list: readonly string[], u: string, skew: number) => `(${textArray(list)})[1 + floor(${list.length} * power(${u}, ${num(skew)}))::int]`;
  return load('customers', `
INSERT INTO bank.customers
WITH c AS MATERIALIZED (
  -- Customer numbers follow the date they joined; the bank grew faster in recent years.
  SELECT i, DATE '2005-01-01' + floor(power((i - 0.5::float8) / ${customers}, 0.625) * (DATE '${LAST_DAY}' - DATE '2005-01-01'))::int AS since,
         demo_gen.u(i, 11) AS u_branch, demo_gen.u(i, 12) < 0.54 AS female
    FROM generate_series(1, ${customers}) AS i
), p AS MATERIALIZED (
  SELECT c.*, w.branch_id, w.region_code,
         c.since - floor((18 + 47 * power(demo_gen.u(c.i, 13), 1.5)) * 365.25)::int AS birth
    FROM c JOIN demo_gen.branch_shares w ON c.u_branch >= w.lo AND c.u_branch < w.hi
), a AS (
  SELECT p.*, extract(year FROM age(DATE '${LAST_DAY}', p.birth))::int AS age,
         lpad(floor(demo_gen.u(p.i, 17) * 1e9)::bigint::text, 9, '0') AS phone_digits
    FROM p
)
SELECT a.i, a.branch_id,
       CASE WHEN a.female THEN ${pick(SURNAMES.map(feminineSurname), 'demo_gen.u(a.i, 14)', 1.4)} || ' ' || ${pick(FEMALE_NAMES, 'demo_gen.u(a.i, 15)', 1.3)} || ' ' || ${pick(daughters, 'demo_gen.u(a.i, 16)', 1.2)}
            ELSE ${pick(SURNAMES, 'demo_gen.u(a.i, 14)', 1.4)} || ' ' || ${pick(men, 'demo_gen.u(a.i, 15)', 1.3)} || ' ' || ${pick(sons, 'demo_gen.u(a.i, 16)', 1.2)} END,
       CASE WHEN a.female THEN 'F' ELSE 'M' END,
       a.birth,
       '+7 9' || substr(a.phone_digits, 1, 2) || ' ' || substr(a.phone_digits, 3, 3) || '-' || substr(a.phone_digits, 6, 2) || '-' || substr(a.phone_digits, 8, 2),
       -- Series: region code and the year of issue (at 14, replaced at 20 and 45); six-digit number.
       a.region_code || lpad((((extract(year FROM a.birth)::int + CASE WHEN a.age >= 45 THEN 45 WHEN a.age >= 20 THEN 20 ELSE 14 END)) % 100)::text, 2, '0')
         || ' ' || lpad(floor(demo_gen.u(a.i, 18) * 1e6)::int::text, 6, '0'),
       CASE WHEN a.age < 25 AND demo_gen.u(a.i, 19) < 0.6 THEN 'youth'
            WHEN a.age >= 60 AND demo_gen.u(a.i, 19) < 0.65 THEN 'senior'
            WHEN demo_gen.u(a.i, 20) < 0.015 THEN 'private'
            WHEN demo_gen.u(a.i, 20) < 0.15 THEN 'affluent'
            ELSE 'mass' END,
       CASE WHEN a.age < 25 THEN '18-24' WHEN a.age < 35 THEN '25-34' WHEN a.age < 45 THEN '35-44'
            WHEN a.age < 55 THEN '45-54' WHEN a.age < 65 THEN '55-64' ELSE '65+' END,
       a.since,
       (a.since + floor(demo_gen.u(a.i, 21) * (DATE '${LAST_DAY}' - a.since + 1))::int + make_interval(secs => floor(demo_gen.u(a.i, 22) * 86400)))::timestamp AT TIME ZONE '${TZ}'
  FROM a;`, 'customer_id');
}

export function accountsSql(): string {
  const rub = `CASE x.currency WHEN 'USD' THEN 92.0 WHEN 'EUR' THEN 100.0 WHEN 'CNY' THEN 12.6 ELSE 1.0 END`;
  return `${load('accounts', `
INSERT INTO bank.accounts
WITH x0 AS (
  SELECT c.customer_id, c.branch_id, c.customer_since, n, c.customer_id::bigint * 4 + n AS h
    FROM bank.customers c,
         generate_series(1, 1 + (demo_gen.u(c.customer_id, 31) < 0.45)::int + (demo_gen.u(c.customer_id, 32) < 0.15)::int) AS n
), x1 AS MATERIALIZED (
  SELECT x0.*,
         CASE WHEN n = 1 THEN x0.customer_since
              ELSE x0.customer_since + floor(demo_gen.u(h, 33) * (DATE '${LAST_DAY}' - x0.customer_since + 1))::int END AS opened_on,
         CASE WHEN n = 1 THEN 'current'
              WHEN demo_gen.u(h, 34) < 0.45 THEN 'savings'
              WHEN demo_gen.u(h, 34) < 0.80 THEN 'deposit'
              ELSE 'credit_card' END AS product
    FROM x0
), x AS MATERIALIZED (
  SELECT x1.*,
         CASE WHEN x1.product = 'current' THEN (CASE WHEN demo_gen.u(h, 35) < 0.97 THEN 'RUB' WHEN demo_gen.u(h, 35) < 0.99 THEN 'CNY' ELSE 'USD' END)
              WHEN x1.product = 'deposit' THEN (CASE WHEN demo_gen.u(h, 35) < 0.82 THEN 'RUB' WHEN demo_gen.u(h, 35) < 0.90 THEN 'USD' WHEN demo_gen.u(h, 35) < 0.95 THEN 'CNY' ELSE 'EUR' END)
              ELSE 'RUB' END AS currency,
         CASE WHEN n > 1 AND demo_gen.u(h, 36) < 0.08 AND DATE '${LAST_DAY}' - x1.opened_on > 60
              THEN x1.opened_on + 30 + floor(demo_gen.u(h, 37) * (DATE '${LAST_DAY}' - x1.opened_on - 30))::int END AS closed_on
    FROM x1
)
SELECT row_number() OVER (ORDER BY x.opened_on, x.customer_id, x.n)::int,
       x.customer_id, x.branch_id, x.product, x.currency, x.opened_on, x.closed_on,
       CASE WHEN x.closed_on IS NULL THEN 'open' ELSE 'closed' END,
       CASE WHEN x.closed_on IS NOT NULL THEN 0
            WHEN x.product = 'credit_card' THEN CASE WHEN demo_gen.u(h, 38) < 0.6 THEN -round((30000 * exp(0.8 * demo_gen.z(h, 39)))::numeric, 2) ELSE 0 END
            ELSE round(((CASE x.product WHEN 'current' THEN 45000 WHEN 'savings' THEN 150000 ELSE 400000 END)
                        * exp(0.9 * demo_gen.z(h, 39)) / ${rub})::numeric, 2) END,
       CASE WHEN x.closed_on IS NOT NULL THEN (x.closed_on + 1)::timestamp AT TIME ZONE '${TZ}'
            ELSE TIMESTAMPTZ '${AS_OF}' - make_interval(secs => floor(demo_gen.u(h, 41) * 20 * 86400)) END
  FROM x;`, 'account_id')}
CREATE TABLE demo_gen.txn_accounts AS
SELECT row_number() OVER (ORDER BY a.account_id)::int AS seq, a.account_id, a.customer_id, a.branch_id, a.opened_on
  FROM bank.accounts a WHERE a.product IN ('current', 'credit_card');
-- How many eligible accounts are open on each day (account numbers follow the opening date).
ALTER TABLE demo_gen.days ADD COLUMN k integer;
UPDATE demo_gen.days d SET k = greatest(1, s.k)
  FROM (SELECT dd.day, ((SELECT count(*) FROM demo_gen.txn_accounts WHERE opened_on < DATE '${FIRST_DAY}')
                      + coalesce(sum(o.n) OVER (ORDER BY dd.day ROWS UNBOUNDED PRECEDING), 0))::int AS k
          FROM demo_gen.days dd
          LEFT JOIN (SELECT opened_on, count(*) AS n FROM demo_gen.txn_accounts GROUP BY opened_on) o ON o.opened_on = dd.day) s
 WHERE s.day = d.day;
ALTER TABLE demo_gen.txn_accounts ADD PRIMARY KEY (seq);
ANALYZE demo_gen.txn_accounts;
ANALYZE demo_gen.days;
`;
}

export function transactionsSql(): string {
  const ordinary = (channel: (typeof CHANNELS)[number]) => ordinaryPick(channel, 'q.ucat');
  // OFFSET 0 keeps each subquery from being flattened into its parent, which would copy (and
  // re-evaluate) the hashed expressions everywhere they are referenced.
  return load('transactions', `
INSERT INTO bank.transactions
SELECT r.id, a.account_id, a.customer_id, a.branch_id,
       r.booked_at, r.day,
       CASE WHEN cat.round_to > 0
            THEN greatest(cat.round_to, round((cat.median * exp(cat.sigma * r.z) * r.inflation / cat.round_to)::numeric) * cat.round_to)
            ELSE greatest(1, round(least(5e6, cat.median * exp(cat.sigma * r.z) * r.inflation * r.festive)::numeric, 2)) END,
       cat.direction, r.channel, cat.mcc, cat.category,
       r.booked_at + CASE WHEN r.channel = 'card' THEN make_interval(secs => floor(86400 * (1 + 2 * demo_gen.u(r.id, 108))))
                          ELSE make_interval(secs => floor(5 + 600 * demo_gen.u(r.id, 108))) END
  FROM (
    SELECT q.*,
           CASE q.channel
             WHEN 'card' THEN CASE WHEN q.card_special > 0 AND q.us < q.card_special_p THEN q.card_special ELSE ${ordinary('card')} END
             WHEN 'online' THEN CASE WHEN q.online_special > 0 AND q.us < q.online_special_p THEN q.online_special ELSE ${ordinary('online')} END
             WHEN 'atm' THEN ${ordinary('atm')}
             ELSE ${ordinary('branch')} END AS cat_key,
           -- Moscow time has had no daylight saving since 2014: adding seconds to local midnight is exact.
           q.day_start + make_interval(secs => floor(3600 * CASE q.channel
                WHEN 'branch' THEN 9 + 10 * q.ut
                WHEN 'atm' THEN 5 + 19 * q.ut
                WHEN 'card' THEN 8 + 15 * power(q.ut, 0.85)
                ELSE 6 + 18 * q.ut END)) AS booked_at
      FROM (
        SELECT id, d.day, d.day_start, d.card_special, d.card_special_p, d.online_special, d.online_special_p,
               1 + floor(demo_gen.u(id, 101) * d.k)::int AS seq,
               CASE WHEN demo_gen.u(id, 102) < d.c_branch THEN 'branch'
                    WHEN demo_gen.u(id, 102) < d.c_atm THEN 'atm'
                    WHEN demo_gen.u(id, 102) < d.c_online THEN 'online'
                    ELSE 'card' END AS channel,
               demo_gen.u(id, 103) AS ucat,
               demo_gen.u(id, 104) AS us,
               demo_gen.z(id, 105) AS z,
               demo_gen.u(id, 107) AS ut,
               power(1.075, d.t) AS inflation,
               CASE WHEN d.month = 12 THEN 1.12 ELSE 1 END AS festive
          FROM demo_gen.days d, generate_series(d.n_lo + 1, d.n_hi) AS id
        OFFSET 0
      ) q
    OFFSET 0
  ) r
  JOIN demo_gen.txn_accounts a ON a.seq = r.seq
  JOIN demo_gen.categories cat ON cat.key = r.cat_key;`, 'txn_id');
}

export function loansSql(loans: number, customers: number): string {
  const keyRate = `(ARRAY[7.0, 4.75, 6.0, 9.5, 10.5, 17.5, 19.0]::float8[])[extract(year FROM l.issued_on)::int - 2018]`;
  return load('loans', `
INSERT INTO bank.loans
WITH l0 AS (
  SELECT i, DATE '2019-01-01' + floor(power((i - 0.5::float8) / ${loans}, 0.7) * (DATE '${LAST_DAY}' - DATE '2019-01-01'))::int AS raw_issued
    FROM generate_series(1, ${loans}) AS i
), l1 AS MATERIALIZED (
  -- Borrow only from customers who had joined by then (customer numbers follow the joining date).
  SELECT l0.*, 1 + floor(demo_gen.u(l0.i, 51) * greatest(1, least(${customers},
           floor(${customers} * power((l0.raw_issued - DATE '2005-01-01' + 1)::float8 / (DATE '${LAST_DAY}' - DATE '2005-01-01'), 1.6)))))::int AS customer_id,
         CASE WHEN demo_gen.u(l0.i, 52) < 0.42 THEN 'consumer' WHEN demo_gen.u(l0.i, 52) < 0.67 THEN 'credit_card'
              WHEN demo_gen.u(l0.i, 52) < 0.82 THEN 'mortgage' WHEN demo_gen.u(l0.i, 52) < 0.93 THEN 'auto' ELSE 'sme' END AS product
    FROM l0
), l AS MATERIALIZED (
  SELECT l1.*, c.branch_id, greatest(l1.raw_issued, c.customer_since) AS issued_on,
         CASE l1.product WHEN 'consumer' THEN (ARRAY[12, 24, 36, 48, 60])[1 + floor(demo_gen.u(l1.i, 53) * 5)::int]
                         WHEN 'credit_card' THEN 36
                         WHEN 'mortgage' THEN 120 + 12 * floor(demo_gen.u(l1.i, 53) * 21)::int
                         WHEN 'auto' THEN 36 + 12 * floor(demo_gen.u(l1.i, 53) * 5)::int
                         ELSE 12 + 12 * floor(demo_gen.u(l1.i, 53) * 5)::int END AS term_months,
         CASE l1.product WHEN 'consumer' THEN 280000 WHEN 'credit_card' THEN 120000 WHEN 'mortgage' THEN 5200000 WHEN 'auto' THEN 1400000 ELSE 2500000 END
           * exp(CASE l1.product WHEN 'mortgage' THEN 0.5 WHEN 'auto' THEN 0.45 WHEN 'credit_card' THEN 0.6 ELSE 0.75 END * demo_gen.z(l1.i, 54))
           * (1 + 0.06 * (extract(year FROM l1.raw_issued)::int - 2019)) AS raw_principal
    FROM l1 JOIN bank.customers c ON c.customer_id = l1.customer_id
), m AS MATERIALIZED (
  SELECT l.*,
         (l.issued_on + make_interval(months => l.term_months))::date AS maturity_on,
         round((l.raw_principal / CASE WHEN l.product IN ('consumer') THEN 1000 WHEN l.product = 'credit_card' THEN 5000 ELSE 10000 END)::numeric)
           * CASE WHEN l.product IN ('consumer') THEN 1000 WHEN l.product = 'credit_card' THEN 5000 ELSE 10000 END AS principal,
         round((CASE l.product
                  WHEN 'mortgage' THEN CASE WHEN demo_gen.u(l.i, 56) < 0.35 THEN 6.0 ELSE ${keyRate} + 2.5 + demo_gen.u(l.i, 57) END
                  WHEN 'consumer' THEN ${keyRate} + 7 + 4 * demo_gen.u(l.i, 57)
                  WHEN 'credit_card' THEN (ARRAY[29.9, 34.9, 39.9])[1 + floor(demo_gen.u(l.i, 57) * 3)::int]
                  ELSE ${keyRate} + 4 + 4 * demo_gen.u(l.i, 57) END)::numeric, 2) AS rate,
         demo_gen.u(l.i, 58) AS u_status
    FROM l
), s AS MATERIALIZED (
  SELECT m.*,
         CASE WHEN m.maturity_on <= DATE '${LAST_DAY}' THEN (CASE WHEN m.u_status < 0.03 THEN 'written_off' ELSE 'repaid' END)
              WHEN m.u_status < 0.02 THEN 'default'
              WHEN m.u_status < 0.08 THEN 'overdue'
              ELSE 'current' END AS status,
         least(1.0, (DATE '${LAST_DAY}' - m.issued_on)::float8 / (m.maturity_on - m.issued_on)) AS elapsed
    FROM m
)
SELECT s.i, s.customer_id, s.branch_id, s.product, s.principal, s.rate, s.term_months, s.issued_on, s.maturity_on,
       CASE WHEN s.status IN ('repaid', 'written_off') THEN 0
            WHEN s.product = 'credit_card' THEN round(s.principal * (0.15 + 0.7 * demo_gen.u(s.i, 59))::numeric, 2)
            ELSE round(s.principal * (1 - power(s.elapsed, CASE WHEN s.product = 'mortgage' THEN 1.6 ELSE 1.0 END))::numeric, 2) END,
       s.status,
       CASE s.status WHEN 'default' THEN 90 + floor(demo_gen.u(s.i, 60) * 630)::int
                     WHEN 'overdue' THEN 1 + floor(demo_gen.u(s.i, 60) * 89)::int ELSE 0 END,
       CASE WHEN s.status IN ('repaid', 'written_off') THEN (s.maturity_on + 1)::timestamp AT TIME ZONE '${TZ}'
            ELSE TIMESTAMPTZ '${AS_OF}' - make_interval(secs => floor(demo_gen.u(s.i, 61) * 25 * 86400)) END
  FROM s;`, 'loan_id');
}

export function atmsSql(atmsPerMillionScale: number): string {
  const sites = ATM_SITES.map((s) => s.site);
  return load('atms', `
INSERT INTO bank.atms
WITH b AS (
  SELECT br.*, sum(br.population) OVER () AS total FROM bank.branches br
), a AS (
  SELECT row_number() OVER (ORDER BY b.branch_id, j)::int AS atm_id, b.branch_id, b.lat, b.lon
    FROM b, generate_series(1, greatest(1, round(${num(atmsPerMillionScale)}::float8 * b.population / b.total))::int) AS j
)
SELECT a.atm_id, a.branch_id,
       CASE WHEN a.atm_id % 7 = 1 THEN 'branch' ELSE (${textArray(sites)})[1 + floor(demo_gen.u(a.atm_id, 71) * ${sites.length})::int] END,
       round((a.lat + (demo_gen.u(a.atm_id, 72) - 0.5) * 0.12)::numeric, 5)::float8,
       round((a.lon + (demo_gen.u(a.atm_id, 73) - 0.5) * 0.2)::numeric, 5)::float8,
       demo_gen.u(a.atm_id, 74) < 0.55,
       CASE WHEN demo_gen.u(a.atm_id, 75) < 0.18 THEN DATE '${FIRST_DAY}' + 30 + floor(demo_gen.u(a.atm_id, 76) * ${DAYS - 60})::int
            ELSE DATE '2012-01-01' + floor(demo_gen.u(a.atm_id, 76) * (DATE '2022-12-31' - DATE '2012-01-01'))::int END,
       TIMESTAMPTZ '${AS_OF}' - make_interval(secs => floor(demo_gen.u(a.atm_id, 77) * 90 * 86400))
  FROM a;`, 'atm_id');
}

export function atmDailySql(): string {
  const base = ATM_SITES.map((s) => `WHEN ${lit(s.site)} THEN ${num(s.base)}`).join(' ');
  const weekly = floatArray([1.0, 0.95, 0.95, 1.0, 1.28, 1.12, 0.82]);
  return load('atm_daily', `
INSERT INTO bank.atm_daily
SELECT q.atm_id, q.day, q.branch_id, q.withdrawals,
       round((q.withdrawals * 5200 * power(1.07, q.t) * exp(0.1 * demo_gen.z(q.h, 83)) / 100)::numeric) * 100,
       (q.day + 1 + time '02:00' + make_interval(secs => floor(demo_gen.u(q.h, 85) * 3600)))::timestamp AT TIME ZONE '${TZ}'
  FROM (
    SELECT a.atm_id, d.day, a.branch_id, d.t, a.atm_id::bigint * 10000 + d.i AS h,
           CASE WHEN demo_gen.u(a.atm_id::bigint * 10000 + d.i, 80) < 0.007 THEN 0
                ELSE round((CASE a.site ${base} ELSE 100 END)
                     * power(b.population / 1e6::float8, 0.25)
                     * (${weekly})[d.dow]
                     * power(d.hfactor, 1.2)
                     * CASE WHEN d.dd IN ('05', '20') THEN 1.3 WHEN d.dd IN ('06', '21') THEN 1.12 ELSE 1 END
                     * power(0.94, d.t)
                     * exp(0.15 * demo_gen.z(a.atm_id::bigint * 10000 + d.i, 81)))::int END AS withdrawals
      FROM bank.atms a
      JOIN bank.branches b ON b.branch_id = a.branch_id
      JOIN demo_gen.days d ON d.day >= a.installed_on
    OFFSET 0
  ) q;`, 'atm_id, day');
}

export function branchKpisSql(): string {
  const weekly = floatArray([1.18, 1.05, 1.0, 1.0, 1.08, 0.62, 0.4]);
  const monthly = floatArray([0.85, 0.97, 1.02, 1.0, 0.95, 0.93, 0.9, 0.92, 1.03, 1.05, 1.04, 1.1]);
  return load('branch_kpis', `
INSERT INTO bank.branch_kpis
SELECT q.branch_id, q.day,
       round((q.base_visits * 9000 * power(1.07, q.t) * q.deposit_climate * exp(0.3 * demo_gen.z(q.h, 91))
              * CASE WHEN q.closed THEN 0.25 ELSE 1 END)::numeric, 2),
       coalesce(na.n, 0)::int,
       CASE WHEN q.closed THEN 0 ELSE round(q.base_visits)::int END,
       CASE WHEN q.closed THEN NULL
            ELSE round(least(100, greatest(-100, 38 + 20 * (demo_gen.u(q.branch_id, 93) - 0.5) + 2.5 * q.t + 9 * demo_gen.z(q.h, 94)))::numeric, 1) END,
       (q.day + 1 + time '03:00' + make_interval(secs => floor(demo_gen.u(q.h, 96) * 1800)))::timestamp AT TIME ZONE '${TZ}'
  FROM (
    SELECT b.branch_id, d.day, d.t, d.closed, b.branch_id::bigint * 10000 + d.i AS h,
           620 * sqrt(b.population / 1e6::float8) * (${weekly})[d.dow] * (${monthly})[d.month] * power(0.96, d.t)
               * exp(0.12 * demo_gen.z(b.branch_id::bigint * 10000 + d.i, 97)) AS base_visits,
           -- Deposits follow the key rate: flat in 2023, a boom through 2024, easing in late 2025.
           CASE WHEN d.t < 0.8 THEN 1.0 WHEN d.t < 2.2 THEN 1.0 + 0.5 * (d.t - 0.8) ELSE 1.7 - 0.4 * (d.t - 2.2) END AS deposit_climate
      FROM bank.branches b CROSS JOIN demo_gen.days d
  ) q
  LEFT JOIN (SELECT branch_id, opened_on, count(*) AS n FROM bank.accounts GROUP BY branch_id, opened_on) na
         ON na.branch_id = q.branch_id AND na.opened_on = q.day;`, 'branch_id, day');
}

export function keysSql(): string {
  return `
ALTER TABLE bank.customers ADD FOREIGN KEY (branch_id) REFERENCES bank.branches;
ALTER TABLE bank.accounts ADD FOREIGN KEY (customer_id) REFERENCES bank.customers, ADD FOREIGN KEY (branch_id) REFERENCES bank.branches;
ALTER TABLE bank.loans ADD FOREIGN KEY (customer_id) REFERENCES bank.customers, ADD FOREIGN KEY (branch_id) REFERENCES bank.branches;
ALTER TABLE bank.atms ADD FOREIGN KEY (branch_id) REFERENCES bank.branches;
ALTER TABLE bank.atm_daily ADD FOREIGN KEY (atm_id) REFERENCES bank.atms, ADD FOREIGN KEY (branch_id) REFERENCES bank.branches;
ALTER TABLE bank.branch_kpis ADD FOREIGN KEY (branch_id) REFERENCES bank.branches;
ALTER TABLE bank.staff_branches ADD FOREIGN KEY (branch_id) REFERENCES bank.branches;
-- Transactions keep no foreign keys: validating 2M rows would double the load time of a demo.
-- The indexes serve the sync's incremental reads (updated_at) and branch staff's row filter (branch_id).
CREATE INDEX transactions_updated_at ON bank.transactions (updated_at);
CREATE INDEX transactions_branch_id ON bank.transactions (branch_id);
CREATE INDEX customers_updated_at ON bank.customers (updated_at);
CREATE INDEX accounts_updated_at ON bank.accounts (updated_at);
CREATE INDEX loans_updated_at ON bank.loans (updated_at);
CREATE INDEX atm_daily_updated_at ON bank.atm_daily (updated_at);
CREATE INDEX branch_kpis_updated_at ON bank.branch_kpis (updated_at);
`;
}

/** Every synced table of the demo, with its primary key. */
export const BANK_TABLES = {
  branches: ['branch_id'],
  customers: ['customer_id'],
  accounts: ['account_id'],
  transactions: ['txn_id'],
  loans: ['loan_id'],
  atms: ['atm_id'],
  atm_daily: ['atm_id', 'day'],
  branch_kpis: ['branch_id', 'day'],
} as const satisfies Record<string, readonly string[]>;

/** Customers' columns that are personal data: not granted to analysts (column privileges). */
export const PII_COLUMNS = ['full_name', 'phone', 'passport', 'birth_date'] as const;

/** Roles, grants, row-level security, the monthly view, the updated_at trigger and the published extracts. */
export function securitySql(): string {
  const withBranch = ['branches', 'customers', 'accounts', 'transactions', 'loans', 'atms', 'atm_daily', 'branch_kpis'];
  const staffTables = withBranch.filter((t) => t !== 'customers');
  const staffRoles = CITIES.map((c) => `staff_${c.code}`);
  const createRoles = [
    `IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'analyst') THEN CREATE ROLE analyst LOGIN; END IF;`,
    `IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'branch_staff') THEN CREATE ROLE branch_staff NOLOGIN; END IF;`,
    ...staffRoles.map((r) => `IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${lit(r)}) THEN CREATE ROLE ${r} LOGIN; END IF; GRANT branch_staff TO ${r};`),
  ];
  const nonPii = ['customer_id', 'branch_id', 'gender', 'segment', 'age_band', 'customer_since', 'updated_at'];
  return `
DO $$ BEGIN
  ${createRoles.join('\n  ')}
END $$;
-- The analyst builds and publishes reports (strongroom_authors comes from install.sql); branch staff only view them.
GRANT strongroom_authors TO analyst;

-- Monthly activity per branch: a view extract (no delete tracking, no incremental column).
-- security_invoker makes the row-level security of bank.transactions apply to the querying role.
CREATE VIEW bank.branch_monthly WITH (security_invoker = true) AS
SELECT t.branch_id, date_trunc('month', t.booked_on::timestamp)::date AS month,
       count(*)::integer AS transactions,
       sum(t.amount) FILTER (WHERE t.direction = 'debit') AS debit_amount,
       sum(t.amount) FILTER (WHERE t.direction = 'credit') AS credit_amount,
       round(avg((t.channel IN ('card', 'online'))::int)::numeric, 4) AS digital_share
  FROM bank.transactions t
 GROUP BY t.branch_id, date_trunc('month', t.booked_on::timestamp);

REVOKE ALL ON ALL TABLES IN SCHEMA bank FROM PUBLIC;
GRANT USAGE ON SCHEMA bank TO analyst, branch_staff;
GRANT SELECT ON ${staffTables.map((t) => `bank.${t}`).join(', ')}, bank.branch_monthly TO analyst, branch_staff;
-- Personal data stays out of analysts' copies: no table-level SELECT on customers, only these columns.
GRANT SELECT (${nonPii.join(', ')}) ON bank.customers TO analyst;
-- Read by the row-level security policies, which run as the querying role.
GRANT SELECT ON bank.staff_branches TO analyst, branch_staff;

${withBranch
  .map(
    (t) => `ALTER TABLE bank.${t} ENABLE ROW LEVEL SECURITY;
CREATE POLICY analyst_all_branches ON bank.${t} FOR SELECT TO analyst USING (true);
CREATE POLICY staff_own_branch ON bank.${t} FOR SELECT TO branch_staff
  USING (branch_id IN (SELECT sb.branch_id FROM bank.staff_branches sb
                        WHERE sb.role IN (SELECT r.rolname FROM pg_catalog.pg_roles r WHERE pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER'))));`,
  )
  .join('\n')}

-- updated_at moves whenever a row changes (unless the update sets it), so incremental sync sees edits.
CREATE FUNCTION bank.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN NEW.updated_at := clock_timestamp(); END IF;
  RETURN NEW;
END $$;
${Object.keys(BANK_TABLES)
  .map((t) => `CREATE TRIGGER touch_updated_at BEFORE UPDATE ON bank.${t} FOR EACH ROW EXECUTE FUNCTION bank.touch_updated_at();`)
  .join('\n')}

COMMENT ON COLUMN bank.customers.full_name IS 'PII: surname, first name, patronymic';
COMMENT ON COLUMN bank.customers.phone IS 'PII';
COMMENT ON COLUMN bank.customers.passport IS 'PII: series (region code, year of issue) and number';
COMMENT ON COLUMN bank.customers.birth_date IS 'PII';
COMMENT ON COLUMN bank.transactions.amount IS 'Roubles, always positive; see direction';
COMMENT ON COLUMN bank.transactions.booked_on IS 'Business date in Moscow time';
COMMENT ON TABLE bank.staff_branches IS 'Which branches a role (and its members) sees through row-level security';
`;
}

export function publishSql(): string {
  const p = (args: Record<string, string | number | readonly string[]>) =>
    `SELECT strongroom.publish_extract(${Object.entries(args)
      .map(([k, v]) => `${k} => ${typeof v === 'number' ? v : Array.isArray(v) ? `${textArray(v as readonly string[])}` : lit(v as string)}`)
      .join(', ')});`;
  const visuals = ['pptx', 'pdf', 'png', 'svg'];
  const extracts = [
    p({ name: 'branches', source: 'bank.branches', primary_key: ['branch_id'], incremental_column: 'updated_at', classification: 'internal', lease_days: 90, title: 'Branches', description: 'The bank\'s 30 regional branches: city, region, coordinates, population served.' }),
    p({ name: 'customers', source: 'bank.customers', primary_key: ['customer_id'], incremental_column: 'updated_at', classification: 'restricted', lease_days: 7, allowed_exports: visuals, title: 'Customers', description: 'Retail customers: segment, age band, home branch. Name, phone, passport and birth date are personal data, visible only to roles granted those columns.' }),
    p({ name: 'accounts', source: 'bank.accounts', primary_key: ['account_id'], incremental_column: 'updated_at', classification: 'confidential', lease_days: 14, title: 'Accounts', description: 'Current, savings, deposit and credit card accounts with balances in their currency.' }),
    p({ name: 'transactions', source: 'bank.transactions', primary_key: ['txn_id'], incremental_column: 'updated_at', classification: 'confidential', lease_days: 14, allowed_exports: [...visuals, 'xlsx'], title: 'Transactions', description: 'Card, ATM, branch and online transactions 2023-2025, amounts in roubles.' }),
    p({ name: 'loans', source: 'bank.loans', primary_key: ['loan_id'], incremental_column: 'updated_at', classification: 'confidential', lease_days: 14, title: 'Loans', description: 'Consumer, card, mortgage, auto and small-business loans with status and days past due.' }),
    p({ name: 'atms', source: 'bank.atms', primary_key: ['atm_id'], incremental_column: 'updated_at', classification: 'internal', lease_days: 90, title: 'ATMs', description: 'ATM network: site type, location, cash-in capability.' }),
    p({ name: 'atm_daily', source: 'bank.atm_daily', primary_key: ['atm_id', 'day'], incremental_column: 'updated_at', classification: 'internal', lease_days: 30, title: 'ATM cash withdrawals by day', description: 'Withdrawals and amount dispensed per ATM per day.' }),
    p({ name: 'branch_kpis', source: 'bank.branch_kpis', primary_key: ['branch_id', 'day'], incremental_column: 'updated_at', classification: 'internal', lease_days: 30, title: 'Branch KPIs by day', description: 'Daily deposits, new accounts, visits and NPS per branch.' }),
    p({ name: 'branch_monthly', source: 'bank.branch_monthly', primary_key: ['branch_id', 'month'], classification: 'internal', lease_days: 30, title: 'Branch activity by month', description: 'Monthly transaction counts and amounts per branch (a view: refreshed by full comparison).' }),
  ];
  const grants: [string, string[]][] = [
    ['analyst', ['branches', 'customers', 'accounts', 'transactions', 'loans', 'atms', 'atm_daily', 'branch_kpis', 'branch_monthly']],
    ['branch_staff', ['branches', 'accounts', 'transactions', 'loans', 'atms', 'atm_daily', 'branch_kpis', 'branch_monthly']],
  ];
  return `
${extracts.join('\n')}
${grants.flatMap(([role, names]) => names.map((n) => `SELECT strongroom.grant_extract(${lit(n)}, ${lit(role)});`)).join('\n')}
`;
}

/** Drops the generator's scaffolding and records what was generated. */
export function finishSql(scale: number, version: number): string {
  return `
DROP SCHEMA demo_gen CASCADE;
CREATE TABLE bank.demo_info (generator_version integer NOT NULL, scale double precision NOT NULL, generated_at timestamptz NOT NULL DEFAULT now());
INSERT INTO bank.demo_info (generator_version, scale) VALUES (${version}, ${num(scale)});
RESET work_mem;
ANALYZE;
`;
}
