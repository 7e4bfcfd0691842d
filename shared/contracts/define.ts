import type { z } from 'zod';

/** Any service: an object of async methods taking and returning plain data. */
export type ServiceShape = { [method: string]: (...args: never[]) => Promise<unknown> };

/** For each method of a service, the zod schema of its argument list (a `z.tuple`). */
export type ContractOf<S> = { readonly [M in keyof S]-?: z.ZodType<unknown> };

/**
 * Declares the argument schemas of a service. The type parameter ties the schema object to the
 * service interface, so adding a method to the interface without a schema fails to compile.
 */
export function defineContract<S>() {
  return <C extends ContractOf<S>>(methods: C & Record<Exclude<keyof C, keyof S>, never>): C => methods;
}
