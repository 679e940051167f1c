import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from './api/api';
import { installFake, renderApp, resetStores } from '../../test-support/renderer/harness';
import { useConversations } from './stores/conversations';

afterEach(() => setApi(undefined));

const composer = () => screen.getByRole('textbox', { name: 'Message' });

describe('drafts', () => {
  it('keep the unsent text per chat across switching chats and a restart of the window, saved through main; sending clears it', async () => {
    const fake = installFake({ answers: 'manual' });
    const first = fake.seed('First chat', [], 2_000_000_000_000);
    const second = fake.seed('Second chat', [], 1_900_000_000_000);
    const { user, view } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'First chat' });

    await user.type(composer(), 'half a question');
    await user.click(screen.getByRole('button', { name: /^Second chat/ }));
    await screen.findByRole('heading', { name: 'Second chat' });
    expect(composer()).toHaveValue('');
    await user.type(composer(), 'other thought');
    await user.click(screen.getByRole('button', { name: /^First chat/ }));
    await screen.findByRole('heading', { name: 'First chat' });
    expect(composer()).toHaveValue('half a question');

    // Saved after a pause in typing: main holds it (encrypted there), the window keeps nothing of it.
    await waitFor(() => expect(fake.state.organisation.drafts.get(first.id)?.text).toBe('half a question'));
    await waitFor(() => expect(fake.state.organisation.drafts.get(second.id)?.text).toBe('other thought'));
    expect(JSON.stringify({ ...localStorage })).not.toContain('half a question');

    // A new window (the app restarted): the drafts come back from main.
    view.unmount();
    resetStores();
    const again = await renderApp(fake);
    await screen.findByRole('heading', { name: 'First chat' });
    expect(composer()).toHaveValue('half a question');

    await again.user.type(composer(), '{Enter}');
    expect(fake.calls.find((c) => c.channel === 'chat:send')?.request).toMatchObject({ conversationId: first.id, content: 'half a question' });
    expect(composer()).toHaveValue('');
    await waitFor(() => expect(fake.state.organisation.drafts.has(first.id)).toBe(false));
    expect(useConversations.getState().activeId).toBe(first.id);
  });

  it('are dropped with their conversation', async () => {
    const fake = installFake();
    const c = fake.seed('Doomed', []);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'Doomed' });
    await user.type(composer(), 'never sent');
    await waitFor(() => expect(fake.state.organisation.drafts.size).toBe(1));
    await user.click(screen.getByRole('button', { name: 'Delete Doomed' }));
    await waitFor(() => expect(fake.state.organisation.drafts.has(c.id)).toBe(false));
  });
});
