import type { SettingsService } from '../../../shared/contracts/settings.js';
import { appendAudit } from '../db/repositories/audit.js';
import { readSettings, writeSettings } from '../db/repositories/settings.js';
import type { Vault } from '../vault.js';

export function createSettingsService(vault: Vault): SettingsService {
  return {
    get: async () => readSettings(vault.db()),
    async update(patch) {
      const db = vault.db();
      const before = readSettings(db);
      writeSettings(db, patch);
      const after = readSettings(db);
      if (after.autoLockMinutes !== before.autoLockMinutes) vault.setAutoLockMinutes(after.autoLockMinutes);
      appendAudit(db, 'settings.changed', { before, after });
      return after;
    },
  };
}
