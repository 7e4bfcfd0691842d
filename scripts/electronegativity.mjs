// Runs @doyensec/electronegativity over the Electron code plus the built renderer page (where the
// CSP meta tag lives) and fails on any HIGH (or worse) finding. Medium and lower are printed for review.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(root, 'package.json'));
const electronVersion = require('electron/package.json').version;
const builtHtml = join(root, 'dist', 'renderer', 'index.html');
if (!existsSync(builtHtml)) {
  console.error('electronegativity: build the renderer first (npm run build)');
  process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), 'strongroom-eneg-'));
try {
  cpSync(join(root, 'electron'), join(work, 'electron'), { recursive: true });
  cpSync(builtHtml, join(work, 'renderer', 'index.html'));
  const csv = join(work, 'findings.csv');
  const cli = require.resolve('@doyensec/electronegativity/dist/index.js');
  // -e: tell it the Electron version so it does not need the network to look it up.
  execFileSync(process.execPath, [cli, '-i', work, '-e', electronVersion, '-r', '-o', csv], { stdio: ['ignore', 'ignore', 'ignore'] });
  const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1);
  const findings = rows.map((row) => {
    const [issue, severity, confidence, file, location] = row.split(',').map((c) => c.replace(/^"|"$/g, ''));
    return { issue, severity, confidence, file, location };
  });
  for (const f of findings) console.log(`electronegativity: ${f.severity} ${f.confidence} ${f.issue} ${f.file}:${f.location}`);
  const high = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL');
  console.log(`electronegativity: ${findings.length} findings, ${high.length} high`);
  process.exit(high.length ? 1 : 0);
} finally {
  rmSync(work, { recursive: true, force: true });
}
