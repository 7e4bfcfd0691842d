import Database from 'better-sqlite3-multiple-ciphers';
import { StrongroomError } from '../../../shared/errors.js';

export type Db = Database.Database;

/**
 * SQLite3MultipleCiphers' `sqlcipher` cipher with `legacy=4` writes SQLCipher 4's exact format (4 KiB
 * pages, AES-256-CBC, HMAC-SHA512), so stock SQLCipher 4 tools open the file with
 * `PRAGMA key = "x'<64 hex digits>'"`. Order matters: cipher, then legacy, then key.
 */
const CIPHER_PRAGMAS = ["cipher='sqlcipher'", 'legacy=4'] as const;

let nativeBinding: string | undefined;

/**
 * Electron and Node have different native ABIs. The app builds a separate Electron binding (see
 * scripts/electron-native.mjs) and the main process hands its path to the worker, so the Node build
 * that the CLI and tests use is never replaced.
 */
export function useNativeBinding(path: string | undefined): void {
  nativeBinding = path;
}

function isSqliteError(err: unknown): err is Error & { code: string } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string';
}

/** Maps SQLite's corruption signals to CACHE_CORRUPT; anything else is rethrown unchanged. */
export function asCacheError(err: unknown, file: string): unknown {
  if (isSqliteError(err) && /^SQLITE_(NOTADB|CORRUPT|IOERR_SHORT_READ|CANTOPEN)/.test(err.code)) {
    return new StrongroomError(
      'CACHE_CORRUPT',
      `The cache at ${file} is damaged or is not a Strongroom cache (${err.code}). It was not modified; restore it from a backup or move it aside and sync again.`,
      { sqliteCode: err.code },
    );
  }
  return err;
}

/**
 * Opens the encrypted cache with the raw 32-byte key and proves the key by reading, since a wrong key
 * only shows on the first read. Verification is read-only: nothing is written until the caller has
 * checked the schema version, so a failed open leaves the file byte-identical.
 */
export function openEncrypted(file: string, key: Buffer, options: { create: boolean; readonly?: boolean; skipIntegrityCheck?: boolean }): Db {
  let db: Db | undefined;
  try {
    db = new Database(file, { fileMustExist: !options.create, readonly: options.readonly ?? false, ...(nativeBinding ? { nativeBinding } : {}) });
    for (const pragma of CIPHER_PRAGMAS) db.pragma(pragma);
    // Hex key literal: SQLCipher's raw-key form, no second KDF on top of our own scrypt wrapping.
    db.pragma(`key="x'${key.toString('hex')}'"`);
    db.prepare('SELECT count(*) AS n FROM sqlite_master').get();
    if (!options.create && !options.skipIntegrityCheck) {
      // Every page carries an HMAC; reading them all catches truncation and flipped bytes now
      // rather than in the middle of an analysis.
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') {
        throw new StrongroomError('CACHE_CORRUPT', `The cache at ${file} failed its integrity check (${String(check)}). It was not modified.`);
      }
    }
    return db;
  } catch (err) {
    db?.close();
    throw asCacheError(err, file);
  }
}

/** Settings applied once the key is proven and the schema accepted. */
export function applyRuntimePragmas(db: Db): void {
  db.pragma('journal_mode = WAL');
  // Nothing decrypted may reach disk: sorts and temp tables stay in memory; freed pages are zeroed.
  db.pragma('temp_store = MEMORY');
  db.pragma('secure_delete = ON');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
}
