/** Strings of the charts area, English and Russian with the same keys (checked by test/renderer/i18n.test.ts). */
export const charts = {
  en: {},
  ru: {},
};
