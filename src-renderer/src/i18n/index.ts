// The window's words: one i18next instance. Every locale file is
// `locales/<language>/<namespace>.json` (flat keys, `{{count}}` interpolation, `_one`/`_other`
// plurals) and is found by the glob below, so a new namespace needs no registration here.
// English is bundled and ready before the first paint (and in every component test); another
// language's files are separate chunks, loaded when it is chosen.
import i18next, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_LANGUAGE, firstSpokenLanguage, languageFor } from '../../../src-shared/i18n/language';
import type { Language, LanguageChoice } from '../../../src-shared/vocabulary';

type Words = Record<string, string>;

const englishFiles = import.meta.glob<Words>('./locales/en/*.json', { eager: true, import: 'default' });
const otherFiles = import.meta.glob<Words>(['./locales/*/*.json', '!./locales/en/*.json'], { import: 'default' });

/** `./locales/de/chat.json` -> ['de', 'chat']. */
function fileName(path: string): [string, string] {
  const [, language = '', namespace = ''] = /\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path) ?? [];
  return [language, namespace];
}

const english: Resource[string] = {};
for (const [path, words] of Object.entries(englishFiles)) english[fileName(path)[1]] = words;

/** The namespaces English has (every other language must have the same; see locales.test.ts). */
export const NAMESPACES = Object.keys(english).sort();

export { DEFAULT_LANGUAGE };

/** Each language by its own name, as a language menu lists them (never translated). */
export const LANGUAGE_NAME: Record<Language, string> = { en: 'English', de: 'Deutsch', es: 'Español' };

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: { [DEFAULT_LANGUAGE]: english },
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  ns: NAMESPACES,
  defaultNS: 'common',
  partialBundledLanguages: true,
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
  react: { useSuspense: false },
});

const loading = new Map<Language, Promise<void>>();

/** Adds a language's namespace files to the instance (once). */
function loadLanguage(language: Language): Promise<void> {
  if (language === DEFAULT_LANGUAGE) return Promise.resolve();
  let done = loading.get(language);
  if (!done) {
    const files = Object.entries(otherFiles).filter(([path]) => fileName(path)[0] === language);
    done = Promise.all(
      files.map(async ([path, load]) => {
        i18n.addResourceBundle(language, fileName(path)[1], await load(), true, true);
      }),
    ).then(() => undefined);
    loading.set(language, done);
  }
  return done;
}

/** The first of the system's preferred languages (`navigator.languages`) that the window speaks. */
export function systemLanguage(preferred: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language]): Language {
  return firstSpokenLanguage(preferred);
}

/** The language a setting means (main's tray and notifications use the same rule: src-shared/i18n/language.ts). */
export function resolveLanguage(choice: LanguageChoice | undefined): Language {
  return languageFor(choice, typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language]);
}

let wanted: Language = DEFAULT_LANGUAGE;

/**
 * Switches the window to a language: loads its files, then every useTranslation re-renders and
 * `<html lang>` follows. When the choice changes again while files load, the latest one wins.
 */
export async function setLanguage(language: Language): Promise<void> {
  wanted = language;
  await loadLanguage(language);
  if (wanted === language) await i18n.changeLanguage(language);
}

i18n.on('languageChanged', (language) => {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
});
