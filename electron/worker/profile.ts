import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Files of one profile. One cache per profile directory. */
export interface ProfilePaths {
  dir: string;
  /** The SQLCipher-4-format database. Its `-wal` and `-shm` companions sit beside it. */
  cache: string;
  /** The data key, wrapped by the passphrase (and optionally the OS keychain). Never the key itself. */
  keyFile: string;
}

export function profilePaths(dir: string): ProfilePaths {
  const abs = resolve(dir);
  return { dir: abs, cache: join(abs, 'strongroom.db'), keyFile: join(abs, 'strongroom.keys.json') };
}

/**
 * The profile for the CLI and browser host: `--profile DIR`, else STRONGROOM_PROFILE, else the same
 * folder Electron uses as userData for "Strongroom", so the CLI and the app share a cache by default.
 */
export function resolveProfileDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.STRONGROOM_PROFILE) return resolve(env.STRONGROOM_PROFILE);
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Strongroom');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Strongroom');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Strongroom');
}
