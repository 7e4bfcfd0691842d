import type { z } from 'zod';
import { StrongroomError, toErrorInfo } from '../errors.js';
import type { RpcRequest, RpcResponse } from './protocol.js';

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

interface Route {
  schema: z.ZodType<unknown>;
  call: AnyMethod;
}

/** A service implementation paired with the contract that validates its arguments. */
export interface Registration<S> {
  contract: { readonly [M in keyof S]: z.ZodType<unknown> };
  impl: S;
}

/** Builds a registration; the generic ties `impl` to the contract's service interface. */
export function register<S>(contract: { readonly [M in keyof S]: z.ZodType<unknown> }, impl: S): Registration<S> {
  return { contract, impl };
}

/** `args[0].passphrase` style path for zod issues, matching how the caller wrote the call. */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = 'args';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return out;
}

/**
 * Transport-free RPC dispatcher. The allow-list of `service.method` routes is built once, from the
 * contracts, at construction; a request naming anything else is refused with NOT_PERMITTED, so no
 * arbitrary property of an implementation can ever be reached by name.
 */
export class RpcServer {
  private readonly routes = new Map<string, Route>();

  constructor(registrations: Record<string, Registration<unknown>>) {
    for (const [service, { contract, impl }] of Object.entries(registrations)) {
      for (const [method, schema] of Object.entries(contract as Record<string, z.ZodType<unknown>>)) {
        const fn = (impl as Record<string, unknown>)[method];
        if (typeof fn !== 'function') throw new Error(`${service}.${method} is in the contract but not implemented`);
        this.routes.set(`${service}.${method}`, { schema, call: (fn as AnyMethod).bind(impl) });
      }
    }
  }

  /** Names of all callable methods, `service.method`. */
  methods(): string[] {
    return [...this.routes.keys()].sort();
  }

  async handle(request: RpcRequest): Promise<RpcResponse> {
    const { id } = request;
    const route = this.routes.get(`${request.service}.${request.method}`);
    if (!route) {
      return {
        t: 'res',
        id,
        ok: false,
        error: { code: 'NOT_PERMITTED', message: `Unknown method ${request.service}.${request.method}` },
      };
    }
    const parsed = route.schema.safeParse(request.args);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = formatPath(issue?.path ?? []);
      return {
        t: 'res',
        id,
        ok: false,
        error: {
          code: 'INVALID_ARGUMENT',
          message: `${request.service}.${request.method}: ${path}: ${issue?.message ?? 'invalid arguments'}`,
          details: { path },
        },
      };
    }
    try {
      const value = await route.call(...(parsed.data as unknown[]));
      return { t: 'res', id, ok: true, value: value === undefined ? null : value };
    } catch (err) {
      return { t: 'res', id, ok: false, error: toErrorInfo(err) };
    }
  }
}

export { StrongroomError };
