/**
 * Entry of the data worker thread. Better-sqlite3 is synchronous, so every query runs here and never
 * blocks the Electron main thread or the host's event loop. The parent (Electron main or the browser
 * host) is trusted: it decides which services a renderer may reach before forwarding.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { isRpcRequest } from '../../shared/rpc/protocol.js';
import { useNativeBinding } from './db/cipher.js';
import { createWorkerRuntime } from './runtime.js';
import type { WorkerStartOptions } from './connection.js';

const port = parentPort;
if (!port) throw new Error('thread.ts must run as a worker thread');
const options = workerData as WorkerStartOptions;
useNativeBinding(options.nativeBinding);
const memoryBudgetMb = options.memoryBudgetMb ?? Number(process.env.STRONGROOM_MEMORY_BUDGET_MB ?? 0);
const runtime = createWorkerRuntime({
  profileDir: options.profileDir,
  ...(options.scryptN ? { scrypt: { N: options.scryptN, r: 8, p: 1 } } : {}),
  ...(options.demoScale ? { demoScale: options.demoScale } : {}),
  readerFile: join(__dirname, 'reader.cjs'),
  forecastFile: join(__dirname, 'forecast.cjs'),
  ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  ...(memoryBudgetMb > 0 ? { memoryBudgetBytes: memoryBudgetMb * 1024 * 1024 } : {}),
});
runtime.onEvent((event) => port.postMessage(event));
port.on('message', (message: unknown) => {
  if (isRpcRequest(message)) {
    void runtime.server.handle(message).then((response) => port.postMessage(response));
  } else if (message === 'shutdown') {
    runtime.close();
    port.close();
  }
});
