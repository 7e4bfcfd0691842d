/**
 * The first-run journey at full size, through the data worker thread as in the app: start the demo
 * warehouse (2M transactions), sync every extract as the analyst, then sync again (incremental).
 * `npm run bench -- journey` (BENCH_DEMO_SCALE to shrink it). Prints figures; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { WorkerConnection } from '../../electron/worker/connection.js';
import type { Api } from '../../shared/contracts/index.js';
import { createClient } from '../../shared/rpc/client.js';

const ROOT = resolve(__dirname, '..', '..');
const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;

async function main() {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${mib(totalmem())} RAM, Node ${process.version}`);
  const profileDir = mkdtempSync(join(tmpdir(), 'strongroom-journey-'));
  const scale = Number(process.env.BENCH_DEMO_SCALE ?? 1);
  const worker = new WorkerConnection(join(ROOT, 'dist', 'electron', 'worker.cjs'), { profileDir, scryptN: 2 ** 14, demoScale: scale });
  const { api } = createClient<Api>(worker.transport());
  try {
    await api.session.create({ passphrase: 'journey benchmark' });
    let t = Date.now();
    const c = await api.connections.startDemo({ role: 'analyst', scale });
    console.log(`demo warehouse (scale ${scale}) ready in ${((Date.now() - t) / 1000).toFixed(1)} s; RSS ${mib(process.memoryUsage().rss)}`);
    t = Date.now();
    const first = await api.sync.run({ connectionId: c.id });
    for (const r of first.results) {
      console.log(`  ${r.name.padEnd(16)} ${r.status} ${r.mode ?? ''} ${String(r.rowCount).padStart(8)} rows in ${String(r.durationMs).padStart(6)} ms${r.hiddenColumns?.length ? `; withheld: ${r.hiddenColumns.join(', ')}` : ''}`);
    }
    console.log(`first sync of all extracts: ${((Date.now() - t) / 1000).toFixed(1)} s; RSS ${mib(process.memoryUsage().rss)}`);
    t = Date.now();
    const second = await api.sync.run({ connectionId: c.id });
    console.log(`second sync: ${((Date.now() - t) / 1000).toFixed(2)} s (${second.results.map((r) => `${r.name} ${r.mode}`).join(', ')})`);
    console.log(`cache on disk: ${mib((await api.cache.status()).sizeBytes)}`);
  } finally {
    await worker.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
}

void main();
