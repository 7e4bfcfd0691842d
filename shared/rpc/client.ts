import { StrongroomError } from '../errors.js';
import type { ClientTransport, RpcEvent, RpcRequest, RpcResponse } from './protocol.js';

interface Pending {
  resolve(value: unknown): void;
  reject(err: StrongroomError): void;
}

/** A typed client over any transport. `api` is a Proxy: `client.api.session.unlock({...})`. */
export interface RpcClient<A, E> {
  readonly api: A;
  /** Subscribes to a server event; returns the unsubscribe function. */
  on<K extends keyof E & string>(topic: K, handler: (payload: E[K]) => void): () => void;
}

/**
 * Creates the typed client. Renderer code calls `api.extracts.list()` and never sees the transport;
 * failures arrive as {@link StrongroomError} with the server's stable code.
 */
export function createClient<A extends object, E = Record<string, unknown>>(transport: ClientTransport): RpcClient<A, E> {
  let nextId = 1;
  let closedReason: string | null = null;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  transport.onMessage((message: RpcResponse | RpcEvent) => {
    if (message.t === 'evt') {
      for (const handler of listeners.get(message.topic) ?? []) handler(message.payload);
      return;
    }
    const entry = pending.get(message.id);
    if (!entry) return;
    pending.delete(message.id);
    if (message.ok) entry.resolve(message.value);
    else entry.reject(StrongroomError.fromInfo(message.error));
  });

  transport.onClose?.((reason) => {
    closedReason = reason;
    for (const entry of pending.values()) entry.reject(new StrongroomError('DISCONNECTED', reason));
    pending.clear();
  });

  function call(service: string, method: string, args: unknown[]): Promise<unknown> {
    if (closedReason !== null) return Promise.reject(new StrongroomError('DISCONNECTED', closedReason));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      try {
        transport.send({ t: 'req', id, service, method, args });
      } catch (err) {
        pending.delete(id);
        reject(new StrongroomError('DISCONNECTED', err instanceof Error ? err.message : String(err)));
      }
    });
  }

  const serviceProxies = new Map<string, object>();
  const api = new Proxy(
    {},
    {
      get(_target, service) {
        // `then` must be absent or awaiting the api object would treat it as a promise.
        if (typeof service !== 'string' || service === 'then') return undefined;
        let proxy = serviceProxies.get(service);
        if (!proxy) {
          proxy = new Proxy(
            {},
            {
              get(_t, method) {
                if (typeof method !== 'string' || method === 'then') return undefined;
                return (...args: unknown[]) => call(service, method, args);
              },
            },
          );
          serviceProxies.set(service, proxy);
        }
        return proxy;
      },
    },
  ) as A;

  return {
    api,
    on(topic, handler) {
      let set = listeners.get(topic);
      if (!set) listeners.set(topic, (set = new Set()));
      set.add(handler as (payload: unknown) => void);
      return () => set.delete(handler as (payload: unknown) => void);
    },
  };
}

/**
 * An in-process transport pair: a client transport wired straight to a request handler. Used by the
 * CLI and by tests; it still round-trips every message through JSON, as the WebSocket transport does,
 * so nothing relies on shared object identity or on values a transport could not carry.
 */
function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function createLoopbackTransport(
  handle: (request: RpcRequest) => Promise<RpcResponse>,
  subscribe?: (emit: (event: RpcEvent) => void) => void,
): ClientTransport {
  let receiver: ((message: RpcResponse | RpcEvent) => void) | null = null;
  subscribe?.((event) => receiver?.(jsonCopy(event)));
  return {
    send(message) {
      void handle(jsonCopy(message)).then((response) => receiver?.(jsonCopy(response)));
    },
    onMessage(handler) {
      receiver = handler;
    },
  };
}
