// Chat through the real pieces: embedded relay + compute node (deterministic test provider) in
// this process, the client's ChatService, encrypted storage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFinalChatEvent, type ChatEvent, type ChatFinalEvent, type Conversation, type EventChannel, type Message } from '../../src-shared/ipc/contract';
import { startRealBackend, TEST_MODEL, type RealBackend, type RealBackendOptions } from '../../test-support/backend/real-backend';

interface Recorded {
  channel: EventChannel;
  payload: unknown;
}

function harness() {
  const events: Recorded[] = [];
  const waiters = new Set<() => void>();
  const onEvent = (channel: EventChannel, payload: unknown) => {
    events.push({ channel, payload });
    for (const w of waiters) w();
  };
  async function waitFor<T>(find: () => T | undefined, ms = 10_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise<void>((resolve) => {
        const done = () => {
          waiters.delete(done);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, 25);
        waiters.add(done);
      });
    }
  }
  const chatEvents = () => events.filter((e) => e.channel === 'events:chat').map((e) => e.payload as ChatEvent);
  const finalFor = (answerId: string) =>
    waitFor(() => chatEvents().find((e): e is ChatFinalEvent => isFinalChatEvent(e) && e.message.id === answerId));
  return { events, onEvent, waitFor, chatEvents, finalFor };
}

/**
 * For the describe block it is called in: a real backend (the test provider with these options)
 * started before its tests and closed after them, its events recorded by harness().
 */
function realBackendForBlock(testProvider: RealBackendOptions['testProvider']) {
  const h = harness();
  let real: RealBackend | undefined;
  beforeAll(async () => {
    real = await startRealBackend({ onEvent: h.onEvent, testProvider });
  });
  afterAll(async () => {
    await real?.close();
  });
  const started = () => real!;
  return { ...h, real: started, call: (channel: string, request: unknown = {}) => started().backend.handle(channel, request) };
}

