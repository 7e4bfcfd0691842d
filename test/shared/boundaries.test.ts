import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');

function cruise(...paths: string[]): Array<{ rule: string; from: string; to: string }> {
  let out: string;
  try {
    out = execFileSync(process.execPath, [resolve(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), '--config', '.dependency-cruiser.cjs', '-T', 'json', ...paths], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    out = (err as { stdout: string }).stdout;
  }
  const result = JSON.parse(out) as { summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> } };
  return result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

describe('import boundaries (dependency-cruiser)', () => {
  it('fire on each kind of forbidden import in the fixtures', () => {
    const rules = cruise('test/fixtures/boundaries').map((v) => `${v.rule}: ${v.from}`);
    expect(rules.sort()).toEqual(
      [
        'host-and-cli-use-shared-and-worker-only: test/fixtures/boundaries/electron/host/imports-renderer.ts',
        'preload-is-electron-and-shared-only: test/fixtures/boundaries/electron/preload/imports-node.ts',
        'renderer-is-browser-only: test/fixtures/boundaries/renderer/imports-node.ts',
        'shared-is-environment-free: test/fixtures/boundaries/shared/imports-node.ts',
        'worker-never-imports-electron: test/fixtures/boundaries/electron/worker/imports-electron.ts',
      ].sort(),
    );
  });

  it('hold for the real tree', () => {
    expect(cruise('shared', 'electron', 'renderer')).toEqual([]);
  });
});
