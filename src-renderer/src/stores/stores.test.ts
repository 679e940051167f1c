import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from '../api/api';
import { installFake } from '../../../test-support/renderer/harness';
import { useChat } from './chat';
import { sortByActivity, useConversations } from './conversations';
import { sendBlockReason, useServers } from './servers';
import { useUi } from './ui';

afterEach(() => setApi(undefined));

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('conversations store', () => {
  it('lists conversations by last activity, newest first', async () => {
    const fake = installFake();
    fake.seed('old', [], 1000);
    fake.seed('newest', [], 3000);
    fake.seed('middle', [], 2000);
    await useConversations.getState().load();
    expect(useConversations.getState().summaries.map((s) => s.title)).toEqual(['newest', 'middle', 'old']);
    expect(sortByActivity([{ id: 'a', title: 'a', createdAt: 1, updatedAt: 5, messageCount: 0 }, { id: 'b', title: 'b', createdAt: 2, updatedAt: 9, messageCount: 0 }])[0]!.id).toBe('b');
  });

  it('deletes with an undo toast that restores through conversations:restore', async () => {
    const fake = installFake();
    const c = fake.seed('keep me', [{ role: 'user', content: 'hi' }]);
    await useConversations.getState().load();
    await useConversations.getState().open(c.id);
    await useConversations.getState().remove(c.id);
    expect(useConversations.getState().summaries).toHaveLength(0);
    expect(useConversations.getState().activeId).toBeUndefined();
    const toast = useUi.getState().toasts.at(-1)!;
    expect(toast.actionLabel).toBe('Undo');
    toast.action!();
    await flush();
    await flush();
    expect(fake.calls.some((x) => x.channel === 'conversations:restore')).toBe(true);
    expect(useConversations.getState().summaries.map((s) => s.title)).toEqual(['keep me']);
    expect(useConversations.getState().activeId).toBe(c.id);
  });

  it('searches across every conversation and ignores stale answers', async () => {
    const fake = installFake();
    fake.seed('Cooking', [{ role: 'user', content: 'how long to boil an egg' }]);
    fake.seed('Travel', [{ role: 'assistant', content: 'Pack an egg sandwich' }]);
    const first = useConversations.getState().search('zzz');
    const second = useConversations.getState().search('egg');
    await Promise.all([first, second]);
    expect(useConversations.getState().hits.map((h) => h.conversationTitle).sort()).toEqual(['Cooking', 'Travel']);
    await useConversations.getState().search('');
    expect(useConversations.getState().hits).toEqual([]);
  });

  it('renames and keeps the open conversation title in step', async () => {
    const fake = installFake();
    const c = fake.seed('before', []);
    await useConversations.getState().load();
    await useConversations.getState().open(c.id);
    await useConversations.getState().rename(c.id, '  after  ');
    expect(useConversations.getState().summaries[0]!.title).toBe('after');
    expect(useConversations.getState().active!.title).toBe('after');
  });
});