describe('chat through the real relay and node', () => {
  const h = realBackendForBlock({ tokenDelayMs: 2 });
  const { call } = h;

  it('starts with the embedded relay selected and the test node serving', async () => {
    const relay = (await call('relay:status')) as { state: string; url: string };
    expect(relay.state).toBe('running');
    expect(await call('node:status')).toMatchObject({ configured: true, state: 'serving', relayUrl: relay.url, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await call('servers:list')).toMatchObject({ activeId: 'embedded', servers: [{ id: 'embedded', url: relay.url }, { id: 'token.place' }] });
    // The app's node serves 8k only (its default), so the large tier is not offered.
    expect(await call('chat:models')).toEqual({ models: [TEST_MODEL], contextTiers: ['8k-fast'] });
    await expect.poll(async () => ((await call('relay:status')) as { nodeCount: number }).nodeCount).toBe(1);
  });

  it('sends, reports phases, stores the answer with its encryption meta', async () => {
    const conversation = (await call('conversations:create', { systemPrompt: 'Answer briefly.' })) as Conversation;
    const sent = (await call('chat:send', { conversationId: conversation.id, content: 'Hello there, node!' })) as { userMessageId: string; answerId: string };
    const final = await h.finalFor(sent.answerId);
    expect(final.type).toBe('answer');
    const node = (await call('node:status')) as { fingerprint: string; relayUrl: string };
    expect(final.message).toMatchObject({
      id: sent.answerId,
      role: 'assistant',
      status: 'complete',
      content: 'Test answer (2 messages) to: Hello there, node!',
      meta: {
        model: TEST_MODEL,
        serverId: 'embedded',
        relayUrl: node.relayUrl,
        nodeFingerprint: node.fingerprint,
        nodeKeyChanged: false,
        encryption: { symmetric: expect.stringMatching(/^AES-256-(CBC|GCM)$/), requestWrap: expect.any(String), replyWrap: expect.any(String) },
      },
    });
    const phases = h.chatEvents().filter((e) => e.type === 'status' && e.answerId === sent.answerId).map((e) => (e as { phase: string }).phase);
    expect(phases[0]).toBe('finding_node');
    expect(phases).toContain('submitting');

    const stored = (await call('conversations:get', { id: conversation.id })) as Conversation;
    expect(stored.title).toBe('Hello there, node!');
    expect(stored.messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(await call('conversations:search', { query: 'THERE, NODE' })).toEqual(
      expect.arrayContaining([expect.objectContaining({ conversationId: conversation.id, messageId: sent.userMessageId })]),
    );
  });

  it('regenerates the last answer and edits a past message', async () => {
    const conversation = (await call('conversations:create', {})) as Conversation;
    const first = (await call('chat:send', { conversationId: conversation.id, content: 'one' })) as { userMessageId: string; answerId: string };
    await h.finalFor(first.answerId);
    const second = (await call('chat:send', { conversationId: conversation.id, content: 'two' })) as { answerId: string };
    await h.finalFor(second.answerId);

    const again = (await call('chat:regenerate', { conversationId: conversation.id })) as { answerId: string };
    expect((await h.finalFor(again.answerId)).message.content).toBe('Test answer (3 messages) to: two');
    let stored = (await call('conversations:get', { id: conversation.id })) as Conversation;
    expect(stored.messages.map((m) => m.content)).toEqual(['one', 'Test answer (1 messages) to: one', 'two', 'Test answer (3 messages) to: two']);
    expect(stored.messages.at(-1)?.id).toBe(again.answerId);

    const edited = (await call('chat:edit', { conversationId: conversation.id, messageId: first.userMessageId, content: 'uno' })) as { answerId: string };
    expect((await h.finalFor(edited.answerId)).message.content).toBe('Test answer (1 messages) to: uno');
    stored = (await call('conversations:get', { id: conversation.id })) as Conversation;
    expect(stored.messages.map((m) => m.content)).toEqual(['uno', 'Test answer (1 messages) to: uno']);
    await expect(call('chat:edit', { conversationId: conversation.id, messageId: 'nope', content: 'x' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('exports a real conversation as Markdown and imports it back identically', async () => {
    const conversation = (await call('conversations:create', { title: 'Roundtrip', systemPrompt: 'sys\n\nline' })) as Conversation;
    const sent = (await call('chat:send', { conversationId: conversation.id, content: 'Some **markdown**\n\n```js\nx()\n```\n' })) as { answerId: string };
    await h.finalFor(sent.answerId);
    const original = (await call('conversations:get', { id: conversation.id })) as Conversation;
    const md = (await call('conversations:export', { format: 'markdown', ids: [conversation.id] })) as { content: string };
    const before = new Set(((await call('conversations:list')) as { id: string }[]).map((c) => c.id));
    expect(await call('conversations:import', { format: 'markdown', content: md.content })).toEqual({ imported: 1 });
    const added = ((await call('conversations:list')) as { id: string }[]).find((c) => !before.has(c.id));
    const imported = (await call('conversations:get', { id: added!.id })) as Conversation;
    expect(imported.title).toBe('Roundtrip');
    expect(imported.systemPrompt).toBe('sys\n\nline');
    expect(imported.messages.map((m) => [m.role, m.content, m.status])).toEqual(original.messages.map((m) => [m.role, m.content, m.status]));
  });

  it('switches servers mid-conversation: the next message goes to the newly active server', async () => {
    const conversation = (await call('conversations:create', {})) as Conversation;
    const first = (await call('chat:send', { conversationId: conversation.id, content: 'on the built-in relay' })) as { answerId: string };
    expect((await h.finalFor(first.answerId)).type).toBe('answer');
    const other = (await call('servers:add', { name: 'Nowhere', url: 'http://127.0.0.1:1' })) as { id: string };
    await call('servers:activate', { id: other.id });
    const second = (await call('chat:send', { conversationId: conversation.id, content: 'on the other one' })) as { answerId: string };
    const failed = await h.finalFor(second.answerId);
    expect(failed).toMatchObject({ type: 'error', message: { error: { code: 'server_unreachable', retryable: true } } });
    await call('servers:activate', { id: 'embedded' });
    const retry = (await call('chat:regenerate', { conversationId: conversation.id })) as { answerId: string };
    expect(await h.finalFor(retry.answerId)).toMatchObject({ type: 'answer', message: { content: 'Test answer (3 messages) to: on the other one' } });
    await call('servers:remove', { id: other.id });
  });

  it('serves the local OpenAI-compatible gateway with its token', async () => {
    const status = (await call('gateway:setEnabled', { enabled: true })) as { enabled: boolean; url: string; token: string };
    expect(status).toMatchObject({ enabled: true, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v1$/) });
    const res = await fetch(`${status.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${status.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: TEST_MODEL, messages: [{ role: 'user', content: 'via gateway' }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe('Test answer (1 messages) to: via gateway');
    expect((await fetch(`${status.url}/models`)).status).toBe(401);
    expect(await call('gateway:status')).toEqual(status);
    expect(await call('gateway:setEnabled', { enabled: false })).toEqual({ enabled: false });
  });

  it('never puts keys or envelopes in replies or events', () => {
    const all = JSON.stringify(h.events);
    expect(all).not.toMatch(/PRIVATE KEY|BEGIN PUBLIC KEY|ciphertext|cipherkey/);
  });
});

describe('chat: stop, errors, crash recovery', () => {
  const h = realBackendForBlock({ delayMs: 1500 });
  const { call } = h;

  it('stops an answer in flight', async () => {
    const conversation = (await call('conversations:create', {})) as Conversation;
    const sent = (await call('chat:send', { conversationId: conversation.id, content: 'take your time' })) as { answerId: string };
    await expect(call('chat:send', { conversationId: conversation.id, content: 'again' })).rejects.toMatchObject({ code: 'busy' });
    await h.waitFor(() => h.chatEvents().find((e) => e.type === 'status' && e.answerId === sent.answerId && e.phase !== 'finding_node'));
    expect(await call('chat:stop', { conversationId: conversation.id })).toEqual({ stopped: true });
    const final = await h.finalFor(sent.answerId);
    expect(final).toMatchObject({ type: 'stopped', message: { status: 'stopped' } });
    expect(await call('chat:stop', { conversationId: conversation.id })).toEqual({ stopped: false });
    const stored = (await call('conversations:get', { id: conversation.id })) as Conversation;
    expect(stored.messages.at(-1)).toMatchObject({ id: sent.answerId, status: 'stopped' });
  });

  it('says in plain words when no node is there, and recovers when it is back', async () => {
    await call('node:stop');
    const conversation = (await call('conversations:create', {})) as Conversation;
    const sent = (await call('chat:send', { conversationId: conversation.id, content: 'anyone?' })) as { answerId: string };
    const final = await h.finalFor(sent.answerId);
    expect(final.type).toBe('error');
    expect((final.message as Message).error).toMatchObject({ code: 'no_registered_compute_nodes', message: expect.stringMatching(/node/i), retryable: true });

    await call('node:start');
    const retry = (await call('chat:regenerate', { conversationId: conversation.id })) as { answerId: string };
    expect(await h.finalFor(retry.answerId)).toMatchObject({ type: 'answer', message: { content: 'Test answer (1 messages) to: anyone?' } });
  });

  it('restarts a crashed relay on the same address; the node comes back and chat works', async () => {
    const before = (await call('relay:status')) as { url: string };
    await h.real().relayHost.simulateCrash();
    await expect.poll(async () => ((await call('relay:status')) as { state: string }).state, { timeout: 5000 }).toBe('running');
    const after = (await call('relay:status')) as { url: string; restarts: number };
    expect(after).toMatchObject({ url: before.url, restarts: 1 });
    const relayStates = h.events.filter((e) => e.channel === 'events:relay').map((e) => (e.payload as { state: string }).state);
    expect(relayStates).toEqual(expect.arrayContaining(['crashed', 'restarting', 'running']));
    await expect.poll(async () => ((await call('relay:status')) as { nodeCount: number }).nodeCount, { timeout: 8000 }).toBe(1);

    const conversation = (await call('conversations:create', {})) as Conversation;
    const sent = (await call('chat:send', { conversationId: conversation.id, content: 'still there?' })) as { answerId: string };
    expect(await h.finalFor(sent.answerId)).toMatchObject({ type: 'answer' });
  });

  it('restarts a crashed node', async () => {
    await h.real().nodeHost.simulateCrash();
    await expect.poll(async () => ((await call('node:status')) as { state: string }).state, { timeout: 5000 }).toBe('serving');
    const states = h.events.filter((e) => e.channel === 'events:node').map((e) => (e.payload as { state: string }).state);
    expect(states).toEqual(expect.arrayContaining(['crashed', 'restarting', 'serving']));
  });
});
