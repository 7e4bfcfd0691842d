/**
 * Saved analyses and dashboards in a real encrypted cache, through the public RPC server (so the
 * contract's argument schemas run too).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveConnection } from '../../electron/worker/db/repositories/connections.js';
import { replaceConnectionReports } from '../../electron/worker/db/repositories/reports.js';
import { setConnectionAuthor } from '../../electron/worker/db/repositories/workbench.js';
import { createWorkerRuntime, type WorkerRuntime } from '../../electron/worker/runtime.js';
import { CONNECTION_KEY_PURPOSE } from '../../electron/worker/services/sync.js';
import type { AnalysisSpec } from '../../shared/analysis/spec.js';
import { MAX_THUMBNAIL_CHARS, type Api, type DashboardTile, type ReportDefinition } from '../../shared/contracts/index.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';
import { TX_COLUMNS, txRows } from '../helpers/analysis-data.js';
import { snapshot, TEST_SCRYPT, tempProfile } from '../helpers/profile.js';
import { seedExtract } from '../helpers/seed-extract.js';
import { failure } from '../helpers/failure.js';

const PASS = 'workbench test passphrase';
const BY_CHANNEL: AnalysisSpec = {
  extract: 'tx',
  dimensions: [{ field: 'channel' }],
  measures: [{ agg: 'sum', field: 'amount', as: 'total' }],
  chart: { type: 'bar', x: 'channel', y: 'total' },
};
const COUNT: AnalysisSpec = { extract: 'tx', measures: [{ agg: 'count', as: 'n' }] };
const PNG = 'data:image/png;base64,iVBORw0KGgo=';

let runtime: WorkerRuntime;
let api: Api;

beforeEach(async () => {
  runtime = createWorkerRuntime({ profileDir: tempProfile(), scrypt: TEST_SCRYPT });
  api = createClient<Api>(createLoopbackTransport((r) => runtime.publicServer.handle(r))).api;
  await api.session.create({ passphrase: PASS });
  seedExtract(runtime.vault.db(), { name: 'tx', columns: [...TX_COLUMNS], rows: txRows(200) });
});
afterEach(() => runtime.close());

const tile = (id: string, x: number, y: number, w: number, h: number, analysisId?: string): DashboardTile =>
  analysisId ? { id, kind: 'analysis', analysisId, x, y, w, h } : { id, kind: 'text', text: `Note ${id}`, x, y, w, h };

describe('saved analyses', () => {
  it('saves, lists newest first, reads back, overwrites, duplicates and removes', async () => {
    const first = await api.analyses.save({ title: 'By channel', description: 'Sums', tags: ['sales', 'sales', 'q4'], spec: BY_CHANNEL, thumbnail: PNG });
    expect(first).toMatchObject({ title: 'By channel', description: 'Sums', tags: ['sales', 'q4'], extract: 'tx', chartType: 'bar', thumbnail: PNG, spec: BY_CHANNEL });
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.createdAt).toBe(first.updatedAt);
    const second = await api.analyses.save({ title: 'Count', spec: COUNT });
    expect(second).toMatchObject({ chartType: null, thumbnail: null, tags: [], description: '' });

    expect((await api.analyses.list()).map((a) => a.title)).toEqual(['Count', 'By channel']);
    expect(await api.analyses.list()).not.toContainEqual(expect.objectContaining({ spec: expect.anything() }));
    expect(await api.analyses.get(first.id)).toEqual(first);

    // Overwriting keeps the id, creation time, and (when not given) the thumbnail; it moves to the top.
    const renamed = await api.analyses.save({ id: first.id, title: 'By channel (net)', spec: { ...BY_CHANNEL, chart: { type: 'column', x: 'channel', y: 'total' } } });
    expect(renamed).toMatchObject({ id: first.id, createdAt: first.createdAt, thumbnail: PNG, chartType: 'column', tags: ['sales', 'q4'] });
    expect(renamed.updatedAt > first.updatedAt).toBe(true);
    expect((await api.analyses.list()).map((a) => a.id)).toEqual([first.id, second.id]);
    expect((await api.analyses.save({ id: first.id, title: 'No picture', spec: BY_CHANNEL, thumbnail: null })).thumbnail).toBeNull();

    const copy = await api.analyses.duplicate(first.id);
    expect(copy).toMatchObject({ title: 'No picture (copy)', spec: BY_CHANNEL, extract: 'tx' });
    expect(copy.id).not.toBe(first.id);
    expect(await api.analyses.list()).toHaveLength(3);

    await api.analyses.remove(copy.id);
    expect((await failure(api.analyses.get(copy.id))).code).toBe('NOT_FOUND');
    expect((await failure(api.analyses.remove(copy.id))).code).toBe('NOT_FOUND');
    expect(await api.analyses.list()).toHaveLength(2);
  });

  it('checks the spec against the extract like analysis.run: INVALID_ANALYSIS with the path, NOT_FOUND for an unknown extract', async () => {
    const bad = await failure(api.analyses.save({ title: 'Typo', spec: { extract: 'tx', dimensions: [{ field: 'channel' }, { field: 'chanel' }] } }));
    expect(bad).toMatchObject({ code: 'INVALID_ANALYSIS', details: { path: 'dimensions[1].field' } });
    const run = await failure(api.analysis.run({ extract: 'tx', dimensions: [{ field: 'channel' }, { field: 'chanel' }] }));
    expect(run.details).toEqual(bad.details);
    const chart = await failure(api.analyses.save({ title: 'Chart', spec: { ...BY_CHANNEL, chart: { type: 'bar', x: 'channel', y: 'nope' } } }));
    expect(chart).toMatchObject({ code: 'INVALID_ANALYSIS', details: { path: 'chart.y' } });
    expect(await failure(api.analyses.save({ title: 'Elsewhere', spec: { ...COUNT, extract: 'loans' } }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(api.analyses.save({ id: 'no-such-id', title: 'Ghost', spec: COUNT }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(api.analyses.duplicate('no-such-id'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await api.analyses.list()).toEqual([]);
  });

  it('refuses an oversized thumbnail and a non-PNG one at the RPC boundary', async () => {
    const huge = `data:image/png;base64,${'A'.repeat(MAX_THUMBNAIL_CHARS)}`;
    expect(await failure(api.analyses.save({ title: 'Big', spec: COUNT, thumbnail: huge }))).toMatchObject({ code: 'INVALID_ARGUMENT', details: { path: 'args[0].thumbnail' } });
    expect(await failure(api.analyses.save({ title: 'Svg', spec: COUNT, thumbnail: 'data:image/svg+xml;base64,PHN2Zy8+' }))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await failure(api.analyses.save({ title: '  ', spec: COUNT }))).toMatchObject({ code: 'INVALID_ARGUMENT', details: { path: 'args[0].title' } });
    expect(await api.analyses.list()).toEqual([]);
    const fits = `data:image/png;base64,${'A'.repeat(MAX_THUMBNAIL_CHARS - 'data:image/png;base64,'.length)}`;
    expect((await api.analyses.save({ title: 'Just fits', spec: COUNT, thumbnail: fits })).thumbnail).toBe(fits);
  });
});

describe('dashboards', () => {
  it('saves a layout, reads it back, duplicates and removes it', async () => {
    const a = await api.analyses.save({ title: 'By channel', spec: BY_CHANNEL });
    const tiles = [tile('t1', 0, 0, 6, 4, a.id), tile('t2', 6, 0, 6, 4), tile('t3', 0, 4, 12, 3, a.id)];
    const filters = [{ field: 'channel', op: 'in' as const, values: ['atm', 'card'] }];
    const board = await api.dashboards.save({ title: 'Overview', tiles, filters });
    expect(board).toMatchObject({ title: 'Overview', description: '', tileCount: 3, tiles, filters, crossFilter: true });
    expect(await api.dashboards.get(board.id)).toEqual(board);
    expect(await api.dashboards.list()).toEqual([{ id: board.id, title: 'Overview', description: '', tileCount: 3, createdAt: board.createdAt, updatedAt: board.updatedAt }]);

    const edited = await api.dashboards.save({ id: board.id, title: 'Overview', tiles: tiles.slice(0, 2), crossFilter: false });
    expect(edited).toMatchObject({ id: board.id, tileCount: 2, filters, crossFilter: false, createdAt: board.createdAt });

    const copy = await api.dashboards.duplicate(board.id);
    expect(copy).toMatchObject({ title: 'Overview (copy)', tiles: edited.tiles, filters, crossFilter: false });
    expect((await api.dashboards.list()).map((d) => d.id)).toEqual([copy.id, board.id]);
    await api.dashboards.remove(board.id);
    expect((await failure(api.dashboards.get(board.id))).code).toBe('NOT_FOUND');
    expect((await api.dashboards.list()).map((d) => d.id)).toEqual([copy.id]);
  });

  it('refuses tiles that leave the grid, overlap, repeat an id or show nothing, naming the tile', async () => {
    const a = await api.analyses.save({ title: 'By channel', spec: BY_CHANNEL });
    const cases: Array<[string, DashboardTile[], string]> = [
      ['past the right edge', [tile('t1', 0, 0, 6, 2, a.id), tile('t2', 8, 0, 6, 2)], 'args[0].tiles[1]'],
      ['overlapping', [tile('t1', 0, 0, 6, 2, a.id), tile('t2', 6, 0, 6, 2), tile('t3', 5, 1, 2, 2)], 'args[0].tiles[2]'],
      ['same id twice', [tile('t1', 0, 0, 6, 2, a.id), tile('t1', 6, 0, 6, 2)], 'args[0].tiles[1].id'],
      ['an analysis that is not saved', [tile('t1', 0, 0, 6, 2, 'gone')], 'args[0].tiles[0].analysisId'],
      ['an analysis tile without analysis', [{ id: 't1', kind: 'analysis', x: 0, y: 0, w: 2, h: 2 }], 'args[0].tiles[0].analysisId'],
      ['a text tile without text', [{ id: 't1', kind: 'text', text: '  \n', x: 0, y: 0, w: 2, h: 2 }], 'args[0].tiles[0].text'],
    ];
    for (const [what, tiles, path] of cases) {
      const err = await failure(api.dashboards.save({ title: what, tiles }));
      expect(err, what).toMatchObject({ code: 'INVALID_ARGUMENT', details: { path } });
    }
    // Touching edges is not overlapping; the contract's own bounds are checked at the RPC boundary.
    expect((await api.dashboards.save({ title: 'Edges', tiles: [tile('t1', 0, 0, 6, 2, a.id), tile('t2', 6, 0, 6, 2), tile('t3', 0, 2, 12, 1)] })).tileCount).toBe(3);
    expect(await failure(api.dashboards.save({ title: 'Wide', tiles: [tile('t1', 0, 0, 13, 2)] }))).toMatchObject({ code: 'INVALID_ARGUMENT', details: { path: 'args[0].tiles[0].w' } });
    expect(await failure(api.dashboards.save({ title: 'Odd', tiles: [{ ...tile('t1', 0, 0, 2, 2), html: '<b>' } as DashboardTile] }))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await failure(api.dashboards.save({ id: 'nope', title: 'Ghost', tiles: [] }))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await api.dashboards.list()).map((d) => d.title)).toEqual(['Edges']);
  });

  it('removing an analysis removes its tiles from every dashboard', async () => {
    const a = await api.analyses.save({ title: 'By channel', spec: BY_CHANNEL });
    const b = await api.analyses.save({ title: 'Count', spec: COUNT });
    const one = await api.dashboards.save({ title: 'One', tiles: [tile('t1', 0, 0, 6, 2, a.id), tile('t2', 6, 0, 6, 2, b.id), tile('t3', 0, 2, 4, 2, a.id)] });
    const two = await api.dashboards.save({ title: 'Two', tiles: [tile('x', 0, 0, 12, 2, a.id), tile('note', 0, 2, 12, 2)] });
    const three = await api.dashboards.save({ title: 'Three', tiles: [tile('y', 0, 0, 12, 2, b.id)] });
    await api.analyses.remove(a.id);
    expect((await api.dashboards.get(one.id)).tiles.map((t) => t.id)).toEqual(['t2']);
    expect((await api.dashboards.get(two.id)).tiles.map((t) => t.id)).toEqual(['note']);
    const untouched = await api.dashboards.get(three.id);
    expect(untouched).toEqual(three);
    expect((await api.dashboards.get(one.id)).updatedAt > one.updatedAt).toBe(true);
    // The edited dashboards still save as they are.
    expect((await api.dashboards.save({ id: one.id, title: 'One', tiles: (await api.dashboards.get(one.id)).tiles })).tileCount).toBe(1);
  });
});

describe('authoring and the lock', () => {
  it('a viewer-only workspace may not author; an unknown or authoring connection may', async () => {
    expect(await api.reports.capabilities()).toEqual({ author: true }); // no connections yet
    const db = runtime.vault.db();
    const key = runtime.vault.deriveKey(CONNECTION_KEY_PURPOSE);
    const request = { host: '127.0.0.1', port: 5432, database: 'dw', password: 'pw', tlsMode: 'disable' as const };
    const viewer = saveConnection(db, key, { ...request, name: 'viewer', user: 'staff' });
    expect(await api.reports.capabilities()).toEqual({ author: true }); // not synced yet: unknown
    const saved = await api.analyses.save({ title: 'Before', spec: COUNT });
    setConnectionAuthor(db, viewer.id, false);
    expect(await api.reports.capabilities()).toEqual({ author: false });
    for (const attempt of [
      api.analyses.save({ title: 'Count', spec: COUNT }),
      api.analyses.duplicate(saved.id),
      api.dashboards.save({ title: 'Board', tiles: [] }),
      api.reports.publish({ dashboardId: 'any', name: 'r', roles: ['branch_staff'], exportFormats: [] }),
      api.reports.unpublish('r'),
    ]) {
      expect(await failure(attempt)).toMatchObject({ code: 'NOT_PERMITTED' });
    }
    expect((await api.analyses.list()).map((a) => a.title)).toEqual(['Before']);
    const other = saveConnection(db, key, { ...request, name: 'analyst', user: 'analyst' });
    expect(await api.reports.capabilities()).toEqual({ author: true });
    setConnectionAuthor(db, other.id, true);
    expect((await api.analyses.save({ title: 'Count', spec: COUNT })).title).toBe('Count');
  });

  it('lists synced reports with the extracts this cache lacks; a report goes with its connection', async () => {
    const db = runtime.vault.db();
    const connection = saveConnection(db, runtime.vault.deriveKey(CONNECTION_KEY_PURPOSE), { name: 'dw', host: '127.0.0.1', port: 5432, database: 'dw', user: 'staff', tlsMode: 'disable' });
    const definition: ReportDefinition = { version: 1, title: 'R', description: '', tiles: [], filters: [], crossFilter: true, analyses: {}, exportFormats: ['png'] };
    const stored = { connectionId: connection.id, title: 'R', description: '', definition, roles: ['branch_staff'], publishedBy: 'analyst', publishedAt: '2025-01-01T00:00:00.000Z', syncedAt: '2025-01-02T00:00:00.000Z' };
    expect(replaceConnectionReports(db, connection.id, [{ ...stored, name: 'both', extracts: ['tx', 'loans'] }, { ...stored, name: 'here', extracts: ['tx'] }])).toEqual(['both', 'here']);
    expect((await api.reports.list()).map((r) => [r.name, r.missingExtracts, r.exportFormats])).toEqual([
      ['both', ['loans'], ['png']],
      ['here', [], ['png']],
    ]);
    // The same content again is no change; a report missing from the warehouse's answer is gone.
    expect(replaceConnectionReports(db, connection.id, [{ ...stored, name: 'here', extracts: ['tx'], syncedAt: '2025-02-01T00:00:00.000Z' }])).toEqual(['both']);
    expect((await api.reports.get('here')).syncedAt).toBe('2025-02-01T00:00:00.000Z');
    await api.connections.remove({ id: connection.id });
    expect(await api.reports.list()).toEqual([]);
  });

  it('everything fails with LOCKED while locked; the work survives lock and unlock, encrypted', async () => {
    const a = await api.analyses.save({ title: 'Secret plan ZQX', spec: BY_CHANNEL, thumbnail: PNG });
    const d = await api.dashboards.save({ title: 'Board ZQX', tiles: [tile('t1', 0, 0, 6, 2, a.id)] });
    await api.session.lock();
    for (const attempt of [
      api.analyses.list(),
      api.analyses.get(a.id),
      api.analyses.save({ title: 'x', spec: COUNT }),
      api.analyses.remove(a.id),
      api.dashboards.list(),
      api.dashboards.get(d.id),
      api.dashboards.save({ title: 'x', tiles: [] }),
      api.reports.list(),
      api.reports.get('any_report'),
      api.reports.capabilities(),
    ]) {
      expect(await failure(attempt)).toMatchObject({ code: 'LOCKED' });
    }
    for (const [path, bytes] of snapshot(runtime.vault.paths.dir)) expect(bytes.includes(Buffer.from('ZQX')), path).toBe(false);
    await api.session.unlock({ passphrase: PASS });
    expect(await api.analyses.get(a.id)).toEqual(a);
    expect(await api.dashboards.get(d.id)).toEqual(d);
  });
});
