/**
 * Query benchmark (`npm run bench:query`): the analysis engine on a synthetic bank `transactions`
 * extract, in-memory columnar copy ('memory') against plain SQLite on the encrypted cache ('sqlite'),
 * with DuckDB on the identical rows as the outside yardstick. Prints figures; asserts nothing.
 *
 * Per size (BENCH_ROWS, default "1000000,10000000"):
 * 1. a child process creates an encrypted profile in-process (createWorkerRuntime) and seeds the
 *    extract from the generator in query-suite.ts (child, so seeding's memory stays out of our RSS);
 * 2. this process opens the profile in the data worker thread exactly as the app does, warms the
 *    in-memory copy and runs the suite (query-suite.ts) BENCH_REPEAT times (default 20) per mode with
 *    noCache, sampling RSS every 50 ms (the worker thread shares this process), then the result cache;
 * 3. a child process (query-duckdb.ts) loads the same rows into in-memory DuckDB and runs each
 *    entry's hand-written SQL as many times;
 * 4. a table: p50/p95 per engine, ratios, targets (p95 < 100 ms at ≤1M rows, < 500 ms above; RSS <
 *    1 GiB) and a cross-check of row counts and the first measure's checksum between engines.
 *
 * Env: BENCH_ROWS, BENCH_REPEAT, BENCH_SQLITE_REPEAT (default BENCH_REPEAT up to 2M rows, else 3),
 * BENCH_DUCKDB_THREADS, BENCH_SKIP_DUCKDB=1, BENCH_SKIP_SQLITE=1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { WorkerConnection } from '../../electron/worker/connection.js';
import { createWorkerRuntime } from '../../electron/worker/runtime.js';
import { analysisSpecSchema, type AnalysisResult } from '../../shared/analysis/spec.js';
import type { AnalysisMode, Api, MemoryCopy } from '../../shared/contracts/index.js';
import { createClient } from '../../shared/rpc/client.js';
import { seedExtract } from '../helpers/seed-extract.js';
import type { DuckdbReport } from './query-duckdb.js';
import { cacheRows, checksum, COLUMNS, EXTRACT, fingerprintJson, fingerprintSqlite, NOW, SUITE } from './query-suite.js';

const ROOT = resolve(__dirname, '..', '..');
const WORKER = join(ROOT, 'dist', 'electron', 'worker.cjs');
const PASS = 'benchmark passphrase';
const SCRYPT_N = 2 ** 14; // the tests' cheap setting; unlock cost is foundation.bench's subject
const SIZES = (process.env.BENCH_ROWS ?? '1000000,10000000').split(',').map((s) => Math.round(Number(s.trim().replace(/_/g, ''))));
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 20));
const sqliteRepeat = (rows: number) => Math.max(1, Number(process.env.BENCH_SQLITE_REPEAT ?? (rows > 2_000_000 ? Math.min(3, REPEAT) : REPEAT)));
const targetMs = (rows: number) => (rows <= 1_000_000 ? 100 : 500);
const RSS_TARGET = 1024 ** 3;

const mib = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
const count = (n: number) => n.toLocaleString('en');
const ms = (v: number | undefined) => (v === undefined ? '—' : v < 10 ? v.toFixed(2) : v < 1000 ? v.toFixed(1) : v.toFixed(0));
const pct = (samples: number[], p: number): number | undefined => {
  if (!samples.length) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((sorted.length * p) / 100) - 1)]!;
};
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

interface Answer {
  rowCount: number;
  checksum: number | null;
}
interface ModeRun {
  samples: number[];
  /** The engine's own elapsedMs per timed run (excludes RPC and structured clone). */
  engine: number[];
  answer?: Answer;
  error?: string;
}
interface Ours {
  error?: string;
  warm?: MemoryCopy & { callerMs: number };
  rssAfterUnlock: number;
  peakRss: number;
  /** Peak RSS while loading the in-memory copy, running memory-mode analyses, running sqlite-mode ones. */
  phasePeak: Record<'warm' | 'memory' | 'sqlite', number>;
  memory: Map<string, ModeRun>;
  sqlite: Map<string, ModeRun>;
  cacheHit: Map<string, { ms: number; cached: boolean }>;
}

// ---------------------------------------------------------------------------------------------------
// 1. Seeding (child process)

async function seedChild(profileDir: string, rows: number) {
  const t0 = performance.now();
  const runtime = createWorkerRuntime({ profileDir, scrypt: { N: SCRYPT_N, r: 8, p: 1 } });
  await runtime.vault.create(PASS);
  const seeded = seedExtract(runtime.vault.db(), { name: EXTRACT, columns: [...COLUMNS], rows: cacheRows(rows) });
  const seedMs = performance.now() - t0;
  const fingerprint = fingerprintJson(runtime.vault.db().prepare(fingerprintSqlite(seeded.table)).get() as Record<string, unknown>);
  runtime.close();
  let bytes = 0;
  for (const f of readdirSync(profileDir)) if (f.startsWith('strongroom.db')) bytes += statSync(join(profileDir, f)).size;
  process.stdout.write(`${JSON.stringify({ rows: seeded.rows, seedMs, bytes, fingerprint })}\n`);
}

