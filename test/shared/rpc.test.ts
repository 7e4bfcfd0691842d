import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineContract } from '../../shared/contracts/define.js';
import { StrongroomError } from '../../shared/errors.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';
import type { ClientTransport, RpcEvent, RpcRequest, RpcResponse } from '../../shared/rpc/protocol.js';
import { register, RpcServer } from '../../shared/rpc/server.js';

interface Calculator {
  add(request: { a: number; b: number }): Promise<number>;
  fail(code: 'NOT_FOUND' | 'LOCKED'): Promise<void>;
  crash(): Promise<void>;
}
const calculatorContract = defineContract<Calculator>()({
  add: z.tuple([z.object({ a: z.number(), b: z.number() }).strict()]),
  fail: z.tuple([z.enum(['NOT_FOUND', 'LOCKED'])]),
  crash: z.tuple([]),
});
class CalculatorImpl implements Calculator {
  secret = 'never reachable';
  async add({ a, b }: { a: number; b: number }) {
    return a + b;
  }
  async fail(code: 'NOT_FOUND' | 'LOCKED') {
    throw new StrongroomError(code, `failed with ${code}`, { hint: 1 });
  }
  async crash() {
    throw new TypeError('boom');
  }
  async internalOnly() {
    return 'not in the contract';
  }
}

function setup() {
  const server = new RpcServer({ calc: register<Calculator>(calculatorContract, new CalculatorImpl()) });
  const emitters: Array<(e: RpcEvent) => void> = [];
  const client = createClient<{ calc: Calculator }, { tick: number }>(
    createLoopbackTransport((req) => server.handle(req), (emit) => emitters.push(emit)),
  );
  return { server, client, emit: (e: RpcEvent) => emitters.forEach((f) => f(e)) };
}

describe('RPC round trip', () => {
  it('calls a method through the typed proxy and returns its value', async () => {
    const { client } = setup();
    await expect(client.api.calc.add({ a: 2, b: 40 })).resolves.toBe(42);
  });

  it('refuses arguments that fail the contract with INVALID_ARGUMENT and the path', async () => {
    const { server } = setup();
    const res = await server.handle({ t: 'req', id: 7, service: 'calc', method: 'add', args: [{ a: 1, b: 'x' }] });
    expect(res).toMatchObject({ id: 7, ok: false, error: { code: 'INVALID_ARGUMENT', details: { path: 'args[0].b' } } });
    const extra = await server.handle({ t: 'req', id: 8, service: 'calc', method: 'add', args: [{ a: 1, b: 2, c: 3 }] });
    expect(extra).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const missing = await server.handle({ t: 'req', id: 9, service: 'calc', method: 'add', args: [] });
    expect(missing).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('only dispatches methods named in the contract', async () => {
    const { server } = setup();
    expect(server.methods()).toEqual(['calc.add', 'calc.crash', 'calc.fail']);
    for (const method of ['internalOnly', 'secret', 'constructor', '__proto__', 'toString']) {
      const res = await server.handle({ t: 'req', id: 1, service: 'calc', method, args: [] });
      expect(res).toMatchObject({ ok: false, error: { code: 'NOT_PERMITTED' } });
    }
    const res = await server.handle({ t: 'req', id: 1, service: 'nope', method: 'add', args: [] });
    expect(res).toMatchObject({ ok: false, error: { code: 'NOT_PERMITTED' } });
  });

  it('carries typed errors to the caller with code and details', async () => {
    const { client } = setup();
    const err = await client.api.calc.fail('LOCKED').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StrongroomError);
    expect(err).toMatchObject({ code: 'LOCKED', message: 'failed with LOCKED', details: { hint: 1 } });
    await expect(client.api.calc.crash()).rejects.toMatchObject({ code: 'INTERNAL', message: 'boom' });
  });

  it('delivers events to subscribers until they unsubscribe', async () => {
    const { client, emit } = setup();
    const seen: number[] = [];
    const off = client.on('tick', (n) => seen.push(n));
    emit({ t: 'evt', topic: 'tick', payload: 1 });
    off();
    emit({ t: 'evt', topic: 'tick', payload: 2 });
    expect(seen).toEqual([1]);
  });

  it('can be awaited without being mistaken for a promise', async () => {
    const { client } = setup();
    const api = await Promise.resolve(client.api);
    await expect(api.calc.add({ a: 1, b: 1 })).resolves.toBe(2);
  });

  it('rejects pending and later calls with DISCONNECTED when the transport closes', async () => {
    let closeHandler: (reason: string) => void = () => {};
    const transport: ClientTransport = {
      send: (_: RpcRequest) => {},
      onMessage: (_: (m: RpcResponse | RpcEvent) => void) => {},
      onClose: (h) => (closeHandler = h),
    };
    const client = createClient<{ calc: Calculator }>(transport);
    const pending = client.api.calc.add({ a: 1, b: 2 });
    closeHandler('host stopped');
    await expect(pending).rejects.toMatchObject({ code: 'DISCONNECTED', message: 'host stopped' });
    await expect(client.api.calc.add({ a: 1, b: 2 })).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });
});
