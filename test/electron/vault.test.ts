import { existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { readKeyFile, unwrapWithPassphrase, wrapWithPassphrase } from '../../electron/worker/db/keyfile.js';
import { Vault } from '../../electron/worker/vault.js';
import type { SessionState } from '../../shared/contracts/session.js';
import { snapshot, TEST_SCRYPT, tempProfile } from '../helpers/profile.js';

const PASS = 'correct horse battery';

async function created(dir = tempProfile(), onChange?: (s: SessionState) => void) {
  const vault = new Vault({ profileDir: dir, scrypt: TEST_SCRYPT, ...(onChange ? { onChange } : {}) });
  await vault.create(PASS);
  return vault;
}

describe('key wrapping', () => {
  it('wraps a 32-byte key and unwraps it only with the same passphrase', async () => {
    const key = Buffer.alloc(32, 7);
    const wrapper = await wrapWithPassphrase(key, 'pässphrase one', TEST_SCRYPT);
    expect(wrapper).toMatchObject({ kdf: 'scrypt', N: TEST_SCRYPT.N, r: 8, p: 1 });
    expect(Buffer.from(wrapper.wrapped, 'base64').equals(key)).toBe(false);
    await expect(unwrapWithPassphrase(wrapper, 'pässphrase one')).resolves.toEqual(key);
    await expect(unwrapWithPassphrase(wrapper, 'pässphrase two')).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    // A tampered wrapper fails authentication rather than yielding a different key.
    const tampered = { ...wrapper, wrapped: Buffer.from(Buffer.from(wrapper.wrapped, 'base64').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64') };
    await expect(unwrapWithPassphrase(tampered, 'pässphrase one')).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
  });

  it('creates the cache with a random key that is never written in clear', async () => {
    const dir = tempProfile();
    const vault = await created(dir);
    const keyHex = vault.exportKeyHex();
    expect(keyHex).toMatch(/^[0-9a-f]{64}$/);
    const keyFileText = readFileSync(vault.paths.keyFile, 'utf8');
    expect(keyFileText).not.toContain(keyHex);
    expect(keyFileText).not.toContain(Buffer.from(keyHex, 'hex').toString('base64'));
    expect(readKeyFile(vault.paths.keyFile)?.passphrase.N).toBe(TEST_SCRYPT.N);
    const other = await created();
    expect(other.exportKeyHex()).not.toBe(keyHex);
    vault.close();
    other.close();
  });

  it('changes the passphrase by rewrapping the same key, leaving the cache file untouched', async () => {
    const vault = await created();
    const keyHex = vault.exportKeyHex();
    await vault.lock();
    const cacheBefore = readFileSync(vault.paths.cache);
    await expect(vault.changePassphrase('not the passphrase', 'a brand new passphrase')).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    await vault.changePassphrase(PASS, 'a brand new passphrase');
    expect(readFileSync(vault.paths.cache).equals(cacheBefore)).toBe(true);
    await expect(vault.unlock(PASS)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    await vault.unlock('a brand new passphrase');
    expect(vault.exportKeyHex()).toBe(keyHex);
    // Changed while locked (as the CLI does): audited at the next unlock.
    const actions = (vault.db().prepare('SELECT action FROM audit_events ORDER BY id').all() as Array<{ action: string }>).map((r) => r.action);
    expect(actions.slice(-4)).toEqual(['session.unlock_failed', 'session.passphrase_changed', 'session.unlock_failed', 'session.unlocked']);
    vault.close();
  });

  it('throttles wrong current passphrases in a passphrase change like wrong unlocks', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const vault = await created();
      for (let i = 1; i <= 3; i++) {
        await expect(vault.changePassphrase(`guess number ${i}`, 'a brand new passphrase')).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
      }
      await expect(vault.changePassphrase(PASS, 'a brand new passphrase')).rejects.toMatchObject({ code: 'THROTTLED' });
      vi.advanceTimersByTime(1000);
      await vault.changePassphrase(PASS, 'a brand new passphrase');
      const failed = vault.db().prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'session.unlock_failed'").get() as { n: number };
      expect(failed.n).toBe(3);
      vault.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses to create over an existing cache', async () => {
    const dir = tempProfile();
    (await created(dir)).close();
    await expect(new Vault({ profileDir: dir, scrypt: TEST_SCRYPT }).create('another passphrase')).rejects.toMatchObject({
      code: 'ALREADY_INITIALISED',
    });
  });
});

describe('opening a bad cache gives a typed error and leaves every file byte-identical', () => {
  async function lockedProfile() {
    const dir = tempProfile();
    const vault = await created(dir);
    // Enough rows that the file has many pages to damage.
    vault.db().exec("CREATE TABLE filler (x TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 2000) INSERT INTO filler SELECT printf('row %d of filler data', i) FROM n;");
    await vault.lock();
    expect(existsSync(`${vault.paths.cache}-wal`)).toBe(false);
    return { dir, paths: vault.paths };
  }

  async function expectRefused(dir: string, passphrase: string, code: string) {
    const before = snapshot(dir);
    const vault = new Vault({ profileDir: dir, scrypt: TEST_SCRYPT });
    await expect(vault.unlock(passphrase)).rejects.toMatchObject({ code });
    expect(vault.state().status).toBe('locked');
    const after = snapshot(dir);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [path, bytes] of before) expect(after.get(path)!.equals(bytes), path).toBe(true);
  }

  it('wrong passphrase: WRONG_PASSPHRASE', async () => {
    const { dir } = await lockedProfile();
    await expectRefused(dir, 'wrong passphrase!', 'WRONG_PASSPHRASE');
  });

  it('truncated cache: CACHE_CORRUPT', async () => {
    const { dir, paths } = await lockedProfile();
    const size = readFileSync(paths.cache).length;
    truncateSync(paths.cache, Math.floor(size / 2) + 100);
    await expectRefused(dir, PASS, 'CACHE_CORRUPT');
  });

  it('flipped bytes inside a page: CACHE_CORRUPT', async () => {
    const { dir, paths } = await lockedProfile();
    const bytes = readFileSync(paths.cache);
    const at = bytes.length - 4096 + 2000; // inside the last page
    bytes[at] = bytes[at]! ^ 0xff;
    writeFileSync(paths.cache, bytes);
    await expectRefused(dir, PASS, 'CACHE_CORRUPT');
  });

  it('flipped bytes in the first page: CACHE_CORRUPT', async () => {
    const { dir, paths } = await lockedProfile();
    const bytes = readFileSync(paths.cache);
    bytes[100] = bytes[100]! ^ 0x55;
    writeFileSync(paths.cache, bytes);
    await expectRefused(dir, PASS, 'CACHE_CORRUPT');
  });

  it('a file that is not a cache: CACHE_CORRUPT', async () => {
    const { dir, paths } = await lockedProfile();
    writeFileSync(paths.cache, 'this is a spreadsheet, not a database\n'.repeat(200));
    await expectRefused(dir, PASS, 'CACHE_CORRUPT');
  });

  it('a damaged key file: CACHE_CORRUPT', async () => {
    const { dir, paths } = await lockedProfile();
    writeFileSync(paths.keyFile, readFileSync(paths.keyFile, 'utf8').slice(0, 40));
    await expectRefused(dir, PASS, 'CACHE_CORRUPT');
  });

  it('repeated wrong passphrases are throttled, and the right one still works after the wait', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { dir } = await lockedProfile();
      const vault = new Vault({ profileDir: dir, scrypt: TEST_SCRYPT });
      for (let i = 1; i <= 3; i++) await expect(vault.unlock(`wrong ${i} attempt`)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
      expect(vault.state()).toMatchObject({ failedAttempts: 3, retryAfterMs: 1000 });
      await expect(vault.unlock(PASS)).rejects.toMatchObject({ code: 'THROTTLED', details: { retryAfterMs: 1000 } });
      vi.advanceTimersByTime(1000);
      await vault.unlock(PASS);
      expect(vault.state()).toMatchObject({ status: 'unlocked', failedAttempts: 0, retryAfterMs: 0 });
      const actions = (vault.db().prepare('SELECT action FROM audit_events ORDER BY id').all() as Array<{ action: string }>).map((r) => r.action);
      expect(actions.filter((a) => a === 'session.unlock_failed')).toHaveLength(3);
      vault.close();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('lock and idle auto-lock', () => {
  it('lock closes the database, wipes the key and refuses further use with LOCKED', async () => {
    const vault = await created();
    await vault.lock();
    expect(vault.state()).toMatchObject({ status: 'locked', lockReason: 'user' });
    expect(() => vault.db()).toThrow(expect.objectContaining({ code: 'LOCKED' }));
    expect(() => vault.exportKeyHex()).toThrow(expect.objectContaining({ code: 'LOCKED' }));
  });

  it('locks itself after the configured idle time, and activity postpones it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const events: SessionState[] = [];
      const vault = await created(tempProfile(), (s) => events.push(s));
      vault.setAutoLockMinutes(2);
      vi.advanceTimersByTime(90_000);
      vault.touch();
      vi.advanceTimersByTime(90_000);
      expect(vault.isUnlocked()).toBe(true);
      vi.advanceTimersByTime(31_000);
      await vi.waitFor(() => expect(vault.isUnlocked()).toBe(false));
      expect(events.at(-1)).toMatchObject({ status: 'locked', lockReason: 'idle' });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('file permissions', () => {
  it.skipIf(process.platform === 'win32')('cache, WAL and key file are readable by the owner only', async () => {
    const { statSync } = await import('node:fs');
    const vault = await created();
    vault.db().exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    for (const file of [vault.paths.cache, `${vault.paths.cache}-wal`, vault.paths.keyFile]) {
      expect((statSync(file).mode & 0o777).toString(8), file).toBe('600');
    }
    expect((statSync(vault.paths.dir).mode & 0o777).toString(8)).toBe('700');
    vault.close();
  });
});
