import { z } from 'zod';
import { defineContract } from './define.js';

/** Shortest passphrase the cache accepts. The key is stretched with scrypt, but length still matters. */
export const MIN_PASSPHRASE_LENGTH = 10;

/** Where the profile's cache stands. */
export type SessionStatus = 'uninitialised' | 'locked' | 'unlocked';

/** Why the cache was last locked. */
export type LockReason = 'user' | 'idle' | 'startup';

export interface SessionState {
  /** `uninitialised`: no cache yet (first run); `locked`: key not in memory; `unlocked`: usable. */
  status: SessionStatus;
  /** The profile directory holding the cache and its key file. */
  profileDir: string;
  /** Why the cache is locked, when it is. */
  lockReason?: LockReason;
  /** Wrong passphrases entered in a row since the last successful unlock. */
  failedAttempts: number;
  /** Milliseconds before another unlock attempt is accepted (0 when not throttled). */
  retryAfterMs: number;
  /** Minutes of inactivity before the cache locks itself; known once the cache has been opened. */
  autoLockMinutes?: number;
  /** Whether the OS keychain (Electron safeStorage) can unlock this cache on this device. */
  deviceUnlock: boolean;
}

/** The passphrase, for creating or unlocking the cache. */
export interface PassphraseRequest {
  passphrase: string;
}

export interface ChangePassphraseRequest {
  current: string;
  next: string;
}

/**
 * Lifecycle of the encrypted cache: first-run creation, unlock, lock, passphrase change and idle
 * auto-lock. The data key never leaves the worker through this service.
 */
export interface SessionService {
  /** Current status; safe to call at any time, locked or not. */
  state(): Promise<SessionState>;
  /**
   * First run: creates the encrypted cache and wraps a fresh random 32-byte key with the passphrase.
   * Fails with ALREADY_INITIALISED if the profile has a cache, INVALID_ARGUMENT if the passphrase is
   * shorter than {@link MIN_PASSPHRASE_LENGTH}.
   */
  create(request: PassphraseRequest): Promise<SessionState>;
  /**
   * Unwraps the key with the passphrase and opens the cache. Fails with WRONG_PASSPHRASE, THROTTLED
   * (after repeated failures, with `details.retryAfterMs`), CACHE_CORRUPT or CACHE_TOO_NEW; a failed
   * unlock never modifies the cache or its key file.
   */
  unlock(request: PassphraseRequest): Promise<SessionState>;
  /** Closes the cache and wipes the key from memory. Idempotent. */
  lock(): Promise<SessionState>;
  /** Rewraps the same data key under a new passphrase; the data is not re-encrypted. */
  changePassphrase(request: ChangePassphraseRequest): Promise<void>;
  /** Reports user activity so idle auto-lock measures the user's idleness, not background calls. */
  heartbeat(): Promise<void>;
}

const passphrase = z.string().min(1, 'Enter a passphrase').max(1024);
const newPassphrase = z
  .string()
  .min(MIN_PASSPHRASE_LENGTH, `Use at least ${MIN_PASSPHRASE_LENGTH} characters`)
  .max(1024);

export const sessionContract = defineContract<SessionService>()({
  state: z.tuple([]),
  create: z.tuple([z.object({ passphrase: newPassphrase }).strict()]),
  unlock: z.tuple([z.object({ passphrase }).strict()]),
  lock: z.tuple([]),
  changePassphrase: z.tuple([z.object({ current: passphrase, next: newPassphrase }).strict()]),
  heartbeat: z.tuple([]),
});
