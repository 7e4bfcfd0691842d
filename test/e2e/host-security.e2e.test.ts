import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServe, type RunningHost } from './harness.js';

let host: RunningHost;
beforeAll(async () => {
  host = await startServe();
});
afterAll(async () => host?.stop());

function connect(options: { origin?: string; token?: string | null; host?: string }): Promise<{ ws?: WebSocket; status?: number }> {
  const protocols = ['strongroom.v1'];
  if (options.token !== null) protocols.push(`strongroom.token.${options.token ?? host.token}`);
  const headers: Record<string, string> = {};
  if (options.host) headers.Host = options.host;
  const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/rpc`, protocols, { origin: options.origin ?? host.origin, headers });
  return new Promise((done) => {
    ws.once('open', () => done({ ws }));
    ws.once('unexpected-response', (_req, res) => done({ status: res.statusCode }));
    ws.once('error', () => done({}));
  });
}

function call(ws: WebSocket, service: string, method: string, args: unknown[] = []): Promise<Record<string, unknown>> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((done) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if (message.id === id) {
        ws.off('message', onMessage);
        done(message);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ t: 'req', id, service, method, args }));
  });
}

describe('browser host transport security', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('accepts the right token from the right origin', async () => {
    const { ws } = await connect({});
    expect(ws).toBeDefined();
    expect(await call(ws!, 'session', 'state')).toMatchObject({ ok: true, value: { status: 'uninitialised' } });
    ws!.close();
  });

  it('refuses a connection without the token, with a wrong token, or from another origin', async () => {
    expect(await connect({ token: null })).toEqual({ status: 401 });
    expect(await connect({ token: 'f'.repeat(48) })).toEqual({ status: 401 });
    expect(await connect({ origin: 'http://evil.example' })).toEqual({ status: 403 });
    expect(await connect({ origin: 'http://localhost:1' })).toEqual({ status: 403 });
  });

  it('refuses another Host header (DNS rebinding) for pages and sockets', async () => {
    expect(await connect({ host: 'attacker.example' })).toEqual({ status: 421 });
    const res = await fetch(`${host.origin}/`, { headers: { Host: 'attacker.example' } }).catch(() => null);
    // fetch may forbid overriding Host; where it allows it the host must refuse.
    if (res) expect([421, 200]).toContain(res.status);
  });

  it('does not forward privileged or unknown services, and validates arguments', async () => {
    const { ws } = await connect({});
    expect(await call(ws!, 'keyring', 'exportKey')).toMatchObject({ ok: false, error: { code: 'NOT_PERMITTED' } });
    expect(await call(ws!, 'session', 'constructor')).toMatchObject({ ok: false, error: { code: 'NOT_PERMITTED' } });
    expect(await call(ws!, 'session', 'unlock', [{ passphrase: 42 }])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', details: { path: 'args[0].passphrase' } },
    });
    ws!.close();
  });

  it('closes the socket on a malformed message', async () => {
    const { ws } = await connect({});
    const closed = new Promise<number>((done) => ws!.once('close', (code) => done(code)));
    ws!.send('{not json');
    expect(await closed).toBe(1003);
  });

  it('serves the app with a strict Content-Security-Policy and no eval', async () => {
    const res = await fetch(`${host.origin}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(html).toContain('Content-Security-Policy');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect((await fetch(`${host.origin}/../../etc/passwd`)).status).toBe(404);
    expect((await fetch(`${host.origin}/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
    expect((await fetch(`${host.origin}/`, { method: 'POST' })).status).toBe(405);
    // A malformed escape is a bad request, not a crash: the host still answers afterwards.
    expect((await fetch(`${host.origin}/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${host.origin}/`)).status).toBe(200);
  });
});
