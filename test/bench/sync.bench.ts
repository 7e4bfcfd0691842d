/**
 * Sync benchmark (issue 3): a 1M-row, 10-column extract from real PostgreSQL on loopback into the
 * encrypted cache, against the raw insert rate of the same rows into the same cipher (the local
 * limit); then an incremental sync of 10k changed rows. Prints figures; asserts nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { applyRuntimePragmas, openEncrypted } from '../../electron/worker/db/cipher.js';
import { WorkerConnection } from '../../electron/worker/connection.js';
import { CopyTextParser } from '../../electron/worker/sync/copy-text.js';
import { converterFor, storageFor } from '../../electron/worker/sync/types.js';
import type { Api } from '../../shared/contracts/index.js';
import { createClient } from '../../shared/rpc/client.js';
import { startPgCluster } from '../helpers/pg-cluster.js';

const ROOT = resolve(__dirname, '..', '..');
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const mib = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
const rss = () => process.memoryUsage().rss;

async function main() {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${mib(totalmem())} RAM, Node ${process.version}`);
  const cluster = await startPgCluster();
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-bench-sync-'));
  try {
    await cluster.psql(readFileSync(join(ROOT, 'warehouse', 'install.sql'), 'utf8'));
    let t = Date.now();
    await cluster.psql(`
      CREATE SCHEMA bench;
      CREATE TABLE bench.tx (id bigint PRIMARY KEY, account_id int, branch_id int, amount numeric(14,2), currency text,
        channel text, booked_at timestamptz, value_date date, is_reversal boolean, updated_at timestamptz NOT NULL);
      INSERT INTO bench.tx SELECT i, i % 50000, 1 + i % 30, round((random() * 100000)::numeric, 2), 'RUB',
        (ARRAY['atm','card','branch','online'])[1 + i % 4], timestamptz '2023-01-01' + i * interval '1 minute',
        date '2023-01-01' + (i / 1440), i % 97 = 0, timestamptz '2023-01-01' + i * interval '1 second'
        FROM generate_series(1, ${ROWS}) i;
      VACUUM ANALYZE bench.tx;
      CREATE ROLE bencher LOGIN PASSWORD 'bench';
      GRANT USAGE ON SCHEMA bench TO bencher; GRANT SELECT ON bench.tx TO bencher;
      SELECT strongroom.publish_extract('tx', 'bench.tx', '{id}', 'updated_at');
      SELECT strongroom.grant_extract('tx', 'bencher');`);
    console.log(`warehouse: ${ROWS} rows × 10 columns loaded into PostgreSQL 15 in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    // 1. Full sync through the product's own path: the data worker thread, as in the app and the CLI.
    const worker = new WorkerConnection(join(ROOT, 'dist', 'electron', 'worker.cjs'), { profileDir: join(dir, 'profile'), scryptN: 2 ** 14 });
    const { api } = createClient<Api>(worker.transport());
    await api.session.create({ passphrase: 'benchmark passphrase' });
    const c = await api.connections.save({ name: 'bench', host: cluster.host, port: cluster.port, database: 'postgres', user: 'bencher', password: 'bench', tlsMode: 'disable' });
    let peak = rss();
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 50);
    t = Date.now();
    const full = await api.sync.run({ connectionId: c.id });
    const fullMs = Date.now() - t;
    clearInterval(sampler);
    const fullRate = ROWS / (fullMs / 1000);
    console.log(`full sync: ${ROWS} rows in ${(fullMs / 1000).toFixed(2)} s = ${Math.round(fullRate).toLocaleString('en')} rows/s; ${mib(full.results[0]!.bytes)} COPY text; peak RSS ${mib(peak)}`);

    // 2. Incremental: 10k changed rows.
    await cluster.psql(`UPDATE bench.tx SET amount = amount + 1, updated_at = now() WHERE id % ${Math.floor(ROWS / 10_000)} = 0;`);
    t = Date.now();
    const inc = await api.sync.run({ connectionId: c.id });
    console.log(`incremental sync: ${inc.results[0]!.rowsRead} changed rows read, ${inc.results[0]!.rowCount} in cache, in ${Date.now() - t} ms (mode ${inc.results[0]!.mode})`);
    await worker.close();

    // 3. The local limit: the same rows, already parsed in memory, inserted into the same cipher.
    const client = new pg.Client({ host: cluster.host, port: cluster.port, user: 'bencher', password: 'bench', database: 'postgres' });
    await client.connect();
    await client.query("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'");
    const types = ['bigint', 'integer', 'integer', 'numeric(14,2)', 'text', 'text', 'timestamp with time zone', 'date', 'boolean', 'timestamp with time zone'];
    const converters = types.map((ty) => converterFor(storageFor(ty)));
    const rows: unknown[][] = [];
    const parser = new CopyTextParser();
    await new Promise<void>((done, fail) => {
      const s = client.query(copyTo('COPY bench.tx TO STDOUT'));
      s.on('data', (chunk: Buffer) => parser.push(chunk, (f) => rows.push(f.map((v, i) => (v === null ? null : converters[i]!(v))))));
      s.on('end', () => done());
      s.on('error', fail);
    });
    await client.end();
    const db = openEncrypted(join(dir, 'raw.db'), Buffer.alloc(32, 7), { create: true });
    applyRuntimePragmas(db);
    db.exec('CREATE TABLE t (id INTEGER, account_id INTEGER, branch_id INTEGER, amount REAL, currency TEXT, channel TEXT, booked_at TEXT, value_date TEXT, is_reversal INTEGER, updated_at TEXT)');
    const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const batch = db.transaction((chunk: unknown[][]) => {
      for (const r of chunk) insert.run(r);
    });
    t = Date.now();
    for (let i = 0; i < rows.length; i += 20_000) batch(rows.slice(i, i + 20_000));
    db.exec('CREATE UNIQUE INDEX t_pk ON t (id)');
    const rawMs = Date.now() - t;
    db.close();
    const rawRate = ROWS / (rawMs / 1000);
    console.log(`local limit (same rows, in memory, inserted + indexed into the same cipher): ${Math.round(rawRate).toLocaleString('en')} rows/s`);
    console.log(`full sync reaches ${((100 * fullRate) / rawRate).toFixed(0)}% of the local limit (target ≥ 70%)`);
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
