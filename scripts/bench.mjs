// `npm run bench [-- NAME]`: bundles a benchmark (test/bench/NAME.bench.ts, default foundation) with
// esbuild and runs it with Node. Figures are printed with the machine they were measured on;
// nothing is asserted against wall-clock time.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(join(root, 'dist', 'electron', 'worker.cjs'))) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
const name = process.argv[2] ?? 'foundation';
// The demo warehouse's own measuring script lives beside the generator; the rest are in test/bench.
const entry = name === 'demo' ? 'electron/worker/demo/measure.ts' : `test/bench/${name}.bench.ts`;
const out = mkdtempSync(join(tmpdir(), 'strongroom-bench-build-'));
try {
  await build({ absWorkingDir: root, entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', outfile: join(out, `${name}.cjs`), logLevel: 'warning', define: { __dirname: JSON.stringify(join(root, 'test', 'bench')) } });
  const run = spawnSync(process.execPath, [join(out, `${name}.cjs`), ...process.argv.slice(3)], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_PATH: join(root, 'node_modules') } });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
