// Node key pins through the IPC contract, against the real relay + node: a node restart gives it a
// new key, so pin → restart → ask again shows the change ('warn') or refuses it ('require').
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatEvent, Conversation, ServerList, ServerProfile } from '../../src-shared/ipc/contract';
import { startRealBackend, type RealBackend } from '../../test-support/backend/real-backend';

type Final = Exclude<ChatEvent, { type: 'status' }>;

describe('pinning node keys per server', () => {
  const finals: Final[] = [];
  let real: RealBackend;
  const call = (channel: string, request: unknown = {}) => real.backend.handle(channel, request);

  beforeAll(async () => {
    real = await startRealBackend({
      onEvent: (channel, payload) => {
        if (channel === 'events:chat' && (payload as ChatEvent).type !== 'status') finals.push(payload as Final);
      },
    });
  });
  afterAll(async () => {
    await real?.close();
  });

  async function ask(conversationId: string, content: string): Promise<Final> {
    const { answerId } = (await call('chat:send', { conversationId, content })) as { answerId: string };
    await expect.poll(() => finals.some((f) => f.message.id === answerId), { timeout: 10_000, interval: 20 }).toBe(true);
    return finals.find((f) => f.message.id === answerId)!;
  }

  async function restartNode(): Promise<string> {
    const before = ((await call('node:status')) as { fingerprint: string }).fingerprint;
    await call('node:stop');
    const after = ((await call('node:start')) as { fingerprint?: string }).fingerprint;
    await expect.poll(async () => ((await call('relay:status')) as { nodeCount: number }).nodeCount, { timeout: 5000 }).toBe(1);
    const now = ((await call('node:status')) as { fingerprint: string }).fingerprint;
    expect(now).not.toBe(before);
    if (after) expect(after).toBe(now);
    return now;
  }

  const embedded = async () => ((await call('servers:list')) as ServerList).servers.find((s) => s.id === 'embedded')!;

  it('lists the nodes that answered, pins one in warn mode and flags an answer from a new key', async () => {
    const conversation = (await call('conversations:create', {})) as Conversation;
    const first = await ask(conversation.id, 'first');
    expect(first.type).toBe('answer');
    const fp = first.message.meta!.nodeFingerprint;
    expect(first.message.meta!.nodeKeyChanged).toBe(false);
    expect(await embedded()).toMatchObject({ knownNodes: [{ fingerprint: fp, answers: 1 }] });
    expect((await embedded()).pin).toBeUndefined();

    const pinned = (await call('servers:pinNode', { serverId: 'embedded', fingerprint: fp })) as ServerProfile;
    expect(pinned.pin).toEqual({ fingerprint: fp, mode: 'warn' });
    const same = await ask(conversation.id, 'same node');
    expect(same.message.meta).toMatchObject({ nodeFingerprint: fp, nodeKeyChanged: false });

    const fresh = await restartNode();
    const changed = await ask(conversation.id, 'after restart');
    expect(changed.type).toBe('answer');
    expect(changed.message.meta).toMatchObject({ nodeFingerprint: fresh, nodeKeyChanged: true });
    // The flag is stored with the answer, not recomputed.
    const stored = (await call('conversations:get', { id: conversation.id })) as Conversation;
    expect(stored.messages.find((m) => m.id === changed.message.id)?.meta?.nodeKeyChanged).toBe(true);
    expect((await embedded()).knownNodes.map((n) => n.fingerprint)).toEqual([fresh, fp]);

    // A stale unpin (for a key that is no longer pinned) leaves the pin alone; the right one removes it.
    expect(((await call('servers:unpinNode', { serverId: 'embedded', fingerprint: fresh })) as ServerProfile).pin).toEqual({ fingerprint: fp, mode: 'warn' });
    expect(((await call('servers:unpinNode', { serverId: 'embedded', fingerprint: fp })) as ServerProfile).pin).toBeUndefined();
    const unpinned = await ask(conversation.id, 'unpinned');
    expect(unpinned.message.meta?.nodeKeyChanged).toBe(false);
  });

  it('refuses another key in require mode, in plain words, and works again after unpinning', async () => {
    const conversation = (await call('conversations:create', {})) as Conversation;
    const first = await ask(conversation.id, 'pin me');
    const fp = first.message.meta!.nodeFingerprint;
    expect(await call('servers:pinNode', { serverId: 'embedded', fingerprint: fp, mode: 'require' })).toMatchObject({ pin: { fingerprint: fp, mode: 'require' } });
    await restartNode();
    const refused = await ask(conversation.id, 'this must not reach the new node');
    expect(refused.type).toBe('error');
    expect(refused.message.error).toMatchObject({ code: 'pinned_node_changed', retryable: false, message: expect.stringMatching(/pinned.*same key, so nothing was sent.*Servers/s) });
    expect(refused.message.meta).toBeUndefined();

    await call('servers:unpinNode', { serverId: 'embedded', fingerprint: fp });
    const retry = (await call('chat:regenerate', { conversationId: conversation.id })) as { answerId: string };
    await expect.poll(() => finals.find((f) => f.message.id === retry.answerId)?.type, { timeout: 10_000, interval: 20 }).toBe('answer');
  });

  it('rejects bad pin requests with clear errors', async () => {
    await expect(call('servers:pinNode', { serverId: 'embedded', fingerprint: 'abc' })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/fingerprint/) });
    await expect(call('servers:pinNode', { serverId: 'embedded', fingerprint: 'a'.repeat(64), mode: 'always' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(call('servers:pinNode', { serverId: 'nope', fingerprint: 'a'.repeat(64) })).rejects.toMatchObject({ code: 'unknown_server_profile' });
    await expect(call('servers:unpinNode', { serverId: 'embedded' })).rejects.toMatchObject({ code: 'bad_request' });
  });
});
