import { PGlite } from '@electric-sql/pglite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findInstallSql, readInstallSql } from '../../electron/worker/demo/install-sql';
import { pgOrSkip, startPgCluster, type PgCluster } from '../helpers/pg-cluster';

const INSTALL = readInstallSql();
const EXAMPLE = readFileSync(join(findInstallSql(), '..', 'examples', 'two-roles.sql'), 'utf8');

// Everything install.sql defines or keeps, with object identities (oids): a re-run that dropped and
// recreated anything, changed a definition, a privilege or a row would show up here.
const SNAPSHOT = `
SELECT jsonb_build_object(
  'schema', (SELECT jsonb_build_object('oid', n.oid, 'acl', n.nspacl::text, 'owner', n.nspowner::regrole::text, 'comment', obj_description(n.oid, 'pg_namespace'))
               FROM pg_namespace n WHERE n.nspname = 'strongroom'),
  'relations', (SELECT jsonb_agg(jsonb_build_object(
                   'name', c.relname, 'oid', c.oid, 'kind', c.relkind, 'acl', c.relacl::text, 'options', c.reloptions::text,
                   'comment', obj_description(c.oid, 'pg_class'),
                   'view', CASE WHEN c.relkind = 'v' THEN pg_get_viewdef(c.oid) END,
                   'columns', (SELECT jsonb_agg(jsonb_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'notnull', a.attnotnull,
                                                                  'default', pg_get_expr(d.adbin, d.adrelid), 'acl', a.attacl::text) ORDER BY a.attnum)
                                 FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
                   'constraints', (SELECT jsonb_agg(jsonb_build_object('name', k.conname, 'def', pg_get_constraintdef(k.oid)) ORDER BY k.conname)
                                     FROM pg_constraint k WHERE k.conrelid = c.oid),
                   'indexes', (SELECT jsonb_agg(pg_get_indexdef(i.indexrelid) ORDER BY i.indexrelid) FROM pg_index i WHERE i.indrelid = c.oid))
                 ORDER BY c.relname)
                  FROM pg_class c WHERE c.relnamespace = 'strongroom'::regnamespace),
  'functions', (SELECT jsonb_agg(jsonb_build_object('sig', p.oid::regprocedure::text, 'oid', p.oid, 'def', pg_get_functiondef(p.oid),
                                                    'acl', p.proacl::text, 'owner', p.proowner::regrole::text, 'comment', obj_description(p.oid, 'pg_proc'))
                                 ORDER BY p.oid::regprocedure::text)
                  FROM pg_proc p WHERE p.pronamespace = 'strongroom'::regnamespace),
  'triggers', (SELECT jsonb_agg(jsonb_build_object('oid', t.oid, 'def', pg_get_triggerdef(t.oid)) ORDER BY t.tgname)
                 FROM pg_trigger t WHERE t.tgrelid = 'inst.sales'::regclass),
  'extracts', (SELECT jsonb_agg(to_jsonb(e) ORDER BY e.name) FROM strongroom.extracts e),
  'grants', (SELECT jsonb_agg(to_jsonb(g) ORDER BY g.extract, g.role) FROM strongroom.extract_grants g),
  'tracked', (SELECT jsonb_agg(to_jsonb(t)) FROM strongroom.tracked_sources t),
  'deletions', (SELECT jsonb_agg(to_jsonb(d) ORDER BY d.deleted_at) FROM strongroom.deletions d),
  'audit', (SELECT jsonb_agg(to_jsonb(a) ORDER BY a.id) FROM strongroom.audit_events a),
  'reports', (SELECT jsonb_agg(to_jsonb(p) ORDER BY p.name) FROM strongroom.reports p),
  'authors', (SELECT jsonb_build_object('oid', r.oid, 'login', r.rolcanlogin, 'members', (SELECT count(*) FROM pg_auth_members m WHERE m.roleid = r.oid))
                FROM pg_roles r WHERE r.rolname = 'strongroom_authors'),
  'version', strongroom.version()
) AS snapshot`;

// Data in every catalog table, so a re-run is checked against a used catalog, not an empty one.
const USE_CATALOG = `
CREATE SCHEMA inst;
CREATE TABLE inst.sales (id integer PRIMARY KEY, amount numeric, updated_at timestamptz NOT NULL DEFAULT now());
INSERT INTO inst.sales (id, amount) VALUES (1, 10), (2, 20), (3, 30);
CREATE ROLE inst_reader;
SELECT strongroom.publish_extract('inst_sales', 'inst.sales', '{id}', 'updated_at', title => 'Sales');
SELECT strongroom.grant_extract('inst_sales', 'inst_reader');
DELETE FROM inst.sales WHERE id = 2;
SELECT strongroom.upload_audit('install-test', '[{"at": "2025-01-01T10:00:00Z", "action": "sync", "detail": {"rows": 3}}]');
SELECT strongroom.publish_report('inst_report', 'Sales', 'By region', '{"version": 1}', '{inst_sales}', '{inst_reader}');
`;

