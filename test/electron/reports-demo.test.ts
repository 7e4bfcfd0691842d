/**
 * Publishing to the in-process demo warehouse (PGlite behind the role server, started through the
 * demo registry): the same install.sql functions, where each connection's role is set with SET
 * SESSION AUTHORIZATION instead of a real login.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerRuntime, type WorkerRuntime } from '../../electron/worker/runtime.js';
import type { Api, EventMap } from '../../shared/contracts/index.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';
import { TEST_SCRYPT, tempProfile } from '../helpers/profile.js';

let runtime: WorkerRuntime | undefined;
afterAll(() => runtime?.close());

async function asRole<T>(port: number, role: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: role, database: 'postgres' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('reports on the demo warehouse (PGlite)', () => {
  it('the demo analyst publishes and unpublishes; branch staff see the report and may not publish', async () => {
    runtime = createWorkerRuntime({ profileDir: tempProfile(), scrypt: TEST_SCRYPT, demoScale: 0.002 });
    const server = runtime;
    const client = createClient<Api, EventMap>(createLoopbackTransport((r) => server.publicServer.handle(r), (emit) => server.onEvent(emit)));
    const { api } = client;
    const changed: string[][] = [];
    client.on('reports.changed', (e) => changed.push(e.names));
    await api.session.create({ passphrase: 'demo reports passphrase' });
    const connection = await api.connections.startDemo({ role: 'analyst' });
    const report = await api.sync.run({ connectionId: connection.id, names: ['transactions'] });
    expect(report.results).toEqual([expect.objectContaining({ name: 'transactions', status: 'synced' })]);
    expect(await api.reports.capabilities()).toEqual({ author: true });

    const analysis = await api.analyses.save({ title: 'By channel', spec: { extract: 'transactions', dimensions: [{ field: 'channel' }], measures: [{ agg: 'count', as: 'n' }] } });
    const board = await api.dashboards.save({ title: 'Channels', tiles: [{ id: 't', kind: 'analysis', analysisId: analysis.id, x: 0, y: 0, w: 12, h: 4 }] });
    const published = await api.reports.publish({ dashboardId: board.id, name: 'channels', roles: ['branch_staff'], exportFormats: ['png'] });
    expect(published).toMatchObject({ name: 'channels', extracts: ['transactions'], roles: ['branch_staff'], connectionId: connection.id });
    expect(changed.at(-1)).toEqual(['channels']);

    const port = (await api.connections.list())[0]!.port;
    const seen = (role: string) =>
      asRole(port, role, async (c) => ({
        reports: (await c.query<{ name: string; published_by: string }>('SELECT name, published_by FROM strongroom.my_reports')).rows,
        author: (await c.query<{ a: boolean }>('SELECT strongroom.is_author() AS a')).rows[0]!.a,
      }));
    expect(await seen('staff_msk')).toEqual({ reports: [{ name: 'channels', published_by: 'analyst' }], author: false });
    expect(await seen('analyst')).toEqual({ reports: [{ name: 'channels', published_by: 'analyst' }], author: true });
    const refused = await asRole(port, 'staff_spb', (c) =>
      c.query(`SELECT strongroom.publish_report('mine', 'Mine', '', '{}', '{transactions}', '{branch_staff}')`).then(
        () => null,
        (e: { code: string }) => e,
      ),
    );
    expect(refused).toMatchObject({ code: '42501' });

    // A sync keeps the publisher's own report (it is not published to the analyst's roles).
    await api.sync.run({ connectionId: connection.id, names: ['transactions'] });
    expect((await api.reports.list()).map((r) => [r.name, r.publishedBy, r.missingExtracts])).toEqual([['channels', 'analyst', []]]);

    await api.reports.unpublish('channels');
    expect(await api.reports.list()).toEqual([]);
    expect(await seen('staff_msk')).toEqual({ reports: [], author: false });
  }, 120_000);
});
