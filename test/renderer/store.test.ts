import { describe, expect, it } from 'vitest';
import { createWorkerRuntime } from '../../electron/worker/runtime.js';
import { createAppStore } from '../../renderer/store/index.js';
import { selectIsUnlocked, selectRetryAfterMs, selectStatus } from '../../renderer/store/slices/session/selectors.js';
import type { Api, EventMap } from '../../shared/contracts/index.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';
import { TEST_SCRYPT, tempProfile } from '../helpers/profile.js';

/** A fresh store wired to the real services over the loopback transport, with events. */
function setup() {
  const runtime = createWorkerRuntime({ profileDir: tempProfile(), scrypt: TEST_SCRYPT });
  const client = createClient<Api, EventMap>(createLoopbackTransport((r) => runtime.publicServer.handle(r), (emit) => runtime.onEvent(emit)));
  const store = createAppStore({ api: client.api });
  client.on('session.changed', (s) => store.getState().sessionChanged(s));
  return { store, runtime };
}

describe('app store', () => {
  it('walks first run, lock and unlock through the session slice', async () => {
    const { store, runtime } = setup();
    expect(selectStatus(store.getState())).toBe('loading');
    await store.getState().refreshSession();
    expect(selectStatus(store.getState())).toBe('uninitialised');
    expect(await store.getState().createCache('a passphrase of length')).toBe(true);
    expect(selectIsUnlocked(store.getState())).toBe(true);
    await store.getState().loadCatalog();
    expect(store.getState().cacheStatus).toMatchObject({ extracts: 0, cipher: 'sqlcipher4' });
    await store.getState().lock();
    expect(store.getState()).toMatchObject({ cacheStatus: null, extracts: null, session: { status: 'locked' } });
    expect(await store.getState().unlock('wrong passphrase!')).toBe(false);
    expect(store.getState().sessionError).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    expect(store.getState().session).toMatchObject({ failedAttempts: 1 });
    expect(await store.getState().unlock('a passphrase of length')).toBe(true);
    expect(store.getState().sessionError).toBeNull();
    runtime.close();
  });

  it('surfaces throttling to the unlock screen', async () => {
    const { store, runtime } = setup();
    await store.getState().refreshSession();
    await store.getState().createCache('a passphrase of length');
    await store.getState().lock();
    for (let i = 0; i < 4; i++) await store.getState().unlock(`wrong ${i} passphrase`);
    expect(store.getState().sessionError?.code).toBe('THROTTLED');
    expect(selectRetryAfterMs(store.getState())).toBeGreaterThan(0);
    runtime.close();
  });

  it('follows an idle lock pushed by the worker and forgets what it read', async () => {
    const { store, runtime } = setup();
    await store.getState().refreshSession();
    await store.getState().createCache('a passphrase of length');
    await store.getState().loadAudit();
    expect(store.getState().audit?.length).toBeGreaterThan(0);
    await runtime.vault.lock('idle');
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().session).toMatchObject({ status: 'locked', lockReason: 'idle' });
    expect(store.getState().audit).toBeNull();
    runtime.close();
  });

  it('saves settings and reports failures without throwing', async () => {
    const { store, runtime } = setup();
    await store.getState().refreshSession();
    await store.getState().createCache('a passphrase of length');
    expect(await store.getState().saveSettings({ autoLockMinutes: 30 })).toBe(true);
    expect(store.getState().session?.autoLockMinutes).toBe(30);
    expect(await store.getState().changePassphrase('not it at all', 'another good passphrase')).toBe(false);
    expect(store.getState().settingsError?.code).toBe('WRONG_PASSPHRASE');
    expect(await store.getState().setDeviceUnlock(true)).toBe(false);
    expect(store.getState().settingsError?.code).toBe('KEYCHAIN_UNAVAILABLE');
    runtime.close();
  });
});
