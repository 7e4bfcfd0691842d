import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInstallSql } from '../../electron/worker/demo/install-sql';
import { startRoleServer, type RoleServer } from '../../electron/worker/demo/role-server';
import { pgOrSkip, startPgCluster, type PgCluster } from '../helpers/pg-cluster';

/** One warehouse under test: an admin connection and logins as ordinary roles. */
interface Backend {
  admin: pg.Client;
  /** Connects as a login role created by {@link SETUP}. */
  login(role: 'cat_alice' | 'cat_bob'): Promise<pg.Client>;
  close(): Promise<void>;
}

const PASSWORD = 'catalog-test-pw';

// alice is a member of cat_group; bob of nothing. Neither owns anything.
const SETUP = `
CREATE ROLE cat_group NOLOGIN;
CREATE ROLE cat_alice LOGIN PASSWORD '${PASSWORD}' IN ROLE cat_group;
CREATE ROLE cat_bob LOGIN PASSWORD '${PASSWORD}';
CREATE SCHEMA cat;
CREATE TABLE cat.sales (id integer PRIMARY KEY, region text NOT NULL, amount numeric NOT NULL, label text,
                        updated_at timestamptz NOT NULL DEFAULT now());
INSERT INTO cat.sales (id, region, amount) SELECT i, CASE WHEN i % 2 = 0 THEN 'north' ELSE 'south' END, i * 10 FROM generate_series(1, 6) AS i;
CREATE TABLE cat.daily (region text, day date, visits integer, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (region, day));
INSERT INTO cat.daily (region, day, visits) VALUES ('north', '2025-01-01', 10), ('north', '2025-01-02', 11), ('south', '2025-01-01', 7);
CREATE VIEW cat.sales_by_region WITH (security_invoker = true) AS SELECT region, sum(amount) AS amount FROM cat.sales GROUP BY region;
CREATE VIEW cat.plain_view AS SELECT id FROM cat.sales;
CREATE SEQUENCE cat.seq;
`;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

async function postgresBackend(): Promise<Backend & { cluster: PgCluster }> {
  const cluster = await startPgCluster();
  await cluster.psql(readInstallSql());
  await cluster.psql(SETUP);
  const admin = await connect(cluster.adminUrl);
  const clients: pg.Client[] = [admin];
  return {
    cluster,
    admin,
    async login(role) {
      const c = await connect(cluster.url(role, PASSWORD));
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
      await cluster.stop();
    },
  };
}

async function pgliteBackend(): Promise<Backend> {
  const db = await PGlite.create();
  await db.exec(readInstallSql());
  await db.exec(SETUP);
  const server: RoleServer = await startRoleServer(db);
  const admin = await connect(server.url('postgres'));
  const clients: pg.Client[] = [admin];
  return {
    admin,
    async login(role) {
      const c = await connect(server.url(role));
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
      await server.stop();
      await db.close();
    },
  };
}

const backends: [string, () => Promise<Backend>, boolean][] = [
  ['PGlite through the role server', pgliteBackend, true],
  ['PostgreSQL 15', postgresBackend, pgOrSkip('warehouse catalog on PostgreSQL 15')],
];

