import { useEffect } from 'react';
import type { LanguageChoice } from '../../../src-shared/vocabulary';
import { resolveLanguage, setLanguage } from '../i18n';

/** Applies the language setting at once; 'system' (or no setting) follows the system's locale as it changes. */
export function useLanguage(choice: LanguageChoice | undefined): void {
  useEffect(() => {
    const apply = () => void setLanguage(resolveLanguage(choice));
    apply();
    if (choice && choice !== 'system') return;
    window.addEventListener('languagechange', apply);
    return () => window.removeEventListener('languagechange', apply);
  }, [choice]);
}
