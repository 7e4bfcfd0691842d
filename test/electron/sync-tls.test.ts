import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerRuntime } from '../../electron/worker/runtime.js';
import type { Api } from '../../shared/contracts/index.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';
import { pgAvailable, startPgCluster } from '../helpers/pg-cluster.js';
import { TEST_SCRYPT, tempProfile } from '../helpers/profile.js';

const ROOT = resolve(__dirname, '..', '..');
const available = pgAvailable();
let hasOpenssl = true;
try {
  execFileSync('openssl', ['version'], { stdio: 'ignore' });
} catch {
  hasOpenssl = false;
}
if (process.env.CI && (!available.ok || !hasOpenssl)) throw new Error(`TLS tests need PostgreSQL and openssl in CI: ${available.reason ?? 'openssl missing'}`);
if (!available.ok) console.log(`TLS sync tests skipped: ${available.reason}`);
if (!hasOpenssl) console.log('TLS sync tests skipped: openssl is not installed');

interface Pki {
  ca: string;
  otherCa: string;
  cert: string;
  key: string;
}

/** A throwaway CA and a server certificate for the name `localhost` only (no IP), made with openssl. */
function makePki(dir: string): Pki {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  for (const name of ['ca', 'other']) {
    run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=Strongroom test ${name} CA`, '-keyout', `${name}.key`, '-out', `${name}.crt`);
  }
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext.cnf', '-out', 'server.crt');
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { ca: read('ca.crt'), otherCa: read('other.crt'), cert: read('server.crt'), key: read('server.key') };
}

describe.skipIf(!available.ok || !hasOpenssl)('TLS to the warehouse', () => {
  let pki: Pki;
  let pg: Awaited<ReturnType<typeof startPgCluster>>;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strongroom-pki-'));
    pki = makePki(dir);
    pg = await startPgCluster({ tls: { cert: pki.cert, key: pki.key } });
    await pg.psql(readFileSync(join(ROOT, 'warehouse', 'install.sql'), 'utf8'));
    await pg.psql(`
      CREATE TABLE public.rates (ccy text PRIMARY KEY, rate numeric(12,4), updated_at timestamptz NOT NULL DEFAULT now());
      INSERT INTO public.rates (ccy, rate) VALUES ('USD', 92.5), ('EUR', 100.25), ('CNY', 12.7);
      CREATE ROLE treasury LOGIN PASSWORD 'treasury-pw';
      GRANT SELECT ON public.rates TO treasury;
      SELECT strongroom.publish_extract('rates', 'public.rates', '{ccy}', 'updated_at', 'internal');
      SELECT strongroom.grant_extract('rates', 'treasury');`);
  }, 120_000);

  afterAll(async () => {
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function tryConnection(host: string, tlsMode: 'verify-full' | 'verify-ca' | 'require', caCert?: string) {
    const runtime = createWorkerRuntime({ profileDir: tempProfile(), scrypt: TEST_SCRYPT });
    const { api } = createClient<Api>(createLoopbackTransport((r) => runtime.publicServer.handle(r)));
    await api.session.create({ passphrase: 'tls test passphrase' });
    const c = await api.connections.save({ name: 'tls', host, port: pg.port, database: 'postgres', user: 'treasury', password: 'treasury-pw', tlsMode, ...(caCert ? { caCert } : {}) });
    return { api, c, close: () => runtime.close() };
  }

  it('verify-full with the right CA and host name connects over TLS and syncs', async () => {
    for (const host of ['localhost']) {
      const { api, c, close } = await tryConnection(host, 'verify-full', pki.ca);
      expect(await api.connections.test({ id: c.id })).toMatchObject({ tls: true, warehouseUser: 'treasury', permittedExtracts: 1 });
      const report = await api.sync.run({ connectionId: c.id });
      expect(report.results[0]).toMatchObject({ name: 'rates', status: 'synced', rowCount: 3 });
      expect((await api.connections.list())[0]).toMatchObject({ hasCaCert: true, tlsMode: 'verify-full' });
      close();
    }
  });

  it('verify-full refuses a host name the certificate does not name; verify-ca accepts it', async () => {
    const full = await tryConnection('127.0.0.1', 'verify-full', pki.ca);
    await expect(full.api.connections.test({ id: full.c.id })).rejects.toMatchObject({ code: 'TLS_FAILED' });
    full.close();
    const ca = await tryConnection('127.0.0.1', 'verify-ca', pki.ca);
    expect(await ca.api.connections.test({ id: ca.c.id })).toMatchObject({ tls: true });
    ca.close();
  });

  it('verify-full refuses a server whose certificate another CA signed', async () => {
    const { api, c, close } = await tryConnection('localhost', 'verify-full', pki.otherCa);
    await expect(api.connections.test({ id: c.id })).rejects.toMatchObject({ code: 'TLS_FAILED' });
    close();
  });

  it('verify-full refuses a certificate without the CA (not trusted by default)', async () => {
    const { api, c, close } = await tryConnection('localhost', 'verify-full');
    await expect(api.connections.test({ id: c.id })).rejects.toMatchObject({ code: 'TLS_FAILED' });
    close();
  });

  it('require encrypts without verifying (and says it is TLS)', async () => {
    const { api, c, close } = await tryConnection('127.0.0.1', 'require');
    expect(await api.connections.test({ id: c.id })).toMatchObject({ tls: true });
    close();
  });
});
