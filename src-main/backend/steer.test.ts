// Steer through the real pieces (embedded relay, compute node with the deterministic provider,
// encrypted storage): presets, parameters per chat over server defaults, and Continue (§2.3.5).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFinalChatEvent, type ChatEvent, type ChatFinalEvent, type Conversation, type EventChannel, type PresetList } from '../../src-shared/ipc/contract';
import { BUILT_IN_PRESETS } from '../../src-shared/vocabulary/steer';
import { startRealBackend, type RealBackend } from '../../test-support/backend/real-backend';
import type { ProviderChatRequest } from '../node';
import { RecordStore } from '../storage';
import type { Conversations } from './conversations';
import { Presets } from './presets';

describe('steer through the real relay and node', () => {
  const events: ChatEvent[] = [];
  /** What the node's provider was asked, request by request. */
  const asked: ProviderChatRequest[] = [];
  let real: RealBackend;
  const call = (channel: string, request: unknown = {}) => real.backend.handle(channel, request);

  async function finalFor(answerId: string, after = 0): Promise<ChatFinalEvent> {
    await expect.poll(() => events.slice(after).some((e) => isFinalChatEvent(e) && e.message.id === answerId), { timeout: 10_000 }).toBe(true);
    return events.slice(after).find((e): e is ChatFinalEvent => isFinalChatEvent(e) && e.message.id === answerId)!;
  }

  beforeAll(async () => {
    real = await startRealBackend({
      onEvent: (channel: EventChannel, payload: unknown) => {
        if (channel === 'events:chat') events.push(payload as ChatEvent);
      },
      testProvider: {
        answer: (req) => {
          asked.push(req);
          return 'one two three four five six seven eight';
        },
      },
    });
  });
  afterAll(async () => {
    await real?.close();
  });

  it('lists the built-in presets, read-only, with no default at first', async () => {
    await expect.poll(async () => ((await call('relay:status')) as { nodeCount: number }).nodeCount).toBe(1);
    const list = (await call('presets:list')) as PresetList;
    expect(list.defaultPresetId).toBeNull();
    expect(list.presets.map((p) => p.id)).toEqual(BUILT_IN_PRESETS.map((p) => p.id));
    await expect(call('presets:delete', { id: 'builtin-precise' })).rejects.toMatchObject({ code: 'preset_read_only' });
    await expect(call('presets:save', { id: 'builtin-precise', name: 'Mine', systemPrompt: '', params: {} })).rejects.toMatchObject({ code: 'preset_read_only' });
  });

  it('creates, edits, duplicates and deletes presets', async () => {
    const created = (await call('presets:save', { name: '  Tutor ', systemPrompt: 'Explain step by step.', params: { temperature: 0.4 } })) as { presetId: string; list: PresetList };
    expect(created.list.presets.at(-1)).toEqual({ id: created.presetId, builtIn: false, name: 'Tutor', systemPrompt: 'Explain step by step.', params: { temperature: 0.4 } });
    const edited = (await call('presets:save', { id: created.presetId, name: 'Tutor', systemPrompt: 'Explain.', params: { maxTokens: 100, stop: [] } })) as { list: PresetList };
    expect(edited.list.presets.find((p) => p.id === created.presetId)).toMatchObject({ systemPrompt: 'Explain.', params: { maxTokens: 100 } });
    const copy = (await call('presets:duplicate', { id: 'builtin-coder' })) as { presetId: string; list: PresetList };
    expect(copy.list.presets.find((p) => p.id === copy.presetId)).toMatchObject({ name: 'Code helper (copy)', builtIn: false, params: { temperature: 0.3, maxTokens: 2048 } });
    const again = (await call('presets:duplicate', { id: 'builtin-coder' })) as { presetId: string; list: PresetList };
    expect(again.list.presets.find((p) => p.id === again.presetId)?.name).toBe('Code helper (copy) 2');
    const named = (await call('presets:duplicate', { id: 'builtin-coder', name: 'Programmierhilfe (Kopie)' })) as { presetId: string; list: PresetList };
    expect(named.list.presets.find((p) => p.id === named.presetId)?.name).toBe('Programmierhilfe (Kopie)');
    await call('presets:setDefault', { id: copy.presetId });
    const after = (await call('presets:delete', { id: copy.presetId })) as PresetList;
    expect(after.presets.some((p) => p.id === copy.presetId)).toBe(false);
    expect(after.defaultPresetId).toBeNull();
    await expect(call('presets:delete', { id: copy.presetId })).rejects.toMatchObject({ code: 'preset_not_found' });
    await expect(call('presets:apply', { presetId: 'nope' })).rejects.toMatchObject({ code: 'preset_not_found' });
  });

  it('refuses bad input in words that say what is wrong', async () => {
    const c = (await call('conversations:create')) as Conversation;
    await expect(call('chat:params', { conversationId: c.id, params: { temperature: 5 } })).rejects.toMatchObject({
      code: 'bad_request',
      message: 'The request is not valid (params.temperature): Temperature must be from 0 to 2.',
    });
    await expect(call('chat:params', { conversationId: c.id, params: { top_p: 0.5 } })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(call('presets:save', { name: ' ', systemPrompt: '', params: {} })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('Give the preset a name.') });
    await expect(call('servers:setParamDefaults', { serverId: 'no-such-server', params: {} })).rejects.toMatchObject({ code: 'unknown_server_profile' });
  });

  it('sends no options when nothing is set, then the chat’s own values over its server’s defaults', async () => {
    const c = (await call('conversations:create')) as Conversation;
    let sent = (await call('chat:send', { conversationId: c.id, content: 'plain' })) as { answerId: string };
    await finalFor(sent.answerId);
    expect(asked.at(-1)).toMatchObject({ maxTokens: 1024 });
    expect(asked.at(-1)).not.toHaveProperty('temperature');
    expect(asked.at(-1)).not.toHaveProperty('seed');

    expect(await call('servers:setParamDefaults', { serverId: 'embedded', params: { temperature: 0.5, maxTokens: 300, seed: 11 } })).toEqual({ temperature: 0.5, maxTokens: 300, seed: 11 });
    expect(await call('servers:paramDefaults', { serverId: 'embedded' })).toEqual({ temperature: 0.5, maxTokens: 300, seed: 11 });
    const withParams = (await call('chat:params', { conversationId: c.id, params: { temperature: 1.2, topP: 0.8, stop: ['six'] } })) as Conversation;
    expect(withParams.params).toEqual({ temperature: 1.2, topP: 0.8, stop: ['six'] });
    sent = (await call('chat:send', { conversationId: c.id, content: 'steered' })) as { answerId: string };
    const final = await finalFor(sent.answerId);
    expect(asked.at(-1)).toMatchObject({ temperature: 1.2, topP: 0.8, maxTokens: 300, seed: 11, stop: ['six'] });
    // The stop sequence reached the node: the answer ends before it.
    expect(final.message.content).toBe('one two three four five ');

    const reset = (await call('chat:params', { conversationId: c.id, params: null })) as Conversation;
    expect(reset).not.toHaveProperty('params');
    sent = (await call('chat:send', { conversationId: c.id, content: 'defaults again' })) as { answerId: string };
    await finalFor(sent.answerId);
    expect(asked.at(-1)).toMatchObject({ temperature: 0.5, maxTokens: 300, seed: 11 });
    expect(asked.at(-1)).not.toHaveProperty('topP');
    await call('servers:setParamDefaults', { serverId: 'embedded', params: {} });
  });

  it('applies a preset to the open chat, to a new chat, and to every new chat as the default', async () => {
    const c = (await call('conversations:create')) as Conversation;
    const applied = (await call('presets:apply', { presetId: 'builtin-precise', conversationId: c.id })) as Conversation;
    expect(applied).toMatchObject({ id: c.id, presetId: 'builtin-precise', systemPrompt: BUILT_IN_PRESETS[1]!.systemPrompt, params: { temperature: 0.2, topP: 0.9 } });
    const fresh = (await call('presets:apply', { presetId: 'builtin-creative' })) as Conversation;
    expect(fresh.id).not.toBe(c.id);
    expect(fresh).toMatchObject({ presetId: 'builtin-creative', params: { temperature: 1.1 } });
    const balanced = (await call('presets:apply', { presetId: 'builtin-balanced', conversationId: c.id })) as Conversation;
    expect(balanced).not.toHaveProperty('params');
    expect(balanced.systemPrompt).toBe('');

    await call('presets:setDefault', { id: 'builtin-coder' });
    const next = (await call('conversations:create')) as Conversation;
    expect(next).toMatchObject({ presetId: 'builtin-coder', params: { maxTokens: 2048 } });
    // Stored with the chat: it reads back the same.
    expect(await call('conversations:get', { id: next.id })).toMatchObject({ presetId: 'builtin-coder', params: { maxTokens: 2048 } });
    await call('presets:setDefault', { id: null });
    expect(await call('conversations:create')).not.toHaveProperty('presetId');
  });

  it('continues an answer cut at the output limit: the partial answer goes last, the rest is appended to the same version', async () => {
    const c = (await call('conversations:create')) as Conversation;
    await call('chat:params', { conversationId: c.id, params: { maxTokens: 3 } });
    const sent = (await call('chat:send', { conversationId: c.id, content: 'Count for me' })) as { answerId: string };
    const first = await finalFor(sent.answerId);
    expect(first.message).toMatchObject({ status: 'complete', content: 'one two three ', meta: { finishReason: 'length' } });

    const before = events.length;
    const cont = (await call('chat:continue', { conversationId: c.id })) as { answerId: string };
    expect(cont.answerId).toBe(sent.answerId);
    const second = await finalFor(sent.answerId, before);
    expect(asked.at(-1)?.messages).toEqual([
      { role: 'user', content: 'Count for me' },
      { role: 'assistant', content: 'one two three ' },
    ]);
    expect(asked.at(-1)?.maxTokens).toBe(3);
    expect(second.message).toMatchObject({ id: sent.answerId, status: 'complete', content: 'one two three one two three ', meta: { finishReason: 'length' } });
    // The first delta of the continuation carries the earlier text as a snapshot.
    const delta = events.slice(before).find((e): e is Extract<ChatEvent, { type: 'delta' }> => e.type === 'delta');
    if (delta) expect(delta).toMatchObject({ snapshot: true, text: expect.stringMatching(/^one two three one/) });

    const stored = (await call('conversations:get', { id: c.id })) as Conversation;
    expect(stored.messages.map((m) => m.content)).toEqual(['Count for me', 'one two three one two three ']);
    expect(stored.versions).toBeUndefined();
  });

  it('refuses Continue for an answer that finished', async () => {
    const c = (await call('conversations:create')) as Conversation;
    await expect(call('chat:continue', { conversationId: c.id })).rejects.toMatchObject({ code: 'nothing_to_continue' });
    const sent = (await call('chat:send', { conversationId: c.id, content: 'short' })) as { answerId: string };
    expect((await finalFor(sent.answerId)).message.meta?.finishReason).toBe('stop');
    await expect(call('chat:continue', { conversationId: c.id })).rejects.toMatchObject({
      code: 'nothing_to_continue',
      message: expect.stringContaining('length limit'),
    });
  });
});

describe('the preset record', () => {
  it('keeps presets, the default and server defaults encrypted across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tp-steer-'));
    try {
      const key = Buffer.alloc(32, 7);
      const noChats = {} as Conversations;
      const first = await Presets.open(await RecordStore.open(dir, key), noChats);
      const { presetId } = await first.save({ name: 'Mine', systemPrompt: 'secret words', params: { seed: 3 } });
      await first.setDefault(presetId);
      await first.setServerDefaults('embedded', { temperature: 0.1 });
      const again = await Presets.open(await RecordStore.open(dir, key), noChats);
      expect(again.list()).toMatchObject({ defaultPresetId: presetId, presets: expect.arrayContaining([expect.objectContaining({ id: presetId, params: { seed: 3 } })]) });
      expect(again.serverDefaults('embedded')).toEqual({ temperature: 0.1 });
      expect(again.requestOptions({ params: { seed: 9 } }, 'embedded')).toEqual({ temperature: 0.1, seed: 9 });
      await again.forgetServer('embedded');
      expect(again.serverDefaults('embedded')).toEqual({});
      const { readFile, readdir } = await import('node:fs/promises');
      for (const f of await readdir(dir)) expect((await readFile(join(dir, f))).toString('utf8')).not.toContain('secret words');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
