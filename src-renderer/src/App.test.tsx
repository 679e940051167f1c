import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from './api/api';
import { installFake, renderApp } from '../../test-support/renderer/harness';

afterEach(() => setApi(undefined));

const composer = () => screen.getByRole('textbox', { name: 'Message' });

describe('App', () => {
  it('sends with Enter, adds a line with Shift+Enter, and shows the answer with its encryption facts', async () => {
    const fake = installFake({ answers: 'manual' });
    fake.seed('First chat', []);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'First chat' });

    await user.type(composer(), 'line one{Shift>}{Enter}{/Shift}line two');
    expect(composer()).toHaveValue('line one\nline two');
    await user.keyboard('{Enter}');
    expect(fake.calls.find((c) => c.channel === 'chat:send')?.request).toMatchObject({ content: 'line one\nline two' });
    expect(composer()).toHaveValue('');

    act(() => fake.status([...fake.state.inFlight.keys()][0]!, 'prefill', 0.5));
    const bar = await screen.findByRole('progressbar', { name: 'Reading the conversation' });
    expect(bar).toHaveAttribute('aria-valuenow', '50');
    expect(screen.getByRole('button', { name: 'Stop' })).toBeEnabled();

    act(() => fake.answer([...fake.state.inFlight.keys()][0]!, 'Here is code:\n\n```js\nconst x = 1;\n```'));
    await screen.findByRole('button', { name: 'Copy code' });
    expect(document.querySelector('pre code.hljs')).not.toBeNull();
    expect(screen.getByText('aead-v1 · authenticated')).toBeInTheDocument();
    const fp = screen.getByText('A1B2 C3D4 E5F6 0718');
    expect(fp.closest('li')).toHaveAttribute('title', expect.stringContaining('A1B2 C3D4 E5F6 0718 293A'));
    expect(screen.getByTestId('live-region')).toHaveTextContent('Answer: Here is code: (code)');
  });

  it('copies a code block to the clipboard', async () => {
    const fake = installFake();
    fake.seed('code', [
      { role: 'user', content: 'code please' },
      { role: 'assistant', content: '```python\nprint("hi")\n```' },
    ]);
    const { user } = await renderApp(fake);
    await user.click(await screen.findByRole('button', { name: 'Copy code' }));
    expect(await navigator.clipboard.readText()).toBe('print("hi")\n');
    expect(screen.getByRole('button', { name: 'Code copied' })).toBeInTheDocument();
  });

  it('disables sending and says why when no node is online', async () => {
    const fake = installFake({ nodeCount: 0 });
    fake.seed('x', []);
    const { user } = await renderApp(fake);
    await screen.findByText(/No compute node is online at This computer/);
    await user.type(composer(), 'hello{Enter}');
    expect(fake.calls.some((c) => c.channel === 'chat:send')).toBe(false);
    expect(screen.getByRole('button', { name: 'Send message' })).toBeDisabled();
  });

  it('warns when the node key changed and shows CBC as compatibility mode', async () => {
    const fake = installFake();
    const c = fake.seed('pinned', [{ role: 'user', content: 'hi' }]);
    c.messages.push({
      id: 'm-x',
      role: 'assistant',
      content: 'hello',
      createdAt: 1,
      status: 'complete',
      meta: {
        model: 'm',
        relayUrl: 'https://relay.example',
        serverId: 's',
        nodeFingerprint: 'ff'.repeat(32),
        nodeKeyChanged: true,
        encryption: { symmetric: 'AES-256-CBC', requestWrap: 'RSA-OAEP-SHA256', replyWrap: 'RSA-PKCS1v15' },
        elapsedMs: 10,
      },
    });
    await renderApp(fake);
    await screen.findByText('This answer came from a node key you did not pin.');
    expect(screen.getByText('reference-cbc · not authenticated')).toBeInTheDocument();
    expect(screen.getByText('relay.example')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /node key changed/i })).toBeInTheDocument();
  });

  it('regenerates, stops and retries a failed answer', async () => {
    const fake = installFake({ answers: 'manual' });
    const c = fake.seed('redo', [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'first answer' },
    ]);
    const { user } = await renderApp(fake);
    await screen.findByText('first answer');
    await user.click(screen.getByRole('button', { name: 'Regenerate this answer' }));
    await screen.findByRole('button', { name: 'Stop' });
    expect(screen.queryByText('first answer')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Stop' }));
    await screen.findByText('Stopped before the answer was finished.');
    expect(fake.state.stops).toEqual([c.id]);

    await user.click(screen.getByRole('button', { name: 'Regenerate this answer' }));
    act(() => fake.fail(c.id, 'The node went offline before answering.'));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The node went offline before answering.');
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    act(() => fake.answer(c.id, 'second answer'));
    await screen.findByText('second answer');
  });

  it('edits a past message and resends from there', async () => {
    const fake = installFake();
    fake.seed('edit', [
      { role: 'user', content: 'old question' },
      { role: 'assistant', content: 'old answer' },
    ]);
    const { user } = await renderApp(fake);
    await screen.findByText('old answer');
    await user.click(screen.getByRole('button', { name: 'Edit this message and resend' }));
    const box = screen.getByRole('textbox', { name: 'Edit your message' });
    await user.clear(box);
    await user.type(box, 'new question{Enter}');
    await screen.findByText('You said: new question');
    expect(screen.queryByText('old answer')).toBeNull();
  });

  it('renames, deletes with undo, and searches from the sidebar', async () => {
    const fake = installFake();
    fake.seed('Alpha', [{ role: 'user', content: 'talk about zebras' }], 1000);
    fake.seed('Beta', [], 2000);
    const { user } = await renderApp(fake);
    const nav = await screen.findByRole('navigation', { name: 'Conversations' });
    expect([...nav.querySelectorAll('.conv-item__title')].map((t) => t.textContent)).toEqual(['Beta', 'Alpha']);

    await user.click(within(nav).getByRole('button', { name: 'Rename Beta' }));
    const input = screen.getByRole('textbox', { name: 'New name for the conversation' });
    await user.clear(input);
    await user.type(input, 'Gamma{Enter}');
    await within(nav).findByRole('button', { name: 'Delete Gamma' });

    await user.click(within(nav).getByRole('button', { name: 'Delete Gamma' }));
    await waitFor(() => expect(within(nav).queryByText('Gamma')).toBeNull());
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    await within(nav).findByText('Gamma');

    await user.type(screen.getByRole('searchbox', { name: 'Search all conversations' }), 'zebra');
    const results = await screen.findByRole('navigation', { name: 'Search results' });
    await within(results).findByText('talk about zebras');
    await user.click(within(results).getByRole('button', { name: /Alpha/ }));
    await screen.findByRole('heading', { name: 'Alpha' });
  });

  it('keyboard: Ctrl+N new chat, Ctrl+K search, Ctrl+1 and Ctrl+Alt+Down switch, Ctrl+/ help', async () => {
    const fake = installFake();
    fake.seed('One', [], 3000);
    fake.seed('Two', [], 2000);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'One' });
    await user.keyboard('{Control>}{Alt>}{ArrowDown}{/Alt}{/Control}');
    await screen.findByRole('heading', { name: 'Two' });
    await user.keyboard('{Control>}1{/Control}');
    await screen.findByRole('heading', { name: 'One' });
    await user.keyboard('{Control>}k{/Control}');
    expect(screen.getByRole('searchbox')).toHaveFocus();
    await user.keyboard('{Control>}n{/Control}');
    await screen.findByRole('heading', { name: 'New chat' });
    await waitFor(() => expect(composer()).toHaveFocus());
    await user.keyboard('{Control>}/{/Control}');
    const help = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(help).getByText('Regenerate the last answer')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('Esc stops the answer in flight', async () => {
    const fake = installFake({ answers: 'manual' });
    const c = fake.seed('esc', []);
    const { user } = await renderApp(fake);
    await user.type(await screen.findByRole('textbox', { name: 'Message' }), 'wait{Enter}');
    await screen.findByRole('button', { name: 'Stop' });
    await user.keyboard('{Escape}');
    await waitFor(() => expect(fake.state.stops).toEqual([c.id]));
  });

  it('settings: theme, font size, gateway token, clear history', async () => {
    const fake = installFake();
    fake.seed('to be cleared', []);
    const { user } = await renderApp(fake);
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    await user.click(within(dialog).getByRole('radio', { name: 'Dark' }));
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    expect(fake.state.settings.theme).toBe('dark');
    fireEvent.change(within(dialog).getByRole('slider'), { target: { value: '18' } });
    await waitFor(() => expect(document.documentElement.style.getPropertyValue('--font-size')).toBe('18px'));

    await user.click(within(dialog).getByRole('switch', { name: 'Local API gateway' }));
    await within(dialog).findByText('tp-gateway-token');
    await user.click(within(dialog).getByRole('button', { name: 'Copy gateway token' }));
    expect(await navigator.clipboard.readText()).toBe('tp-gateway-token');

    await user.click(within(dialog).getByRole('button', { name: /Clear history/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Delete all conversations' }));
    await within(dialog).findByText('All conversations were deleted.');
    expect(fake.state.conversations.size).toBe(0);
  });

  it('first run without a provider explains how to attach one and offers the test provider', async () => {
    const fake = installFake({ firstRun: true, nodeConfigured: false });
    fake.state.relay = { ...fake.state.relay, enabled: false, state: 'stopped' };
    const { user } = await renderApp(fake);
    const dialog = await screen.findByRole('dialog', { name: /Connect a model/ });
    expect(fake.state.relay.enabled).toBe(true);
    await within(dialog).findByRole('button', { name: /Use Ollama/ });
    await user.click(within(dialog).getByRole('button', { name: 'Use the test provider' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(fake.state.node).toMatchObject({ configured: true, state: 'serving', config: { provider: 'test' } });
  });

  it('servers: add a server, switch to it, see health, toggle the relay', async () => {
    const fake = installFake();
    const { user } = await renderApp(fake);
    await user.click(await screen.findByRole('button', { name: /^Server: This computer/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Servers' });
    expect(within(dialog).getByText(/online · 3 ms · 1 node/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: /Add server/ }));
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Public');
    await user.type(within(dialog).getByRole('textbox', { name: 'Address' }), 'https://token.place');
    await user.click(within(dialog).getByRole('button', { name: 'Add server' }));
    const radio = await within(dialog).findByRole('radio', { name: /Public/ });
    await user.click(radio);
    await waitFor(() => expect(fake.state.servers.activeId).not.toBe('embedded'));
    await user.click(within(dialog).getByRole('switch', { name: 'Built-in relay' }));
    await waitFor(() => expect(fake.state.relay.enabled).toBe(false));
  });

  it('asks for the passphrase when secrets are locked', async () => {
    const fake = installFake({ locked: true });
    const { user } = await renderApp(fake);
    await user.type(await screen.findByLabelText('Passphrase'), 'wrong pass{Enter}');
    await screen.findByText('That passphrase is not right.');
    await user.clear(screen.getByLabelText('Passphrase'));
    await user.type(screen.getByLabelText('Passphrase'), 'correct horse{Enter}');
    await screen.findByRole('button', { name: /New chat/ });
  });
});
