// Read (issue 14) through the real pieces (embedded relay, the app's node with the deterministic
// test provider, ChatService, encrypted storage): files composed into the user message (§2.3.7)
// with their record kept on it, the node asked to keep reasoning (§2.3.6), and the next prompt
// sending earlier answers without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFinalChatEvent, type ChatEvent, type ChatFinalEvent, type Conversation, type EventChannel } from '../../src-shared/ipc/contract';
import { attachmentBlock, typedTextOf } from '../../src-shared/read/attachments';
import { startRealBackend, type RealBackend } from '../../test-support/backend/real-backend';

const REASONED = '<think>\nThe user attached a file.\n</think>\n\nIt is a list of two lines.';

describe('attachments and reasoning through the backend', () => {
  const events: ChatEvent[] = [];
  const prompts: { role: string; content: string }[][] = [];
  let real: RealBackend;
  const call = (channel: string, request: unknown = {}) => real.backend.handle(channel, request);
  const finalFor = async (answerId: string): Promise<ChatFinalEvent> => {
    await expect.poll(() => events.some((e) => isFinalChatEvent(e) && e.message.id === answerId), { timeout: 15_000 }).toBe(true);
    return events.find((e): e is ChatFinalEvent => isFinalChatEvent(e) && e.message.id === answerId)!;
  };

  beforeAll(async () => {
    real = await startRealBackend({
      onEvent: (channel: EventChannel, payload: unknown) => {
        if (channel === 'events:chat') events.push(payload as ChatEvent);
      },
      testProvider: {
        tokenDelayMs: 1,
        answer: (req) => {
          prompts.push(req.messages.map((m) => ({ role: m.role, content: m.content })));
          return REASONED;
        },
      },
    });
  });
  afterAll(async () => {
    await real?.close();
  });

  const notes = { name: 'notes.txt', kind: 'text', bytes: 17, text: 'line one\nline two' };

  it('composes the files and the typed text, keeps the record on the message, and the reasoning on the answer', async () => {
    const c = (await call('conversations:create')) as Conversation;
    const sent = (await call('chat:send', { conversationId: c.id, content: 'What is this?', attachments: [notes] })) as { userMessageId: string; answerId: string };
    const final = await finalFor(sent.answerId);
    expect(final.message).toMatchObject({ status: 'complete', content: REASONED });

    const expected = `${attachmentBlock({ name: 'notes.txt', kind: 'text', text: 'line one\nline two' })}\n\nWhat is this?`;
    expect(prompts.at(-1)?.at(-1)).toEqual({ role: 'user', content: expected });
    const stored = (await call('conversations:get', { id: c.id })) as Conversation;
    const user = stored.messages[0]!;
    expect(user.content).toBe(expected);
    expect(user.attachments).toEqual([{ name: 'notes.txt', kind: 'text', bytes: 17, tokens: Math.ceil((expected.length - 'What is this?'.length) / 4), chars: expected.length - '\n\nWhat is this?'.length }]);
    expect(typedTextOf(user.content, user.attachments)).toBe('What is this?');
    expect(stored.title).toBe('What is this?');

    // Copy takes the answer alone (the window's CopyMessageButton); an export keeps what was said
    // and written as it is stored: the files and the reasoning, nothing lost.
    const markdown = (await call('conversations:markdown', { id: c.id })) as { content: string };
    expect(markdown.content).toContain(expected);
    expect(markdown.content).toContain(REASONED);

    // The next prompt sends the earlier answer without its reasoning.
    const again = (await call('chat:send', { conversationId: c.id, content: 'Thanks' })) as { answerId: string };
    await finalFor(again.answerId);
    expect(prompts.at(-1)?.slice(-2)).toEqual([
      { role: 'assistant', content: 'It is a list of two lines.' },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('sends files without typed text, named after the first file; an edit keeps the files', async () => {
    const c = (await call('conversations:create')) as Conversation;
    const sent = (await call('chat:send', { conversationId: c.id, content: '', attachments: [notes] })) as { userMessageId: string; answerId: string };
    await finalFor(sent.answerId);
    const stored = (await call('conversations:get', { id: c.id })) as Conversation;
    expect(stored.title).toBe('notes.txt');
    expect(stored.messages[0]!.content).toBe(attachmentBlock({ name: 'notes.txt', kind: 'text', text: notes.text }));

    const edited = (await call('chat:edit', { conversationId: c.id, messageId: sent.userMessageId, content: 'Shorter, please.' })) as { answerId: string };
    await finalFor(edited.answerId);
    const after = (await call('conversations:get', { id: c.id })) as Conversation;
    expect(after.messages[0]!.content).toBe(`${attachmentBlock({ name: 'notes.txt', kind: 'text', text: notes.text })}\n\nShorter, please.`);
    expect(after.messages[0]!.attachments).toEqual(stored.messages[0]!.attachments);
  });

  it('refuses files that are more text than a node takes, saying what to do', async () => {
    const c = (await call('conversations:create')) as Conversation;
    const big = { name: 'big.txt', kind: 'text', bytes: 200_000, text: 'x'.repeat(200_000) };
    await expect(call('chat:send', { conversationId: c.id, content: 'All of them', attachments: [big, big, big] })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/Remove a file/),
    });
    expect(((await call('conversations:get', { id: c.id })) as Conversation).messages).toEqual([]);
  });
});
