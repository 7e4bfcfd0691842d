import { z } from 'zod';
import { defineContract } from './define.js';

/** How the data key is stretched from the passphrase, as recorded in the key file. */
export interface KdfInfo {
  name: 'scrypt';
  N: number;
  r: number;
  p: number;
}

export interface CacheStatus {
  /** Schema version of the open cache (`PRAGMA user_version`). */
  schemaVersion: number;
  /** Newest schema version this build knows. */
  latestSchemaVersion: number;
  /** Page cipher: SQLCipher 4 compatible (`sqlcipher`, legacy=4), so SQLCipher tools open it with the key. */
  cipher: 'sqlcipher4';
  /** Key-derivation parameters of the passphrase wrapper. */
  kdf: KdfInfo;
  /** Ways the data key is wrapped: always `passphrase`, plus `device` when the OS keychain is enabled. */
  keyWrappers: Array<'passphrase' | 'device'>;
  /** Number of extracts in the local cache. */
  extracts: number;
  /** Profile directory. */
  profileDir: string;
  /** Bytes on disk: the database, its WAL and shared-memory files. */
  sizeBytes: number;
  /** When this cache was created (ISO 8601). */
  createdAt: string;
  /** SQLite journal mode; `wal` in normal operation. */
  journalMode: string;
}

/** Facts about the open encrypted cache. Every method fails with LOCKED while locked. */
export interface CacheService {
  /** Schema, cipher and size of the open cache. */
  status(): Promise<CacheStatus>;
}

export const cacheContract = defineContract<CacheService>()({
  status: z.tuple([]),
});
