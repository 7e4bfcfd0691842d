import { Worker } from 'node:worker_threads';
import { StrongroomError } from '../../shared/errors.js';
import type { ClientTransport, RpcEvent, RpcRequest, RpcResponse } from '../../shared/rpc/protocol.js';

export interface WorkerStartOptions {
  profileDir: string;
  /** Path of an Electron-ABI better-sqlite3 binding (in the app); Node's own build otherwise. */
  nativeBinding?: string;
  /** Lower scrypt cost for new key wrappers; only for tests (STRONGROOM_TEST_SCRYPT_N). */
  scryptN?: number;
  /** Size of the demo warehouse, 1 = full (STRONGROOM_DEMO_SCALE, for tests). */
  demoScale?: number;
  /** Budget for in-memory extract copies in MiB (STRONGROOM_MEMORY_BUDGET_MB). */
  memoryBudgetMb?: number;
}

/**
 * The parent side of the data worker thread: forwards requests, matches answers, fans out events.
 * Request ids are renumbered here so several clients (browser tabs, windows) can share one worker.
 */
export class WorkerConnection {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, (response: RpcResponse) => void>();
  private readonly eventListeners = new Set<(event: RpcEvent) => void>();
  private readonly exitListeners = new Set<(reason: string) => void>();
  private exited: string | null = null;

  constructor(workerFile: string, options: WorkerStartOptions) {
    // Bulk loads allocate a row array per warehouse row; a larger young generation lets them die in
    // cheap scavenges instead of being promoted (measured: about a quarter off a 1M-row sync).
    this.worker = new Worker(workerFile, { workerData: options, resourceLimits: { maxYoungGenerationSizeMb: 192 } });
    this.worker.on('message', (message: RpcResponse | RpcEvent) => {
      if (message.t === 'evt') {
        for (const listener of this.eventListeners) listener(message);
        return;
      }
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message);
    });
    const fail = (reason: string) => {
      if (this.exited) return;
      this.exited = reason;
      for (const listener of this.exitListeners) listener(reason);
      for (const [id, resolve] of this.pending) resolve({ t: 'res', id, ok: false, error: { code: 'DISCONNECTED', message: reason } });
      this.pending.clear();
    };
    this.worker.on('error', (err) => fail(`The data worker failed: ${err.message}`));
    this.worker.on('exit', (code) => fail(`The data worker stopped (exit code ${code}).`));
  }

  /** Sends one request; the answer carries the caller's own id. Never rejects: failures are responses. */
  request(request: RpcRequest): Promise<RpcResponse> {
    if (this.exited) {
      return Promise.resolve({ t: 'res', id: request.id, ok: false, error: { code: 'DISCONNECTED', message: this.exited } });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, (response) => resolve({ ...response, id: request.id }));
      this.worker.postMessage({ ...request, id });
    });
  }

  /** Calls a method and unwraps the answer, for trusted Node-side callers (main process, host). */
  async call<T>(service: string, method: string, ...args: unknown[]): Promise<T> {
    const response = await this.request({ t: 'req', id: 0, service, method, args });
    if (!response.ok) throw StrongroomError.fromInfo(response.error);
    return response.value as T;
  }

  /** A client transport over this worker, for trusted Node-side callers (the CLI, benchmarks). */
  transport(): ClientTransport {
    let receiver: ((message: RpcResponse | RpcEvent) => void) | null = null;
    this.onEvent((event) => receiver?.(event));
    return {
      send: (request) => void this.request(request).then((response) => receiver?.(response)),
      onMessage: (handler) => (receiver = handler),
      onClose: (handler) => this.onExit(handler),
    };
  }

  onEvent(listener: (event: RpcEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Called once if the worker stops (crash or close); clients should be told the connection is gone. */
  onExit(listener: (reason: string) => void): void {
    this.exitListeners.add(listener);
  }

  async close(): Promise<void> {
    if (this.exited) return;
    this.worker.postMessage('shutdown');
    const timer = setTimeout(() => void this.worker.terminate(), 5000);
    await new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    clearTimeout(timer);
  }
}