describe('warehouse/install.sql on PGlite (PostgreSQL 18)', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('installs, and a second and third run succeed and change nothing', async () => {
    await db.exec(INSTALL);
    await db.exec(USE_CATALOG);
    const before = (await db.query<{ snapshot: unknown }>(SNAPSHOT)).rows[0]!.snapshot;
    await db.exec(INSTALL);
    await db.exec(INSTALL);
    const after = (await db.query<{ snapshot: unknown }>(SNAPSHOT)).rows[0]!.snapshot;
    expect(after).toEqual(before);
    expect(before).toMatchObject({
      version: '2',
      extracts: [{ name: 'inst_sales', tracks_deletes: true }],
      deletions: [{ pk: { id: 2 } }],
      reports: [{ name: 'inst_report', description: 'By region', published_by: 'postgres', roles: ['inst_reader'] }],
      authors: { login: false },
    });
  });
});

describe.runIf(pgOrSkip('warehouse/install.sql on PostgreSQL 15'))('warehouse/install.sql on a real PostgreSQL cluster', () => {
  let cluster: PgCluster;
  let admin: pg.Client;
  beforeAll(async () => {
    cluster = await startPgCluster();
    admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
  }, 60_000);
  afterAll(async () => {
    await admin?.end();
    await cluster?.stop();
  });

  const snapshot = async () => (await admin.query<{ snapshot: unknown }>(SNAPSHOT)).rows[0]!.snapshot;

  it('installs with psql, and running it again succeeds and changes nothing', async () => {
    const version = await admin.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
    expect(Number(version.rows[0]!.v)).toBeGreaterThanOrEqual(150000);
    await cluster.psql(INSTALL);
    await cluster.psql(USE_CATALOG);
    const before = await snapshot();
    await cluster.psql(INSTALL);
    expect(await snapshot()).toEqual(before);
    expect(before).toMatchObject({
      version: '2',
      deletions: [{ pk: { id: 2 } }],
      audit: [{ warehouse_user: 'postgres', client_id: 'install-test', action: 'sync' }],
      reports: [{ name: 'inst_report', extracts: ['inst_sales'], published_by: 'postgres' }],
      authors: { login: false, members: 0 },
    });
    const functions = await admin.query<{ f: string; definer: boolean; acl: string }>(
      `SELECT p.oid::regprocedure::text AS f, p.prosecdef AS definer, p.proacl::text AS acl FROM pg_proc p
        WHERE p.pronamespace = 'strongroom'::regnamespace AND p.proname IN ('is_author', 'publish_report', 'unpublish_report') ORDER BY 1`,
    );
    expect(functions.rows.map((r) => [r.f, r.definer, r.acl.includes('=X/')])).toEqual([
      ['strongroom.is_author()', false, true],
      ['strongroom.publish_report(text,text,text,jsonb,text[],name[])', true, true],
      ['strongroom.unpublish_report(text)', true, true],
    ]);
  });

  it('runs the two-roles example, twice, with the access it describes', async () => {
    await cluster.psql(EXAMPLE);
    await cluster.psql(EXAMPLE);
    await cluster.psql(`ALTER ROLE example_anna PASSWORD 'anna-pw'; ALTER ROLE example_pavel PASSWORD 'pavel-pw';`);
    const anna = new pg.Client({ connectionString: cluster.url('example_anna', 'anna-pw') });
    const pavel = new pg.Client({ connectionString: cluster.url('example_pavel', 'pavel-pw') });
    await anna.connect();
    await pavel.connect();
    try {
      const names = async (c: pg.Client) => (await c.query<{ name: string }>('SELECT name FROM strongroom.my_extracts ORDER BY name')).rows.map((r) => r.name);
      expect(await names(anna)).toEqual(['example_branches', 'example_customers', 'example_payments']);
      expect(await names(pavel)).toEqual(['example_branches', 'example_payments']);

      const count = async (c: pg.Client, sql: string) => Number((await c.query<{ n: string }>(sql)).rows[0]!.n);
      expect(await count(anna, 'SELECT count(*) AS n FROM example.payments')).toBe(6);
      expect(await count(pavel, 'SELECT count(*) AS n FROM example.payments')).toBe(3);
      expect((await pavel.query('SELECT DISTINCT branch_id FROM example.payments')).rows).toEqual([{ branch_id: 1 }]);
      expect((await pavel.query('SELECT name FROM example.branches')).rows).toEqual([{ name: 'North' }]);

      await expect(anna.query('SELECT full_name FROM example.customers')).rejects.toMatchObject({ code: '42501' });
      expect(await count(anna, 'SELECT count(*) AS n FROM example.customers')).toBe(4);
      const privileges = await anna.query(
        `SELECT attname, has_column_privilege('example.customers', attname, 'SELECT') AS ok
           FROM pg_attribute WHERE attrelid = 'example.customers'::regclass AND attnum > 0 ORDER BY attnum`,
      );
      expect(privileges.rows).toEqual([
        { attname: 'customer_id', ok: true },
        { attname: 'branch_id', ok: true },
        { attname: 'full_name', ok: false },
        { attname: 'phone', ok: false },
        { attname: 'segment', ok: true },
        { attname: 'updated_at', ok: true },
      ]);
      await expect(pavel.query('SELECT customer_id FROM example.customers')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await anna.end();
      await pavel.end();
    }
  });
});
