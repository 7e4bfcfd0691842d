import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { PUBLIC_SERVICES } from '../../shared/contracts/index.js';
import { CONTENT_SECURITY_POLICY } from '../../shared/security.js';
import { isRpcRequest, type RpcResponse } from '../../shared/rpc/protocol.js';
import type { WorkerConnection } from '../worker/connection.js';

export interface HostOptions {
  /** The data worker all connections share. */
  worker: WorkerConnection;
  /** Built renderer (Vite output) to serve. */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token (tests); random per run otherwise. */
  token?: string;
}

export interface Host {
  /** The URL to open, token included in the fragment (never sent to the server in requests). */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Subprotocol prefix that carries the token in the WebSocket handshake. */
export const TOKEN_PROTOCOL_PREFIX = 'strongroom.token.';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Serves the renderer and the RPC WebSocket on 127.0.0.1 only, so a normal browser (and Playwright in
 * Debian's Chromium) runs the real app against the real services. Refused: any other Host header
 * (DNS rebinding), a WebSocket from another Origin, or one without this run's token.
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const rendererDir = resolve(options.rendererDir);
  let origin = '';
  let hostHeader = '';

  const server = createServer((req, res) => {
    if (req.headers.host !== hostHeader) return reply(res, 421, 'Misdirected request');
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'Method not allowed');
    serveStatic(rendererDir, req, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const path = new URL(req.url ?? '/', origin).pathname;
    if (path !== '/rpc') return refuse(404, 'Not Found');
    if (req.headers.host !== hostHeader) return refuse(421, 'Misdirected Request');
    if (req.headers.origin !== origin) return refuse(403, 'Forbidden');
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim());
    const presented = offered.find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
    if (!presented || !sameSecret(presented.slice(TOKEN_PROTOCOL_PREFIX.length), token)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => bridge(ws));
  });

  const clients = new Set<WebSocket>();
  const offEvents = options.worker.onEvent((event) => {
    const text = JSON.stringify(event);
    for (const ws of clients) ws.send(text);
  });

  // Without its worker the host can answer nothing: close the sockets so pages say the connection is lost.
  options.worker.onExit((reason) => {
    for (const ws of clients) ws.close(1011, reason.slice(0, 120));
  });

  function bridge(ws: WebSocket) {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('message', (data, isBinary) => {
      let message: unknown;
      try {
        message = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        message = undefined;
      }
      if (!isRpcRequest(message)) {
        ws.close(1003, 'Malformed message');
        return;
      }
      if (!PUBLIC_SERVICES.has(message.service)) {
        const refusal: RpcResponse = {
          t: 'res',
          id: message.id,
          ok: false,
          error: { code: 'NOT_PERMITTED', message: `Unknown method ${message.service}.${message.method}` },
        };
        ws.send(JSON.stringify(refusal));
        return;
      }
      void options.worker.request(message).then((response) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
      });
    });
  }

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  hostHeader = `127.0.0.1:${port}`;
  origin = `http://${hostHeader}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    async close() {
      offEvents();
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function reply(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function serveStatic(root: string, req: IncomingMessage, res: ServerResponse) {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    return reply(res, 400, 'Bad request');
  }
  const relative = normalize(pathname === '/' ? '/index.html' : pathname);
  const file = join(root, relative);
  if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
    return reply(res, 404, 'Not found');
  }
  res.writeHead(200, {
    'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': extname(file) === '.html' ? 'no-store' : 'max-age=3600',
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).pipe(res);
}
