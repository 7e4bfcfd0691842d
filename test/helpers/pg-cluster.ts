import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private, throwaway PostgreSQL cluster listening on 127.0.0.1 (see {@link startPgCluster}). */
export interface PgCluster {
  host: '127.0.0.1';
  port: number;
  /** Connection URL of the superuser `postgres` (scram-sha-256 password) to database `postgres`. */
  adminUrl: string;
  /** Connection URL for any role and password; the database defaults to `postgres`. */
  url(user: string, password: string, db?: string): string;
  /** Runs SQL (several statements allowed, psql meta-commands too) as the superuser with ON_ERROR_STOP; rejects with psql's stderr. */
  psql(sql: string): Promise<void>;
  /** Stops the server (`pg_ctl stop -m fast`) and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

interface PgBinaries {
  bin: string;
  version: number;
}

const SUPERUSER = 'postgres';

/** Where PostgreSQL's binaries are: `$STRONGROOM_PG_BIN` if set, else the newest Debian `/usr/lib/postgresql/<n>/bin` (15 or newer). */
function findBinaries(): PgBinaries | { reason: string } {
  const fromEnv = process.env.STRONGROOM_PG_BIN;
  const candidates: PgBinaries[] = [];
  // An explicit folder is used alone: a typo there should not quietly test another installation.
  if (fromEnv) candidates.push({ bin: fromEnv, version: Number.POSITIVE_INFINITY });
  const root = '/usr/lib/postgresql';
  if (!fromEnv && existsSync(root)) {
    for (const name of readdirSync(root)) {
      const version = Number(name);
      if (Number.isInteger(version)) candidates.push({ bin: join(root, name, 'bin'), version });
    }
  }
  candidates.sort((a, b) => b.version - a.version);
  const found = candidates.find((c) => ['initdb', 'pg_ctl', 'postgres', 'psql'].every((b) => existsSync(join(c.bin, b))));
  if (!found) return { reason: `no PostgreSQL server binaries (initdb, pg_ctl, postgres, psql) in ${fromEnv ?? `${root}/<version>/bin`}; install postgresql (Debian: apt-get install postgresql)` };
  if (found.version < 15) return { reason: `PostgreSQL ${found.version} found in ${found.bin}; warehouse/install.sql needs 15 or newer` };
  return found;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** uid and gid of the `postgres` OS user, which runs the server when we are root (initdb refuses root). */
function postgresUser(): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', SUPERUSER], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', SUPERUSER], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Whether {@link startPgCluster} can work here, and if not, why (missing binaries, no `postgres` user or `runuser` as root). */
export function pgAvailable(): { ok: boolean; reason?: string } {
  const found = findBinaries();
  if ('reason' in found) return { ok: false, reason: found.reason };
  if (isRoot()) {
    if (!postgresUser()) return { ok: false, reason: 'running as root and there is no "postgres" OS user to run the server as' };
    if (spawnSync('runuser', ['--help'], { stdio: 'ignore' }).error) return { ok: false, reason: 'running as root and runuser is missing' };
  }
  return { ok: true };
}

/**
 * For `describe.runIf(pgOrSkip('…'))`: true when PostgreSQL is usable. Otherwise prints why the suite
 * is skipped and returns false, except under CI (`process.env.CI` set), where a missing PostgreSQL is
 * a broken machine and this throws, failing the test file.
 */
export function pgOrSkip(suite: string): boolean {
  const { ok, reason } = pgAvailable();
  if (ok) return true;
  if (process.env.CI) throw new Error(`${suite}: PostgreSQL is required on CI: ${reason}`);
  console.log(`skipping ${suite}: ${reason}`);
  return false;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; asPostgres?: boolean } = {}): Promise<RunResult> {
  const [file, argv] = options.asPostgres && isRoot() ? ['runuser', ['-u', SUPERUSER, '--', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// Clusters still running when the test process exits (a crash, a forgotten stop()) are killed here so
// no postgres outlives the run; the directory goes with them.
const running = new Map<string, { pgCtl: string; data: string }>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [dir, { pgCtl, data }] of running) {
      const args = ['stop', '-D', data, '-m', 'immediate', '-w'];
      if (isRoot()) spawnSync('runuser', ['-u', SUPERUSER, '--', pgCtl, ...args], { stdio: 'ignore' });
      else spawnSync(pgCtl, args, { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/**
 * Starts a private PostgreSQL cluster for one test file: `initdb` into a fresh temp directory
 * (scram-sha-256 for TCP, a random superuser password, peer/trust nowhere), `pg_ctl start` on a free
 * port on 127.0.0.1 with its unix socket inside that directory. As root the server runs as the
 * `postgres` OS user through runuser. Durability is switched off (fsync, full_page_writes): the data is
 * thrown away. Call `stop()` in afterAll.
 */
/** Options for {@link startPgCluster}. */
export interface PgClusterOptions {
  /** Serve TLS with this certificate and key (PEM); the key is copied into the data folder, mode 0600. */
  tls?: { cert: string; key: string };
}

export async function startPgCluster(clusterOptions: PgClusterOptions = {}): Promise<PgCluster> {
  const found = findBinaries();
  if ('reason' in found) throw new Error(found.reason);
  const { bin } = found;
  const owner = isRoot() ? postgresUser() : undefined;
  if (isRoot() && !owner) throw new Error('running as root and there is no "postgres" OS user');

  const dir = mkdtempSync(join(tmpdir(), 'strongroom-pg-'));
  const data = join(dir, 'data');
  const sockets = join(dir, 'sockets');
  const pwfile = join(dir, 'pwfile');
  const log = join(dir, 'server.log');
  const password = randomBytes(18).toString('base64url');
  mkdirSync(sockets);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  writeFileSync(log, '');
  if (owner) for (const p of [dir, sockets, pwfile, log]) chownSync(p, owner.uid, owner.gid);
  chmodSync(dir, 0o700);

  const fail = async (what: string, r: RunResult): Promise<never> => {
    const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-4000) : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${what} failed (exit ${r.code}): ${r.stderr || r.stdout}\n${serverLog}`);
  };

  const init = await run(
    join(bin, 'initdb'),
    ['-D', data, '-U', SUPERUSER, `--pwfile=${pwfile}`, '--auth-host=scram-sha-256', '--auth-local=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync'],
    { asPostgres: true },
  );
  if (init.code !== 0) await fail('initdb', init);
  rmSync(pwfile, { force: true });
  const tlsFlags: string[] = [];
  if (clusterOptions.tls) {
    const cert = join(data, 'server.crt');
    const key = join(data, 'server.key');
    writeFileSync(cert, clusterOptions.tls.cert, { mode: 0o600 });
    writeFileSync(key, clusterOptions.tls.key, { mode: 0o600 });
    if (owner) for (const f of [cert, key]) chownSync(f, owner.uid, owner.gid);
    tlsFlags.push('-c ssl=on', `-c ssl_cert_file=${cert}`, `-c ssl_key_file=${key}`);
  }

  const pgCtl = join(bin, 'pg_ctl');
  let port = 0;
  // Another process may take the free port between the probe and the bind: try a few.
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    const options = [`-c listen_addresses=127.0.0.1`, `-p ${port}`, `-k ${sockets}`, '-c fsync=off', '-c full_page_writes=off', '-c synchronous_commit=off', ...tlsFlags].join(' ');
    const start = await run(pgCtl, ['start', '-D', data, '-l', log, '-w', '-t', '60', '-o', options], { asPostgres: true });
    if (start.code === 0) break;
    if (attempt >= 2) await fail('pg_ctl start', start);
  }
  running.set(dir, { pgCtl, data });
  installExitHook();

  const url = (user: string, pass: string, db = 'postgres') =>
    `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}/${encodeURIComponent(db)}`;
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    adminUrl: url(SUPERUSER, password),
    url,
    async psql(sql: string) {
      const r = await run(join(bin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', SUPERUSER, '-d', 'postgres', '-f', '-'], {
        input: sql,
        env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '10', PGOPTIONS: '-c client_min_messages=warning' },
      });
      if (r.code !== 0) throw new Error(`psql failed (exit ${r.code}): ${r.stderr.trim()}`);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const r = await run(pgCtl, ['stop', '-D', data, '-m', 'fast', '-w', '-t', '60'], { asPostgres: true });
      if (r.code !== 0) await run(pgCtl, ['stop', '-D', data, '-m', 'immediate', '-w'], { asPostgres: true });
      running.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
