// Every language speaks every word: each locale has exactly English's namespaces and keys, the
// same `{{placeholders}}` and `<tags>` in each sentence, and is a translation, not a copy.
import { describe, expect, it } from 'vitest';
import { LanguageSchema } from '../../../src-shared/vocabulary';

const files = import.meta.glob<Record<string, string>>('./locales/*/*.json', { eager: true, import: 'default' });

function locale(language: string): Map<string, Record<string, string>> {
  const found = new Map<string, Record<string, string>>();
  for (const [path, words] of Object.entries(files)) {
    const match = /\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (match?.[1] === language) found.set(match[2]!, words);
  }
  return found;
}

/** The placeholders and tags of a sentence, sorted: `{{count}}`, `<kbd>`. */
const slots = (text: string) => [...text.matchAll(/\{\{\s*[\w.]+\s*\}\}|<\/?\w+\s*\/?>/g)].map((m) => m[0].replace(/\s/g, '')).sort();

const english = locale('en');
const others = LanguageSchema.options.filter((l) => l !== 'en');

describe('locales', () => {
  it('has English words for every namespace', () => {
    expect(english.size).toBeGreaterThan(0);
    for (const [namespace, words] of english) {
      for (const [key, text] of Object.entries(words)) expect(typeof text === 'string' && text.trim().length > 0, `${namespace}:${key}`).toBe(true);
    }
  });

  it('only has folders for the languages of the vocabulary', () => {
    const folders = new Set(Object.keys(files).map((p) => /\/locales\/([^/]+)\//.exec(p)?.[1]));
    expect([...folders].sort()).toEqual([...LanguageSchema.options].sort());
  });

  for (const language of others) {
    describe(language, () => {
      const words = locale(language);
      it('has exactly English’s namespaces and keys', () => {
        expect([...words.keys()].sort()).toEqual([...english.keys()].sort());
        for (const [namespace, en] of english) {
          expect(Object.keys(words.get(namespace) ?? {}).sort(), `${language}/${namespace}.json`).toEqual(Object.keys(en).sort());
        }
      });

      it('keeps every placeholder and tag of the English sentence', () => {
        for (const [namespace, en] of english) {
          const theirs = words.get(namespace) ?? {};
          for (const [key, text] of Object.entries(en)) {
            const translated = theirs[key] ?? '';
            expect(translated.trim().length > 0, `${language}/${namespace}:${key} is empty`).toBe(true);
            expect(slots(translated), `${language}/${namespace}:${key}`).toEqual(slots(text));
          }
        }
      });

      it('is a translation, not a copy of English', () => {
        for (const [namespace, en] of english) {
          const theirs = words.get(namespace) ?? {};
          const keys = Object.keys(en).filter((k) => /\p{L}{3,}/u.test(en[k]!.replace(/\{\{[^}]*\}\}/g, '')));
          const same = keys.filter((k) => theirs[k] === en[k]);
          // Names and borrowed words (Chat, Markdown, OK) may stay; most sentences must not.
          expect(same.length, `${language}/${namespace}.json copies ${same.join(', ')}`).toBeLessThanOrEqual(Math.max(2, Math.floor(keys.length * 0.2)));
        }
      });
    });
  }
});
