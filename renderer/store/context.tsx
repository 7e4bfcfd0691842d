import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Api } from '../../shared/contracts/index.js';
import type { AppState, AppStore } from './index.js';

const StoreContext = createContext<AppStore | null>(null);
const ApiContext = createContext<Api | null>(null);

export function StoreProvider({ store, api, children }: { store: AppStore; api: Api; children: ReactNode }) {
  return (
    <ApiContext.Provider value={api}>
      <StoreContext.Provider value={store}>{children}</StoreContext.Provider>
    </ApiContext.Provider>
  );
}

/** The typed API, for components that page through data too large for the store (virtual grids). */
export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside StoreProvider');
  return api;
}

/** Reads the app store through a selector; components never read the whole state. */
export function useApp<T>(selector: (state: AppState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp outside StoreProvider');
  return useStore(store, selector);
}
