import { useTranslation } from 'react-i18next';
import { LOCALES, rememberLocale, type Locale } from '../i18n/index.js';
import { useApp } from '../store/context.js';

/** EN | RU segmented switch; the choice is remembered outside the cache so the unlock screen uses it. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const locale = useApp((s) => s.locale);
  const setLocale = useApp((s) => s.setLocale);
  const choose = (next: Locale) => {
    setLocale(next);
    rememberLocale(next);
    void i18n.changeLanguage(next);
  };
  return (
    <div className="segmented" role="group" aria-label={t('shell.language')}>
      {LOCALES.map((l) => (
        <button key={l} type="button" aria-pressed={locale === l} className={locale === l ? 'on' : ''} onClick={() => choose(l)} lang={l}>
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
