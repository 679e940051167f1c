// Pinning node keys: the toggle under each answer, the warning on an answer from another key, and
// the known node keys per server in the Servers dialog (fake api behaves like the backend).
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from './api/api';
import { installFake, renderApp } from '../../test-support/renderer/harness';

afterEach(() => setApi(undefined));

const composer = () => screen.getByRole('textbox', { name: 'Message' });

describe('node key pins', () => {
  it('pins from the answer, warns on an answer from a new key, and can unpin with the keyboard', async () => {
    const fake = installFake();
    fake.seed('pins', []);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'pins' });
    await user.type(composer(), 'first{Enter}');
    const pin = await screen.findByRole('button', { name: 'Pin this node' });
    expect(pin).toHaveAttribute('aria-pressed', 'false');
    expect(screen.queryByRole('note', { name: 'Node key changed' })).toBeNull();

    await user.click(pin);
    const pinned = await screen.findByRole('button', { name: 'Pinned' });
    expect(pinned).toHaveAttribute('aria-pressed', 'true');
    expect(fake.calls.find((c) => c.channel === 'servers:pinNode')?.request).toEqual({
      serverId: 'embedded',
      fingerprint: fake.state.nodeFingerprint,
      mode: 'warn',
    });
    expect(screen.getByTestId('live-region')).toHaveTextContent('Node pinned.');

    const fresh = fake.restartNode();
    await user.type(composer(), 'second{Enter}');
    const warning = await screen.findByRole('note', { name: 'Node key changed' });
    expect(warning).toHaveTextContent('This answer came from a node key you did not pin.');
    expect(warning).toHaveTextContent(/new key when it restarts/);
    expect(warning).toHaveTextContent(/Pin this node/);
    // The first answer still shows its node as pinned, the new one offers to pin the new key.
    expect(screen.getByRole('button', { name: 'Pinned' })).toBeInTheDocument();
    const pinNew = screen.getByRole('button', { name: 'Pin this node' });
    expect(screen.getByRole('img', { name: /node key changed/i })).toBeInTheDocument();

    pinNew.focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(fake.state.servers.servers[0]?.pin).toEqual({ fingerprint: fresh, mode: 'warn' }));
    expect(screen.getAllByRole('button', { name: /^(Pinned|Pin this node)$/ }).map((b) => b.textContent)).toEqual(['Pin this node', 'Pinned']);

    screen.getByRole('button', { name: 'Pinned' }).focus();
    await user.keyboard(' ');
    await waitFor(() => expect(fake.state.servers.servers[0]?.pin).toBeUndefined());
    expect(fake.calls.filter((c) => c.channel === 'servers:unpinNode').at(-1)?.request).toEqual({ serverId: 'embedded', fingerprint: fresh });
  });

  it('lists the node keys per server with pin / unpin and the refuse mode', async () => {
    const fake = installFake();
    const c = fake.seed('keys', []);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'keys' });
    await user.type(composer(), 'one{Enter}');
    await screen.findByRole('button', { name: 'Pin this node' });
    const old = fake.state.nodeFingerprint;
    fake.restartNode();
    await user.type(composer(), 'two{Enter}');
    await waitFor(() => expect(fake.state.conversations.get(c.id)?.messages).toHaveLength(4));

    await user.click(screen.getByRole('button', { name: /^Server: This computer/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Servers' });
    const list = within(dialog).getByRole('list', { name: 'Node keys seen on This computer' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(within(list).getAllByText(/^1 answer · last /)).toHaveLength(2);

    const short = 'A1B2 C3D4 E5F6 0718';
    expect(old.startsWith('a1b2c3d4e5f60718')).toBe(true);
    await user.click(within(list).getByRole('button', { name: `Pin node ${short}` }));
    const unpin = await within(list).findByRole('button', { name: `Unpin node ${short}` });
    expect(unpin).toHaveAttribute('aria-pressed', 'true');
    expect(fake.state.servers.servers[0]?.pin).toEqual({ fingerprint: old, mode: 'warn' });

    await user.selectOptions(within(dialog).getByRole('combobox', { name: /When another node key answers/ }), 'require');
    await waitFor(() => expect(fake.state.servers.servers[0]?.pin).toEqual({ fingerprint: old, mode: 'require' }));

    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await user.type(composer(), 'three{Enter}');
    await waitFor(() => expect(fake.calls.filter((x) => x.channel === 'chat:send')).toHaveLength(3));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent(/no longer answering with the same key/));
    expect(screen.getByRole('button', { name: /Retry/ })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /^Server: This computer/ }));
    const again = await screen.findByRole('dialog', { name: 'Servers' });
    await user.click(within(again).getByRole('button', { name: `Unpin node ${short}` }));
    await waitFor(() => expect(fake.state.servers.servers[0]?.pin).toBeUndefined());
    expect(within(again).queryByRole('combobox', { name: /When another node key answers/ })).toBeNull();
  });
});
