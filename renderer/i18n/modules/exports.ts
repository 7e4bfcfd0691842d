/** Strings of the export menu, English and Russian with the same keys (checked by test/renderer/i18n.test.ts). */
export const exports = {
  en: {
    button: 'Export…',
    menu: 'Export as',
    formats: { csv: 'CSV (table)', xlsx: 'Excel workbook (XLSX)', pptx: 'PowerPoint deck (PPTX)' },
    forbidden: '{{name}}: not allowed. {{reason}}',
    building: 'Exporting {{format}}…',
    done: 'Exported {{filename}}.',
    failed: 'Not exported: {{message}}',
  },
  ru: {
    button: 'Экспорт…',
    menu: 'Экспортировать как',
    formats: { csv: 'CSV (таблица)', xlsx: 'Книга Excel (XLSX)', pptx: 'Презентация PowerPoint (PPTX)' },
    forbidden: '{{name}}: запрещено. {{reason}}',
    building: 'Экспорт {{format}}…',
    done: 'Файл {{filename}} выгружен.',
    failed: 'Не выгружено: {{message}}',
  },
};
