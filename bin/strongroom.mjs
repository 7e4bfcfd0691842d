#!/usr/bin/env node
// The `strongroom` command. The TypeScript sources are bundled by `npm run build` (run by `npm install`).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/electron/cli.cjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('strongroom: not built yet. Run `npm run build` in the Strongroom folder.\n');
  process.exit(1);
}
const { main } = createRequire(import.meta.url)(bundle);
process.exitCode = await main(process.argv.slice(2));
