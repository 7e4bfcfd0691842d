import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { ru } from './ru.js';
import { analyses } from './modules/analyses.js';
import { charts } from './modules/charts.js';
import { dashboards } from './modules/dashboards.js';
import { reports } from './modules/reports.js';
import { forecasts } from './modules/forecasts.js';
import { exports as exportsModule } from './modules/exports.js';

/** Per-area string modules, merged under their own top-level key (`charts.*`, `analyses.*`, ...). */
export const MODULES = { charts, analyses, dashboards, reports, forecasts, exports: exportsModule } as const;

export function resources(locale: Locale): Record<string, unknown> {
  const base: Record<string, unknown> = { ...(locale === 'en' ? en : ru) };
  for (const [key, mod] of Object.entries(MODULES)) base[key] = mod[locale];
  return base;
}

export type Locale = 'en' | 'ru';
export const LOCALES: Locale[] = ['en', 'ru'];
const STORAGE_KEY = 'strongroom.locale';

/** The language chosen before (kept outside the cache, so the unlock screen speaks it too). */
export function initialLocale(): Locale {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  if (saved === 'en' || saved === 'ru') return saved;
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export function rememberLocale(locale: Locale): void {
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

export function createI18n(locale: Locale): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: 'en',
    resources: { en: { translation: resources('en') }, ru: { translation: resources('ru') } },
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}
