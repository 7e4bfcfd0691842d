import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import type { AuditAction } from '../../shared/contracts/audit.js';
import type { DeviceWrapper } from '../../shared/contracts/keyring.js';
import type { LockReason, SessionState } from '../../shared/contracts/session.js';
import { StrongroomError } from '../../shared/errors.js';
import { applyRuntimePragmas, openEncrypted, type Db } from './db/cipher.js';
import { DEFAULT_SCRYPT, readKeyFile, type KeyFile, type ScryptParams, unwrapWithPassphrase, wrapWithPassphrase, writeKeyFile } from './db/keyfile.js';
import { assertNotTooNew, migrate } from './db/migrations/index.js';
import { appendAudit } from './db/repositories/audit.js';
import { readSettings, writeMeta } from './db/repositories/settings.js';
import { profilePaths, type ProfilePaths } from './profile.js';

export interface VaultOptions {
  profileDir: string;
  /** scrypt cost for new wrappers (tests use a small N; existing files keep the parameters they record). */
  scrypt?: ScryptParams;
  /** Called whenever the session state changes (unlock, lock, idle lock). */
  onChange?: (state: SessionState) => void;
}

/** Free attempts before throttling starts, then 1 s, 2 s, 4 s ... capped at 5 minutes. */
const FREE_ATTEMPTS = 3;
const MAX_DELAY_MS = 5 * 60_000;

function throttleDelay(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - FREE_ATTEMPTS));
}

/**
 * Owns the data key and the open database for one profile. Holds the key only while unlocked and
 * wipes it on lock. Everything that touches the cache goes through {@link Vault.db}, which fails with
 * LOCKED when there is no key.
 */
export class Vault {
  readonly paths: ProfilePaths;
  private readonly scryptParams: ScryptParams;
  private readonly onChange: (state: SessionState) => void;
  private key: Buffer | null = null;
  private database: Db | null = null;
  private lockReason: LockReason = 'startup';
  private failures = 0;
  private nextAttemptAt = 0;
  /** Events that happened while locked (failed unlocks, a passphrase change from the CLI): written to
   * the audit log, dated when they happened, at the next unlock. */
  private pendingAudit: Array<{ action: AuditAction; at: Date }> = [];
  /** Known once the cache has been opened in this process; kept after lock for the unlock screen. */
  private autoLockMinutes: number | null = null;
  private lastActivity = Date.now();
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(options: VaultOptions) {
    this.paths = profilePaths(options.profileDir);
    this.scryptParams = options.scrypt ?? DEFAULT_SCRYPT;
    this.onChange = options.onChange ?? (() => {});
  }

  /** Serialises state-changing operations: two unlocks at once must not open two handles. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.busy.then(fn, fn);
    this.busy = run.catch(() => undefined);
    return run;
  }

  state(): SessionState {
    const initialised = existsSync(this.paths.keyFile) || existsSync(this.paths.cache);
    const status = this.database ? 'unlocked' : initialised ? 'locked' : 'uninitialised';
    const base: SessionState = {
      status,
      profileDir: this.paths.dir,
      failedAttempts: this.failures,
      retryAfterMs: Math.max(0, this.nextAttemptAt - Date.now()),
      deviceUnlock: false,
    };
    if (status === 'locked') base.lockReason = this.lockReason;
    if (this.autoLockMinutes !== null) base.autoLockMinutes = this.autoLockMinutes;
    try {
      base.deviceUnlock = Boolean(readKeyFile(this.paths.keyFile)?.device);
    } catch {
      // A damaged key file is reported when someone tries to unlock, not on every status poll.
    }
    return base;
  }

  isUnlocked(): boolean {
    return this.database !== null;
  }

  /** The open database. Counts as user activity only through {@link touch}. */
  db(): Db {
    if (!this.database) throw new StrongroomError('LOCKED', 'The cache is locked. Unlock it with your passphrase.');
    return this.database;
  }

