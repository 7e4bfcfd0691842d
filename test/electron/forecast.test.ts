/**
 * The forecast service on a real encrypted cache, through the public RPC server (so the contract's
 * argument schemas run too): per-group series from a spec, saved runs, the CSV table under the export
 * policy, leases and purges, and the thread pool against the inline path.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { purgeExtract } from '../../electron/worker/sync/engine.js';
import { getLocalExtract } from '../../electron/worker/db/repositories/local-extracts.js';
import { createWorkerRuntime, type WorkerRuntime } from '../../electron/worker/runtime.js';
import type { AnalysisSpec } from '../../shared/analysis/spec.js';
import type { Api, ForecastRun } from '../../shared/contracts/index.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';
import { TEST_SCRYPT, tempProfile } from '../helpers/profile.js';
import { seedExtract } from '../helpers/seed-extract.js';
import { failure } from '../helpers/failure.js';

const PASS = 'forecast test passphrase';
const ROOT = resolve(__dirname, '..', '..');
const POOL_FILE = join(ROOT, 'dist', 'electron', 'forecast.cjs');

/** Sixty months, 2019–2023: branches with trend and season, and the awkward ones every bank has. */
function depositRows(): unknown[][] {
  const rows: unknown[][] = [];
  let id = 1;
  const season = [0.9, 0.85, 1.0, 1.05, 1.1, 1.15, 1.2, 1.1, 1.0, 0.95, 0.9, 1.3];
  for (let t = 0; t < 60; t++) {
    const day = (d: number) => new Date(Date.UTC(2019, t, d)).toISOString().slice(0, 10);
    const m = t % 12;
    const add = (branch: string, amount: number, d = 10) => rows.push([id++, branch, amount, day(d)]);
    // Two rows a month, so the monthly sum is what is forecast.
    add('Moscow', 600 * (1 + 0.01 * t) * season[m]!, 3);
    add('Moscow', 400 * (1 + 0.01 * t) * season[m]!, 20);
    add('Kazan', 300 + 2 * t + 40 * Math.sin((2 * Math.PI * t) / 12) + ((t * 7919) % 13) - 6);
    add('Flat', 250);
    if (t >= 50) add('New', 100 + 3 * (t - 50));
    if (t % 5 !== 2) add('Gappy', 80 + (t % 4) * 5);
    if ((t * 37) % 11 < 4) add('Quiet', 10 + (t % 3)); // irregular: no season to find
  }
  return rows;
}

const SPEC: AnalysisSpec = {
  extract: 'deposits',
  dimensions: [{ field: 'opened', grain: 'month', as: 'month' }, { field: 'branch' }],
  measures: [{ agg: 'sum', field: 'amount', as: 'total' }],
  chart: { type: 'line', x: 'month', y: 'total', color: 'branch' },
};

let runtime: WorkerRuntime;
let api: Api;

function start(forecastFile?: string) {
  runtime = createWorkerRuntime({ profileDir: tempProfile(), scrypt: TEST_SCRYPT, ...(forecastFile ? { forecastFile, forecastThreads: 2 } : {}) });
  api = createClient<Api>(createLoopbackTransport((r) => runtime.publicServer.handle(r))).api;
}

async function seed() {
  await api.session.create({ passphrase: PASS });
  seedExtract(runtime.vault.db(), {
    name: 'deposits',
    columns: [{ name: 'id', pgType: 'bigint' }, { name: 'branch', pgType: 'text' }, { name: 'amount', pgType: 'numeric(14,2)' }, { name: 'opened', pgType: 'date' }],
    rows: depositRows(),
  });
}

beforeEach(async () => {
  start();
  await seed();
});
afterEach(() => runtime.close());

const byLabel = (run: ForecastRun, label: string) => run.series.find((s) => s.label === label)!;

