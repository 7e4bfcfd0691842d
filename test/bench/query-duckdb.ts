/**
 * The DuckDB side of the query benchmark, run by query.bench.ts in a child process so DuckDB's memory
 * stays out of the benchmark's RSS figure. Generates the same rows as the encrypted cache holds (same
 * generator, same seed), appends them to an in-memory DuckDB, runs every suite entry's `duckdbSql`
 * REPEAT times (after one untimed warm-up) and prints one JSON line on stdout:
 *   { version, threads, rows, loadMs, peakRss, queries: [{ id, samples, rowCount, checksum, error? }] }
 * Progress goes to stderr.
 *
 * Usage (built with esbuild by query.bench.ts): node query-duckdb.cjs ROWS REPEAT [SEED]
 * BENCH_DUCKDB_THREADS sets DuckDB's thread count (default: DuckDB's own, one per core).
 */
import { DuckDBDateValue, DuckDBInstance, DuckDBTimestampValue } from '@duckdb/node-api';
import { performance } from 'node:perf_hooks';
import { BRANCHES, CATEGORIES, CHANNELS, checksum, CURRENCIES, DEFAULT_SEED, DUCKDB_TABLE_SQL, FINGERPRINT_DUCKDB, fingerprintJson, rawTransactions, SUITE } from './query-suite.js';

export interface DuckdbQueryTiming {
  id: string;
  samples: number[];
  rowCount: number;
  checksum: number | null;
  error?: string;
}

export interface DuckdbReport {
  version: string;
  threads: number;
  rows: number;
  loadMs: number;
  /** fingerprintJson of the loaded table, compared with the cache's. */
  fingerprint: string;
  peakRss: number;
  queries: DuckdbQueryTiming[];
}

async function main() {
  const rows = Number(process.argv[2] ?? 200_000);
  const repeat = Number(process.argv[3] ?? 20);
  const seed = Number(process.argv[4] ?? DEFAULT_SEED);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);

  const options: Record<string, string> = {};
  if (process.env.BENCH_DUCKDB_THREADS) options.threads = process.env.BENCH_DUCKDB_THREADS;
  const instance = await DuckDBInstance.create(':memory:', options);
  const db = await instance.connect();
  const scalar = async (sql: string) => (await db.runAndReadAll(sql)).getRowsJS()[0]![0];
  const version = String(await scalar('SELECT version()'));
  const threads = Number(await scalar("SELECT current_setting('threads')"));

  const t0 = performance.now();
  await db.run(DUCKDB_TABLE_SQL);
  const appender = await db.createAppender('transactions');
  for (const r of rawTransactions(rows, seed)) {
    appender.appendBigInt(BigInt(r.id));
    appender.appendInteger(r.accountId);
    appender.appendVarchar(BRANCHES[r.branch]!);
    appender.appendVarchar(CHANNELS[r.channel]!);
    appender.appendVarchar(CURRENCIES[r.currency]!);
    if (r.cents === null) appender.appendNull();
    else appender.appendDouble(r.cents / 100);
    appender.appendTimestamp(new DuckDBTimestampValue(BigInt(r.bookedSec) * 1_000_000n));
    appender.appendDate(new DuckDBDateValue(r.valueDay));
    if (r.category < 0) appender.appendNull();
    else appender.appendVarchar(CATEGORIES[r.category]!);
    appender.appendBoolean(r.reversal);
    appender.endRow();
  }
  appender.closeSync();
  const loadMs = performance.now() - t0;
  process.stderr.write(`  duckdb ${version}: ${rows.toLocaleString('en')} rows loaded in ${(loadMs / 1000).toFixed(1)} s (${threads} threads)\n`);

  const fingerprint = fingerprintJson((await db.runAndReadAll(FINGERPRINT_DUCKDB)).getRowObjectsJS()[0]!);

  const queries: DuckdbQueryTiming[] = [];
  for (const entry of SUITE) {
    const measure = entry.spec.measures?.[0]?.as;
    try {
      const first = await db.runAndReadAll(entry.duckdbSql); // warm-up, and the answer compared
      const names = first.columnNames();
      const columns = first.getColumnsJS();
      const m = measure === undefined ? -1 : names.indexOf(measure);
      const samples: number[] = [];
      for (let i = 0; i < repeat; i++) {
        const t = performance.now();
        const reader = await db.runAndReadAll(entry.duckdbSql);
        reader.getColumnsJS(); // results as JS values, as ours hands them to the caller
        samples.push(performance.now() - t);
      }
      queries.push({ id: entry.id, samples, rowCount: first.currentRowCount, checksum: m < 0 ? null : checksum(columns[m]!) });
    } catch (err) {
      queries.push({ id: entry.id, samples: [], rowCount: 0, checksum: null, error: (err as Error).message });
    }
  }
  clearInterval(sampler);
  db.closeSync();
  instance.closeSync();
  const report: DuckdbReport = { version, threads, rows, loadMs, fingerprint, peakRss: peak, queries };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
