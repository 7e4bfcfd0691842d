import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerRuntime, type WorkerRuntime } from '../../electron/worker/runtime.js';
import type { Api, EventMap, SyncProgress } from '../../shared/contracts/index.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';
import { pgAvailable, startPgCluster } from '../helpers/pg-cluster.js';
import { snapshot, TEST_SCRYPT, tempProfile } from '../helpers/profile.js';

const ROOT = resolve(__dirname, '..', '..');
const PASS = 'sync test passphrase';
const available = pgAvailable();
if (!available.ok) {
  if (process.env.CI) throw new Error(`PostgreSQL is required in CI: ${available.reason}`);
  console.log(`sync tests against PostgreSQL skipped: ${available.reason}`);
}

type Cluster = Awaited<ReturnType<typeof startPgCluster>>;
let pg: Cluster;

const FIXTURE = `
  CREATE SCHEMA shop;
  CREATE TABLE shop.tx (id bigint PRIMARY KEY, branch_id int NOT NULL, amount numeric(14,2), note text, secret text,
                        booked_at timestamptz, updated_at timestamptz NOT NULL);
  INSERT INTO shop.tx SELECT i, 1 + i % 3, (i * 7919 % 100000) / 100.0, 'memo ' || i, 'SECRETVALUE-' || i,
         timestamptz '2024-01-01' + i * interval '1 hour', timestamptz '2024-01-01' + i * interval '1 second'
    FROM generate_series(1, 3000) i;
  CREATE TABLE shop.big (id bigint PRIMARY KEY, payload text, updated_at timestamptz NOT NULL DEFAULT now());
  INSERT INTO shop.big SELECT i, repeat('x', 40) || i, timestamptz '2024-01-01' FROM generate_series(1, 400000) i;
  CREATE ROLE analyst LOGIN PASSWORD 'analyst-pw';
  CREATE ROLE staff_b1 LOGIN PASSWORD 'staff-pw';
  GRANT USAGE ON SCHEMA shop TO analyst, staff_b1;
  GRANT SELECT (id, branch_id, amount, note, booked_at, updated_at) ON shop.tx TO analyst;
  GRANT SELECT ON shop.tx TO staff_b1;
  GRANT SELECT ON shop.big TO analyst;
  ALTER TABLE shop.tx ENABLE ROW LEVEL SECURITY;
  CREATE POLICY all_branches ON shop.tx TO analyst USING (true);
  CREATE POLICY own_branch ON shop.tx TO staff_b1 USING (branch_id = 1);
  SELECT strongroom.publish_extract('tx', 'shop.tx', '{id}', 'updated_at', 'confidential', 30, '{csv,xlsx}', 'Transactions', 'Card and ATM transactions');
  SELECT strongroom.publish_extract('big', 'shop.big', '{id}', 'updated_at', 'internal', 30);
  SELECT strongroom.grant_extract('tx', 'analyst');
  SELECT strongroom.grant_extract('tx', 'staff_b1');
  SELECT strongroom.grant_extract('big', 'analyst');
  CREATE TABLE shop.small (id int PRIMARY KEY, label text, updated_at timestamptz NOT NULL DEFAULT now());
  INSERT INTO shop.small SELECT i, 'row ' || i, timestamptz '2024-01-01' FROM generate_series(1, 50) i;
  GRANT SELECT ON shop.small TO analyst;
  SELECT strongroom.publish_extract('small', 'shop.small', '{id}', 'updated_at');
  SELECT strongroom.grant_extract('small', 'analyst');
  CREATE DATABASE plain;
`;

beforeAll(async () => {
  if (!available.ok) return;
  pg = await startPgCluster();
  await pg.psql(readFileSync(join(ROOT, 'warehouse', 'install.sql'), 'utf8'));
  await pg.psql(FIXTURE);
}, 120_000);

afterAll(async () => {
  await pg?.stop();
});

interface Session {
  runtime: WorkerRuntime;
  api: Api;
  progress: SyncProgress[];
  on: ReturnType<typeof createClient<Api, EventMap>>['on'];
}

