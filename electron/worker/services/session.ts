import type { SessionService } from '../../../shared/contracts/session.js';
import type { Vault } from '../vault.js';

export function createSessionService(vault: Vault): SessionService {
  return {
    state: async () => vault.state(),
    create: ({ passphrase }) => vault.create(passphrase),
    unlock: ({ passphrase }) => vault.unlock(passphrase),
    lock: () => vault.lock('user'),
    changePassphrase: ({ current, next }) => vault.changePassphrase(current, next),
    heartbeat: async () => vault.touch(),
  };
}
