// `npm test`: the whole suite, in order, failing fast on the static checks, then every test suite.
// Ends with one summary line, "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

function step(title, command, args) {
  console.log(`\n── ${title}`);
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    console.log(`\n${title} failed.`);
    console.log('tests: 0 passed, 1 failed');
    process.exit(1);
  }
}

for (const project of ['shared', 'electron', 'renderer', 'test']) step(`typecheck ${project}/`, bin('tsc'), ['-p', project]);
step('import boundaries (dependency-cruiser)', bin('depcruise'), ['--config', '.dependency-cruiser.cjs', 'shared', 'electron', 'renderer']);
step('build', process.execPath, ['scripts/build.mjs']);
step('electronegativity over electron/', process.execPath, ['scripts/electronegativity.mjs']);

const totals = { passed: 0, failed: 0, skipped: 0 };
let failed = false;
for (const [title, config, out] of [
  ['unit and service tests (vitest)', 'vitest.config.ts', 'unit.json'],
  ['end-to-end tests (Playwright + Debian Chromium, browser host; Electron where its binary exists)', 'test/e2e/vitest.config.ts', 'e2e.json'],
]) {
  console.log(`\n── ${title}`);
  const file = join(results, out);
  rmSync(file, { force: true });
  const run = spawnSync(bin('vitest'), ['run', '-c', config, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`], { cwd: root, stdio: 'inherit' });
  if (!existsSync(file)) {
    failed = true;
    totals.failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  if (run.status !== 0) failed = true;
}
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failed || totals.failed > 0 || totals.passed === 0 ? 1 : 0);
