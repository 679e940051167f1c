// The context size picker offers what the active server's nodes serve (chat:models).
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from '../../api/api';
import { installFake, renderApp } from '../../../../test-support/renderer/harness';

afterEach(() => setApi(undefined));

describe('context size picker', () => {
  it('offers only the tiers the server can serve, and still names a stored tier no node offers now', async () => {
    const fake = installFake({ contextTiers: ['8k-fast'] });
    const c = fake.seed('tiers', []);
    c.contextTier = '64k-full';
    await renderApp(fake);
    await screen.findByRole('heading', { name: 'tiers' });
    const picker = screen.getByRole('combobox', { name: 'Context size' });
    await waitFor(() =>
      expect(within(picker).getAllByRole('option').map((o) => o.textContent)).toEqual(['Default context', '8k · fast', '64k · full (no node offers it now)']),
    );
    expect(picker).toHaveValue('64k-full');
  });
});
