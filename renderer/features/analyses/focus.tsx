import { createContext, useContext, useEffect, useRef, type ReactNode, type RefObject } from 'react';

/**
 * Focus that must survive a re-render: after a keyboard edit (a pill moved or removed, a field added)
 * the element that should have focus may be new. The editor asks for an id; the element with that id
 * takes focus when it next renders.
 */
interface FocusRequests {
  request(id: string): void;
  take(id: string): boolean;
}

const FocusContext = createContext<FocusRequests>({ request: () => undefined, take: () => false });

export function FocusProvider({ children }: { children: ReactNode }) {
  const pending = useRef<string | null>(null);
  const value = useRef<FocusRequests>({
    request: (id) => {
      pending.current = id;
    },
    take: (id) => {
      if (pending.current !== id) return false;
      pending.current = null;
      return true;
    },
  });
  return <FocusContext.Provider value={value.current}>{children}</FocusContext.Provider>;
}

export function useFocusRequests(): FocusRequests {
  return useContext(FocusContext);
}

/** Focuses `ref` after a render when `id` was requested. */
export function useFocusTarget(id: string, ref: RefObject<HTMLElement | null>): void {
  const focus = useFocusRequests();
  useEffect(() => {
    if (focus.take(id)) ref.current?.focus();
  });
}
