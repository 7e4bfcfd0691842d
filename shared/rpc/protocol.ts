import type { ErrorInfo } from '../errors.js';

/** A call from a client to a service method. `args` is the method's argument list. */
export interface RpcRequest {
  t: 'req';
  id: number;
  service: string;
  method: string;
  args: unknown[];
}

/** The answer to one request, matched by `id`. */
export type RpcResponse =
  | { t: 'res'; id: number; ok: true; value: unknown }
  | { t: 'res'; id: number; ok: false; error: ErrorInfo };

/** A server-initiated event (progress, state changes), delivered to every connected client. */
export interface RpcEvent {
  t: 'evt';
  topic: string;
  payload: unknown;
}

export type RpcMessage = RpcRequest | RpcResponse | RpcEvent;

/**
 * The one thing a transport must do: carry messages both ways. Electron IPC, a WebSocket, a worker
 * thread's port and an in-process loopback all implement it; neither client nor server knows which.
 */
export interface ClientTransport {
  send(message: RpcRequest): void;
  /** Registers the receiver of responses and events. Called once by the client. */
  onMessage(handler: (message: RpcResponse | RpcEvent) => void): void;
  /** Registers a callback for when the transport closes for good (optional). */
  onClose?(handler: (reason: string) => void): void;
}

export function isRpcRequest(value: unknown): value is RpcRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.t === 'req' &&
    typeof v.id === 'number' &&
    Number.isSafeInteger(v.id) &&
    typeof v.service === 'string' &&
    typeof v.method === 'string' &&
    Array.isArray(v.args)
  );
}