describe('chat store', () => {
  it('tracks an answer from send through phases to the final message', async () => {
    const fake = installFake({ answers: 'manual' });
    const c = fake.seed('chat', []);
    await useConversations.getState().open(c.id);
    const api = fake;
    api.events.chat((e) => useChat.getState().handleEvent(e));

    expect(await useChat.getState().send(c.id, '  hello  ')).toBe(true);
    const flight = useChat.getState().inFlight[c.id]!;
    expect(flight.answerId).toMatch(/^a-/);
    expect(useConversations.getState().active!.messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'pending'],
    ]);
    fake.status(c.id, 'prefill', 0.4);
    expect(useChat.getState().inFlight[c.id]).toMatchObject({ phase: 'prefill', fraction: 0.4 });
    expect(useUi.getState().announcement).toBe('Reading the conversation…');

    fake.answer(c.id, 'Hi **there**');
    expect(useChat.getState().inFlight[c.id]).toBeUndefined();
    const last = useConversations.getState().active!.messages.at(-1)!;
    expect(last).toMatchObject({ status: 'complete', content: 'Hi **there**' });
    expect(useUi.getState().announcement).toBe('Answer: Hi there');
  });

  it('does not bring back a pending answer when the event beat the reply', async () => {
    const fake = installFake({ answers: 'manual' });
    const c = fake.seed('race', []);
    await useConversations.getState().open(c.id);
    fake.events.chat((e) => useChat.getState().handleEvent(e));
    const originalSend = fake.chat.send;
    fake.chat.send = async (r) => {
      const reply = await originalSend(r);
      fake.answer(c.id, 'fast answer'); // the event arrives before the invoke reply resolves
      return reply;
    };
    await useChat.getState().send(c.id, 'quick');
    expect(useChat.getState().inFlight[c.id]).toBeUndefined();
    expect(useConversations.getState().active!.messages.at(-1)).toMatchObject({ status: 'complete', content: 'fast answer' });
  });

  it('stop sends chat:stop and the stopped event ends the flight', async () => {
    const fake = installFake({ answers: 'manual' });
    const c = fake.seed('stop', []);
    await useConversations.getState().open(c.id);
    fake.events.chat((e) => useChat.getState().handleEvent(e));
    await useChat.getState().send(c.id, 'long question');
    await useChat.getState().stop(c.id);
    expect(fake.state.stops).toEqual([c.id]);
    expect(useChat.getState().inFlight[c.id]).toBeUndefined();
    expect(useConversations.getState().active!.messages.at(-1)!.status).toBe('stopped');
  });

  it('shows a refused send in plain words and keeps nothing in flight', async () => {
    const fake = installFake();
    const c = fake.seed('refused', []);
    fake.chat.send = () => Promise.reject(new Error("Error invoking remote method 'chat:send': Error: No node is online."));
    expect(await useChat.getState().send(c.id, 'hi')).toBe(false);
    expect(useChat.getState().inFlight[c.id]).toBeUndefined();
    expect(useChat.getState().failure[c.id]).toBe('No node is online.');
  });

  it('edit drops later messages and asks again', async () => {
    const fake = installFake({ answers: 'manual' });
    const c = fake.seed('edit', [
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'one' },
      { role: 'user', content: 'second' },
      { role: 'assistant', content: 'two' },
    ]);
    await useConversations.getState().open(c.id);
    const firstId = useConversations.getState().active!.messages[0]!.id;
    await useChat.getState().edit(c.id, firstId, 'first, edited');
    const msgs = useConversations.getState().active!.messages;
    expect(msgs.map((m) => m.content)).toEqual(['first, edited', '']);
    expect(msgs[1]!.status).toBe('pending');
  });
});

describe('servers store', () => {
  it('explains why sending is impossible', async () => {
    const fake = installFake({ nodeCount: 0 });
    await useServers.getState().load();
    const { list, relay } = useServers.getState();
    expect(sendBlockReason(list, relay)).toMatch(/No compute node is online at This computer/);
    fake.state.relay = { ...fake.state.relay, enabled: false, state: 'stopped' };
    await useServers.getState().load();
    expect(sendBlockReason(useServers.getState().list, useServers.getState().relay)).toMatch(/built-in relay is off/);
    expect(sendBlockReason(undefined, undefined)).toMatch(/Connecting/);
  });

  it('marks a server unreachable when the probe fails', async () => {
    const fake = installFake();
    await useServers.getState().load();
    fake.servers.probe = () => Promise.reject(new Error('connect ECONNREFUSED'));
    await useServers.getState().probe('embedded');
    const s = useServers.getState().list!.servers[0]!;
    expect(s.health.state).toBe('unreachable');
    expect(sendBlockReason(useServers.getState().list, useServers.getState().relay)).toMatch(/cannot be reached \(connect ECONNREFUSED\)/);
  });
});
