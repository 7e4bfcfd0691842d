import { z } from 'zod';
import { defineContract } from './define.js';

export interface DeviceUnlockStatus {
  /** The OS keychain can be used here (Electron safeStorage with a real backend). */
  available: boolean;
  /** The data key is also wrapped by the OS keychain, so the app unlocks without a passphrase. */
  enabled: boolean;
  /** Keychain backend name where known (e.g. `gnome_libsecret`, `keychain`, `dpapi`). */
  backend?: string;
  /** Why it is unavailable, for the UI to translate: outside the desktop app, no keychain, or an unsafe one. */
  reasonCode?: 'not-desktop' | 'no-keychain' | 'insecure-backend';
  /** Why it is unavailable, in English words a user can act on (CLI, logs). */
  reason?: string;
}

/**
 * Unlocking with the operating system's keychain (Electron safeStorage). Served by the Electron main
 * process; the browser host and CLI answer `available: false`. Linux's `basic_text` backend is refused
 * because it protects nothing (as in Signal Desktop).
 */
export interface DeviceService {
  status(): Promise<DeviceUnlockStatus>;
  /** Wraps the data key with the OS keychain. The cache must be unlocked. Fails with KEYCHAIN_UNAVAILABLE. */
  enable(): Promise<DeviceUnlockStatus>;
  /** Removes the keychain wrapper; the passphrase remains the only way in. */
  disable(): Promise<DeviceUnlockStatus>;
}

export const deviceContract = defineContract<DeviceService>()({
  status: z.tuple([]),
  enable: z.tuple([]),
  disable: z.tuple([]),
});