  create(passphrase: string): Promise<SessionState> {
    return this.exclusive(async () => {
      if (existsSync(this.paths.keyFile) || existsSync(this.paths.cache)) {
        throw new StrongroomError('ALREADY_INITIALISED', `A cache already exists in ${this.paths.dir}. Unlock it instead.`);
      }
      mkdirSync(this.paths.dir, { recursive: true, mode: 0o700 });
      const key = randomBytes(32);
      const keyFile: KeyFile = {
        format: 'strongroom-keyfile',
        version: 1,
        cipher: 'sqlcipher4',
        createdAt: new Date().toISOString(),
        passphrase: await wrapWithPassphrase(key, passphrase, this.scryptParams),
        device: null,
      };
      // Key file first: a cache without its key file could never be opened again.
      writeKeyFile(this.paths.keyFile, keyFile);
      const db = openEncrypted(this.paths.cache, key, { create: true });
      // Owner-only, like the key file; SQLite gives the -wal and -shm files the same mode.
      chmodSync(this.paths.cache, 0o600);
      applyRuntimePragmas(db);
      migrate(db);
      writeMeta(db, 'createdAt', keyFile.createdAt);
      appendAudit(db, 'cache.created', { profileDir: this.paths.dir, kdf: 'scrypt', N: this.scryptParams.N });
      this.opened(db, key);
      return this.state();
    });
  }

  unlock(passphrase: string): Promise<SessionState> {
    return this.exclusive(async () => {
      if (this.database) return this.state();
      const keyFile = this.requireKeyFile();
      const key = await this.unwrapThrottled(keyFile, passphrase);
      this.openWithKey(key, 'passphrase');
      return this.state();
    });
  }

  /** Unlock with a key the OS keychain unwrapped (Electron main process only). */
  unlockWithKey(keyHex: string): Promise<SessionState> {
    return this.exclusive(async () => {
      if (this.database) return this.state();
      this.requireKeyFile();
      this.openWithKey(Buffer.from(keyHex, 'hex'), 'device');
      return this.state();
    });
  }

  lock(reason: LockReason = 'user'): Promise<SessionState> {
    return this.exclusive(async () => {
      this.closeNow(reason);
      return this.state();
    });
  }

  changePassphrase(current: string, next: string): Promise<void> {
    return this.exclusive(async () => {
      const keyFile = this.requireKeyFile();
      // Same throttle as unlock: otherwise changing the passphrase would be a way to guess it freely.
      const key = await this.unwrapThrottled(keyFile, current);
      try {
        // Same data key, new wrapper: the cache itself is untouched.
        writeKeyFile(this.paths.keyFile, { ...keyFile, passphrase: await wrapWithPassphrase(key, next, this.scryptParams) });
      } finally {
        key.fill(0);
      }
      if (this.database) appendAudit(this.database, 'session.passphrase_changed');
      else this.pendingAudit.push({ action: 'session.passphrase_changed', at: new Date() });
    });
  }

  /**
   * A key for one purpose (e.g. sealing stored credentials), derived from the data key with HKDF so
   * the data key itself is never used for two things. Fails with LOCKED.
   */
  deriveKey(purpose: string): Buffer {
    this.db();
    return Buffer.from(hkdfSync('sha256', this.key!, Buffer.from('strongroom'), Buffer.from(purpose), 32));
  }

  /** A fresh copy of the data key for the query reader thread (its buffer is the caller's to hand over). */
  keyCopy(): Uint8Array {
    this.db();
    return Uint8Array.from(this.key!);
  }

  exportKeyHex(): string {
    this.db();
    return this.key!.toString('hex');
  }

  getDeviceWrapper(): DeviceWrapper | null {
    return this.requireKeyFile().device ?? null;
  }

  setDeviceWrapper(wrapper: DeviceWrapper | null): void {
    const db = this.db();
    const keyFile = this.requireKeyFile();
    writeKeyFile(this.paths.keyFile, { ...keyFile, device: wrapper });
    appendAudit(db, wrapper ? 'device_unlock.enabled' : 'device_unlock.disabled', wrapper ? { backend: wrapper.backend } : {});
  }

