// Switches the app's theme through the Settings dialog, as a person would.
import type { Page } from '@playwright/test';
import { expect } from './app';

export type ThemeName = 'Light' | 'Dark';

export async function setTheme(page: Page, theme: ThemeName): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('radio', { name: theme }).check();
  await settings.getByRole('button', { name: 'Close' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme.toLowerCase());
}
