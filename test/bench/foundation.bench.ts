/**
 * Foundation benchmark: what unlocking costs, how opening scales with cache size (the integrity check
 * reads every page), and RPC latency over each transport. Prints figures; asserts nothing.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { startHost } from '../../electron/host/server.js';
import { WorkerConnection } from '../../electron/worker/connection.js';
import { DEFAULT_SCRYPT, unwrapWithPassphrase, wrapWithPassphrase } from '../../electron/worker/db/keyfile.js';
import { createWorkerRuntime } from '../../electron/worker/runtime.js';
import { Vault } from '../../electron/worker/vault.js';
import type { Api } from '../../shared/contracts/index.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';

const ROOT = resolve(__dirname, '..', '..');
const PASS = 'benchmark passphrase';
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

async function time<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}

async function latency(label: string, call: () => Promise<unknown>, n = 3000) {
  for (let i = 0; i < 200; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  console.log(`  ${label.padEnd(34)} p50 ${pct(samples, 50).toFixed(3)} ms   p95 ${pct(samples, 95).toFixed(3)} ms   (${n} calls)`);
}

async function main() {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${mib(totalmem())} RAM, Node ${process.version}, ${process.platform}/${process.arch}`);

  console.log('\nkey wrapping (scrypt N=2^17, r=8, p=1, the product default)');
  const key = Buffer.alloc(32, 1);
  const [wrapper, wrapMs] = await time(() => wrapWithPassphrase(key, PASS, DEFAULT_SCRYPT));
  const unwrapRuns: number[] = [];
  for (let i = 0; i < 5; i++) unwrapRuns.push((await time(() => unwrapWithPassphrase(wrapper, PASS)))[1]);
  const wrongRuns: number[] = [];
  for (let i = 0; i < 3; i++) wrongRuns.push((await time(() => unwrapWithPassphrase(wrapper, 'wrong').catch(() => null)))[1]);
  console.log(`  wrap ${wrapMs.toFixed(0)} ms; unwrap median ${unwrapRuns.sort((a, b) => a - b)[2]!.toFixed(0)} ms; wrong passphrase rejected in ${wrongRuns.sort((a, b) => a - b)[1]!.toFixed(0)} ms`);
  console.log(`  => one guess costs ~${unwrapRuns[2]!.toFixed(0)} ms and 128 MiB on this machine, before the app's own throttling`);

  console.log('\ncache open (unlock = scrypt + open + read check + quick_check of every page + migrate)');
  for (const rows of [0, 250_000, 1_000_000]) {
    const dir = mkdtempSync(join(tmpdir(), 'strongroom-bench-'));
    try {
      const vault = new Vault({ profileDir: dir });
      const [, createMs] = await time(() => vault.create(PASS));
      if (rows) {
        const db = vault.db();
        db.exec('CREATE TABLE tx (id INTEGER PRIMARY KEY, branch INTEGER, amount REAL, channel TEXT, booked_at TEXT)');
        const insert = db.prepare('INSERT INTO tx (branch, amount, channel, booked_at) VALUES (?, ?, ?, ?)');
        db.transaction(() => {
          for (let i = 0; i < rows; i++) insert.run(i % 30, (i * 7919) % 100000 / 100, ['atm', 'card', 'branch', 'online'][i % 4], `2025-${String((i % 12) + 1).padStart(2, '0')}-15`);
        })();
        db.pragma('wal_checkpoint(TRUNCATE)');
      }
      await vault.lock();
      const size = statSync(join(dir, 'strongroom.db')).size;
      const [, unlockMs] = await time(() => vault.unlock(PASS));
      await vault.lock();
      console.log(`  ${String(rows).padStart(9)} rows, ${mib(size).padStart(9)} on disk: create ${createMs.toFixed(0)} ms, unlock ${unlockMs.toFixed(0)} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  console.log('\nRPC round trip, session.state (validation + dispatch)');
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-bench-'));
  try {
    const runtime = createWorkerRuntime({ profileDir: dir, scrypt: { N: 2 ** 14, r: 8, p: 1 } });
    const { api } = createClient<Api>(createLoopbackTransport((r) => runtime.publicServer.handle(r)));
    await api.session.create({ passphrase: PASS });
    await latency('in-process loopback (CLI)', () => api.session.state());
    await latency('in-process, cache.status', () => api.cache.status());
    runtime.close();

    const worker = new WorkerConnection(join(ROOT, 'dist', 'electron', 'worker.cjs'), { profileDir: dir });
    await latency('worker thread (app and host)', () => worker.request({ t: 'req', id: 1, service: 'session', method: 'state', args: [] }));
    const host = await startHost({ worker, rendererDir: join(ROOT, 'dist', 'renderer') });
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc`, ['strongroom.v1', `strongroom.token.${host.token}`], { origin: host.origin });
    await new Promise((r) => ws.once('open', r));
    let id = 0;
    await latency('browser host WebSocket + worker', () => {
      const myId = ++id;
      return new Promise<void>((done) => {
        const onMessage = (data: WebSocket.RawData) => {
          if ((JSON.parse(data.toString()) as { id: number }).id === myId) {
            ws.off('message', onMessage);
            done();
          }
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ t: 'req', id: myId, service: 'session', method: 'state', args: [] }));
      });
    });
    ws.close();
    await host.close();
    await worker.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\npeak RSS of this process: ${mib(process.resourceUsage().maxRSS * 1024)}`);
}

void main();
