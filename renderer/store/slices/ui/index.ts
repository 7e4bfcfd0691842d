import { initialLocale, type Locale } from '../../../i18n/index.js';
import type { SliceCreator } from '../../types.js';

export const ROUTES = ['catalog', 'connections', 'analyses', 'dashboards', 'reports', 'forecasts', 'audit', 'settings'] as const;
export type Route = (typeof ROUTES)[number];

export interface UiSlice {
  route: Route;
  locale: Locale;
  /** Why the transport closed, when it has. */
  disconnected: string | null;
  navigate(route: Route): void;
  setLocale(locale: Locale): void;
  setDisconnected(reason: string): void;
}

export const createUiSlice: SliceCreator<UiSlice> = (set) => ({
  route: 'catalog',
  locale: typeof window === 'undefined' ? 'en' : initialLocale(),
  disconnected: null,
  navigate: (route) => set({ route }),
  setLocale: (locale) => set({ locale }),
  setDisconnected: (reason) => set({ disconnected: reason }),
});
