// Builds everything into dist/: Node-side bundles with esbuild, the renderer with Vite.
//   node scripts/build.mjs            all
//   node scripts/build.mjs --node     only main, preload, worker, cli (fast; run by `npm install`)
import { build as esbuild } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const onlyNode = process.argv.includes('--node');

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  outdir: 'dist/electron',
  outExtension: { '.js': '.cjs' },
};

rmSync(`${root}/dist/electron`, { recursive: true, force: true });
await Promise.all([
  // Node packages stay external: the native SQLite binding must be loaded from node_modules.
  esbuild({ ...common, entryPoints: { main: 'electron/main/main.ts', worker: 'electron/worker/thread.ts', reader: 'electron/worker/query/reader-thread.ts', forecast: 'electron/worker/forecast/pool-thread.ts', cli: 'electron/cli/main.ts' }, packages: 'external', external: ['electron'] }),
  // A sandboxed preload is one file that may require only 'electron'.
  esbuild({ ...common, entryPoints: { preload: 'electron/preload/preload.ts' }, external: ['electron'] }),
]);

if (!onlyNode) {
  const { build } = await import('vite');
  await build({ configFile: `${root}/renderer/vite.config.ts`, logLevel: 'warn' });
}
console.log(`built ${onlyNode ? 'node bundles' : 'node bundles and renderer'} into dist/`);
