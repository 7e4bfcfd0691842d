// `npm start`: build, then launch Electron. Where the Electron binary cannot be had (no download
// allowed, unsupported platform), say so in one line and run the browser host instead, so the
// README's two commands always run the app.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (args, opts = {}) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', ...opts });

if (run(['scripts/build.mjs']).status !== 0) process.exit(1);

function electronBinary() {
  // Electron 45+ fetches its binary on first use; this is where that happens.
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 10 * 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const path = probe.stdout?.trim();
  if (probe.status === 0 && path && existsSync(path)) return { path };
  const stderr = `${probe.stderr ?? ''}`;
  if (probe.error?.code === 'ETIMEDOUT') return { reason: 'downloading the Electron binary timed out' };
  if (/fetch failed|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|getaddrinfo/.test(stderr)) {
    return { reason: 'the Electron binary is not installed and could not be downloaded (no access to its download server)' };
  }
  const firstError = stderr.split('\n').find((l) => /error/i.test(l))?.trim() ?? 'no binary for this platform';
  return { reason: `the Electron binary is not available (${firstError})` };
}

const electron = electronBinary();
let reason = electron.reason;
if (electron.path && run(['scripts/electron-native.mjs']).status !== 0) {
  reason = "the SQLite binding could not be built for Electron's ABI (see above)";
}
if (!reason) {
  const child = spawn(electron.path, ['.'], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  console.log(`Strongroom: ${reason}; starting the browser host instead — open the URL below in Chromium or Chrome.`);
  const host = spawn(process.execPath, ['bin/strongroom.mjs', 'serve', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => host.kill(signal));
  host.on('exit', (code) => process.exit(code ?? 0));
}
