/**
 * Undo/redo over immutable snapshots. Pure: every function returns a new history and never mutates.
 * Rapid edits of the same thing (typing a bound, nudging a number) coalesce into one step when they
 * share a key and arrive within `COALESCE_MS` of each other, so one Ctrl+Z undoes the whole burst.
 */
export interface History<T> {
  past: readonly T[];
  present: T;
  future: readonly T[];
  /** Coalescing key and time of the last commit; cleared by undo/redo so the next edit is a new step. */
  lastKey: string | null;
  lastAt: number;
}

/** Steps kept; older ones are forgotten. */
export const HISTORY_CAP = 100;
/** Edits with the same key closer together than this are one step. */
export const COALESCE_MS = 800;

export function createHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], lastKey: null, lastAt: 0 };
}

export interface CommitOptions {
  /** Edits sharing a key (e.g. `filter:f3:min`) within COALESCE_MS replace the last step. */
  key?: string;
  /** Milliseconds (injectable for tests); defaults to Date.now(). */
  now?: number;
  cap?: number;
}

/** Records `next` as the present. A commit of the same snapshot is no step at all. */
export function commit<T>(history: History<T>, next: T, options: CommitOptions = {}): History<T> {
  if (next === history.present) return history;
  const now = options.now ?? Date.now();
  const key = options.key ?? null;
  if (key !== null && key === history.lastKey && now - history.lastAt < COALESCE_MS) {
    return { ...history, present: next, future: [], lastAt: now };
  }
  const cap = options.cap ?? HISTORY_CAP;
  const past = [...history.past, history.present];
  return { past: past.length > cap ? past.slice(past.length - cap) : past, present: next, future: [], lastKey: key, lastAt: now };
}

export function canUndo(history: History<unknown>): boolean {
  return history.past.length > 0;
}

export function canRedo(history: History<unknown>): boolean {
  return history.future.length > 0;
}

export function undo<T>(history: History<T>): History<T> {
  if (history.past.length === 0) return history;
  const previous = history.past[history.past.length - 1]!;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future], lastKey: null, lastAt: 0 };
}

export function redo<T>(history: History<T>): History<T> {
  if (history.future.length === 0) return history;
  const [next, ...rest] = history.future;
  return { past: [...history.past, history.present], present: next!, future: rest, lastKey: null, lastAt: 0 };
}
