import { statSync } from 'node:fs';
import type { CacheService } from '../../../shared/contracts/cache.js';
import { readKeyFile } from '../db/keyfile.js';
import { latestVersion, schemaVersion } from '../db/migrations/index.js';
import { countExtracts } from '../db/repositories/extracts.js';
import { readMeta } from '../db/repositories/settings.js';
import type { Vault } from '../vault.js';

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function createCacheService(vault: Vault): CacheService {
  return {
    async status() {
      const db = vault.db();
      const keyFile = readKeyFile(vault.paths.keyFile)!;
      const { cache } = vault.paths;
      return {
        schemaVersion: schemaVersion(db),
        latestSchemaVersion: latestVersion(),
        cipher: 'sqlcipher4',
        kdf: { name: 'scrypt', N: keyFile.passphrase.N, r: keyFile.passphrase.r, p: keyFile.passphrase.p },
        keyWrappers: keyFile.device ? ['passphrase', 'device'] : ['passphrase'],
        extracts: countExtracts(db),
        profileDir: vault.paths.dir,
        sizeBytes: fileSize(cache) + fileSize(`${cache}-wal`) + fileSize(`${cache}-shm`),
        createdAt: readMeta(db, 'createdAt') ?? keyFile.createdAt,
        journalMode: String(db.pragma('journal_mode', { simple: true })),
      };
    },
  };
}
