/**
 * The export service on a real encrypted cache through the public RPC server: the policy from the
 * extract catalog, each built format read back, the audit record with the file's SHA-256, and the
 * `strongroom export` command writing atomically.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorkerRuntime, type WorkerRuntime } from '../../electron/worker/runtime.js';
import type { AnalysisSpec } from '../../shared/analysis/spec.js';
import type { Api, DashboardTile } from '../../shared/contracts/index.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';
import { failure } from '../helpers/failure.js';
import { TEST_SCRYPT, tempProfile } from '../helpers/profile.js';
import { seedExtract } from '../helpers/seed-extract.js';

const PASS = 'export test passphrase';
const ROOT = resolve(__dirname, '..', '..');
const COLUMNS = [{ name: 'id', pgType: 'bigint' }, { name: 'channel', pgType: 'text' }, { name: 'amount', pgType: 'numeric(14,2)' }, { name: 'booked_on', pgType: 'date' }];
const ROWS = Array.from({ length: 60 }, (_, i) => [i + 1, ['card', 'cash', 'онлайн'][i % 3], 100 + i * 2.5, `2024-0${1 + (i % 3)}-1${i % 10}`]);

const BY_CHANNEL: AnalysisSpec = {
  extract: 'tx',
  dimensions: [{ field: 'channel' }],
  measures: [{ agg: 'sum', field: 'amount', as: 'amount_sum' }],
  sort: [{ by: 'channel' }],
  chart: { type: 'column', x: 'channel', y: 'amount_sum' },
};
const BY_MONTH: AnalysisSpec = {
  extract: 'tx',
  dimensions: [{ field: 'booked_on', grain: 'month' }, { field: 'channel' }],
  measures: [{ agg: 'count', as: 'n' }],
  chart: { type: 'line', x: 'booked_on_month', y: 'n', color: 'channel' },
};

let runtime: WorkerRuntime;
let api: Api;

beforeEach(async () => {
  runtime = createWorkerRuntime({ profileDir: tempProfile(), scrypt: TEST_SCRYPT });
  api = createClient<Api>(createLoopbackTransport((r) => runtime.publicServer.handle(r))).api;
  await api.session.create({ passphrase: PASS });
  seedExtract(runtime.vault.db(), { name: 'tx', columns: COLUMNS, rows: ROWS });
  seedExtract(runtime.vault.db(), { name: 'people', columns: COLUMNS, rows: ROWS.slice(0, 5) });
  runtime.vault.db().prepare(`UPDATE extracts SET classification = 'restricted', allowed_exports = '["pptx","pdf","png","svg"]' WHERE name = 'people'`).run();
});
afterEach(() => runtime?.close());

const bytesOf = (file: { base64: string }) => Buffer.from(file.base64, 'base64');

describe('export policy', () => {
  it('comes from the catalog: allowed formats, the reason for the others, the classification and the watermark', async () => {
    const open = await api.export.policy({ kind: 'spec', spec: BY_CHANNEL });
    expect(open).toMatchObject({ classification: 'internal', extracts: ['tx'], watermark: false });
    expect(open.formats.filter((f) => f.allowed).map((f) => f.format)).toEqual(['pptx', 'pdf', 'png', 'xlsx', 'csv']);
    expect(open.formats.find((f) => f.format === 'svg')).toMatchObject({ allowed: false, reason: 'The export policy of "tx" does not allow SVG files.' });
    const closed = await api.export.policy({ kind: 'spec', spec: { ...BY_CHANNEL, extract: 'people' } });
    expect(closed).toMatchObject({ classification: 'restricted', watermark: true });
    const denied = await failure(api.export.build({ kind: 'spec', spec: { ...BY_CHANNEL, extract: 'people' } }, { format: 'csv' }));
    expect(denied).toMatchObject({ code: 'NOT_PERMITTED', message: 'The export policy of "people" does not allow CSV files.' });
    expect((await api.audit.list({ limit: 50 })).some((e) => e.action === 'export.file')).toBe(false);
  });
});

describe('built files', () => {
  it('CSV: the result with a BOM, audited with its SHA-256', async () => {
    const file = await api.export.build({ kind: 'spec', spec: BY_CHANNEL, title: 'By channel' }, { format: 'csv', locale: 'ru' });
    expect(file).toMatchObject({ filename: 'By channel.csv', rows: 3 });
    const text = bytesOf(file).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('channel;amount_sum');
    expect(lines).toHaveLength(4);
    expect(file.sha256).toBe(createHash('sha256').update(bytesOf(file)).digest('hex'));
    const event = (await api.audit.list({ limit: 10 })).find((e) => e.action === 'export.file')!;
    expect(event.detail).toMatchObject({ format: 'csv', rows: 3, sha256: file.sha256, extracts: ['tx'], classification: 'internal' });
  });

  it('XLSX: one sheet per analysis of a dashboard, values as numbers', async () => {
    const a = await api.analyses.save({ title: 'By channel', spec: BY_CHANNEL });
    const b = await api.analyses.save({ title: 'By month', spec: BY_MONTH });
    const tiles: DashboardTile[] = [
      { id: 't1', kind: 'analysis', analysisId: a.id, x: 0, y: 0, w: 6, h: 4 },
      { id: 't2', kind: 'analysis', analysisId: b.id, x: 6, y: 0, w: 6, h: 4 },
    ];
    const dash = await api.dashboards.save({ title: 'Sales', tiles });
    const csv = await failure(api.export.build({ kind: 'dashboard', id: dash.id }, { format: 'csv' }));
    expect(csv).toMatchObject({ code: 'INVALID_ARGUMENT' });
    const file = await api.export.build({ kind: 'dashboard', id: dash.id }, { format: 'xlsx' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytesOf(file) as unknown as ExcelJS.Buffer);
    const names = book.worksheets.map((w) => w.name);
    expect(names.slice(0, 2)).toEqual(['By channel', 'By month']);
    const direct = await api.analysis.run(BY_CHANNEL);
    const sheet = book.getWorksheet('By channel')!;
    const values = direct.data[1]!.map((_, r) => sheet.getRow(r + 2).getCell(2).value);
    expect(values).toEqual(direct.data[1]);
    expect(file.rows).toBe(direct.rowCount + (await api.analysis.run(BY_MONTH)).rowCount);
  });

  it('PPTX: a title slide and a native chart per analysis whose values are the query result, provenance in the notes', async () => {
    const file = await api.export.build({ kind: 'spec', spec: BY_CHANNEL, title: 'Amount by channel' }, { format: 'pptx' });
    const zip = await JSZip.loadAsync(bytesOf(file));
    const charts = Object.keys(zip.files).filter((f) => /^ppt\/charts\/chart\d+\.xml$/.test(f));
    expect(charts).toHaveLength(1);
    const xml = await zip.file(charts[0]!)!.async('string');
    const direct = await api.analysis.run(BY_CHANNEL);
    const vals = [...xml.matchAll(/<c:val>[\s\S]*?<\/c:val>/g)].flatMap((m) => [...m[0].matchAll(/<c:v>([^<]*)<\/c:v>/g)].map((v) => Number(v[1])));
    expect(vals).toEqual(direct.data[1]);
    const notes = await Promise.all(Object.keys(zip.files).filter((f) => /^ppt\/notesSlides\/notesSlide\d+\.xml$/.test(f)).map((f) => zip.file(f)!.async('string')));
    expect(notes.join('')).toContain('Source: extract');
    const slides = await Promise.all(Object.keys(zip.files).filter((f) => /^ppt\/slides\/slide\d+\.xml$/.test(f)).map((f) => zip.file(f)!.async('string')));
    for (const s of slides) expect(s).toContain('INTERNAL');
  });
});

describe.skipIf(!existsSync(join(ROOT, 'dist', 'electron', 'cli.cjs')))('strongroom export', () => {
  it('writes the file atomically, prints its hash, and refuses what the policy forbids', async () => {
    const profileDir = runtime.vault.paths.dir;
    runtime.close();
    const dir = tempProfile();
    const specFile = join(dir, 'spec.json');
    writeFileSync(specFile, JSON.stringify(BY_CHANNEL));
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, 'bin', 'strongroom.mjs'), ...args, '--profile', profileDir], { env: { ...process.env, STRONGROOM_PASSPHRASE: PASS }, encoding: 'utf8' });
    const out = join(dir, 'by-channel.xlsx');
    const ok = cli('export', '--spec', specFile, '--format', 'xlsx', '--out', out, '--json');
    expect(ok.status, ok.stderr).toBe(0);
    const info = JSON.parse(ok.stdout) as { sha256: string; rows: number };
    expect(info.rows).toBe(3);
    expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe(info.sha256);

    const pdf = cli('export', '--spec', specFile, '--format', 'pdf', '--out', join(dir, 'x.pdf'), '--json');
    expect(pdf.status).toBe(2);
    writeFileSync(specFile, JSON.stringify({ ...BY_CHANNEL, extract: 'people' }));
    const denied = cli('export', '--spec', specFile, '--format', 'xlsx', '--out', join(dir, 'people.xlsx'), '--json');
    expect(denied.status).toBe(1);
    expect(JSON.parse(denied.stdout).error.code).toBe('NOT_PERMITTED');
    expect(existsSync(join(dir, 'people.xlsx'))).toBe(false);
    const missingDir = cli('export', '--spec', specFile, '--format', 'pptx', '--out', join(dir, 'no', 'such', 'dir', 'deck.pptx'), '--json');
    expect(missingDir.status).toBe(1);
    expect(readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  }, 60_000);
});
