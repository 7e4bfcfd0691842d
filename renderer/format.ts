import type { Locale } from './i18n/index.js';

const tags: Record<Locale, string> = { en: 'en-GB', ru: 'ru-RU' };

/** Numbers in the locale's format: 1,234,567.8 in English, 1 234 567,8 in Russian. */
export function formatNumber(value: number, locale: Locale, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(tags[locale], options).format(value);
}

export function formatDateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(tags[locale], { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
}

export function formatBytes(bytes: number, locale: Locale): string {
  const units = locale === 'ru' ? ['Б', 'КиБ', 'МиБ', 'ГиБ'] : ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${formatNumber(value, locale, { maximumFractionDigits: unit === 0 ? 0 : 1 })} ${units[unit]}`;
}
