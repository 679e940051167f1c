// Which language a setting means, for the window (src-renderer/src/i18n) and for main's own words
// (desktop-words.ts) alike: the chosen one, or for 'system' (and older settings without a choice)
// the first of the system's preferred languages that the app speaks, else English.
import { LanguageSchema, type Language, type LanguageChoice } from '../vocabulary/app';

export const DEFAULT_LANGUAGE: Language = 'en';

/** The first of `preferred` (BCP 47 tags, `de-AT`) that the app speaks. */
export function firstSpokenLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const found = LanguageSchema.safeParse(tag.toLowerCase().split('-')[0]);
    if (found.success) return found.data;
  }
  return DEFAULT_LANGUAGE;
}

export function languageFor(choice: LanguageChoice | undefined, preferred: readonly string[]): Language {
  return !choice || choice === 'system' ? firstSpokenLanguage(preferred) : choice;
}

/**
 * The locale dates and times are written in: the system's own (`en-GB`: 24-hour clock) when it
 * speaks the chosen language, else the language itself.
 */
export function formattingLocale(language: Language, systemLocale: string | undefined): string {
  return systemLocale && firstSpokenLanguage([systemLocale]) === language && systemLocale.toLowerCase().startsWith(language) ? systemLocale : language;
}