  /** Records user activity; the idle auto-lock counts from the last call. */
  touch(): void {
    this.lastActivity = Date.now();
  }

  setAutoLockMinutes(minutes: number): void {
    this.autoLockMinutes = minutes;
    this.scheduleIdleLock();
  }

  /** Closes without emitting an event: for process shutdown. */
  close(): void {
    this.closeNow('user', false);
  }

  /** Unwraps with the passphrase under the shared throttle, counting and recording failures. */
  private async unwrapThrottled(keyFile: KeyFile, passphrase: string): Promise<Buffer> {
    const wait = this.nextAttemptAt - Date.now();
    if (wait > 0) {
      throw new StrongroomError('THROTTLED', `Too many wrong passphrases. Try again in ${Math.ceil(wait / 1000)} s.`, {
        retryAfterMs: wait,
      });
    }
    try {
      const key = await unwrapWithPassphrase(keyFile.passphrase, passphrase);
      this.failures = 0;
      this.nextAttemptAt = 0;
      return key;
    } catch (err) {
      if (err instanceof StrongroomError && err.code === 'WRONG_PASSPHRASE') {
        this.failures += 1;
        this.nextAttemptAt = Date.now() + throttleDelay(this.failures);
        if (this.database) appendAudit(this.database, 'session.unlock_failed');
        else this.pendingAudit.push({ action: 'session.unlock_failed', at: new Date() });
        throw new StrongroomError('WRONG_PASSPHRASE', err.message, {
          failedAttempts: this.failures,
          retryAfterMs: throttleDelay(this.failures),
        });
      }
      throw err;
    }
  }

  private requireKeyFile(): KeyFile {
    const keyFile = readKeyFile(this.paths.keyFile);
    if (!keyFile) {
      if (existsSync(this.paths.cache)) {
        throw new StrongroomError('CACHE_CORRUPT', `The key file ${this.paths.keyFile} is missing, so the cache cannot be opened. Restore it from a backup.`);
      }
      throw new StrongroomError('NOT_INITIALISED', `No cache in ${this.paths.dir} yet. Create one first.`);
    }
    return keyFile;
  }

  private openWithKey(key: Buffer, method: 'passphrase' | 'device'): void {
    let db: Db;
    try {
      db = openEncrypted(this.paths.cache, key, { create: false });
    } catch (err) {
      key.fill(0);
      throw err;
    }
    try {
      assertNotTooNew(db);
      applyRuntimePragmas(db);
      migrate(db);
      const at = new Date();
      for (const event of this.pendingAudit) appendAudit(db, event.action, {}, event.at);
      appendAudit(db, 'session.unlocked', { method }, at);
    } catch (err) {
      db.close();
      key.fill(0);
      throw err;
    }
    this.pendingAudit = [];
    this.failures = 0;
    this.nextAttemptAt = 0;
    this.opened(db, key);
  }

  private opened(db: Db, key: Buffer): void {
    this.database = db;
    this.key = key;
    this.autoLockMinutes = readSettings(db).autoLockMinutes;
    this.touch();
    this.scheduleIdleLock();
    this.onChange(this.state());
  }

  private closeNow(reason: LockReason, notify = true): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (!this.database) return;
    try {
      appendAudit(this.database, 'session.locked', { reason });
    } finally {
      this.database.close();
      this.database = null;
      this.key?.fill(0);
      this.key = null;
      this.lockReason = reason;
    }
    if (notify) this.onChange(this.state());
  }

  private scheduleIdleLock(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (!this.database) return;
    const limit = (this.autoLockMinutes ?? 15) * 60_000;
    const due = this.lastActivity + limit - Date.now();
    this.idleTimer = setTimeout(() => {
      if (Date.now() - this.lastActivity >= limit) void this.lock('idle');
      else this.scheduleIdleLock();
    }, Math.max(0, due));
    this.idleTimer.unref?.();
  }
}
