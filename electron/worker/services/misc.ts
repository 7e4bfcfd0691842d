import type { AuditService } from '../../../shared/contracts/audit.js';
import type { DeviceService } from '../../../shared/contracts/device.js';
import type { ExtractsService } from '../../../shared/contracts/extracts.js';
import type { KeyringService } from '../../../shared/contracts/keyring.js';
import { StrongroomError } from '../../../shared/errors.js';
import { listAudit } from '../db/repositories/audit.js';
import { extractRows, extractSchema, listExtracts } from '../db/repositories/extracts.js';
import type { Vault } from '../vault.js';

export function createExtractsService(vault: Vault): ExtractsService {
  return {
    list: async () => listExtracts(vault.db()),
    schema: async ({ name }) => extractSchema(vault.db(), name),
    rows: async ({ name, offset, limit }) => extractRows(vault.db(), name, offset, limit),
  };
}

export function createAuditService(vault: Vault): AuditService {
  return { list: async (request) => listAudit(vault.db(), request) };
}

/**
 * The OS keychain lives in the Electron main process, which serves `device.*` itself. Outside the app
 * (browser host, CLI) this answer stands: there is no keychain to use.
 */
export function createUnavailableDeviceService(reason: string): DeviceService {
  const status = { available: false, enabled: false, reasonCode: 'not-desktop' as const, reason };
  return {
    status: async () => status,
    enable: async () => {
      throw new StrongroomError('KEYCHAIN_UNAVAILABLE', reason);
    },
    disable: async () => status,
  };
}

export function createKeyringService(vault: Vault): KeyringService {
  return {
    exportKey: async () => vault.exportKeyHex(),
    setDeviceWrapper: async (wrapper) => vault.setDeviceWrapper(wrapper),
    getDeviceWrapper: async () => vault.getDeviceWrapper(),
    unlockWithKey: ({ keyHex }) => vault.unlockWithKey(keyHex),
  };
}
