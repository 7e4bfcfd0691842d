/**
 * `npm run serve` / `strongroom serve`: the browser host. Runs the data worker thread and serves the
 * built renderer plus the RPC WebSocket on 127.0.0.1, then prints the URL to open.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveProfileDir } from '../worker/profile.js';
import { WorkerConnection } from '../worker/connection.js';
import { startHost } from './server.js';

export interface ServeOptions {
  profile?: string;
  port?: number;
  /** Folder holding worker.cjs and ../renderer (defaults to this bundle's own folder). */
  distDir?: string;
}

export async function serve(options: ServeOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const distDir = options.distDir ?? __dirname;
  const rendererDir = join(distDir, '..', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`No built renderer in ${rendererDir}. Run \`npm run build\` first.`);
  }
  const profileDir = resolveProfileDir(options.profile);
  const scryptN = Number(process.env.STRONGROOM_TEST_SCRYPT_N) || undefined;
  const demoScale = Number(process.env.STRONGROOM_DEMO_SCALE) || undefined;
  const worker = new WorkerConnection(join(distDir, 'worker.cjs'), { profileDir, ...(scryptN ? { scryptN } : {}), ...(demoScale ? { demoScale } : {}) });
  const host = await startHost({ worker, rendererDir, ...(options.port !== undefined ? { port: options.port } : {}) });
  return {
    url: host.url,
    async close() {
      await host.close();
      await worker.close();
    },
  };
}
