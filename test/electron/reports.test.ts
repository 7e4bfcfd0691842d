/**
 * Reports end to end against a private PostgreSQL 15 cluster holding the demo bank (small scale):
 * an analyst publishes a dashboard, branch staff sync it and see their own branch's figures only.
 * The tests run in order and share the warehouse and the profiles.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountsSql, atmDailySql, atmsSql, branchKpisSql, branchesSql, customersSql, daysSql, finishSql, keysSql, loansSql, publishSql, schemaSql, securitySql, sizesFor, transactionsSql,
} from '../../electron/worker/demo/bank-sql.js';
import { GENERATOR_VERSION } from '../../electron/worker/demo/generate.js';
import { readInstallSql } from '../../electron/worker/demo/install-sql.js';
import { createWorkerRuntime, type WorkerRuntime } from '../../electron/worker/runtime.js';
import type { AnalysisResult, AnalysisSpec } from '../../shared/analysis/spec.js';
import type { Api, EventMap } from '../../shared/contracts/index.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';
import { pgOrSkip, startPgCluster, type PgCluster } from '../helpers/pg-cluster.js';
import { TEST_SCRYPT } from '../helpers/profile.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failure } from '../helpers/failure.js';

const SCALE = 0.002;
const PASSWORD = 'reports-test-pw';
const SYNCED = ['branches', 'transactions'];
const BY_BRANCH: AnalysisSpec = {
  extract: 'transactions',
  dimensions: [{ field: 'branch_id' }],
  measures: [{ agg: 'count', as: 'n' }, { agg: 'sum', field: 'amount', as: 'total' }],
  sort: [{ by: 'branch_id' }],
  chart: { type: 'column', x: 'branch_id', y: 'total' },
};
const CITIES: AnalysisSpec = { extract: 'branches', dimensions: [{ field: 'city' }], measures: [{ agg: 'count', as: 'n' }] };

function bankSql(scale: number): string {
  const s = sizesFor(scale);
  return [
    schemaSql(), branchesSql(), daysSql(s.transactions), customersSql(s.customers), accountsSql(), transactionsSql(), loansSql(s.loans, s.customers),
    atmsSql(s.atmsPerMillionScale), atmDailySql(), branchKpisSql(), keysSql(), securitySql(), publishSql(), finishSql(scale, GENERATOR_VERSION),
  ].join('\n');
}

interface Profile {
  api: Api;
  runtime: WorkerRuntime;
  connectionId: string;
  changed: string[][];
}

const runtimes: WorkerRuntime[] = [];
const dirs: string[] = [];
let cluster: PgCluster;

async function profile(user: string, database = 'postgres'): Promise<Profile> {
  // Profiles outlive single tests here, so they are not tempProfile()s (removed after each test).
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-reports-'));
  dirs.push(dir);
  const runtime = createWorkerRuntime({ profileDir: dir, scrypt: TEST_SCRYPT });
  runtimes.push(runtime);
  const client = createClient<Api, EventMap>(createLoopbackTransport((r) => runtime.publicServer.handle(r), (emit) => runtime.onEvent(emit)));
  const changed: string[][] = [];
  client.on('reports.changed', (e) => changed.push(e.names));
  await client.api.session.create({ passphrase: 'reports test passphrase' });
  const c = await client.api.connections.save({ name: `${user}@${database}`, host: cluster.host, port: cluster.port, database, user, password: PASSWORD, tlsMode: 'disable' });
  return { api: client.api, runtime, connectionId: c.id, changed };
}

async function sync(p: Profile, names = SYNCED) {
  const report = await p.api.sync.run({ connectionId: p.connectionId, names });
  expect(report.results.map((r) => [r.name, r.status])).toEqual(names.map((n) => [n, 'synced']));
}

async function asRole<T>(user: string, fn: (c: pg.Client) => Promise<T>, database = 'postgres'): Promise<T> {
  const client = new pg.Client({ connectionString: cluster.url(user, PASSWORD, database) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const rowsOf = (r: AnalysisResult) => Array.from({ length: r.rowCount }, (_, i) => r.data.map((c) => c[i]));
const warehouseReports = () => asRole('postgres_admin', async (c) => (await c.query<{ name: string; published_by: string; roles: string[] }>('SELECT name, published_by, roles::text[] AS roles FROM strongroom.reports ORDER BY name')).rows);

beforeAll(async () => {
  if (!pgOrSkip('reports against PostgreSQL')) return;
  cluster = await startPgCluster();
  await cluster.psql(readInstallSql());
  await cluster.psql(bankSql(SCALE));
  await cluster.psql(`
    ALTER ROLE analyst PASSWORD '${PASSWORD}';
    ALTER ROLE staff_msk PASSWORD '${PASSWORD}';
    ALTER ROLE staff_spb PASSWORD '${PASSWORD}';
    -- A second author with the analyst's grants, and a superuser to inspect the catalog.
    CREATE ROLE analyst2 LOGIN PASSWORD '${PASSWORD}' IN ROLE strongroom_authors;
    SELECT strongroom.grant_extract('transactions', 'analyst2');
    CREATE ROLE postgres_admin LOGIN SUPERUSER PASSWORD '${PASSWORD}';`);
}, 180_000);

afterAll(async () => {
  for (const r of runtimes) r.close();
  await cluster?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.runIf(pgOrSkip('reports against PostgreSQL'))('reports published to the warehouse', () => {
  let analyst: Profile;
  let staffMsk: Profile;
  let byBranch: string;
  let board: string;

  it('an analyst publishes a dashboard to branch_staff', async () => {
    analyst = await profile('analyst');
    await sync(analyst);
    expect(await analyst.api.reports.capabilities()).toEqual({ author: true });
    const a1 = await analyst.api.analyses.save({ title: 'Turnover by branch', spec: BY_BRANCH });
    const a2 = await analyst.api.analyses.save({ title: 'Branches by city', spec: CITIES });
    byBranch = a1.id;
    const dashboard = await analyst.api.dashboards.save({
      title: 'Branch overview',
      description: 'Your branch at a glance',
      tiles: [
        { id: 'turnover', kind: 'analysis', analysisId: a1.id, x: 0, y: 0, w: 8, h: 4 },
        { id: 'cities', kind: 'analysis', analysisId: a2.id, x: 8, y: 0, w: 4, h: 4 },
        { id: 'note', kind: 'text', text: 'Figures in roubles.', x: 0, y: 4, w: 12, h: 1 },
      ],
    });
    board = dashboard.id;
    const result = await analyst.api.reports.publish({ dashboardId: board, name: 'branch_overview', roles: ['branch_staff'], exportFormats: ['png', 'pdf', 'png'] });
    expect(result).toMatchObject({ name: 'branch_overview', extracts: ['branches', 'transactions'], roles: ['branch_staff'], connectionId: analyst.connectionId, ungranted: [] });
    // The first sync learnt that this user is an author (an event without names), then the publish.
    expect(analyst.changed).toEqual([[], ['branch_overview']]);
    expect(await warehouseReports()).toEqual([{ name: 'branch_overview', published_by: 'analyst', roles: ['branch_staff'] }]);

    const [listed] = await analyst.api.reports.list();
    expect(listed).toMatchObject({ name: 'branch_overview', title: 'Branch overview', description: 'Your branch at a glance', missingExtracts: [], exportFormats: ['pdf', 'png'], publishedBy: 'analyst', publishedAt: result.publishedAt });
    // The publisher keeps seeing it after a sync although it is not published to the analyst's roles.
    await sync(analyst);
    expect((await analyst.api.reports.list()).map((r) => r.name)).toEqual(['branch_overview']);
    expect(await analyst.api.reports.capabilities()).toEqual({ author: true });
  }, 60_000);

  it('warns the author when a role of the report is granted no access to one of its extracts', async () => {
    // Customers are granted to analysts only: branch staff would see an empty tile.
    await sync(analyst, ['customers']);
    const segments = await analyst.api.analyses.save({ title: 'Customers by segment', spec: { extract: 'customers', dimensions: [{ field: 'segment' }], measures: [{ agg: 'count', as: 'n' }] } });
    const d = await analyst.api.dashboards.save({
      title: 'Segments and turnover',
      tiles: [
        { id: 'segments', kind: 'analysis', analysisId: segments.id, x: 0, y: 0, w: 6, h: 4 },
        { id: 'turnover', kind: 'analysis', analysisId: byBranch, x: 6, y: 0, w: 6, h: 4 },
      ],
    });
    const result = await analyst.api.reports.publish({ dashboardId: d.id, name: 'segments', roles: ['branch_staff', 'analyst'], exportFormats: [] });
    expect(result.ungranted).toEqual([{ role: 'branch_staff', extract: 'customers' }]);
    await analyst.api.reports.unpublish('segments');
    await analyst.api.dashboards.remove(d.id);
    await analyst.api.analyses.remove(segments.id);
  }, 60_000);

  it('branch staff sync the report, may not author, and its tiles show only their branch', async () => {
    staffMsk = await profile('staff_msk');
    await sync(staffMsk);
    expect(staffMsk.changed).toEqual([['branch_overview']]);
    expect(await staffMsk.api.reports.capabilities()).toEqual({ author: false });
    const [summary] = await staffMsk.api.reports.list();
    expect(summary).toMatchObject({ name: 'branch_overview', extracts: ['branches', 'transactions'], missingExtracts: [], roles: ['branch_staff'], connectionId: staffMsk.connectionId });
    expect(summary).not.toHaveProperty('definition');

    const report = await staffMsk.api.reports.get('branch_overview');
    expect(report.definition).toMatchObject({ version: 1, title: 'Branch overview', crossFilter: true, exportFormats: ['pdf', 'png'] });
    expect(report.definition.tiles.map((t) => t.id)).toEqual(['turnover', 'cities', 'note']);
    expect(report.definition.analyses[byBranch]).toEqual({ title: 'Turnover by branch', spec: BY_BRANCH });
    expect((await staffMsk.api.audit.list({ limit: 5 }))[0]).toMatchObject({ action: 'report.open', detail: { name: 'branch_overview' } });
    expect(await failure(staffMsk.api.reports.get('no_such_report'))).toMatchObject({ code: 'NOT_FOUND' });

    const spec = report.definition.analyses[byBranch]!.spec;
    const mine = await staffMsk.api.analysis.run(spec);
    const all = await analyst.api.analysis.run(spec);
    const moscow = rowsOf(all).filter((r) => r[0] === 1);
    expect(rowsOf(mine)).toEqual(moscow);
    expect(mine.rowCount).toBe(1);
    expect(mine.rowCount).toBeLessThan(all.rowCount);
    const count = (r: AnalysisResult) => (r.data[1] as number[]).reduce((s, n) => s + n, 0);
    expect(count(mine)).toBeLessThan(count(all));

    expect(await failure(staffMsk.api.analyses.save({ title: 'Mine', spec }))).toMatchObject({ code: 'NOT_PERMITTED' });
    expect(await failure(staffMsk.api.dashboards.save({ title: 'Mine', tiles: [] }))).toMatchObject({ code: 'NOT_PERMITTED' });
    expect(await staffMsk.api.analyses.list()).toEqual([]);
  }, 60_000);

  it('a role a report was not published to does not see it; missing extracts are named', async () => {
    await analyst.api.reports.publish({ dashboardId: board, name: 'spb_only', title: 'For St Petersburg', roles: ['staff_spb'], exportFormats: [] });
    await sync(staffMsk);
    expect((await staffMsk.api.reports.list()).map((r) => r.name)).toEqual(['branch_overview']);
    expect(await failure(staffMsk.api.reports.get('spb_only'))).toMatchObject({ code: 'NOT_FOUND' });

    const staffSpb = await profile('staff_spb');
    await sync(staffSpb, ['transactions']);
    const listed = await staffSpb.api.reports.list();
    expect(listed.map((r) => [r.name, r.title, r.missingExtracts])).toEqual([
      ['branch_overview', 'Branch overview', ['branches']],
      ['spb_only', 'For St Petersburg', ['branches']],
    ]);
  }, 60_000);

  it('refuses export formats an extract disallows, and anyone but the publisher or an author', async () => {
    // transactions allows pptx, pdf, png, svg and xlsx, not csv.
    const csv = await failure(analyst.api.reports.publish({ dashboardId: board, name: 'with_csv', roles: ['branch_staff'], exportFormats: ['xlsx', 'csv'] }));
    expect(csv).toMatchObject({ code: 'NOT_PERMITTED', details: { format: 'csv', extract: 'transactions' } });
    expect(csv.message).toMatch(/csv.*transactions/);
    expect((await warehouseReports()).map((r) => r.name)).toEqual(['branch_overview', 'spb_only']);
    expect((await analyst.api.reports.list()).map((r) => r.name)).toEqual(['branch_overview', 'spb_only']);

    expect(await failure(staffMsk.api.reports.publish({ dashboardId: board, name: 'by_staff', roles: ['branch_staff'], exportFormats: [] }))).toMatchObject({ code: 'NOT_PERMITTED' });
    expect(await failure(staffMsk.api.reports.unpublish('branch_overview'))).toMatchObject({ code: 'NOT_PERMITTED' });
    // The warehouse enforces the same on its own, whoever calls it.
    const definition = JSON.stringify({ version: 1 });
    const call = (c: pg.Client, name: string, extracts: string[]) =>
      c.query('SELECT strongroom.publish_report($1, $2, $3, $4::jsonb, $5::text[], $6::name[])', [name, 'T', '', definition, extracts, ['branch_staff']]).then(
        () => null,
        (e: { code: string; message: string }) => e,
      );
    expect(await asRole('staff_msk', (c) => call(c, 'by_staff', ['transactions']))).toMatchObject({ code: '42501', message: expect.stringMatching(/strongroom_authors/) });
    expect(await asRole('staff_msk', (c) => c.query("SELECT strongroom.unpublish_report('branch_overview')").catch((e: { code: string }) => e))).toMatchObject({ code: '42501' });
    expect(await asRole('analyst2', (c) => call(c, 'branch_overview', ['transactions']))).toMatchObject({ code: '42501', message: expect.stringMatching(/published by analyst/) });
    expect(await asRole('analyst2', (c) => call(c, 'elsewhere', ['transactions', 'customers']))).toMatchObject({ code: '42501', message: expect.stringMatching(/customers/) });
    expect(await asRole('analyst2', (c) => c.query("SELECT strongroom.unpublish_report('branch_overview')").catch((e: { code: string }) => e))).toMatchObject({ code: '42501' });
    expect(await asRole('analyst', (c) => c.query('SELECT strongroom.is_author() AS a'))).toMatchObject({ rows: [{ a: true }] });
    expect(await asRole('staff_spb', (c) => c.query('SELECT strongroom.is_author() AS a'))).toMatchObject({ rows: [{ a: false }] });
    expect((await warehouseReports()).map((r) => r.name)).toEqual(['branch_overview', 'spb_only']);
  }, 60_000);

  it('unpublishing removes the report from the warehouse at once and from viewers at their next sync', async () => {
    await analyst.api.reports.unpublish('branch_overview');
    expect((await analyst.api.reports.list()).map((r) => r.name)).toEqual(['spb_only']);
    expect((await warehouseReports()).map((r) => r.name)).toEqual(['spb_only']);
    expect((await staffMsk.api.reports.list()).map((r) => r.name)).toEqual(['branch_overview']); // until it syncs
    staffMsk.changed.length = 0;
    await sync(staffMsk);
    expect(await staffMsk.api.reports.list()).toEqual([]);
    expect(staffMsk.changed).toEqual([['branch_overview']]);
    expect(await failure(staffMsk.api.reports.get('branch_overview'))).toMatchObject({ code: 'NOT_FOUND' });
    // Nothing changed: no event.
    await sync(staffMsk);
    expect(staffMsk.changed).toEqual([['branch_overview']]);
  }, 60_000);

  it('a publish or unpublish against an unreachable warehouse is WAREHOUSE_UNREACHABLE and changes nothing', async () => {
    const [connection] = await analyst.api.connections.list();
    await analyst.api.connections.save({ id: connection!.id, name: connection!.name, host: '127.0.0.1', port: 1, database: 'postgres', user: 'analyst', tlsMode: 'disable' });
    const before = await analyst.api.reports.list();
    const audit = await analyst.api.audit.list();
    analyst.changed.length = 0;
    expect(await failure(analyst.api.reports.publish({ dashboardId: board, name: 'offline', roles: ['branch_staff'], exportFormats: [] }))).toMatchObject({ code: 'WAREHOUSE_UNREACHABLE' });
    expect(await failure(analyst.api.reports.unpublish('spb_only'))).toMatchObject({ code: 'WAREHOUSE_UNREACHABLE' });
    expect(await analyst.api.reports.list()).toEqual(before);
    expect(await analyst.api.audit.list()).toEqual(audit);
    expect(analyst.changed).toEqual([]);
    expect((await warehouseReports()).map((r) => r.name)).toEqual(['spb_only']);
  }, 60_000);

  it('a warehouse with an older install.sql still syncs, without reports; publishing there says what to install', async () => {
    await cluster.psql('CREATE DATABASE legacy;');
    const legacy = (sql: string) => asRole('postgres_admin', (c) => c.query(sql), 'legacy');
    await legacy(readInstallSql());
    // What install.sql version 1 had: no report functions, my_reports without description.
    await legacy(`
      DROP FUNCTION strongroom.publish_report(text, text, text, jsonb, text[], name[]), strongroom.unpublish_report(text), strongroom.is_author();
      DROP VIEW strongroom.my_reports;
      CREATE VIEW strongroom.my_reports AS SELECT p.id, p.name, p.title, p.definition, p.extracts, p.roles, p.published_by, p.published_at FROM strongroom.reports p;
      GRANT SELECT ON strongroom.my_reports TO PUBLIC;
      CREATE SCHEMA shop;
      CREATE TABLE shop.small (id int PRIMARY KEY, label text);
      INSERT INTO shop.small SELECT i, 'row ' || i FROM generate_series(1, 20) i;
      GRANT USAGE ON SCHEMA shop TO analyst;
      GRANT SELECT ON shop.small TO analyst;
      SELECT strongroom.publish_extract('small', 'shop.small', '{id}');
      SELECT strongroom.grant_extract('small', 'analyst');`);
    const p = await profile('analyst', 'legacy');
    await sync(p, ['small']);
    expect(await p.api.reports.list()).toEqual([]);
    expect(await p.api.reports.capabilities()).toEqual({ author: true });
    const a = await p.api.analyses.save({ title: 'Rows', spec: { extract: 'small', measures: [{ agg: 'count', as: 'n' }] } });
    const d = await p.api.dashboards.save({ title: 'Small', tiles: [{ id: 't', kind: 'analysis', analysisId: a.id, x: 0, y: 0, w: 12, h: 3 }] });
    const err = await failure(p.api.reports.publish({ dashboardId: d.id, name: 'small_report', roles: ['analyst'], exportFormats: [] }));
    expect(err).toMatchObject({ code: 'SCHEMA_NOT_INSTALLED', message: expect.stringMatching(/install the current warehouse\/install\.sql/) });
    expect(await p.api.reports.list()).toEqual([]);
  }, 60_000);
});
