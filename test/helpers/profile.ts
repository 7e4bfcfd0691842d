import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** Cheap scrypt for tests; the product default (N=2^17) is exercised by the benchmark and e2e. */
export const TEST_SCRYPT = { N: 2 ** 14, r: 8, p: 1 };

const made: string[] = [];
afterEach(() => {
  while (made.length) rmSync(made.pop()!, { recursive: true, force: true });
});

/** A fresh temp profile directory, removed after the test. */
export function tempProfile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-test-'));
  made.push(dir);
  return dir;
}

/** Every file under a directory with its bytes, for byte-identity and plaintext checks. */
export function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p, readFileSync(p));
    }
  };
  walk(dir);
  return out;
}
