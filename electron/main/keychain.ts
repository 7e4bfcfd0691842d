import { safeStorage } from 'electron';
import type { DeviceService, DeviceUnlockStatus } from '../../shared/contracts/device.js';
import type { DeviceWrapper } from '../../shared/contracts/keyring.js';
import type { SessionState } from '../../shared/contracts/session.js';
import { StrongroomError } from '../../shared/errors.js';
import type { WorkerConnection } from '../worker/connection.js';

/** Backends that protect nothing: refused, as Signal Desktop refuses them. */
const UNSAFE_BACKENDS = new Set(['basic_text', 'unknown']);

function keychainState(): Omit<DeviceUnlockStatus, 'enabled'> {
  if (!safeStorage.isEncryptionAvailable()) {
    return { available: false, reasonCode: 'no-keychain', reason: 'This system offers no OS keychain to Strongroom. Unlock with your passphrase.' };
  }
  if (process.platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (UNSAFE_BACKENDS.has(backend)) {
      return {
        available: false,
        backend,
        reasonCode: 'insecure-backend',
        reason: `The Linux keyring backend is "${backend}", which stores secrets in plain text. Install and unlock GNOME Keyring or KWallet to use device unlock.`,
      };
    }
    return { available: true, backend };
  }
  return { available: true, backend: process.platform === 'darwin' ? 'keychain' : 'dpapi' };
}

/**
 * Device unlock with Electron safeStorage, served by the main process because safeStorage exists only
 * here. The data key passes through this process only to be wrapped or unwrapped, and is not kept.
 */
export function createKeychainDeviceService(worker: WorkerConnection): DeviceService {
  async function status(): Promise<DeviceUnlockStatus> {
    const state = keychainState();
    const session = await worker.call<SessionState>('session', 'state');
    return { ...state, enabled: session.deviceUnlock };
  }
  return {
    status,
    async enable() {
      const state = keychainState();
      if (!state.available) throw new StrongroomError('KEYCHAIN_UNAVAILABLE', state.reason ?? 'No OS keychain.');
      const keyHex = await worker.call<string>('keyring', 'exportKey');
      const wrapper: DeviceWrapper = {
        blob: safeStorage.encryptString(keyHex).toString('base64'),
        backend: state.backend ?? 'unknown',
      };
      await worker.call('keyring', 'setDeviceWrapper', wrapper);
      return status();
    },
    async disable() {
      await worker.call('keyring', 'setDeviceWrapper', null);
      return status();
    },
  };
}

/** At start-up: unlock with the keychain if a wrapper exists and the keychain opens it. */
export async function tryDeviceUnlock(worker: WorkerConnection): Promise<void> {
  const wrapper = await worker.call<DeviceWrapper | null>('keyring', 'getDeviceWrapper').catch(() => null);
  if (!wrapper || !keychainState().available) return;
  try {
    const keyHex = safeStorage.decryptString(Buffer.from(wrapper.blob, 'base64'));
    await worker.call('keyring', 'unlockWithKey', { keyHex });
  } catch (err) {
    // The passphrase still works; the unlock screen explains the state.
    console.warn('Device unlock failed:', err instanceof Error ? err.message : err);
  }
}
