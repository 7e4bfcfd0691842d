import Database from 'better-sqlite3-multiple-ciphers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyRuntimePragmas, openEncrypted } from '../../electron/worker/db/cipher.js';
import { latestVersion, migrate, MIGRATIONS, schemaVersion, type Migration } from '../../electron/worker/db/migrations/index.js';
import { Vault } from '../../electron/worker/vault.js';
import { snapshot, TEST_SCRYPT, tempProfile } from '../helpers/profile.js';

function plainDb() {
  return new Database(join(tempProfile(), 'm.db'));
}

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);

describe('migrations', () => {
  it('registry is ordered, numbered in tens, and each step is named like its file', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    for (const m of MIGRATIONS) expect(m.version % 10).toBe(0);
    expect(latestVersion()).toBe(versions.at(-1));
  });

  it('brings a new database to the latest version and records it in user_version', () => {
    const db = plainDb();
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(schemaVersion(db)).toBe(latestVersion());
    expect(tables(db)).toEqual(['analyses', 'audit_events', 'connections', 'dashboards', 'extract_versions', 'extracts', 'forecast_runs', 'reports', 'settings', 'sync_runs']);
    expect(migrate(db)).toEqual([]);
  });

  it('continues from a partly migrated database', () => {
    const db = plainDb();
    migrate(db, MIGRATIONS.slice(0, 1));
    expect(schemaVersion(db)).toBe(10);
    expect(migrate(db)).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
  });

  it('runs each step in its own transaction: a failing step leaves no trace and the earlier steps stand', () => {
    const db = plainDb();
    const broken: Migration = {
      version: latestVersion() + 10,
      name: 'broken',
      up(d) {
        d.exec('CREATE TABLE half_done (x)');
        throw new Error('step failed');
      },
    };
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow('step failed');
    expect(schemaVersion(db)).toBe(latestVersion());
    expect(tables(db)).not.toContain('half_done');
    expect(migrate(db)).toEqual([]);
  });

  it('refuses a cache written by a newer version with CACHE_TOO_NEW, changing nothing', async () => {
    const dir = tempProfile();
    const vault = new Vault({ profileDir: dir, scrypt: TEST_SCRYPT });
    await vault.create('a good passphrase');
    const keyHex = vault.exportKeyHex();
    await vault.lock();
    // Simulate a newer build: bump user_version through the same cipher.
    const db = openEncrypted(vault.paths.cache, Buffer.from(keyHex, 'hex'), { create: false });
    applyRuntimePragmas(db);
    db.pragma(`user_version = ${latestVersion() + 10}`);
    db.pragma('journal_mode = DELETE');
    db.close();
    const before = snapshot(dir);
    await expect(vault.unlock('a good passphrase')).rejects.toMatchObject({
      code: 'CACHE_TOO_NEW',
      details: { schemaVersion: latestVersion() + 10, latestSchemaVersion: latestVersion() },
    });
    const after = snapshot(dir);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [p, bytes] of before) expect(readFileSync(p).equals(bytes)).toBe(true);
  });
});
