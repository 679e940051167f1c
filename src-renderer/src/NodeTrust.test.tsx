// Node-key trust in the window: the question asked before a prompt goes to a key not trusted on
// its server (new / changed since trusted), its three answers, the Trust toggle under each answer,
// and the keys and policy per server in the Servers dialog (fake api behaves like the backend).
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from './api/api';
import { installFake, renderApp } from '../../test-support/renderer/harness';

afterEach(() => setApi(undefined));

const composer = () => screen.getByRole('textbox', { name: 'Message' });
const group = (fp: string) => fp.toUpperCase().match(/.{4}/g)!.join(' ');

/**
 * Opens a new chat titled title, sends one prompt to a foreign node (its key trusted on first use),
 * then, the node's key changed, another: resolves once the window asks about the changed key.
 */
async function untilAChangedKeyIsAsked(title: string, options?: Parameters<typeof installFake>[0]) {
  const fake = installFake(options);
  fake.seed(title, []);
  const { user } = await renderApp(fake);
  await screen.findByRole('heading', { name: title });
  fake.foreignNode();
  await user.type(composer(), 'one{Enter}');
  await screen.findByText('trusted on first use');
  fake.foreignNode();
  await user.type(composer(), 'two{Enter}');
  const ask = await screen.findByRole('dialog', { name: /changed/ });
  return { fake, user, ask };
}

describe('node key trust', () => {
  it('this computer’s node is used without asking; a foreign key is trusted on first use, a changed one is asked about first', async () => {
    const fake = installFake();
    const c = fake.seed('trust', []);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'trust' });

    await user.type(composer(), 'mine{Enter}');
    await screen.findByText('this computer’s node');
    expect(screen.queryByRole('button', { name: /Trust this node|Trusted/ })).toBeNull();

    const first = fake.foreignNode();
    await user.type(composer(), 'first foreign{Enter}');
    await screen.findByText('trusted on first use');
    expect(screen.getByRole('button', { name: 'Trusted' })).toHaveAttribute('aria-pressed', 'true');
    expect(fake.state.servers.servers[0]?.knownNodes.find((n) => n.fingerprint === first)?.trusted).toBe('first-use');

    const second = fake.foreignNode();
    await user.type(composer(), 'to the new key{Enter}');
    const ask = await screen.findByRole('dialog', { name: 'The node key on This computer changed' });
    expect(ask).toHaveTextContent('Nothing has been sent yet.');
    expect(ask).toHaveTextContent('This key changed since you last trusted it.');
    expect(within(ask).getByLabelText('Offered node key fingerprint')).toHaveTextContent(group(second));
    expect(ask).toHaveTextContent(group(first));
    expect(ask).toHaveTextContent('Waiting to send: “trust”.');
    expect(within(ask).queryByRole('button', { name: 'Trust any node on this server' })).toBeNull();
    // Nothing answered while the question waits: the chat says what it waits for.
    expect(document.querySelector('.waiting__label')).toHaveTextContent('Waiting for you to confirm the node key…');
    expect(fake.state.conversations.get(c.id)?.messages.at(-1)?.status).toBe('pending');

    await user.click(within(ask).getByRole('button', { name: 'Trust this key and send' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await screen.findByText('trusted by you');
    expect(fake.calls.filter((x) => x.channel === 'trust:answer').map((x) => x.request)).toEqual([{ id: expect.any(String), decision: 'trust' }]);
    expect(fake.state.servers.servers[0]?.knownNodes.find((n) => n.fingerprint === second)?.trusted).toBe('confirmed');
    expect(screen.getByTestId('live-region')).toHaveTextContent('Node key trusted. Sending.');
  });

  it('Don’t send (also Escape) refuses: nothing is sent and the answer says so', async () => {
    const { fake, user } = await untilAChangedKeyIsAsked('refuse');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('You chose not to send to that node key, so nothing was sent.'));
    expect(fake.calls.filter((x) => x.channel === 'trust:answer').at(-1)?.request).toMatchObject({ decision: 'refuse' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('with several live nodes it offers to trust any node, which sets the server’s policy', async () => {
    const { fake, user, ask } = await untilAChangedKeyIsAsked('many', { nodeCount: 3 });
    expect(ask).toHaveTextContent('This computer has 3 nodes online');
    await user.click(within(ask).getByRole('button', { name: 'Trust any node on this server' }));
    await screen.findByText('any node (server setting)');
    expect(fake.state.servers.servers[0]?.trustPolicy).toBe('any-node');
  });

  it('lists the keys per server with trust / untrust and the policy; trusted-only refuses without asking', async () => {
    const fake = installFake();
    const c = fake.seed('keys', []);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'keys' });
    const old = fake.foreignNode();
    await user.type(composer(), 'one{Enter}');
    await screen.findByText('trusted on first use');

    await user.click(screen.getByRole('button', { name: /^Server: This computer/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Servers' });
    const list = within(dialog).getByRole('list', { name: 'Node keys seen on This computer' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
    expect(within(list).getByText('trusted on first use')).toBeInTheDocument();
    expect(within(list).getByText(/^1 answer · last /)).toBeInTheDocument();
    const short = old.slice(0, 16).toUpperCase().match(/.{4}/g)!.join(' ');
    await user.click(within(list).getByRole('button', { name: `Stop trusting node ${short}` }));
    await waitFor(() => expect(fake.state.servers.servers[0]?.knownNodes[0]?.trusted).toBeNull());
    const trust = within(list).getByRole('button', { name: `Trust node ${short}` });
    expect(trust).toHaveAttribute('aria-pressed', 'false');
    trust.focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(fake.state.servers.servers[0]?.knownNodes[0]?.trusted).toBe('confirmed'));

    const policy = within(dialog).getByRole('combobox', { name: /Before a prompt goes to a node key not trusted/ });
    expect(policy).toHaveValue('ask');
    await user.selectOptions(policy, 'trusted-only');
    await waitFor(() => expect(fake.state.servers.servers[0]?.trustPolicy).toBe('trusted-only'));
    expect(fake.calls.filter((x) => x.channel === 'servers:setTrustPolicy').at(-1)?.request).toEqual({ serverId: 'embedded', policy: 'trusted-only' });

    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    fake.foreignNode();
    await user.type(composer(), 'two{Enter}');
    await waitFor(() => expect(fake.state.conversations.get(c.id)?.messages.at(-1)?.status).toBe('error'));
    expect(screen.getByRole('alert')).toHaveTextContent(/trusted keys only, so nothing was sent/);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.calls.some((x) => x.channel === 'trust:answer')).toBe(false);
  });
});
