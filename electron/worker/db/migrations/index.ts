import { StrongroomError } from '../../../../shared/errors.js';
import type { Db } from '../cipher.js';
import { m0010 } from './0010-create-settings.js';
import { m0020 } from './0020-create-extracts.js';
import { m0030 } from './0030-create-audit.js';
import { m0040 } from './0040-sync.js';
import { m0050 } from './0050-workbench.js';
import { m0060 } from './0060-forecasts.js';
import type { Migration } from './types.js';

export type { Migration };

/** Every schema step, in order. Append only: never edit or reorder a step that has shipped. */
export const MIGRATIONS: readonly Migration[] = [m0010, m0020, m0030, m0040, m0050, m0060];

export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.at(-1)?.version ?? 0;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses a cache written by a newer build before anything is written to it. */
export function assertNotTooNew(db: Db, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = schemaVersion(db);
  const latest = latestVersion(migrations);
  if (current > latest) {
    throw new StrongroomError(
      'CACHE_TOO_NEW',
      `This cache has schema version ${current}, written by a newer Strongroom; this build knows up to ${latest}. Update Strongroom to open it. The cache was not modified.`,
      { schemaVersion: current, latestSchemaVersion: latest },
    );
  }
}

/** Applies each pending step in its own transaction, recording its version in `user_version`. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number[] {
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version <= migrations[i - 1]!.version) throw new Error('Migrations must be in increasing version order');
  }
  assertNotTooNew(db, migrations);
  const applied: number[] = [];
  for (const step of migrations) {
    if (step.version <= schemaVersion(db)) continue;
    db.transaction(() => {
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    })();
    applied.push(step.version);
  }
  return applied;
}
