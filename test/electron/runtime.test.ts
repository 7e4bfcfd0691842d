import { describe, expect, it } from 'vitest';
import { createWorkerRuntime } from '../../electron/worker/runtime.js';
import type { Api, EventMap, PrivilegedApi, SessionState } from '../../shared/contracts/index.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';
import { TEST_SCRYPT, tempProfile } from '../helpers/profile.js';

function connect(server: 'public' | 'privileged' = 'public') {
  const runtime = createWorkerRuntime({ profileDir: tempProfile(), scrypt: TEST_SCRYPT });
  const rpc = server === 'public' ? runtime.publicServer : runtime.server;
  const client = createClient<Api & PrivilegedApi, EventMap>(createLoopbackTransport((r) => rpc.handle(r), (emit) => runtime.onEvent(emit)));
  return { runtime, ...client };
}

describe('worker services over RPC', () => {
  it('first run: uninitialised, create, status, lock, unlock', async () => {
    const { api, on, runtime } = connect();
    const events: SessionState[] = [];
    on('session.changed', (s) => events.push(s));
    expect(await api.session.state()).toMatchObject({ status: 'uninitialised', failedAttempts: 0 });
    await expect(api.cache.status()).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(api.session.unlock({ passphrase: 'whatever it is' })).rejects.toMatchObject({ code: 'NOT_INITIALISED' });
    await expect(api.session.create({ passphrase: 'short' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await api.session.create({ passphrase: 'a long enough passphrase' })).toMatchObject({ status: 'unlocked', autoLockMinutes: 15 });
    expect(await api.cache.status()).toMatchObject({ schemaVersion: 60, latestSchemaVersion: 60, cipher: 'sqlcipher4', extracts: 0, journalMode: 'wal', keyWrappers: ['passphrase'] });
    expect(await api.extracts.list()).toEqual([]);
    await api.session.lock();
    await expect(api.extracts.list()).rejects.toMatchObject({ code: 'LOCKED' });
    await api.session.unlock({ passphrase: 'a long enough passphrase' });
    expect(events.map((e) => e.status)).toEqual(['unlocked', 'locked', 'unlocked']);
    const audit = await api.audit.list({ limit: 10 });
    expect(audit.map((a) => a.action)).toEqual(['session.unlocked', 'session.locked', 'cache.created']);
    runtime.close();
  });

  it('settings persist in the cache and drive the auto-lock', async () => {
    const { api, runtime } = connect();
    await api.session.create({ passphrase: 'a long enough passphrase' });
    await expect(api.settings.update({ autoLockMinutes: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await api.settings.update({ autoLockMinutes: 5 })).toEqual({ autoLockMinutes: 5 });
    await api.session.lock();
    expect(await api.session.unlock({ passphrase: 'a long enough passphrase' })).toMatchObject({ autoLockMinutes: 5 });
    runtime.close();
  });

  it('the keyring is reachable only on the privileged server', async () => {
    const pub = connect('public');
    await pub.api.session.create({ passphrase: 'a long enough passphrase' });
    await expect(pub.api.keyring.exportKey()).rejects.toMatchObject({ code: 'NOT_PERMITTED' });
    pub.runtime.close();

    const priv = connect('privileged');
    await priv.api.session.create({ passphrase: 'a long enough passphrase' });
    const keyHex = await priv.api.keyring.exportKey();
    await priv.api.keyring.setDeviceWrapper({ blob: 'b3BhcXVl', backend: 'test' });
    await priv.api.session.lock();
    expect(await priv.api.session.state()).toMatchObject({ status: 'locked', deviceUnlock: true });
    await expect(priv.api.keyring.unlockWithKey({ keyHex: 'f'.repeat(64) })).rejects.toMatchObject({ code: 'CACHE_CORRUPT' });
    expect(await priv.api.keyring.unlockWithKey({ keyHex })).toMatchObject({ status: 'unlocked' });
    priv.runtime.close();
  });

  it('the device service says the keychain is unavailable outside the app', async () => {
    const { api, runtime } = connect();
    expect(await api.device.status()).toMatchObject({ available: false, enabled: false });
    await expect(api.device.enable()).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    runtime.close();
  });
});

describe('worker thread and browser host', () => {
  it('close the pages\' sockets when the worker stops, so the app can say the connection is lost', async () => {
    const { existsSync } = await import('node:fs');
    const { join, resolve } = await import('node:path');
    const { default: WebSocket } = await import('ws');
    const { WorkerConnection } = await import('../../electron/worker/connection.js');
    const { startHost } = await import('../../electron/host/server.js');
    const root = resolve(__dirname, '..', '..');
    const workerFile = join(root, 'dist', 'electron', 'worker.cjs');
    expect(existsSync(workerFile), 'npm run build first').toBe(true);
    const worker = new WorkerConnection(workerFile, { profileDir: tempProfile() });
    expect(await worker.call('session', 'state')).toMatchObject({ status: 'uninitialised' });
    const host = await startHost({ worker, rendererDir: join(root, 'dist', 'renderer') });
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc`, ['strongroom.v1', `strongroom.token.${host.token}`], { origin: host.origin });
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    await worker.close();
    expect(await closed).toBe(1011);
    await expect(worker.call('session', 'state')).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await host.close();
  });
});