function runChild(args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done(out.trim().split('\n').pop() ?? '') : fail(new Error(`${args[0]} exited with ${code}`))));
  });
}

// ---------------------------------------------------------------------------------------------------
// 2. Ours, through the data worker thread

function answerOf(result: AnalysisResult, measure: string | undefined): Answer {
  const i = measure === undefined ? -1 : result.columns.findIndex((c) => c.name === measure);
  return { rowCount: result.rowCount, checksum: i < 0 ? null : checksum(result.data[i] ?? []) };
}

async function runOurs(profileDir: string, rows: number): Promise<Ours> {
  const rss = () => process.memoryUsage().rss;
  const out: Ours = { rssAfterUnlock: 0, peakRss: rss(), phasePeak: { warm: 0, memory: 0, sqlite: 0 }, memory: new Map(), sqlite: new Map(), cacheHit: new Map() };
  let phase: keyof Ours['phasePeak'] | null = null;
  const sample = () => {
    const now = rss();
    out.peakRss = Math.max(out.peakRss, now);
    if (phase) out.phasePeak[phase] = Math.max(out.phasePeak[phase], now);
  };
  const enter = (p: typeof phase) => {
    sample();
    phase = p;
    sample();
  };
  const sampler = setInterval(sample, 50);
  const worker = new WorkerConnection(WORKER, { profileDir, scryptN: SCRYPT_N });
  const { api } = createClient<Api>(worker.transport());
  try {
    await api.session.unlock({ passphrase: PASS });
    out.rssAfterUnlock = rss();
    try {
      enter('warm');
      const t0 = performance.now();
      const copy = await api.analysis.warm(EXTRACT);
      out.warm = { ...copy, callerMs: performance.now() - t0 };
      if (copy.state !== 'ready') console.log(`  warm: state ${copy.state}${copy.error ? ` (${copy.error})` : ''}`);
    } catch (err) {
      out.error = `api.analysis.warm failed: ${describe(err)}`;
      return out;
    }
    const w = out.warm;
    console.log(
      `  ours: in-memory copy loaded in ${ms(w.loadMs ?? undefined)} ms (caller ${ms(w.callerMs)} ms), ${mib(w.bytes)} (${(w.bytes / Math.max(1, w.rows)).toFixed(1)} B/row), ` +
        `${count(Math.round(w.rows / ((w.loadMs ?? w.callerMs) / 1000)))} rows/s; RSS ${mib(rss())}`,
    );

    const run = async (entry: (typeof SUITE)[number], mode: AnalysisMode, n: number, warmUp: boolean): Promise<ModeRun> => {
      const r: ModeRun = { samples: [], engine: [] };
      const measure = entry.spec.measures?.[0]?.as;
      try {
        if (warmUp) r.answer = answerOf(await api.analysis.run(entry.spec, { mode, noCache: true, now: NOW }), measure);
        for (let i = 0; i < n; i++) {
          const t = performance.now();
          const result = await api.analysis.run(entry.spec, { mode, noCache: true, now: NOW });
          r.samples.push(performance.now() - t);
          r.engine.push(result.elapsedMs);
          r.answer ??= answerOf(result, measure);
          if (result.engine !== mode) r.error = `answered by engine '${result.engine}', not '${mode}'`;
        }
      } catch (err) {
        r.error = describe(err);
      }
      return r;
    };
    enter('memory');
    for (const entry of SUITE) {
      const r = await run(entry, 'memory', REPEAT, true);
      out.memory.set(entry.id, r);
      process.stderr.write(`  memory ${entry.id}: p50 ${ms(pct(r.samples, 50))} ms${r.error ? ` — ${r.error}` : ''}\n`);
    }
    // The result cache: the same spec twice without noCache; the second should be a hit.
    for (const entry of SUITE) {
      await api.analysis.run(entry.spec, { mode: 'memory', now: NOW }).catch(() => null);
      const t = performance.now();
      const again = await api.analysis.run(entry.spec, { mode: 'memory', now: NOW }).catch(() => null);
      if (again) out.cacheHit.set(entry.id, { ms: performance.now() - t, cached: again.cached });
    }
    if (!process.env.BENCH_SKIP_SQLITE) {
      const n = sqliteRepeat(rows);
      enter('sqlite');
      for (const entry of SUITE) {
        const r = await run(entry, 'sqlite', n, false);
        out.sqlite.set(entry.id, r);
        process.stderr.write(`  sqlite ${entry.id}: p50 ${ms(pct(r.samples, 50))} ms${r.error ? ` — ${r.error}` : ''}\n`);
      }
    }
    return out;
  } finally {
    enter(null);
    clearInterval(sampler);
    await worker.close();
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`;
}

// ---------------------------------------------------------------------------------------------------
// 3. DuckDB (child process)

async function buildDuckdbChild(dir: string): Promise<string> {
  const outfile = join(dir, 'query-duckdb.cjs');
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['test/bench/query-duckdb.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

// ---------------------------------------------------------------------------------------------------
// 4. Report

function same(a: Answer | undefined, b: Answer | undefined): boolean | undefined {
  if (!a || !b) return undefined;
  if (a.rowCount !== b.rowCount) return false;
  if (a.checksum === null || b.checksum === null) return a.checksum === b.checksum;
  return Math.abs(a.checksum - b.checksum) <= 1e-6 * Math.max(1, Math.abs(a.checksum), Math.abs(b.checksum));
}

function printTable(rows: number, ours: Ours, duck: DuckdbReport | null) {
  const target = targetMs(rows);
  const header = ['analysis', 'rows', 'memory p50/p95', 'engine p50', 'sqlite p50/p95', 'duckdb p50/p95', 'sqlite÷ours', 'ours÷duckdb', `p95<${target}`, 'answers'];
  const lines: string[][] = [header];
  const mismatches: string[] = [];
  let held = 0;
  let measured = 0;
  for (const entry of SUITE) {
    const m = ours.memory.get(entry.id);
    const s = ours.sqlite.get(entry.id);
    const d = duck?.queries.find((q) => q.id === entry.id);
    const dAnswer = d && !d.error ? { rowCount: d.rowCount, checksum: d.checksum } : undefined;
    const [m50, m95] = [pct(m?.samples ?? [], 50), pct(m?.samples ?? [], 95)];
    const [s50, s95] = [pct(s?.samples ?? [], 50), pct(s?.samples ?? [], 95)];
    const [d50, d95] = [pct(d?.samples ?? [], 50), pct(d?.samples ?? [], 95)];
    const checks: string[] = [];
    const vsSqlite = same(m?.answer, s?.answer);
    const vsDuck = same(m?.answer ?? s?.answer, dAnswer);
    if (vsSqlite === false) mismatches.push(`${entry.id}: memory ${fmtAnswer(m?.answer)} vs sqlite ${fmtAnswer(s?.answer)}`);
    if (vsDuck === false) mismatches.push(`${entry.id}: ours ${fmtAnswer(m?.answer ?? s?.answer)} vs duckdb ${fmtAnswer(dAnswer)}`);
    if (vsSqlite !== undefined) checks.push(vsSqlite ? 'mem=sqlite' : 'MEM≠SQLITE');
    if (vsDuck !== undefined) checks.push(vsDuck ? '=duckdb' : '≠DUCKDB');
    for (const [label, r] of [['memory', m], ['sqlite', s]] as const) if (r?.error) mismatches.push(`${entry.id}: ${label}: ${r.error}`);
    if (d?.error) mismatches.push(`${entry.id}: duckdb: ${d.error}`);
    if (m95 !== undefined) {
      measured++;
      if (m95 < target) held++;
    }
    lines.push([
      entry.id,
      String(m?.answer?.rowCount ?? s?.answer?.rowCount ?? dAnswer?.rowCount ?? '—'),
      `${ms(m50)} / ${ms(m95)}`,
      ms(pct(m?.engine ?? [], 50)),
      `${ms(s50)} / ${ms(s95)}`,
      `${ms(d50)} / ${ms(d95)}`,
      m50 && s50 ? `${(s50 / m50).toFixed(1)}×` : '—',
      m50 && d50 ? `${(m50 / d50).toFixed(2)}×` : '—',
      m95 === undefined ? '—' : m95 < target ? 'yes' : 'NO',
      checks.join(' ') || '—',
    ]);
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  console.log(`\n  ${count(rows)} rows — milliseconds from the caller's side (RPC to the worker thread and structured clone included);`);
  console.log(`  memory/sqlite: ours (×${REPEAT} / ×${sqliteRepeat(rows)}, noCache); ${duck ? `duckdb ×${REPEAT} in-memory, ${duck.threads} threads` : 'duckdb not run'}; engine p50 = the service's own elapsedMs`);
  for (const [i, l] of lines.entries()) {
    console.log(`  ${l.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ')}`);
    if (i === 0) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  }
  const hits = [...ours.cacheHit.values()];
  if (hits.length) {
    const t = hits.map((h) => h.ms);
    console.log(`  result cache hit (second identical run without noCache): p50 ${ms(pct(t, 50))} ms, max ${ms(Math.max(...t))} ms; cached=true on ${hits.filter((h) => h.cached).length}/${hits.length}`);
  }
  if (ours.warm) {
    const w = ours.warm;
    console.log(`  in-memory copy: ${count(w.rows)} rows, load ${ms(w.loadMs ?? undefined)} ms, ${mib(w.bytes)}`);
  }
  if (ours.error) console.log(`  ours: NOT MEASURED — ${ours.error}`);
  else {
    const p = ours.phasePeak;
    console.log(`  peak RSS (this process + data worker and reader threads): ${mib(ours.peakRss)}; after unlock ${mib(ours.rssAfterUnlock)}, ` +
      `peak while warming ${mib(p.warm)}, memory runs ${mib(p.memory)}, sqlite runs ${p.sqlite ? mib(p.sqlite) : '—'}`);
    console.log(`  targets: memory p95 < ${target} ms held by ${held}/${measured} analyses${measured && held === measured ? ' — holds' : measured ? ' — does NOT hold' : ''}; ` +
      `RSS < 1 GiB ${ours.peakRss < RSS_TARGET ? 'holds' : 'does NOT hold'} (${mib(ours.peakRss)} overall; ` +
      `${mib(Math.max(p.warm, p.memory))} while warming and running in memory, ${Math.max(p.warm, p.memory) < RSS_TARGET ? 'within' : 'over'} the target)`);
  }
  if (duck) console.log(`  duckdb ${duck.version}: load ${ms(duck.loadMs)} ms via appender, child peak RSS ${mib(duck.peakRss)}`);
  if (mismatches.length) {
    console.log('  answer checks / errors:');
    for (const m of mismatches) console.log(`    - ${m}`);
  } else if (!ours.error) console.log('  answer checks: row counts and first-measure checksums agree across engines');
}

function fmtAnswer(a: Answer | undefined) {
  return a ? `${a.rowCount} rows, Σ${a.checksum}` : '—';
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  if (process.argv[2] === '--seed') return seedChild(process.argv[3]!, Number(process.argv[4]));

  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${mib(totalmem())} RAM, Node ${process.version}; load average ${load()} ` +
    `(shared machine: other jobs may be running, so treat figures as indicative)`);
  for (const entry of SUITE) {
    const parsed = analysisSpecSchema.safeParse(entry.spec);
    if (!parsed.success) console.log(`  suite entry ${entry.id}: spec does not parse: ${parsed.error.message}`);
  }
  const serviceSrc = join(ROOT, 'electron', 'worker', 'services', 'analysis.ts');
  if (!existsSync(serviceSrc)) console.log('  note: electron/worker/services/analysis.ts does not exist yet; ours will likely not be measurable');
  else if (statSync(serviceSrc).mtimeMs > statSync(WORKER).mtimeMs) console.log('  warning: the analysis service is newer than dist/electron/worker.cjs — run `npm run build` first');

  const tmp = mkdtempSync(join(tmpdir(), 'strongroom-bench-query-'));
  try {
    const duckdbChild = process.env.BENCH_SKIP_DUCKDB ? null : await buildDuckdbChild(tmp);
    for (const rows of SIZES) {
      console.log(`\n== ${count(rows)} rows == (load average ${load()})`);
      const profileDir = join(tmp, `profile-${rows}`);
      const seeded = JSON.parse(await runChild([process.argv[1]!, '--seed', profileDir, String(rows)])) as { rows: number; seedMs: number; bytes: number; fingerprint: string };
      console.log(
        `  seeded ${count(seeded.rows)} rows × ${COLUMNS.length} columns into the encrypted cache in ${(seeded.seedMs / 1000).toFixed(1)} s ` +
          `(${count(Math.round(seeded.rows / (seeded.seedMs / 1000)))} rows/s, generation included); cache file ${mib(seeded.bytes)}`,
      );
      const ours = await runOurs(profileDir, rows);
      rmSync(profileDir, { recursive: true, force: true });
      let duck: DuckdbReport | null = null;
      if (duckdbChild) {
        try {
          duck = JSON.parse(await runChild([duckdbChild, String(rows), String(REPEAT)])) as DuckdbReport;
          console.log(duck.fingerprint === seeded.fingerprint
            ? '  duckdb holds the same rows as the cache (table fingerprints agree)'
            : `  WARNING: duckdb's rows differ from the cache's:\n    cache  ${seeded.fingerprint}\n    duckdb ${duck.fingerprint}`);
        } catch (err) {
          console.log(`  duckdb: failed — ${describe(err)}`);
        }
      }
      printTable(rows, ours, duck);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`\nload average at the end: ${load()}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
