import type { SessionState } from '../../../../shared/contracts/index.js';
import { StrongroomError, type ErrorInfo } from '../../../../shared/errors.js';
import type { SliceCreator } from '../../types.js';

export interface SessionSlice {
  /** Null until the first answer from the services. */
  session: SessionState | null;
  /** The last failure of a session action, for the unlock screen to explain. */
  sessionError: ErrorInfo | null;
  sessionBusy: boolean;
  refreshSession(): Promise<void>;
  createCache(passphrase: string): Promise<boolean>;
  unlock(passphrase: string): Promise<boolean>;
  lock(): Promise<void>;
  /** Applies a `session.changed` event (e.g. idle auto-lock in the worker). */
  sessionChanged(state: SessionState): void;
}

export function toInfo(err: unknown): ErrorInfo {
  return err instanceof StrongroomError ? err.toInfo() : { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

export const createSessionSlice: SliceCreator<SessionSlice> = (set, get, { api }) => {
  async function attempt(action: () => Promise<SessionState>): Promise<boolean> {
    set({ sessionBusy: true, sessionError: null });
    try {
      const session = await action();
      set({ session, sessionBusy: false });
      return true;
    } catch (err) {
      const info = toInfo(err);
      set({ sessionBusy: false, sessionError: info });
      // Failed attempts and throttling are tracked by the worker; show its count and wait.
      await get().refreshSession();
      return false;
    }
  }
  return {
    session: null,
    sessionError: null,
    sessionBusy: false,
    async refreshSession() {
      set({ session: await api.session.state() });
    },
    createCache: (passphrase) => attempt(() => api.session.create({ passphrase })),
    unlock: (passphrase) => attempt(() => api.session.unlock({ passphrase })),
    async lock() {
      set({ session: await api.session.lock(), sessionError: null });
      get().clearWorkspace();
    },
    sessionChanged(state) {
      set({ session: state });
      if (state.status !== 'unlocked') get().clearWorkspace();
    },
  };
};
