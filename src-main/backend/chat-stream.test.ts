// The backend's side of a streamed answer (§11.7): each authenticated delta the client yields goes
// to the window as a `delta` event, the stored answer says how it arrived, and an answer stopped
// or failed mid-stream keeps the text that had arrived. The client is scripted here; the real
// client's streaming has its own tests (src-main/client).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { isFinalChatEvent, type ChatEvent, type ChatFinalEvent } from '../../src-shared/ipc/contract';
import { ChatError, type ChatService, type ServiceAnswer, type ServiceChatRequest } from '../client';
import { scriptedAnswer } from '../../test-support/client/answer';
import { ConversationStore } from '../storage';
import { Chat } from './chat';
import { Conversations } from './conversations';

type Script = (req: ServiceChatRequest) => Promise<ServiceAnswer>;

function answerOf(content: string, extra: Partial<ServiceAnswer> = {}): ServiceAnswer {
  return { ...scriptedAnswer(content), serverId: 'embedded', nodeTrust: 'own-node', ...extra };
}

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function setup(script: Script) {
  const dir = await mkdtemp(join(tmpdir(), 'tp-chat-stream-'));
  dirs.push(dir);
  const conversations = new Conversations(await ConversationStore.open(dir, randomBytes(32)), Date.now);
  const events: ChatEvent[] = [];
  const service = { chat: script } as unknown as ChatService;
  const chat = new Chat(conversations, service, (e) => events.push(e), Date.now);
  const conversation = await conversations.create({});
  const final = async (answerId: string): Promise<ChatFinalEvent> => {
    await expect.poll(() => events.some((e) => isFinalChatEvent(e) && e.message.id === answerId)).toBe(true);
    return events.find((e): e is ChatFinalEvent => isFinalChatEvent(e) && e.message.id === answerId)!;
  };
  const deltas = () => events.filter((e) => e.type === 'delta');
  return { chat, conversations, conversation, final, deltas };
}

describe('a streamed answer in the backend (§11.7)', () => {
  it('sends each delta to the window in order and stores the answer with how it arrived', async () => {
    const s = await setup(async (req) => {
      req.onDelta?.({ text: 'Par', snapshot: false, elapsedMs: 12 });
      req.onDelta?.({ text: 'is.', snapshot: false, elapsedMs: 15 });
      return answerOf('Paris.', { delivery: 'chunks', firstTextMs: 12 });
    });
    const { answerId } = await s.chat.send(s.conversation.id, 'Capital of France?');
    const final = await s.final(answerId);
    expect(s.deltas().map((d) => d.type === 'delta' && [d.answerId, d.text, d.snapshot])).toEqual([
      [answerId, 'Par', false],
      [answerId, 'is.', false],
    ]);
    expect(final).toMatchObject({ type: 'answer', message: { content: 'Paris.', status: 'complete', meta: { delivery: 'chunks', firstTextMs: 12 } } });
    const stored = await s.conversations.get(s.conversation.id);
    expect(stored.messages.at(-1)?.meta).toMatchObject({ delivery: 'chunks', firstTextMs: 12, finishReason: 'stop' });
  });

  it('an answer that arrived whole says so, its first text at its end', async () => {
    const s = await setup(async () => answerOf('Whole.'));
    const { answerId } = await s.chat.send(s.conversation.id, 'Hi');
    const final = await s.final(answerId);
    expect(s.deltas()).toEqual([]);
    expect(final.message.meta?.delivery).toBe('whole');
    expect(final.message.meta?.firstTextMs).toBe(final.message.meta?.elapsedMs);
  });

  it('stop mid-stream keeps the text that had arrived, marked stopped', async () => {
    let streamed!: () => void;
    const started = new Promise<void>((resolve) => (streamed = resolve));
    const s = await setup(
      (req) =>
        new Promise<ServiceAnswer>((_resolve, reject) => {
          req.onDelta?.({ text: 'The first half', snapshot: false, elapsedMs: 5 });
          streamed();
          req.signal?.addEventListener('abort', () => reject(new ChatError('compute_node_request_cancelled')), { once: true });
        }),
    );
    const { answerId } = await s.chat.send(s.conversation.id, 'Tell me a long story');
    await started;
    await s.chat.stop(s.conversation.id);
    const final = await s.final(answerId);
    expect(final).toMatchObject({ type: 'stopped', message: { status: 'stopped', content: 'The first half' } });
    expect((await s.conversations.get(s.conversation.id)).messages.at(-1)).toMatchObject({ status: 'stopped', content: 'The first half' });
  });

  it('an error after the first text shows the error with the text kept; a snapshot replaces the text so far', async () => {
    const s = await setup(async (req) => {
      req.onDelta?.({ text: 'Draft', snapshot: true, elapsedMs: 5 });
      req.onDelta?.({ text: 'Draft that grew', snapshot: true, elapsedMs: 9 });
      throw new ChatError('stream_incomplete');
    });
    const { answerId } = await s.chat.send(s.conversation.id, 'Hi');
    const final = await s.final(answerId);
    expect(final).toMatchObject({ type: 'error', message: { status: 'error', content: 'Draft that grew', error: { code: 'stream_incomplete' } } });
    expect(s.deltas().map((d) => d.type === 'delta' && d.snapshot)).toEqual([true, true]);
  });
});
