// Live on the desktop in the window: the two opt-in switches in Settings (main shows the tray and
// the notifications), and a click on an answer's notification opening that chat (events:window).
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from './api/api';
import { useConversations } from './stores/conversations';
import { installFake, renderApp } from '../../test-support/renderer/harness';

afterEach(() => setApi(undefined));

describe('on the desktop', () => {
  it('offers notifications and the tray in Settings, both off until switched on, and saves each', async () => {
    const fake = installFake();
    const { user } = await renderApp(fake);
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    const panel = within(dialog).getByRole('region', { name: 'On the desktop' });
    const notify = within(panel).getByRole('switch', { name: 'Notify me when an answer is ready' });
    const tray = within(panel).getByRole('switch', { name: 'Keep serving in the tray' });
    expect(notify).toHaveAttribute('aria-checked', 'false');
    expect(tray).toHaveAttribute('aria-checked', 'false');
    expect(panel).toHaveTextContent('never by what was said');

    await user.click(notify);
    expect(fake.calls.at(-1)).toEqual({ channel: 'settings:update', request: { notifyOnAnswer: true } });
    await waitFor(() => expect(notify).toHaveAttribute('aria-checked', 'true'));
    await user.click(tray);
    expect(fake.calls.at(-1)).toEqual({ channel: 'settings:update', request: { trayEnabled: true } });
    await waitFor(() => expect(tray).toHaveAttribute('aria-checked', 'true'));
    expect(fake.state.settings).toMatchObject({ notifyOnAnswer: true, trayEnabled: true });

    await user.click(tray);
    await waitFor(() => expect(tray).toHaveAttribute('aria-checked', 'false'));
    expect(fake.state.settings).toMatchObject({ notifyOnAnswer: true, trayEnabled: false });
  });

  it('opens the chat whose notification was clicked, closing an open dialog', async () => {
    const fake = installFake();
    fake.seed('First chat', [{ role: 'user', content: 'hello' }], 2);
    const second = fake.seed('Second chat', [{ role: 'user', content: 'older question' }], 1);
    const { user } = await renderApp(fake);
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    await screen.findByRole('dialog', { name: 'Settings' });
    expect(useConversations.getState().activeId).not.toBe(second.id);

    fake.emit('events:window', { type: 'openConversation', conversationId: second.id });
    await waitFor(() => expect(useConversations.getState().activeId).toBe(second.id));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Settings' })).toBeNull());
    expect(await screen.findByText('older question')).toBeInTheDocument();
  });
});