describe.each(backends)('warehouse catalog on %s', (_name, make, enabled) => {
  let b: Backend;
  let alice: pg.Client;
  let bob: pg.Client;
  beforeAll(async () => {
    if (!enabled) return;
    b = await make();
    alice = await b.login('cat_alice');
    bob = await b.login('cat_bob');
  }, 60_000);
  afterAll(async () => {
    await b?.close();
  });

  const rows = async <T extends pg.QueryResultRow>(c: pg.Client, sql: string, params: unknown[] = []) => (await c.query<T>(sql, params)).rows;
  const names = async (c: pg.Client) => (await rows<{ name: string }>(c, 'SELECT name FROM strongroom.my_extracts ORDER BY name')).map((r) => r.name);

  it.runIf(enabled)('my_extracts has the contract columns and shows an extract only to members of a granted role', async () => {
    await b.admin.query(`SELECT strongroom.publish_extract('sales', 'cat.sales', '{id}', 'updated_at', 'confidential')`);
    expect(await names(alice)).toEqual([]);

    await b.admin.query(`SELECT strongroom.grant_extract('sales', 'cat_group')`);
    await b.admin.query(`SELECT strongroom.grant_extract('sales', 'cat_group')`); // idempotent
    expect(await names(alice)).toEqual(['sales']);
    expect(await names(bob)).toEqual([]);

    const columns = await rows<{ column_name: string; data_type: string }>(
      alice,
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'strongroom' AND table_name = 'my_extracts' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => `${c.column_name} ${c.data_type}`)).toEqual([
      'name text', 'title text', 'description text', 'source text', 'primary_key ARRAY', 'incremental_column text', 'classification text',
      'lease_days integer', 'allowed_exports ARRAY', 'published_at timestamp with time zone', 'updated_at timestamp with time zone', 'tracks_deletes boolean',
    ]);
    const [sales] = await rows(alice, 'SELECT * FROM strongroom.my_extracts');
    expect(sales).toMatchObject({
      name: 'sales', title: 'sales', description: '', source: 'cat.sales', primary_key: ['id'], incremental_column: 'updated_at',
      classification: 'confidential', lease_days: 30, allowed_exports: ['pptx', 'pdf', 'png', 'svg', 'xlsx', 'csv'], tracks_deletes: true,
    });

    // Catalog visibility only: no SELECT on the source comes with it.
    const [priv] = await rows<{ ok: boolean }>(b.admin, `SELECT has_table_privilege('cat_alice', 'cat.sales', 'SELECT') AS ok`);
    expect(priv!.ok).toBe(false);
    await expect(alice.query('SELECT * FROM cat.sales')).rejects.toMatchObject({ code: '42501' });

    await b.admin.query(`SELECT strongroom.revoke_extract('sales', 'cat_group')`);
    expect(await names(alice)).toEqual([]);
    await b.admin.query(`SELECT strongroom.grant_extract('sales', 'cat_bob')`);
    expect(await names(bob)).toEqual(['sales']);
  });

  it.runIf(enabled)('republishing updates the row and bumps updated_at but keeps published_at', async () => {
    await b.admin.query(`SELECT strongroom.publish_extract('daily', 'cat.daily', '{region,day}', 'updated_at')`);
    await b.admin.query(`SELECT strongroom.grant_extract('daily', 'cat_bob')`);
    // Compared in SQL: microseconds, where a JavaScript Date would round two close stamps together.
    const stamps = `SELECT published_at::text AS published, updated_at::text AS updated FROM strongroom.my_extracts WHERE name = 'daily'`;
    const [first] = await rows<{ published: string; updated: string }>(bob, stamps);
    await b.admin.query(
      `SELECT strongroom.publish_extract('daily', 'cat.daily', '{region,day}', 'updated_at', classification => 'restricted', lease_days => 7,
                                         allowed_exports => '{pdf}', title => 'Daily visits', description => 'Per region')`,
    );
    const [second] = await rows(bob, `SELECT * FROM strongroom.my_extracts WHERE name = 'daily'`);
    expect(second).toMatchObject({ title: 'Daily visits', description: 'Per region', classification: 'restricted', lease_days: 7, allowed_exports: ['pdf'], primary_key: ['region', 'day'] });
    const [again] = await rows<{ published: string; updated: string }>(bob, stamps);
    expect(again!.published).toBe(first!.published);
    const [bumped] = await rows<{ later: boolean }>(bob, `SELECT $1::timestamptz > $2::timestamptz AS later`, [again!.updated, first!.updated]);
    expect(bumped!.later).toBe(true);
  });

  it.runIf(enabled)('rejects bad sources, keys and options with precise errors', async () => {
    const publish = (args: string) => b.admin.query(`SELECT strongroom.publish_extract(${args})`);
    await expect(publish(`'x', 'cat.nope', '{id}'`)).rejects.toMatchObject({ code: '42P01' });
    await expect(publish(`'x', 'cat.sales', '{nope}'`)).rejects.toMatchObject({ code: '42703', message: expect.stringContaining('nope') });
    await expect(publish(`'x', 'cat.sales', '{id,nope}'`)).rejects.toMatchObject({ code: '42703' });
    await expect(publish(`'x', 'cat.sales', '{}'`)).rejects.toMatchObject({ code: '22023' });
    await expect(publish(`'x', 'cat.sales', '{id,id}'`)).rejects.toMatchObject({ code: '22023' });
    await expect(publish(`'x', 'cat.sales', '{id}', 'nope'`)).rejects.toMatchObject({ code: '42703' });
    await expect(publish(`'x', 'cat.sales', '{id}', 'region'`)).rejects.toMatchObject({ code: '42804' });
    await expect(publish(`'x', 'cat.sales', '{id}', classification => 'secret'`)).rejects.toMatchObject({ code: '22023' });
    await expect(publish(`'x', 'cat.sales', '{id}', allowed_exports => '{pdf,docx}'`)).rejects.toMatchObject({ code: '22023', message: expect.stringContaining('docx') });
    await expect(publish(`'x', 'cat.sales', '{id}', lease_days => 0`)).rejects.toMatchObject({ code: '22023' });
    await expect(publish(`'Bad Name', 'cat.sales', '{id}'`)).rejects.toMatchObject({ code: '22023' });
    await expect(publish(`'x', 'cat.seq', '{last_value}'`)).rejects.toMatchObject({ code: '42809' });
    await expect(b.admin.query(`SELECT strongroom.grant_extract('nope', 'cat_bob')`)).rejects.toMatchObject({ code: '42704' });
    await expect(b.admin.query(`SELECT strongroom.grant_extract('sales', 'no_such_role')`)).rejects.toMatchObject({ code: '42704' });
    expect(await rows(b.admin, `SELECT name FROM strongroom.extracts WHERE name = 'x'`)).toEqual([]);
  });

  it.runIf(enabled)('publishes views without delete tracking, warning when RLS would be evaluated for the view owner', async () => {
    const notices: string[] = [];
    const onNotice = (n: { message?: string }) => notices.push(n.message ?? '');
    b.admin.on('notice', onNotice);
    try {
      await b.admin.query(`SELECT strongroom.publish_extract('by_region', 'cat.sales_by_region', '{region}')`);
      expect(notices.filter((n) => n.includes('security_invoker'))).toEqual([]);
      await b.admin.query(`SELECT strongroom.publish_extract('plain', 'cat.plain_view', '{id}')`);
      // The notice may arrive just after the result.
      await new Promise((r) => setTimeout(r, 50));
      expect(notices.some((n) => n.includes('not security_invoker'))).toBe(true);
    } finally {
      b.admin.off('notice', onNotice);
    }
    const view = await rows(b.admin, `SELECT tracks_deletes, incremental_column FROM strongroom.extracts WHERE name = 'by_region'`);
    expect(view).toEqual([{ tracks_deletes: false, incremental_column: null }]);
    await b.admin.query(`SELECT strongroom.unpublish_extract('plain')`);
  });

  it.runIf(enabled)('records deleted and re-keyed rows, and shows them only to roles the extract is granted to', async () => {
    // 'sales' is granted to bob (first test) and not to alice's group any more.
    await b.admin.query(`SELECT strongroom.publish_extract('sales_by_key', 'cat.sales', '{region,id}')`);
    await b.admin.query(`SELECT strongroom.grant_extract('sales_by_key', 'cat_group')`);
    const [{ t0 }] = (await rows<{ t0: Date }>(b.admin, 'SELECT clock_timestamp() AS t0')) as [{ t0: Date }];
    await b.admin.query('DELETE FROM cat.sales WHERE id = 2');
    await b.admin.query('UPDATE cat.sales SET id = 30 WHERE id = 3');
    await b.admin.query(`UPDATE cat.sales SET label = 'not a key change' WHERE id = 4`);

    const keys = async (c: pg.Client, extract: string, since: Date | null = null) =>
      (await rows<{ pk: Record<string, unknown> }>(c, 'SELECT pk FROM strongroom.deleted_keys($1, $2)', [extract, since])).map((r) => r.pk);
    expect(await keys(bob, 'sales')).toEqual([{ id: 2 }, { id: 3 }]);
    expect(await keys(bob, 'sales', t0)).toEqual([{ id: 2 }, { id: 3 }]);
    expect(await keys(bob, 'sales', new Date(Date.now() + 3_600_000))).toEqual([]);
    // Each extract gets its own key out of the shared log.
    expect(await keys(alice, 'sales_by_key')).toEqual([{ region: 'north', id: 2 }, { region: 'south', id: 3 }]);
    // Not granted: nothing, and no way around the function.
    expect(await keys(alice, 'sales')).toEqual([]);
    expect(await keys(bob, 'sales_by_key')).toEqual([]);
    expect(await keys(bob, 'no_such_extract')).toEqual([]);
    await expect(bob.query('SELECT * FROM strongroom.deletions')).rejects.toMatchObject({ code: '42501' });
    await expect(bob.query(`SELECT * FROM strongroom.extracts`)).rejects.toMatchObject({ code: '42501' });
    await expect(bob.query(`SELECT strongroom.publish_extract('mine', 'cat.sales', '{id}')`)).rejects.toMatchObject({ code: '42501' });

    // A TRUNCATE loses the keys: a {} marker tells clients to reconcile their key set.
    await b.admin.query(`SELECT strongroom.grant_extract('daily', 'cat_bob')`);
    await b.admin.query('TRUNCATE cat.daily');
    expect(await keys(bob, 'daily')).toEqual([{}]);

    // Purging old deletions leaves the same marker for clients that synced before the purge.
    await b.admin.query('SELECT strongroom.purge_deletions(clock_timestamp())');
    expect(await keys(bob, 'sales', t0)).toEqual([{}]);
    expect(await keys(bob, 'sales', new Date(Date.now() + 3_600_000))).toEqual([]);
  });

  it.runIf(enabled)('takes audit events from anyone, records who sent them, and lets no one read them back', async () => {
    const events = [
      { at: '2025-05-01T09:00:00Z', action: 'export', detail: { format: 'pdf', extract: 'sales' } },
      { at: '2025-05-01T09:01:00Z', action: 'unlock' },
    ];
    const [{ n }] = (await rows<{ n: number }>(alice, 'SELECT strongroom.upload_audit($1, $2::jsonb) AS n', ['laptop-42', JSON.stringify(events)])) as [{ n: number }];
    expect(n).toBe(2);
    const stored = await rows(b.admin, `SELECT warehouse_user, client_id, at, action, detail FROM strongroom.audit_events WHERE client_id = 'laptop-42' ORDER BY id`);
    expect(stored).toEqual([
      { warehouse_user: 'cat_alice', client_id: 'laptop-42', at: new Date('2025-05-01T09:00:00Z'), action: 'export', detail: { format: 'pdf', extract: 'sales' } },
      { warehouse_user: 'cat_alice', client_id: 'laptop-42', at: new Date('2025-05-01T09:01:00Z'), action: 'unlock', detail: null },
    ]);
    await expect(alice.query('SELECT * FROM strongroom.audit_events')).rejects.toMatchObject({ code: '42501' });
    await expect(alice.query(`INSERT INTO strongroom.audit_events (action) VALUES ('forged')`)).rejects.toMatchObject({ code: '42501' });
    await expect(alice.query(`SELECT strongroom.upload_audit('laptop-42', '{"action": "x"}')`)).rejects.toMatchObject({ code: '22023' });
    await expect(alice.query(`SELECT strongroom.upload_audit('laptop-42', '[{"detail": 1}]')`)).rejects.toMatchObject({ code: '22023' });
  });

  it.runIf(enabled)('shows published reports to members of their roles, and the version to everyone', async () => {
    await b.admin.query(
      `INSERT INTO strongroom.reports (name, title, definition, extracts, roles) VALUES
         ('north', 'North', '{"charts": []}', '{sales}', '{cat_group}'),
         ('gone', 'Role since dropped', '{}', '{}', '{no_such_role}')`,
    );
    expect((await rows(alice, 'SELECT name, title, definition FROM strongroom.my_reports')).map((r) => r.name)).toEqual(['north']);
    expect(await rows(bob, 'SELECT name FROM strongroom.my_reports')).toEqual([]);
    await expect(bob.query('SELECT * FROM strongroom.reports')).rejects.toMatchObject({ code: '42501' });
    expect(await rows(bob, 'SELECT strongroom.version() AS v')).toEqual([{ v: '2' }]);
  });
});
