// Main's own words (tray, notifications) in every language, and which language a setting means.
import { describe, expect, it } from 'vitest';
import { LanguageSchema } from '../vocabulary';
import { DESKTOP_WORDS, fillIn } from './desktop-words';
import { firstSpokenLanguage, formattingLocale, languageFor } from './language';

const slots = (text: string) => [...text.matchAll(/\{\{\s*\w+\s*\}\}/g)].map((m) => m[0].replace(/\s/g, '')).sort();

describe('desktop words', () => {
  it('every language has every key, the same placeholders, and is a translation', () => {
    const en = DESKTOP_WORDS.en;
    for (const language of LanguageSchema.options) {
      const words = DESKTOP_WORDS[language];
      expect(Object.keys(words).sort(), language).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(en) as [keyof typeof en, string][]) {
        expect(words[key].trim().length > 0, `${language}:${key}`).toBe(true);
        expect(slots(words[key]), `${language}:${key}`).toEqual(slots(text));
        if (language !== 'en') expect(words[key], `${language}:${key} copies English`).not.toBe(text);
      }
    }
  });

  it('fills in placeholders and leaves unknown ones visible', () => {
    expect(fillIn(DESKTOP_WORDS.en, 'tray.answering', { state: 'serving', count: 2 })).toBe('serving (2 answering)');
    expect(fillIn(DESKTOP_WORDS.en, 'tray.status')).toBe('This computer’s node: {{status}}');
  });
});

describe('the language of a setting', () => {
  it('is the chosen one, or the first preferred language the app speaks, else English', () => {
    expect(languageFor('de', ['es-ES'])).toBe('de');
    expect(languageFor('system', ['fr-FR', 'es-MX', 'de'])).toBe('es');
    expect(languageFor(undefined, ['de-AT'])).toBe('de');
    expect(languageFor('system', ['fr', 'ja'])).toBe('en');
    expect(firstSpokenLanguage([])).toBe('en');
  });

  it('writes dates in the system locale when it speaks that language', () => {
    expect(formattingLocale('en', 'en-GB')).toBe('en-GB');
    expect(formattingLocale('de', 'en-GB')).toBe('de');
    expect(formattingLocale('de', 'de-AT')).toBe('de-AT');
    expect(formattingLocale('es', undefined)).toBe('es');
  });
});
