import { PGlite } from '@electric-sql/pglite';
import {
  BANK_TABLES,
  accountsSql,
  atmDailySql,
  atmsSql,
  branchKpisSql,
  branchesSql,
  customersSql,
  daysSql,
  finishSql,
  keysSql,
  loansSql,
  publishSql,
  schemaSql,
  securitySql,
  sizesFor,
  transactionsSql,
} from './bank-sql';
import { readInstallSql } from './install-sql';

/** Bumped whenever the generated data or schema changes; a dataDir holding another version is rebuilt. */
export const GENERATOR_VERSION = 3;

/** Options of {@link createDemoWarehouse}. */
export interface DemoWarehouseOptions {
  /**
   * Size relative to the full demo (1: 100 000 customers, 2 000 000 transactions, 25 000 loans,
   * ~170 ATMs; the 30 branches and three years of days do not scale). Tests use 0.01. Default 1.
   */
  scale?: number;
  /**
   * Folder for the PGlite database files. A folder that already holds a demo of the same scale and
   * generator version is reused as is; one holding another demo is regenerated. Default: in memory.
   */
  dataDir?: string;
  /** Path of `warehouse/install.sql`; by default it is found by walking up from this module. */
  installSqlPath?: string;
  /** Called after each generation step with its name and duration in milliseconds. */
  onStep?: (step: string, ms: number) => void;
}

/** A generated demo warehouse (see {@link createDemoWarehouse}). */
export interface DemoWarehouse {
  /** The database; its session is the superuser `postgres`. The caller closes it. */
  db: PGlite;
  /** Milliseconds per generation step (`open`, `install`, …, `publish`, `analyze`) and `total`. */
  timings: Record<string, number>;
  /** Rows per table of schema `bank`. */
  counts: Record<string, number>;
  scale: number;
  /** True when an existing dataDir was reused without generating anything. */
  reused: boolean;
}

function checkScale(scale: number): number {
  if (!Number.isFinite(scale) || scale < 0.0001 || scale > 10) throw new RangeError(`scale must be between 0.0001 and 10, not ${scale}`);
  return scale;
}

async function existingDemo(db: PGlite): Promise<{ version: number; scale: number } | undefined> {
  const info = await db.query<{ present: boolean }>(`SELECT to_regclass('bank.demo_info') IS NOT NULL AS present`);
  if (!info.rows[0]?.present) return undefined;
  const row = await db.query<{ generator_version: number; scale: number }>('SELECT generator_version, scale FROM bank.demo_info LIMIT 1');
  const r = row.rows[0];
  return r ? { version: r.generator_version, scale: r.scale } : undefined;
}

async function countRows(db: PGlite): Promise<Record<string, number>> {
  const tables = [...Object.keys(BANK_TABLES), 'staff_branches'];
  const sql = tables.map((t) => `SELECT '${t}' AS name, count(*)::int AS n FROM bank.${t}`).join(' UNION ALL ');
  const result = await db.query<{ name: string; n: number }>(sql);
  return Object.fromEntries(result.rows.map((r) => [r.name, r.n]));
}

/**
 * Builds the deterministic synthetic bank warehouse in PGlite: `warehouse/install.sql` (the file
 * DBAs run), schema `bank` generated with SQL inside the database, roles (`analyst`, `branch_staff`
 * and its members `staff_<city code>`), column privileges and row-level security, and the published
 * extracts. The same scale always produces byte-identical data.
 */
export async function createDemoWarehouse(options: DemoWarehouseOptions = {}): Promise<DemoWarehouse> {
  const scale = checkScale(options.scale ?? 1);
  const sizes = sizesFor(scale);
  const timings: Record<string, number> = {};
  const started = performance.now();
  let mark = started;
  const step = (name: string) => {
    const now = performance.now();
    const ms = Math.round(now - mark);
    timings[name] = ms;
    mark = now;
    options.onStep?.(name, ms);
  };

  const installSql = readInstallSql(options.installSqlPath);
  // wal_level=minimal: tables created and filled in one transaction skip the WAL, which in PGlite
  // lives in memory too; generation gets about a third faster and much smaller.
  const db = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    postgresqlconf: ['wal_level = minimal', 'max_wal_senders = 0', 'max_wal_size = 128MB', 'min_wal_size = 32MB'],
  });
  try {
    step('open');
    const existing = await existingDemo(db);
    if (existing && existing.version === GENERATOR_VERSION && existing.scale === scale) {
      // Keep the catalog current with the install.sql on disk; it is idempotent.
      await db.exec(installSql);
      step('install');
      timings.total = Math.round(performance.now() - started);
      return { db, timings, counts: await countRows(db), scale, reused: true };
    }
    if (existing || (await db.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'bank'`)).rows.length) {
      await db.exec('DROP SCHEMA IF EXISTS bank CASCADE; DROP SCHEMA IF EXISTS strongroom CASCADE; DROP SCHEMA IF EXISTS demo_gen CASCADE;');
      step('drop_previous');
    }

    await db.exec(installSql);
    step('install');
    await db.exec(schemaSql());
    step('schema');
    await db.exec(branchesSql());
    await db.exec(daysSql(sizes.transactions));
    step('branches_and_calendar');
    await db.exec(customersSql(sizes.customers));
    step('customers');
    await db.exec(accountsSql());
    step('accounts');
    await db.exec(transactionsSql());
    step('transactions');
    await db.exec(loansSql(sizes.loans, sizes.customers));
    step('loans');
    await db.exec(atmsSql(sizes.atmsPerMillionScale));
    await db.exec(atmDailySql());
    step('atms_and_atm_daily');
    await db.exec(branchKpisSql());
    step('branch_kpis');
    await db.exec(keysSql());
    step('keys_and_indexes');
    await db.exec(securitySql());
    step('roles_and_security');
    await db.exec(publishSql());
    step('publish');
    await db.exec(finishSql(scale, GENERATOR_VERSION));
    step('analyze');
    timings.total = Math.round(performance.now() - started);
    return { db, timings, counts: await countRows(db), scale, reused: false };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}
