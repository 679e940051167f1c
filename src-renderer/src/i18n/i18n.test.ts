import { afterEach, describe, expect, it } from 'vitest';
import { i18n, NAMESPACES, resolveLanguage, setLanguage, systemLanguage } from './index';

afterEach(async () => {
  await setLanguage('en');
});

describe('i18n', () => {
  it('starts in English with every namespace file found by the glob', () => {
    expect(i18n.language).toBe('en');
    expect(NAMESPACES).toEqual(expect.arrayContaining(['common', 'settings']));
    expect(i18n.t('common:app.retry')).toBe('Try again');
  });

  it('picks the first system language it speaks, else English', () => {
    expect(systemLanguage(['fr-FR', 'de-AT', 'es'])).toBe('de');
    expect(systemLanguage(['ES-mx'])).toBe('es');
    expect(systemLanguage(['fr', 'ja'])).toBe('en');
    expect(systemLanguage([])).toBe('en');
    expect(resolveLanguage('es')).toBe('es');
  });

  it('switches language (loading its files) and sets <html lang>', async () => {
    await setLanguage('de');
    expect(i18n.t('common:app.retry')).toBe('Erneut versuchen');
    expect(document.documentElement.lang).toBe('de');
    await setLanguage('es');
    expect(i18n.t('settings:history.imported', { count: 2 })).toBe('Se importaron 2 conversaciones.');
    expect(document.documentElement.lang).toBe('es');
  });

  it('lets the latest choice win while files load', async () => {
    const first = setLanguage('es');
    const second = setLanguage('de');
    await Promise.all([first, second]);
    expect(i18n.language).toBe('de');
  });
});