async function session(profileDir = tempProfile(), create = true): Promise<Session> {
  const runtime = createWorkerRuntime({ profileDir, scrypt: TEST_SCRYPT });
  const client = createClient<Api, EventMap>(createLoopbackTransport((r) => runtime.publicServer.handle(r), (emit) => runtime.onEvent(emit)));
  const progress: SyncProgress[] = [];
  client.on('sync.progress', (p) => progress.push(p));
  if (create) await client.api.session.create({ passphrase: PASS });
  else await client.api.session.unlock({ passphrase: PASS });
  return { runtime, api: client.api, progress, on: client.on };
}

async function connect(s: Session, user: string, password: string, database = 'postgres') {
  return s.api.connections.save({ name: `${user}@${database}`, host: pg.host, port: pg.port, database, user, password, tlsMode: 'disable' });
}

async function allRows(s: Session, name: string) {
  const page = await s.api.extracts.rows({ name, offset: 0, limit: 5000 });
  return page.values[0]!.map((_, i) => Object.fromEntries(page.columns.map((c, j) => [c, page.values[j]![i]])));
}

describe.skipIf(!available.ok)('sync from PostgreSQL', () => {
  it('syncs only permitted rows and columns; withheld columns never reach the cache files', async () => {
    const s = await session();
    const c = await connect(s, 'analyst', 'analyst-pw');
    expect(await s.api.connections.test({ id: c.id })).toMatchObject({ warehouseUser: 'analyst', permittedExtracts: 3, tls: false });
    const report = await s.api.sync.run({ connectionId: c.id, names: ['tx'] });
    expect(report.results).toEqual([expect.objectContaining({ name: 'tx', status: 'synced', mode: 'full', version: 1, rowCount: 3000, hiddenColumns: ['secret'] })]);
    const [first] = await allRows(s, 'tx');
    expect(first).toEqual({ id: 1, branch_id: 2, amount: 79.19, note: 'memo 1', booked_at: '2024-01-01T01:00:00Z', updated_at: '2024-01-01T00:00:01Z' });
    expect(s.progress.some((p) => p.phase === 'loading')).toBe(true);
    expect(s.progress.at(-1)).toMatchObject({ phase: 'done', rows: 3000, totalRows: 3000 });
    // Neither the withheld column nor (in clear) the synced rows are in any file of the profile.
    for (const [path, bytes] of snapshot(s.runtime.vault.paths.dir)) {
      expect(bytes.includes(Buffer.from('SECRETVALUE')), path).toBe(false);
      expect(bytes.includes(Buffer.from('memo 1')), path).toBe(false);
    }
    s.runtime.close();

    const staff = await session();
    const cs = await connect(staff, 'staff_b1', 'staff-pw');
    expect((await staff.api.sync.remote({ connectionId: cs.id })).map((r) => r.name)).toEqual(['tx']);
    await staff.api.sync.run({ connectionId: cs.id });
    const rows = await allRows(staff, 'tx');
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r) => r.branch_id))).toEqual(new Set([1]));
    // Staff may select the column; it is there for them.
    expect(rows[0]).toHaveProperty('secret');
    staff.runtime.close();
  });

  it('applies inserts, updates and deletes incrementally, and a schema change as a new version', async () => {
    const s = await session();
    const c = await connect(s, 'analyst', 'analyst-pw');
    await s.api.sync.run({ connectionId: c.id, names: ['tx'] });
    await pg.psql(`
      INSERT INTO shop.tx SELECT i, 1, 10, 'new ' || i, 's', now(), now() FROM generate_series(3001, 3010) i;
      UPDATE shop.tx SET amount = 12345.67, updated_at = now() WHERE id IN (5, 6, 7);
      DELETE FROM shop.tx WHERE id IN (10, 11);`);
    const inc = await s.api.sync.run({ connectionId: c.id, names: ['tx'] });
    expect(inc.results[0]).toMatchObject({ status: 'synced', mode: 'incremental', version: 1, rowsDeleted: 2, rowCount: 3008 });
    // Only the changed rows (and the overlap window) were read, not the whole table.
    expect(inc.results[0]!.rowsRead).toBeLessThan(500);
    const rows = new Map((await allRows(s, 'tx')).map((r) => [r.id, r]));
    expect(rows.get(5)?.amount).toBe(12345.67);
    expect(rows.has(10)).toBe(false);
    expect(rows.get(3010)?.note).toBe('new 3010');

    await pg.psql(`ALTER TABLE shop.tx ADD COLUMN channel text NOT NULL DEFAULT 'atm'; GRANT SELECT (channel) ON shop.tx TO analyst;`);
    const drift = await s.api.sync.run({ connectionId: c.id, names: ['tx'] });
    expect(drift.results[0]).toMatchObject({ status: 'synced', mode: 'full', version: 2, schemaChange: { added: ['channel'], removed: [], retyped: [] } });
    const schema = await s.api.extracts.schema({ name: 'tx' });
    expect(schema.versions.map((v) => v.version)).toEqual([2, 1]);
    expect((await allRows(s, 'tx'))[0]).toHaveProperty('channel', 'atm');
    await pg.psql(`ALTER TABLE shop.tx DROP COLUMN channel;`);
    s.runtime.close();
  });

  it('after a TRUNCATE (deletions unknown) compares key sets at once', async () => {
    const s = await session();
    const c = await connect(s, 'analyst', 'analyst-pw');
    expect((await s.api.sync.remote({ connectionId: c.id })).find((r) => r.name === 'small')).toMatchObject({ tracksDeletes: true });
    await s.api.sync.run({ connectionId: c.id, names: ['small'] });
    await pg.psql(`TRUNCATE shop.small; INSERT INTO shop.small (id, label) VALUES (7, 'seven'), (8, 'eight'), (99, 'new');`);
    const report = await s.api.sync.run({ connectionId: c.id, names: ['small'] });
    expect(report.results[0]).toMatchObject({ status: 'synced', mode: 'incremental', rowsDeleted: 48, rowCount: 3 });
    expect((await allRows(s, 'small')).map((r) => r.label)).toEqual(['seven', 'eight', 'new']);
    s.runtime.close();
  });

  it('purges a revoked extract and says why; an expired lease blocks reading until the next sync', async () => {
    const s = await session();
    const c = await connect(s, 'analyst', 'analyst-pw');
    await s.api.sync.run({ connectionId: c.id, names: ['tx'] });

    s.runtime.vault.db().prepare("UPDATE extracts SET lease_expires_at = '2000-01-01T00:00:00Z' WHERE name = 'tx'").run();
    await expect(s.api.extracts.rows({ name: 'tx', offset: 0, limit: 1 })).rejects.toMatchObject({ code: 'LEASE_EXPIRED' });
    expect((await s.api.extracts.list())[0]).toMatchObject({ name: 'tx', leaseExpired: true });
    await s.api.sync.run({ connectionId: c.id, names: ['tx'] });
    await expect(s.api.extracts.rows({ name: 'tx', offset: 0, limit: 1 })).resolves.toMatchObject({ rowCount: expect.any(Number) });

    await pg.psql(`SELECT strongroom.revoke_extract('tx', 'analyst');`);
    try {
      const report = await s.api.sync.run({ connectionId: c.id, names: [] });
      expect(report.results.find((r) => r.name === 'tx')).toMatchObject({ status: 'revoked', error: { message: expect.stringContaining('withdrawn') } });
      expect((await s.api.extracts.list()).map((e) => e.name)).not.toContain('tx');
      await expect(s.api.extracts.rows({ name: 'tx', offset: 0, limit: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await s.api.sync.history({ name: 'tx' }))[0]).toMatchObject({ status: 'revoked', mode: 'purge' });
      const tables = (s.runtime.vault.db().prepare("SELECT name FROM sqlite_master WHERE name LIKE 'x\\_%' ESCAPE '\\'").all() as Array<{ name: string }>).map((t) => t.name);
      expect(tables.filter((t) => t.includes('_tx_'))).toEqual([]);
    } finally {
      await pg.psql(`SELECT strongroom.grant_extract('tx', 'analyst');`);
    }
    s.runtime.close();
  });

  it('never keeps one warehouse user\'s extracts beside another\'s on the same profile', async () => {
    const s = await session();
    const analyst = await connect(s, 'analyst', 'analyst-pw');
    await s.api.sync.run({ connectionId: analyst.id, names: ['tx'] });
    expect((await allRows(s, 'tx')).length).toBeGreaterThan(2000);
    const staff = await connect(s, 'staff_b1', 'staff-pw');
    await s.api.sync.run({ connectionId: staff.id });
    const rows = await allRows(s, 'tx');
    expect(new Set(rows.map((r) => r.branch_id))).toEqual(new Set([1]));
    expect((await s.api.extracts.list())[0]).toMatchObject({ warehouseUser: 'staff_b1' });
    expect((await s.api.audit.list({ limit: 20 })).map((a) => a.action)).toContain('extract.purged_identity');
    s.runtime.close();
  });

  it('reports connection faults with clear typed errors', async () => {
    const s = await session();
    const wrong = await s.api.connections.save({ name: 'wrong', host: pg.host, port: pg.port, database: 'postgres', user: 'analyst', password: 'nope', tlsMode: 'disable' });
    await expect(s.api.connections.test({ id: wrong.id })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    const closed = await s.api.connections.save({ name: 'closed', host: '127.0.0.1', port: 1, database: 'postgres', user: 'analyst', password: 'x', tlsMode: 'disable' });
    await expect(s.api.connections.test({ id: closed.id })).rejects.toMatchObject({ code: 'WAREHOUSE_UNREACHABLE' });
    const plain = await connect(s, 'analyst', 'analyst-pw', 'plain');
    await expect(s.api.connections.test({ id: plain.id })).rejects.toMatchObject({ code: 'SCHEMA_NOT_INSTALLED' });
    const tls = await s.api.connections.save({ name: 'tls', host: pg.host, port: pg.port, database: 'postgres', user: 'analyst', password: 'analyst-pw', tlsMode: 'verify-full' });
    await expect(s.api.connections.test({ id: tls.id })).rejects.toMatchObject({ code: 'TLS_FAILED' });
    // Stored credentials are sealed: the password is in no file of the profile, even decrypted pages aside.
    const raw = s.runtime.vault.db().prepare("SELECT secret FROM connections WHERE name = 'wrong'").get() as { secret: Buffer };
    expect(raw.secret.includes(Buffer.from('nope'))).toBe(false);
    expect((await s.api.connections.list()).find((c) => c.name === 'wrong')).not.toHaveProperty('password');
    s.runtime.close();
  });

  it('keeps the previous version when the connection drops mid-sync', async () => {
    const s = await session();
    const c = await connect(s, 'analyst', 'analyst-pw');
    await s.api.sync.run({ connectionId: c.id, names: ['big'] });
    expect((await s.api.extracts.list())[0]).toMatchObject({ name: 'big', rowCount: 400000, version: 1 });
    // Force a full reload (new column), then cut the connection while it loads.
    await pg.psql(`ALTER TABLE shop.big ADD COLUMN extra int DEFAULT 1; GRANT SELECT ON shop.big TO analyst;`);
    let killed = false;
    const off = s.on('sync.progress', (p) => {
      if (!killed && p.phase === 'loading' && p.rows > 0) {
        killed = true;
        void pg.psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'Strongroom' AND usename = 'analyst'`);
      }
    });
    const report = await s.api.sync.run({ connectionId: c.id, names: ['big'] });
    off();
    expect(killed).toBe(true);
    expect(report.results[0]).toMatchObject({ status: 'failed', error: { code: 'WAREHOUSE_UNREACHABLE' } });
    expect((await s.api.extracts.list())[0]).toMatchObject({ name: 'big', rowCount: 400000, version: 1 });
    expect((await s.api.extracts.rows({ name: 'big', offset: 399998, limit: 5 })).values[0]).toEqual([399999, 400000]);
    const again = await s.api.sync.run({ connectionId: c.id, names: ['big'] });
    expect(again.results[0]).toMatchObject({ status: 'synced', version: 2, rowCount: 400000 });
    await pg.psql(`ALTER TABLE shop.big DROP COLUMN extra;`);
    s.runtime.close();
  });

  it('cancels a running sync and keeps the previous version', async () => {
    const s = await session();
    const c = await connect(s, 'analyst', 'analyst-pw');
    await s.api.sync.run({ connectionId: c.id, names: ['big'] });
    await pg.psql(`ALTER TABLE shop.big ADD COLUMN cancelme int DEFAULT 1; GRANT SELECT ON shop.big TO analyst;`);
    try {
      let asked = false;
      const off = s.on('sync.progress', (p) => {
        if (!asked && p.phase === 'loading' && p.rows > 0) {
          asked = true;
          void s.api.sync.cancel();
        }
      });
      const report = await s.api.sync.run({ connectionId: c.id, names: ['big'] });
      off();
      expect(asked).toBe(true);
      expect(report.results[0]).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
      expect((await s.api.extracts.list())[0]).toMatchObject({ name: 'big', version: 1, rowCount: 400000 });
      expect((await s.api.sync.history({ name: 'big' }))[0]).toMatchObject({ status: 'cancelled' });
    } finally {
      await pg.psql(`ALTER TABLE shop.big DROP COLUMN cancelme;`);
    }
    s.runtime.close();
  });

  it('survives kill -9 of a syncing process at several points: the previous version stays readable', async () => {
    const profileDir = tempProfile();
    const s = await session(profileDir);
    const c = await connect(s, 'analyst', 'analyst-pw');
    await s.api.sync.run({ connectionId: c.id, names: ['big'] });
    s.runtime.close();
    let round = 0;
    for (const phase of ['loading', 'indexing', 'swapping'] as const) {
      round++;
      // Each round forces a full reload (new column) so there is a new version to interrupt.
      await pg.psql(`ALTER TABLE shop.big ADD COLUMN c${round} int DEFAULT ${round}; GRANT SELECT ON shop.big TO analyst;`);
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'strongroom.mjs'), 'sync', 'big', '--profile', profileDir, '--connection', c.name], {
        env: { ...process.env, STRONGROOM_PASSPHRASE: PASS },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      await new Promise<void>((done) => {
        child.stderr.on('data', (chunk: Buffer) => {
          err += chunk.toString();
          if (err.includes(`big ${phase}`) && child.exitCode === null) child.kill('SIGKILL');
        });
        child.on('exit', () => done());
      });
      // Mid-load the kill must really have landed (the later phases are brief and may finish first).
      if (phase === 'loading') expect(child.signalCode, err).toBe('SIGKILL');
      const after = await session(profileDir, false);
      const [local] = await after.api.extracts.list();
      // Either the old version or the complete new one, never anything in between.
      expect([round, round + 1]).toContain(local!.version);
      expect(local!.rowCount).toBe(400000);
      const page = await after.api.extracts.rows({ name: 'big', offset: 0, limit: 1 });
      expect(page.rowCount).toBe(400000);
      // The next sync recovers cleanly and drops what the killed one left behind.
      const next = await after.api.sync.run({ connectionId: c.id, names: ['big'] });
      expect(next.results[0]).toMatchObject({ status: 'synced' });
      const stray = after.runtime.vault.db().prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name LIKE 'stage\\_%' ESCAPE '\\'").get() as { n: number };
      expect(stray.n).toBe(0);
      after.runtime.close();
    }
    await pg.psql(`ALTER TABLE shop.big DROP COLUMN c1, DROP COLUMN c2, DROP COLUMN c3;`);
  }, 120_000);
});
