import { initialLocale, type Locale } from '../../../i18n/index.js';
import type { SliceCreator } from '../../types.js';

export const ROUTES = ['catalog', 'connections', 'analyses', 'dashboards', 'reports', 'forecasts', 'audit', 'settings'] as const;
export type Route = (typeof ROUTES)[number];

export interface UiSlice {
  route: Route;
  locale: Locale;
  /** Why the transport closed, when it has. */
  disconnected: string | null;
  /** Bumped each time an extract finishes syncing: charts reading it re-run. */
  syncGeneration: Record<string, number>;
  navigate(route: Route): void;
  /** Called when a sync of `name` finishes. */
  extractSynced(name: string): void;
  setLocale(locale: Locale): void;
  setDisconnected(reason: string): void;
}

export const createUiSlice: SliceCreator<UiSlice> = (set) => ({
  route: 'catalog',
  locale: typeof window === 'undefined' ? 'en' : initialLocale(),
  disconnected: null,
  syncGeneration: {},
  navigate: (route) => set({ route }),
  extractSynced: (name) => set((s) => ({ syncGeneration: { ...s.syncGeneration, [name]: (s.syncGeneration[name] ?? 0) + 1 } })),
  setLocale: (locale) => set({ locale }),
  setDisconnected: (reason) => set({ disconnected: reason }),
});
