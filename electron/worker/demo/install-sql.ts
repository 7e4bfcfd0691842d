import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const RELATIVE = join('warehouse', 'install.sql');

function walkUp(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, RELATIVE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Finds `warehouse/install.sql`, the file DBAs run, so the demo installs exactly the same catalog.
 * Looks upwards from this module's folder (the source tree, or `dist/electron/` once esbuild has
 * bundled it) and then from the working directory.
 */
export function findInstallSql(): string {
  // __dirname exists in the CommonJS bundles and under vitest; a plain ESM load has none.
  const here = typeof __dirname === 'string' ? __dirname : undefined;
  const found = (here && walkUp(here)) ?? walkUp(process.cwd());
  if (!found) throw new Error(`cannot find ${RELATIVE} above ${here ?? '(unknown module folder)'} or ${process.cwd()}; pass installSqlPath`);
  return found;
}

/** The text of install.sql, from `path` or from {@link findInstallSql}. */
export function readInstallSql(path?: string): string {
  return readFileSync(path ?? findInstallSql(), 'utf8');
}
