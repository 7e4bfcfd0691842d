/**
 * The analysis service as the app and the CLI run it: in the data worker thread, with cache SQL in
 * the reader thread (cancellable), and the `strongroom query` command.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkerConnection } from '../../electron/worker/connection.js';
import { createWorkerRuntime } from '../../electron/worker/runtime.js';
import type { Api } from '../../shared/contracts/index.js';
import type { StrongroomError } from '../../shared/errors.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';
import { TX_COLUMNS, txRows } from '../helpers/analysis-data.js';
import { TEST_SCRYPT, tempProfile } from '../helpers/profile.js';
import { seedExtract } from '../helpers/seed-extract.js';

const ROOT = resolve(__dirname, '..', '..');
const PASS = 'worker analysis passphrase';

async function seededProfile(rows: number): Promise<string> {
  const profileDir = tempProfile();
  const runtime = createWorkerRuntime({ profileDir, scrypt: TEST_SCRYPT });
  const { api } = createClient<Api>(createLoopbackTransport((r) => runtime.server.handle(r)));
  await api.session.create({ passphrase: PASS });
  seedExtract(runtime.vault.db(), { name: 'tx', columns: [...TX_COLUMNS], rows: txRows(rows) });
  runtime.close();
  return profileDir;
}

describe('in the worker thread', () => {
  it('a slow cache query can be cancelled, and the next one runs', async () => {
    const profileDir = await seededProfile(200_000);
    const worker = new WorkerConnection(join(ROOT, 'dist', 'electron', 'worker.cjs'), { profileDir });
    try {
      const { api } = createClient<Api>(worker.transport());
      await api.session.unlock({ passphrase: PASS });
      // Distinct strings built per row: seconds of SQLite work, long enough to cancel mid-way.
      const heavy = {
        extract: 'tx',
        calculated: [{ name: 'k', expr: "UPPER([branch]) & LOWER([category]) & UPPER([channel]) & REPLACE([category], 'a', 'b') & LOWER([branch])" }],
        dimensions: [{ field: 'channel' }],
        measures: [{ agg: 'count_distinct' as const, field: 'k', as: 'n' }, { agg: 'median' as const, field: 'amount', as: 'm' }],
      };
      const started = Date.now();
      const running = api.analysis.run(heavy, { mode: 'sqlite', requestId: 'r1' }).then(
        () => null,
        (e: StrongroomError) => e,
      );
      await new Promise((r) => setTimeout(r, 150));
      // The worker answers other calls while the reader thread is busy.
      expect((await api.session.state()).status).toBe('unlocked');
      expect(await api.analysis.cancel('r1')).toBe(true);
      const err = await running;
      expect(err?.code).toBe('CANCELLED');
      console.log(`cancelled after ${Date.now() - started} ms`);
      expect(await api.analysis.cancel('r1')).toBe(false);
      const after = await api.analysis.run({ extract: 'tx', measures: [{ agg: 'count', as: 'n' }] }, { mode: 'sqlite' });
      expect(after.data).toEqual([[200_000]]);
      // And the in-memory engine, loaded in the worker, agrees.
      const copy = await api.analysis.warm('tx');
      expect(copy).toMatchObject({ extract: 'tx', state: 'ready', rows: 200_000 });
      expect(copy.bytes).toBeGreaterThan(0);
      const mem = await api.analysis.run({ extract: 'tx', measures: [{ agg: 'count', as: 'n' }] }, { mode: 'memory', noCache: true });
      expect(mem).toMatchObject({ engine: 'memory', data: [[200_000]] });
    } finally {
      await worker.close();
    }
  }, 120_000);

  it('strongroom query prints JSON and CSV, and a bad spec exits 2 naming the path', async () => {
    const profileDir = await seededProfile(500);
    const dir = tempProfile();
    const specFile = join(dir, 'spec.json');
    writeFileSync(specFile, JSON.stringify({ extract: 'tx', dimensions: [{ field: 'channel' }], measures: [{ agg: 'count', as: 'n' }], sort: [{ by: 'n', dir: 'desc' }], limit: 2 }));
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, 'bin', 'strongroom.mjs'), ...args, '--profile', profileDir], { env: { ...process.env, STRONGROOM_PASSPHRASE: PASS }, encoding: 'utf8' });

    const json = cli('query', specFile, '--format', 'json');
    expect(json.status, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as { columns: unknown[]; rows: unknown[][] };
    expect(parsed.columns).toEqual([{ name: 'channel', type: 'string' }, { name: 'n', type: 'number' }]);
    expect(parsed.rows).toHaveLength(2);
    expect((parsed.rows[0]![1] as number) >= (parsed.rows[1]![1] as number)).toBe(true);
    expect(json.stderr).toContain('only the first 2 rows');

    const csv = cli('query', specFile, '--format', 'csv');
    expect(csv.status).toBe(0);
    const lines = csv.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe('channel,n');
    expect(lines.slice(1)).toEqual(parsed.rows.map((r) => r.join(',')));

    writeFileSync(specFile, JSON.stringify({ extract: 'tx', dimensions: [{ field: 'chanel' }] }));
    const bad = cli('query', specFile, '--json');
    expect(bad.status).toBe(2);
    expect(JSON.parse(bad.stdout)).toEqual({ error: { code: 'INVALID_ANALYSIS', message: expect.stringContaining('dimensions[0].field') } });
  }, 60_000);
});
