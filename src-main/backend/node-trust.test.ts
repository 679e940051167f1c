// Node key trust through the IPC contract, against the real backend (built-in relay + this
// computer's node) and a second relay with a node of someone else, added as a custom server: the
// first key is trusted on first use; a new key is shown and must be confirmed in the window BEFORE
// the prompt is sent to it (issue 11 §4); declined, or under `trusted-only`, nothing is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFinalChatEvent, type ChatEvent, type ChatFinalEvent, type Conversation, type ServerList, type ServerProfile, type TrustEvent } from '../../src-shared/ipc/contract';
import type { RunningRelay } from '../relay';
import { NODE_KEY_SECRET } from '../storage';
import { startRealBackend, type RealBackend } from '../../test-support/backend/real-backend';
import { keyPairs, startStackNode, startStackRelay, waitFor, type StackNode } from '../../test-support/client/stack';

type Final = ChatFinalEvent;

describe('node key trust per server', () => {
  const finals: Final[] = [];
  const phases: string[] = [];
  const trustEvents: TrustEvent[] = [];
  let real: RealBackend;
  let lab: RunningRelay;
  let labNode: StackNode;
  let labId: string;
  const stopped: StackNode[] = [];
  const call = (channel: string, request: unknown = {}) => real.backend.handle(channel, request);

  beforeAll(async () => {
    real = await startRealBackend({
      onEvent: (channel, payload) => {
        if (channel === 'events:trust') trustEvents.push(payload as TrustEvent);
        if (channel !== 'events:chat') return;
        const e = payload as ChatEvent;
        if (e.type === 'status') phases.push(e.phase);
        else if (isFinalChatEvent(e)) finals.push(e);
      },
    });
    lab = await startStackRelay();
    const [pair] = await keyPairs(1);
    labNode = await startStackNode(lab.url, pair!);
    labId = ((await call('servers:add', { name: 'Lab relay', url: lab.url })) as ServerProfile).id;
  });
  afterAll(async () => {
    await Promise.all([labNode, ...stopped].map((n) => n.node.stop()));
    await lab?.close();
    await real?.close();
  });

  async function send(conversationId: string, content: string): Promise<string> {
    return ((await call('chat:send', { conversationId, content })) as { answerId: string }).answerId;
  }
  async function final(answerId: string): Promise<Final> {
    await expect.poll(() => finals.some((f) => f.message.id === answerId), { timeout: 10_000, interval: 20 }).toBe(true);
    return finals.find((f) => f.message.id === answerId)!;
  }
  const asks = () => trustEvents.filter((e): e is Extract<TrustEvent, { type: 'ask' }> => e.type === 'ask');
  const labServer = async () => ((await call('servers:list')) as ServerList).servers.find((s) => s.id === labId)!;

  async function newLabKey(): Promise<string> {
    await labNode.node.stop();
    stopped.push(labNode);
    const [pair] = await keyPairs(1);
    labNode = await startStackNode(lab.url, pair!);
    await waitFor(async () => ((await (await fetch(`${lab.url}/healthz`)).json()) as { knownServers: number }).knownServers === 1, 5000, 'one lab node');
    return labNode.node.status().fingerprint!;
  }

  it('trusts the first key on first use, then asks in the window before sending to a new key', async () => {
    await call('servers:activate', { id: labId });
    const conversation = (await call('conversations:create', {})) as Conversation;
    const first = await final(await send(conversation.id, 'first'));
    expect(first.type).toBe('answer');
    const firstKey = first.message.meta!.nodeFingerprint;
    expect(first.message.meta).toMatchObject({ nodeTrust: 'first-use', serverId: labId });
    expect(await labServer()).toMatchObject({ trustPolicy: 'ask', knownNodes: [{ fingerprint: firstKey, trusted: 'first-use', answers: 1 }] });
    expect(asks()).toEqual([]);

    const fresh = await newLabKey();
    phases.length = 0;
    const answerId = await send(conversation.id, 'something private');
    await expect.poll(() => asks().length, { timeout: 10_000, interval: 20 }).toBe(1);
    const { confirmation } = asks()[0]!;
    expect(confirmation).toMatchObject({
      serverId: labId,
      serverName: 'Lab relay',
      fingerprint: fresh,
      trustedFingerprints: [firstKey],
      liveNodes: 1,
      conversationId: conversation.id,
    });
    expect(await call('trust:pending')).toEqual([confirmation]);
    expect(phases).toContain('confirming_node');
    // Nothing reached the new node while the question waits.
    await new Promise((r) => setTimeout(r, 300));
    expect(labNode.calls).toBe(0);
    expect(finals.some((f) => f.message.id === answerId)).toBe(false);

    await call('trust:answer', { id: confirmation.id, decision: 'trust' });
    const answered = await final(answerId);
    expect(answered.type).toBe('answer');
    expect(answered.message.meta).toMatchObject({ nodeFingerprint: fresh, nodeTrust: 'confirmed' });
    expect(labNode.calls).toBe(1);
    expect(trustEvents.at(-1)).toEqual({ type: 'settled', id: confirmation.id });
    expect(await call('trust:pending')).toEqual([]);
    expect((await labServer()).knownNodes.map((n) => [n.fingerprint, n.trusted])).toEqual([
      [fresh, 'confirmed'],
      [firstKey, 'first-use'],
    ]);
    // The stored answer keeps how its key was trusted.
    const stored = (await call('conversations:get', { id: conversation.id })) as Conversation;
    expect(stored.messages.find((m) => m.id === answerId)?.meta?.nodeTrust).toBe('confirmed');
  });

  it('sends nothing when the user declines, or when the server takes trusted keys only', async () => {
    const conversation = (await call('conversations:create', {})) as Conversation;
    const key = labNode.node.status().fingerprint!;
    await call('servers:untrustNode', { serverId: labId, fingerprint: key });
    const callsBefore = labNode.calls;
    const declinedId = await send(conversation.id, 'do not send this');
    await expect.poll(() => asks().length, { timeout: 10_000, interval: 20 }).toBe(2);
    await call('trust:answer', { id: asks()[1]!.confirmation.id, decision: 'refuse' });
    const declined = await final(declinedId);
    expect(declined.type).toBe('error');
    expect(declined.message.error).toMatchObject({ code: 'node_key_declined', message: 'You chose not to send to that node key, so nothing was sent.' });
    expect(labNode.calls).toBe(callsBefore);

    expect(await call('servers:setTrustPolicy', { serverId: labId, policy: 'trusted-only' })).toMatchObject({ trustPolicy: 'trusted-only' });
    const refused = await final(await send(conversation.id, 'nor this'));
    expect(refused.message.error).toMatchObject({ code: 'node_key_not_trusted', retryable: false, message: expect.stringMatching(/trusted keys only, so nothing was sent/) });
    expect(asks()).toHaveLength(2);
    expect(labNode.calls).toBe(callsBefore);

    // Trusting the key from the server list lets the retry through.
    await call('servers:trustNode', { serverId: labId, fingerprint: key });
    const retry = (await call('chat:regenerate', { conversationId: conversation.id })) as { answerId: string };
    expect((await final(retry.answerId)).message.meta).toMatchObject({ nodeFingerprint: key, nodeTrust: 'confirmed' });
    await call('servers:setTrustPolicy', { serverId: labId, policy: 'ask' });
  });

  it('takes the question back when the user stops the answer, and refuses a late answer to it in plain words', async () => {
    const conversation = (await call('conversations:create', {})) as Conversation;
    await newLabKey();
    const answerId = await send(conversation.id, 'stop before sending');
    await expect.poll(() => asks().length, { timeout: 10_000, interval: 20 }).toBe(3);
    const { id } = asks()[2]!.confirmation;
    expect(await call('chat:stop', { conversationId: conversation.id })).toEqual({ stopped: true });
    expect((await final(answerId)).type).toBe('stopped');
    expect(trustEvents.at(-1)).toEqual({ type: 'settled', id });
    expect(labNode.calls).toBe(0);
    await expect(call('trust:answer', { id, decision: 'trust' })).rejects.toMatchObject({ code: 'confirmation_settled', message: expect.stringMatching(/already answered, or its request was stopped/) });
  });

  it("trusts this computer's own node on the built-in relay, also after it restarts with a new key", async () => {
    await call('servers:activate', { id: 'embedded' });
    const conversation = (await call('conversations:create', {})) as Conversation;
    const first = await final(await send(conversation.id, 'own node'));
    expect(first.message.meta).toMatchObject({ nodeTrust: 'own-node' });
    const before = ((await call('node:status')) as { fingerprint: string }).fingerprint;
    await call('node:stop');
    await real.secrets.delete(NODE_KEY_SECRET); // the app's node keeps its key across restarts (node-key.test.ts); here it gets a new one, as after a reinstall
    await call('node:start');
    await expect.poll(async () => ((await call('relay:status')) as { nodeCount: number }).nodeCount, { timeout: 5000 }).toBe(1);
    const asked = asks().length;
    const again = await final(await send(conversation.id, 'still own'));
    const after = ((await call('node:status')) as { fingerprint: string }).fingerprint;
    expect(after).not.toBe(before);
    expect(again.message.meta).toMatchObject({ nodeTrust: 'own-node', nodeFingerprint: after });
    expect(asks()).toHaveLength(asked);
  });

  it('rejects bad trust requests with clear errors', async () => {
    await expect(call('servers:trustNode', { serverId: 'embedded', fingerprint: 'abc' })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/fingerprint/) });
    await expect(call('servers:setTrustPolicy', { serverId: 'embedded', policy: 'always' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(call('servers:trustNode', { serverId: 'nope', fingerprint: 'a'.repeat(64) })).rejects.toMatchObject({ code: 'unknown_server_profile' });
    await expect(call('servers:untrustNode', { serverId: 'embedded' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(call('trust:answer', { id: 'x', decision: 'maybe' })).rejects.toMatchObject({ code: 'bad_request' });
  });
});
