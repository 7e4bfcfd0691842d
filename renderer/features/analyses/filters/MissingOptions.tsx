import { useTranslation } from 'react-i18next';

/**
 * The options every filter widget's kind menu ends with: only missing values, drop missing values, and,
 * for a filter this widget cannot edit (made elsewhere, e.g. top N from a saved spec), its own entry.
 */
export function MissingOptions({ current }: { current: string }) {
  const { t } = useTranslation();
  return (
    <>
      <option value="null">{t('analyses.filters.onlyMissing')}</option>
      <option value="not_null">{t('analyses.filters.dropMissing')}</option>
      {current === 'other' && <option value="other">{t('analyses.filters.otherKind')}</option>}
    </>
  );
}
