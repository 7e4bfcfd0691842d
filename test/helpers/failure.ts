import type { StrongroomError } from '../../shared/errors.js';

/** The error a promise rejects with; fails the test if it resolves instead. */
export async function failure(promise: Promise<unknown>): Promise<StrongroomError> {
  try {
    await promise;
  } catch (err) {
    return err as StrongroomError;
  }
  throw new Error('expected a failure');
}
