/**
 * Live mode and dialect parity: the same specs on the warehouse (PostgreSQL, under the user's own
 * permissions), on the synced SQLite cache and on the in-memory copy give the same answers.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerRuntime, type WorkerRuntime } from '../../electron/worker/runtime.js';
import type { Api } from '../../shared/contracts/index.js';
import { StrongroomError } from '../../shared/errors.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';
import { TX_COLUMNS, txRows } from '../helpers/analysis-data.js';
import { expectSameAnswer, SPECS } from '../helpers/analysis-specs.js';
import { pgAvailable, startPgCluster } from '../helpers/pg-cluster.js';
import { TEST_SCRYPT, tempProfile } from '../helpers/profile.js';

const ROOT = resolve(__dirname, '..', '..');
const NOW = '2024-12-15T12:00:00Z';
const available = pgAvailable();
if (!available.ok) {
  if (process.env.CI) throw new Error(`PostgreSQL is required in CI: ${available.reason}`);
  console.log(`live analysis tests skipped: ${available.reason}`);
}

let cluster: Awaited<ReturnType<typeof startPgCluster>>;
const sessions: WorkerRuntime[] = [];

let analyst: Promise<Api> | null = null;
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

beforeAll(async () => {
  if (!available.ok) return;
  cluster = await startPgCluster();
  await cluster.psql(readFileSync(join(ROOT, 'warehouse', 'install.sql'), 'utf8'));
  await cluster.psql(`
    CREATE SCHEMA shop;
    CREATE TABLE shop.tx (${TX_COLUMNS.map((c) => `${q(c.name)} ${c.pgType}`).join(', ')}, PRIMARY KEY (id));
    CREATE ROLE analyst LOGIN PASSWORD 'analyst-pw';
    CREATE ROLE staff_msk LOGIN PASSWORD 'staff-pw';
    GRANT USAGE ON SCHEMA shop TO analyst, staff_msk;
    GRANT SELECT ON shop.tx TO analyst, staff_msk;
    ALTER TABLE shop.tx ENABLE ROW LEVEL SECURITY;
    CREATE POLICY everything ON shop.tx TO analyst USING (true);
    CREATE POLICY own_branch ON shop.tx TO staff_msk USING (branch = 'Москва');
    SELECT strongroom.publish_extract('tx', 'shop.tx', '{id}', NULL);
    SELECT strongroom.grant_extract('tx', 'analyst');
    SELECT strongroom.grant_extract('tx', 'staff_msk');`);
  const client = new pg.Client({ connectionString: cluster.adminUrl });
  await client.connect();
  const rows = txRows(3000);
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => `(${row.map((v, j) => {
      values.push(TX_COLUMNS[j]!.pgType === 'boolean' && v !== null ? v === 1 : v);
      return `$${values.length}`;
    }).join(', ')})`);
    await client.query(`INSERT INTO shop.tx VALUES ${tuples.join(', ')}`, values);
  }
  await client.end();
}, 120_000);

afterAll(async () => {
  for (const s of sessions) s.close();
  await cluster?.stop();
});

async function syncedSession(user: string, password: string): Promise<Api> {
  const runtime = createWorkerRuntime({ profileDir: tempProfile(), scrypt: TEST_SCRYPT });
  sessions.push(runtime);
  const { api } = createClient<Api>(createLoopbackTransport((r) => runtime.server.handle(r)));
  await api.session.create({ passphrase: 'live test passphrase' });
  const c = await api.connections.save({ name: user, host: cluster.host, port: cluster.port, database: 'postgres', user, password, tlsMode: 'disable' });
  const report = await api.sync.run({ connectionId: c.id });
  expect(report.results[0]).toMatchObject({ status: 'synced', rowCount: user === 'analyst' ? 3000 : expect.any(Number) });
  await api.analysis.warm('tx');
  return api;
}

describe.skipIf(!available.ok)('live mode and dialect parity', () => {
  it.each(SPECS)('$title: PostgreSQL = SQLite = memory', async ({ title, spec }) => {
    const api = await (analyst ??= syncedSession('analyst', 'analyst-pw'));
    const live = await api.analysis.run(spec, { mode: 'live', now: NOW });
    const lite = await api.analysis.run(spec, { mode: 'sqlite', now: NOW, noCache: true });
    const mem = await api.analysis.run(spec, { mode: 'memory', now: NOW, noCache: true });
    expect([live.engine, lite.engine, mem.engine]).toEqual(['live', 'sqlite', 'memory']);
    expectSameAnswer(lite, live, `${title} sqlite`);
    expectSameAnswer(mem, live, `${title} memory`);
  }, 60_000);

  it('runs under the user’s own permissions: branch staff see their branch live and cached', async () => {
    const api = await syncedSession('staff_msk', 'staff-pw');
    const spec = { extract: 'tx', dimensions: [{ field: 'branch' }], measures: [{ agg: 'count' as const, as: 'n' }] };
    const live = await api.analysis.run(spec, { mode: 'live' });
    const cached = await api.analysis.run(spec, { mode: 'sqlite' });
    expect(live.data[0]).toEqual(['Москва']);
    expect(cached.data).toEqual(live.data);
  });

  it('a revoked grant shows up live as NOT_PERMITTED, and the cache is untouched', async () => {
    const api = await syncedSession('staff_msk', 'staff-pw');
    await cluster.psql('REVOKE SELECT ON shop.tx FROM staff_msk;');
    try {
      const spec = { extract: 'tx', measures: [{ agg: 'count' as const, as: 'n' }] };
      const err = await api.analysis.run(spec, { mode: 'live' }).then(
        () => null,
        (e: StrongroomError) => e,
      );
      expect(err?.code).toBe('NOT_PERMITTED');
      expect((await api.analysis.run(spec, { mode: 'sqlite' })).rowCount).toBe(1);
    } finally {
      await cluster.psql('GRANT SELECT ON shop.tx TO staff_msk;');
    }
  });

  it('a dropped warehouse is WAREHOUSE_UNREACHABLE', async () => {
    const api = await syncedSession('analyst', 'analyst-pw');
    const list = await api.connections.list();
    await api.connections.save({ id: list[0]!.id, name: list[0]!.name, host: '127.0.0.1', port: 1, database: 'postgres', user: 'analyst', password: 'x', tlsMode: 'disable' });
    const err = await api.analysis.run({ extract: 'tx', measures: [{ agg: 'count', as: 'n' }] }, { mode: 'live' }).then(
      () => null,
      (e: StrongroomError) => e,
    );
    expect(err?.code).toBe('WAREHOUSE_UNREACHABLE');
  });
});
