import type { ClientTransport, RpcEvent, RpcRequest, RpcResponse } from '../../shared/rpc/protocol.js';

/** What the Electron preload exposes as `window.strongroomTransport`. */
interface PreloadTransport {
  send(message: unknown): void;
  onMessage(handler: (message: unknown) => void): void;
}

declare global {
  interface Window {
    strongroomTransport?: PreloadTransport;
  }
}

const TOKEN_KEY = 'strongroom.hostToken';

/** Thrown when the page was opened without the browser host's token. */
export class MissingTokenError extends Error {}

/** The app's transport: Electron IPC through the preload, or the browser host's WebSocket. */
export function connectTransport(): ClientTransport {
  const preload = window.strongroomTransport;
  if (preload) {
    return {
      send: (message) => preload.send(message),
      onMessage: (handler) => preload.onMessage((m) => handler(m as RpcResponse | RpcEvent)),
    };
  }
  return connectWebSocket();
}

function takeToken(): string | null {
  const match = /(?:^#|&)token=([0-9a-f]+)/.exec(window.location.hash);
  if (match?.[1]) {
    // Keep it for reloads of this tab, and out of the address bar and history.
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function connectWebSocket(): ClientTransport {
  const token = takeToken();
  if (!token) throw new MissingTokenError('This page needs the link printed by `strongroom serve` (it carries a one-time token).');
  const socket = new WebSocket(`ws://${window.location.host}/rpc`, ['strongroom.v1', `strongroom.token.${token}`]);
  const queue: string[] = [];
  let receiver: ((message: RpcResponse | RpcEvent) => void) | null = null;
  let closeHandler: ((reason: string) => void) | null = null;
  socket.addEventListener('open', () => {
    for (const text of queue.splice(0)) socket.send(text);
  });
  socket.addEventListener('message', (event) => {
    receiver?.(JSON.parse(String(event.data)) as RpcResponse | RpcEvent);
  });
  socket.addEventListener('close', (event) => {
    if (event.code === 1006 && queue.length > 0) sessionStorage.removeItem(TOKEN_KEY);
    closeHandler?.(event.reason || 'The connection to the Strongroom host was lost.');
  });
  return {
    send(message: RpcRequest) {
      const text = JSON.stringify(message);
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else if (socket.readyState === WebSocket.CONNECTING) queue.push(text);
      else throw new Error('The connection to the Strongroom host is closed.');
    },
    onMessage(handler) {
      receiver = handler;
    },
    onClose(handler) {
      closeHandler = handler;
    },
  };
}