describe('forecast.run', () => {
  it('forecasts one series per group on a gap-free monthly calendar, with the model, backtest and notes', async () => {
    const run = await api.forecast.run({ spec: SPEC, horizon: 12 });
    expect(run).toMatchObject({ id: '', extract: 'deposits', measure: 'total', dateField: 'opened', grain: 'month', groupFields: ['branch'], horizon: 12, levels: [80, 95], model: 'auto', periods: [12] });
    expect(run.series.map((s) => s.label)).toEqual(['Flat', 'Gappy', 'Kazan', 'Moscow', 'New', 'Quiet']);
    for (const s of run.series) {
      expect(s.dates).toHaveLength(60);
      expect(s.dates[0]).toBe('2019-01-01');
      expect(s.dates.at(-1)).toBe('2023-12-01');
      expect(s.forecastDates).toEqual(Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}-01`));
      expect(s.mean).toHaveLength(12);
      for (const v of [...s.mean, ...s.intervals.flatMap((iv) => [...iv.lower, ...iv.upper])]) expect(Number.isFinite(v)).toBe(true);
      for (const iv of s.intervals) s.mean.forEach((m, i) => expect(iv.lower[i]! <= m + 1e-9 && m <= iv.upper[i]! + 1e-9).toBe(true));
    }
    // Moscow: the sum of its two rows a month, trend and season; the backtest scores the chosen model.
    const moscow = byLabel(run, 'Moscow');
    expect(moscow.actual[11]).toBeCloseTo(1000 * 1.11 * 1.3, 6);
    expect(moscow.backtest).toMatchObject({ origins: 3, horizon: 12 });
    expect(moscow.backtest!.mase!).toBeLessThan(1);
    expect(moscow.candidates.length).toBeGreaterThanOrEqual(3);
    // The season comes through: December above November in the forecast, as in every year of history.
    expect(moscow.mean[11]!).toBeGreaterThan(moscow.mean[10]! * 1.2);

    expect(byLabel(run, 'Flat')).toMatchObject({ model: 'Constant', notes: [expect.objectContaining({ code: 'CONSTANT' })] });
    expect(byLabel(run, 'Flat').mean).toEqual(Array(12).fill(250));
    const fresh = byLabel(run, 'New');
    expect(fresh.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['LEADING_GAP', 'SHORT']));
    expect(fresh.actual.slice(0, 50).every((v) => v === null)).toBe(true);
    // A sum over a month without rows is zero, and the note says so.
    const gappy = byLabel(run, 'Gappy');
    expect(gappy.notes).toContainEqual(expect.objectContaining({ code: 'GAPS_FILLED', values: { count: 12, how: 'zero' } }));
    expect(byLabel(run, 'Quiet')).toMatchObject({ family: 'croston', notes: expect.arrayContaining([expect.objectContaining({ code: 'INTERMITTENT' })]) });

    expect(run.summary.series).toBe(6);
    expect(run.summary.coverage.map((c) => c.level)).toEqual([80, 95]);
  });

  it('leaves an unfinished last period out of the fit and forecasts it instead', async () => {
    // Half of January 2024 is in: a half-month sum is not a collapse in deposits.
    seedExtract(runtime.vault.db(), {
      name: 'deposits',
      columns: [{ name: 'id', pgType: 'bigint' }, { name: 'branch', pgType: 'text' }, { name: 'amount', pgType: 'numeric(14,2)' }, { name: 'opened', pgType: 'date' }],
      rows: [...depositRows(), [9999, 'Moscow', 500, '2024-01-15']],
      version: 2,
    });
    const run = await api.forecast.run({ spec: SPEC, horizon: 3 });
    const moscow = byLabel(run, 'Moscow');
    expect(moscow.dates.at(-1)).toBe('2023-12-01');
    expect(moscow.forecastDates).toEqual(['2024-01-01', '2024-02-01', '2024-03-01']);
    expect(moscow.notes).toContainEqual(expect.objectContaining({ code: 'PARTIAL_PERIOD', values: { period: '2024-01-01', through: '2024-01-15' } }));
    // A month whose data reach as far into it as in the months before is complete: the fixture's rows stop on the 20th.
    seedExtract(runtime.vault.db(), {
      name: 'deposits',
      columns: [{ name: 'id', pgType: 'bigint' }, { name: 'branch', pgType: 'text' }, { name: 'amount', pgType: 'numeric(14,2)' }, { name: 'opened', pgType: 'date' }],
      rows: [...depositRows(), [9999, 'Moscow', 500, '2024-01-20']],
      version: 3,
    });
    const full = await api.forecast.run({ spec: SPEC, horizon: 1 });
    expect(byLabel(full, 'Moscow').dates.at(-1)).toBe('2024-01-01');
    expect(byLabel(full, 'Moscow').notes.map((n) => n.code)).not.toContain('PARTIAL_PERIOD');
  });

  it('honours a chosen model and interval levels', async () => {
    const run = await api.forecast.run({ spec: { ...SPEC, filters: [{ field: 'branch', op: 'in', values: ['Moscow'] }] }, horizon: 6, model: 'ets', levels: [90] });
    expect(run.series).toHaveLength(1);
    const s = run.series[0]!;
    expect(s.family).toBe('ets');
    expect(s.model).toMatch(/^ETS\(/);
    expect(s.intervals.map((iv) => iv.level)).toEqual([90]);
    expect(s.calibration.map((c) => c.level)).toEqual([90]);
  });

  it('refuses specs it cannot forecast, naming the part to fix', async () => {
    const noGrain = await failure(api.forecast.run({ spec: { ...SPEC, dimensions: [{ field: 'branch' }] }, horizon: 3 }));
    expect(noGrain).toMatchObject({ code: 'INVALID_ANALYSIS', details: { path: 'dimensions' } });
    expect(noGrain.message).toMatch(/date field with a grain/);
    const twoMeasures = await failure(api.forecast.run({ spec: { ...SPEC, measures: [...SPEC.measures!, { agg: 'count', as: 'n' }] }, horizon: 3 }));
    expect(twoMeasures).toMatchObject({ code: 'INVALID_ANALYSIS', details: { path: 'measures' } });
    expect((await failure(api.forecast.run({ spec: { ...SPEC, extract: 'nope' }, horizon: 3 }))).code).toBe('NOT_FOUND');
    expect((await failure(api.forecast.run({ spec: SPEC, horizon: 0 }))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(api.forecast.run({ spec: SPEC, horizon: 3, model: 'magic' as never }))).code).toBe('INVALID_ARGUMENT');
  });
});

describe('saved runs', () => {
  it('saves, lists, reads back, exports the table as CSV under the policy, audits, and removes', async () => {
    const saved = await api.forecast.run({ spec: SPEC, horizon: 3, save: true, title: 'Deposits; next quarter' });
    expect(saved.id).toMatch(/^[0-9a-f-]{36}$/);
    const list = await api.forecast.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: saved.id, title: 'Deposits; next quarter', measure: 'total', summary: { series: 6 } });
    expect(list[0]).not.toHaveProperty('series');
    expect(await api.forecast.get(saved.id)).toEqual(saved);

    const ru = await api.forecast.exportTable(saved.id, { locale: 'ru' });
    expect(ru.content.startsWith('\uFEFFperiod;branch;kind;total;forecast;lower_80;upper_80;lower_95;upper_95;model\r\n')).toBe(true);
    expect(ru.filename).toBe('Deposits_ next quarter.csv');
    const forecastRows = ru.content.split('\r\n').slice(1).filter((l) => l.includes(';forecast;'));
    expect(forecastRows).toHaveLength(6 * 3);
    expect(forecastRows.find((l) => l.startsWith('2024-01-01;Flat;'))).toMatch(/^2024-01-01;Flat;forecast;;250;250;250;250;250;Constant$/);
    const moscowJan = byLabel(saved, 'Moscow').mean[0]!;
    const cell = forecastRows.find((l) => l.startsWith('2024-01-01;Moscow;'))!.split(';')[4]!;
    expect(Number(cell.replace(',', '.'))).toBeCloseTo(moscowJan, 4);
    const en = await api.forecast.exportTable(saved.id);
    expect(en.content).toContain('\r\n2024-01-01,Flat,forecast,,250,');
    expect(ru.rows).toBe(en.rows);

    const events = await api.audit.list({ limit: 10 });
    const exported = events.filter((e) => e.action === 'forecast.export');
    expect(exported).toHaveLength(2);
    expect(exported.map((e) => e.detail.sha256)).toContain(createHash('sha256').update(ru.content, 'utf8').digest('hex'));
    expect(events.some((e) => e.action === 'forecast.saved')).toBe(true);

    runtime.vault.db().prepare(`UPDATE extracts SET allowed_exports = '["pdf"]' WHERE name = 'deposits'`).run();
    const denied = await failure(api.forecast.exportTable(saved.id));
    expect(denied.code).toBe('NOT_PERMITTED');
    expect(denied.message).toMatch(/does not allow CSV/);

    await api.forecast.remove(saved.id);
    expect(await api.forecast.list()).toEqual([]);
    expect((await failure(api.forecast.get(saved.id))).code).toBe('NOT_FOUND');
  });

  it('keeps a saved run only as long as its extract may be read: lease end refuses it, a purge deletes it', async () => {
    const saved = await api.forecast.run({ spec: SPEC, horizon: 2, save: true });
    const db = runtime.vault.db();
    db.prepare(`UPDATE extracts SET lease_expires_at = '2020-01-01T00:00:00.000Z' WHERE name = 'deposits'`).run();
    expect((await failure(api.forecast.get(saved.id))).code).toBe('LEASE_EXPIRED');
    expect((await failure(api.forecast.exportTable(saved.id))).code).toBe('LEASE_EXPIRED');
    purgeExtract(db, getLocalExtract(db, 'deposits')!, 'revoked');
    expect(await api.forecast.list()).toEqual([]);
    expect((db.prepare('SELECT count(*) AS n FROM forecast_runs').get() as { n: number }).n).toBe(0);
  });
});

describe.skipIf(!existsSync(POOL_FILE))('worker threads', () => {
  it('answers exactly what the inline path answers, and can be cancelled', async () => {
    const inline = await api.forecast.run({ spec: SPEC, horizon: 6 });
    runtime.close();
    start(POOL_FILE);
    await seed();
    // Six series in batches of 16 would use one thread; many groups spread over both.
    const threaded = await api.forecast.run({ spec: SPEC, horizon: 6 });
    expect(threaded.series.map(({ label, mean, intervals, model }) => ({ label, mean, intervals, model }))).toEqual(
      inline.series.map(({ label, mean, intervals, model }) => ({ label, mean, intervals, model })),
    );
    const wide: AnalysisSpec = { ...SPEC, dimensions: [SPEC.dimensions![0]!, { field: 'id', bin: { width: 7 } }] };
    const pending = api.forecast.run({ spec: wide, horizon: 6, requestId: 'stop-me' });
    await new Promise((r) => setTimeout(r, 30));
    expect(await api.forecast.cancel('stop-me')).toBe(true);
    expect((await failure(pending)).code).toBe('CANCELLED');
    const again = await api.forecast.run({ spec: wide, horizon: 6 });
    expect(again.summary.threads).toBe(2);
    expect(again.series.length).toBeGreaterThan(40);
  });
});

describe.skipIf(!existsSync(join(ROOT, 'dist', 'electron', 'cli.cjs')))('strongroom forecast', () => {
  it('prints per series the forecasts with intervals, the model and the backtest; bad usage exits 2', async () => {
    const profileDir = runtime.vault.paths.dir;
    runtime.close();
    const specFile = join(tempProfile(), 'spec.json');
    writeFileSync(specFile, JSON.stringify(SPEC));
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, 'bin', 'strongroom.mjs'), ...args, '--profile', profileDir], { env: { ...process.env, STRONGROOM_PASSPHRASE: PASS }, encoding: 'utf8' });
    const json = cli('forecast', specFile, '--horizon', '6', '--levels', '80,95', '--json');
    expect(json.status, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as { series: Array<{ label: string; model: string; backtest: unknown; forecast: Array<Record<string, number | string>> }>; horizon: number };
    expect(out.horizon).toBe(6);
    expect(out.series.map((s) => s.label)).toEqual(['Flat', 'Gappy', 'Kazan', 'Moscow', 'New', 'Quiet']);
    const moscow = out.series.find((s) => s.label === 'Moscow')!;
    expect(moscow.backtest).toMatchObject({ origins: 3 });
    expect(moscow.forecast).toHaveLength(6);
    expect(Object.keys(moscow.forecast[0]!)).toEqual(['period', 'mean', 'lower_80', 'upper_80', 'lower_95', 'upper_95']);
    expect(moscow.forecast[0]!.period).toBe('2024-01-01');
    const row = moscow.forecast[0]! as Record<string, number>;
    expect(row.lower_95! <= row.lower_80! && row.lower_80! <= row.mean! && row.mean! <= row.upper_80! && row.upper_80! <= row.upper_95!).toBe(true);

    const text = cli('forecast', specFile, '--horizon', '2', '--model', 'theta');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^total by opened \(month\), 6 series, 2 periods ahead, model theta/);
    expect(text.stdout).toContain('Flat: Constant');
    expect(text.stdout).toContain('note: Every value is 250');

    const noHorizon = cli('forecast', specFile, '--json');
    expect(noHorizon.status).toBe(2);
    expect(JSON.parse(noHorizon.stdout)).toEqual({ error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('--horizon') } });
    writeFileSync(specFile, JSON.stringify({ ...SPEC, dimensions: [{ field: 'branch' }] }));
    const bad = cli('forecast', specFile, '--horizon', '3', '--json');
    expect(bad.status).toBe(2);
    expect(JSON.parse(bad.stdout).error.code).toBe('INVALID_ANALYSIS');
  }, 60_000);
});
