// Builds better-sqlite3-multiple-ciphers against Electron's headers into dist/native/, beside (not in
// place of) the Node build in node_modules that the CLI and tests use. Needs Electron's headers, so
// it runs where Electron itself could be downloaded. Skips work when the binding is already current.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(root, 'package.json'));
const electronVersion = require('electron/package.json').version;
const pkgDir = join(root, 'node_modules', 'better-sqlite3-multiple-ciphers');
const pkgVersion = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
const outDir = join(root, 'dist', 'native');
const stamp = join(outDir, 'stamp.json');
const wanted = JSON.stringify({ electronVersion, pkgVersion, arch: process.arch });

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted && existsSync(join(outDir, 'better_sqlite3.node'))) process.exit(0);

const work = mkdtempSync(join(tmpdir(), 'strongroom-native-'));
try {
  cpSync(pkgDir, work, { recursive: true, filter: (src) => !src.includes(`${pkgDir}/build`) });
  const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [join(process.execPath, '..', '..', 'lib', 'node_modules', 'npm')] });
  console.log(`Building the SQLite binding for Electron ${electronVersion}...`);
  // npm_config_nodedir would point node-gyp at Node's headers; Electron needs its own.
  const env = { ...process.env, npm_config_nodedir: '' };
  execFileSync(process.execPath, [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], { cwd: work, stdio: 'inherit', env });
  mkdirSync(outDir, { recursive: true });
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), join(outDir, 'better_sqlite3.node'));
  writeFileSync(stamp, wanted);
} finally {
  rmSync(work, { recursive: true, force: true });
}
