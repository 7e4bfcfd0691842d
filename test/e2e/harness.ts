import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const ROOT = resolve(__dirname, '..', '..');
export const SHOTS = join(ROOT, 'test-results', 'e2e');

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = process.env.STRONGROOM_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RunningHost {
  url: string;
  origin: string;
  token: string;
  profileDir: string;
  stop(): Promise<void>;
}

/** Starts `strongroom serve` on a fresh profile, as a user would, and reads the URL it prints. */
export async function startServe(): Promise<RunningHost> {
  if (!existsSync(join(ROOT, 'dist', 'electron', 'cli.cjs'))) throw new Error('Run `npm run build` before the e2e tests.');
  const profileDir = mkdtempSync(join(tmpdir(), 'strongroom-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['bin/strongroom.mjs', 'serve', '--json', '--profile', profileDir], {
    cwd: ROOT,
    // A cheaper scrypt keeps the suite quick; the product default is measured by the benchmark.
    env: { ...process.env, STRONGROOM_TEST_SCRYPT_N: String(2 ** 14), STRONGROOM_DEMO_SCALE: '0.02', STRONGROOM_PASSPHRASE: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) done((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => fail(new Error(`strongroom serve exited with ${code}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: /token=([0-9a-f]+)/.exec(parsed.hash)![1]!,
    profileDir,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}
