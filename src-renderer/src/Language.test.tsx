// The language setting: follows the system by default, switches the whole window at once
// (including <html lang>), is saved with the settings, and comes back after a restart.
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from './api/api';
import { setLanguage } from './i18n';
import { installFake, renderApp } from '../../test-support/renderer/harness';

afterEach(async () => {
  setApi(undefined);
  await setLanguage('en');
});

describe('language', () => {
  it('switches the window to German at once and saves the choice', async () => {
    const fake = installFake();
    fake.seed('Erster Chat', []);
    const { user } = await renderApp(fake);
    expect(document.documentElement.lang).toBe('en');
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    const select = within(dialog).getByRole('combobox', { name: 'Language' });
    expect(select).toHaveValue('system');
    expect(within(select).getByRole('option', { name: 'Match system (English)' })).toBeInTheDocument();

    await user.selectOptions(select, 'de');
    await screen.findByRole('dialog', { name: 'Einstellungen' }, { timeout: 5000 });
    expect(document.documentElement.lang).toBe('de');
    expect(fake.state.settings.language).toBe('de');
    expect(screen.getByRole('radio', { name: 'Dunkel' })).toBeInTheDocument();
  });

  it('starts in the saved language', async () => {
    const fake = installFake();
    fake.state.settings = { ...fake.state.settings, language: 'es' };
    const { user } = await renderApp(fake);
    await waitFor(() => expect(document.documentElement.lang).toBe('es'), { timeout: 5000 });
    await user.keyboard('{Control>},{/Control}');
    await screen.findByRole('dialog', { name: 'Ajustes' }, { timeout: 5000 });
    expect(screen.getByRole('combobox', { name: 'Idioma' })).toHaveValue('es');
  });
});
