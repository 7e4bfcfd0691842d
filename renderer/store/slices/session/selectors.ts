import type { AppState } from '../../types.js';

export const selectStatus = (s: AppState) => s.session?.status ?? 'loading';
export const selectIsUnlocked = (s: AppState) => s.session?.status === 'unlocked';
/** Milliseconds the unlock screen must wait, from the latest error or state. */
export const selectRetryAfterMs = (s: AppState) =>
  Math.max(Number(s.sessionError?.details?.retryAfterMs ?? 0), s.session?.retryAfterMs ?? 0);
