/**
 * Entry of the query reader thread: a second, read-only connection to the encrypted cache that runs
 * compiled analysis SQL. A long SQLite scan blocks its thread; here that thread is not the data
 * worker's, so the app stays responsive and a cancel simply terminates this thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openEncrypted, useNativeBinding } from '../db/cipher.js';
import { prepareAnalysisConnection } from './sqlite-functions.js';

interface ReaderData {
  file: string;
  key: Uint8Array;
  nativeBinding?: string;
}

const port = parentPort;
if (!port) throw new Error('reader-thread.ts must run as a worker thread');
const data = workerData as ReaderData;
useNativeBinding(data.nativeBinding);
const key = Buffer.from(data.key);
// The data worker verified the file at unlock; a second full integrity pass would cost seconds.
const db = openEncrypted(data.file, key, { create: false, readonly: true, skipIntegrityCheck: true });
key.fill(0);
data.key.fill(0);
prepareAnalysisConnection(db);

port.on('message', (message: { id: number; sql: string; params: unknown[] }) => {
  try {
    const rows = db.prepare(message.sql).raw().all(...message.params) as unknown[][];
    port.postMessage({ id: message.id, ok: true, rows });
  } catch (err) {
    const e = err as Error & { code?: string };
    port.postMessage({ id: message.id, ok: false, message: e.message, code: e.code });
  }
});
