import { z } from 'zod';
import { defineContract } from './define.js';
import type { SessionState } from './session.js';

/** The device (OS keychain) wrapper of the data key: an opaque blob only the keychain can open. */
export interface DeviceWrapper {
  /** Base64 of what Electron's safeStorage.encryptString returned. */
  blob: string;
  /** The safeStorage backend that made it. */
  backend: string;
}

/**
 * PRIVILEGED: used only by the Electron main process over its private channel to the worker, to wrap
 * and unwrap the data key with safeStorage (which exists only in the main process). Never forwarded
 * from a renderer or the browser host: see {@link PUBLIC_SERVICES}.
 */
export interface KeyringService {
  /** The raw data key (hex) of the unlocked cache. Fails with LOCKED. */
  exportKey(): Promise<string>;
  /** Stores (or with null removes) the device wrapper in the key file. */
  setDeviceWrapper(wrapper: DeviceWrapper | null): Promise<void>;
  /** The stored device wrapper, if any. */
  getDeviceWrapper(): Promise<DeviceWrapper | null>;
  /** Opens the cache with a key the keychain unwrapped. Fails like `session.unlock`. */
  unlockWithKey(request: { keyHex: string }): Promise<SessionState>;
}

export const keyringContract = defineContract<KeyringService>()({
  exportKey: z.tuple([]),
  setDeviceWrapper: z.tuple([
    z.object({ blob: z.string().min(1).max(4096), backend: z.string().min(1).max(64) }).strict().nullable(),
  ]),
  getDeviceWrapper: z.tuple([]),
  unlockWithKey: z.tuple([z.object({ keyHex: z.string().regex(/^[0-9a-f]{64}$/) }).strict()]),
});
