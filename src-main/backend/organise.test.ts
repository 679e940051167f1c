// Organise (issue 14) through the real backend (embedded relay, test node, encrypted store):
// Regenerate keeps versions, an edit starts a branch, search finds every branch, one message is
// deleted with what follows it, and one chat goes to a file and comes back.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  isFinalChatEvent,
  type ChatFinalEvent,
  type Conversation,
  type ConversationSummary,
  type ConversationTree,
  type SearchHit,
} from '../../src-shared/ipc/contract';
import { startRealBackend, type RealBackend } from '../../test-support/backend/real-backend';

describe('organising a conversation', () => {
  let real: RealBackend;
  let folder: string;
  const finals = new Map<string, ChatFinalEvent>();
  /** What the save and open dialogs answer next (undefined: the user cancelled). */
  const dialog: { savePath?: string | undefined; openPath?: string | undefined; suggested?: string } = {};
  const call = (channel: string, request: unknown = {}) => real.backend.handle(channel, request);
  const get = async (id: string) => (await call('conversations:get', { id })) as Conversation;
  const answered = (answerId: string) => vi.waitFor(() => finals.get(answerId) ?? Promise.reject(new Error('no answer yet')), { timeout: 10_000, interval: 20 });
  const contents = (c: Conversation) => c.messages.map((m) => m.content);

  async function chat(...questions: string[]): Promise<{ id: string; userIds: string[] }> {
    const { id } = (await call('conversations:create', {})) as Conversation;
    const userIds: string[] = [];
    for (const content of questions) {
      const sent = (await call('chat:send', { conversationId: id, content })) as { userMessageId: string; answerId: string };
      await answered(sent.answerId);
      userIds.push(sent.userMessageId);
    }
    return { id, userIds };
  }

  async function regenerate(id: string): Promise<string> {
    const { answerId } = (await call('chat:regenerate', { conversationId: id })) as { answerId: string };
    await answered(answerId);
    return answerId;
  }

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tp-organise-'));
    real = await startRealBackend({
      testProvider: { tokenDelayMs: 1 },
      onEvent: (channel, payload) => {
        if (channel === 'events:chat' && isFinalChatEvent(payload as never)) finals.set((payload as ChatFinalEvent).message.id, payload as ChatFinalEvent);
      },
      deps: {
        chooseExportPath: async (name) => {
          dialog.suggested = name;
          return dialog.savePath;
        },
        chooseChatFile: async () => dialog.openPath,
      },
    });
  });
  afterAll(async () => {
    await real?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('Regenerate keeps the earlier answers as versions; showing one goes down its branch and back', async () => {
    const { id } = await chat('one');
    const first = (await get(id)).messages[1]!.id;
    const second = await regenerate(id);
    const third = await regenerate(id);
    let shown = await get(id);
    expect(shown.messages.map((m) => m.id).at(-1)).toBe(third);
    expect(shown.messages).toHaveLength(2);
    expect(shown.versions).toEqual({ [third]: [first, second, third] });
    expect(((await call('conversations:list')) as ConversationSummary[]).find((s) => s.id === id)?.messageCount).toBe(2);

    shown = (await call('conversations:showVersion', { id, messageId: first })) as Conversation;
    expect(shown.messages.map((m) => m.id)).toEqual([shown.messages[0]!.id, first]);
    expect(shown.versions?.[first]).toEqual([first, second, third]);
    // Chosen, not just shown: the next read (and a restart) opens the same version.
    expect((await get(id)).messages.at(-1)?.id).toBe(first);
    await expect(call('conversations:showVersion', { id, messageId: 'nope' })).rejects.toMatchObject({
      code: 'not_found',
      message: 'That message is no longer in this conversation.',
    });
  });

  it('editing a question starts a branch: the old question keeps what came after it', async () => {
    const { id, userIds } = await chat('one', 'two');
    const before = await get(id);
    const { answerId } = (await call('chat:edit', { conversationId: id, messageId: userIds[0], content: 'uno' })) as { answerId: string };
    await answered(answerId);
    const after = await get(id);
    expect(contents(after)).toEqual(['uno', 'Test answer (1 messages) to: uno']);
    const edited = after.messages[0]!.id;
    expect(edited).not.toBe(userIds[0]);
    expect(after.versions).toEqual({ [edited]: [userIds[0], edited] });

    const old = (await call('conversations:showVersion', { id, messageId: userIds[0] })) as Conversation;
    expect(old.messages).toEqual(before.messages);
    expect(old.versions).toEqual({ [userIds[0]!]: [userIds[0], edited] });
  });

  it('search finds text in a branch that is not shown, and its hit opens that branch', async () => {
    const { id, userIds } = await chat('the word pelican');
    const { answerId } = (await call('chat:edit', { conversationId: id, messageId: userIds[0], content: 'the word heron' })) as { answerId: string };
    await answered(answerId);
    expect(contents(await get(id))).not.toContain('the word pelican');
    const hits = (await call('conversations:search', { query: 'pelican' })) as SearchHit[];
    const hit = hits.find((h) => h.conversationId === id && h.messageId === userIds[0]);
    expect(hit?.snippet).toContain('the word pelican');
    const shown = (await call('conversations:showVersion', { id, messageId: hit!.messageId })) as Conversation;
    expect(contents(shown)[0]).toBe('the word pelican');
  });

  it('deleting a message deletes what follows it in every branch', async () => {
    const { id, userIds } = await chat('one', 'two', 'three');
    await regenerate(id);
    const shown = (await call('conversations:deleteMessage', { id, messageId: userIds[1] })) as Conversation;
    expect(contents(shown)).toEqual(['one', 'Test answer (1 messages) to: one']);
    expect(shown.versions).toBeUndefined();
    const tree = await real.backend.handle('conversations:export', { format: 'json', ids: [id] });
    expect(JSON.parse((tree as { content: string }).content).conversations[0].messages).toHaveLength(2);
    const answer = shown.messages[1]!.id;
    expect(contents((await call('conversations:deleteMessage', { id, messageId: answer })) as Conversation)).toEqual(['one']);
    await expect(call('conversations:deleteMessage', { id, messageId: answer })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('neither deletes nor switches while an answer is on its way', async () => {
    const { id } = await chat('one');
    const slow = await startRealBackend({ testProvider: { tokenDelayMs: 200 } });
    try {
      const c = (await slow.backend.handle('conversations:create', {})) as Conversation;
      const sent = (await slow.backend.handle('chat:send', { conversationId: c.id, content: 'a long one' })) as { userMessageId: string };
      await expect(slow.backend.handle('conversations:deleteMessage', { id: c.id, messageId: sent.userMessageId })).rejects.toMatchObject({ code: 'busy' });
      await expect(slow.backend.handle('conversations:showVersion', { id: c.id, messageId: sent.userMessageId })).rejects.toMatchObject({ code: 'busy' });
    } finally {
      await slow.close();
    }
    expect((await get(id)).messages).toHaveLength(2);
  });

  it('exports one chat as JSON with every branch, as Markdown and as a web page with its text escaped', async () => {
    const { id } = await chat('<script>alert("x")</script> & more');
    await call('conversations:rename', { id, title: 'Tags: <b> & "quotes"' });
    await regenerate(id);

    dialog.savePath = join(folder, 'chat.json');
    expect(await call('conversations:exportChat', { id, format: 'json' })).toEqual({ saved: true, fileName: 'chat.json' });
    expect(dialog.suggested).toBe('Tags b quotes.json');
    const file = JSON.parse(await readFile(dialog.savePath, 'utf8')) as { version: number; conversations: ConversationTree[] };
    expect(file.version).toBe(2);
    expect(file.conversations).toHaveLength(1);
    expect(file.conversations[0]!.messages).toHaveLength(3);

    dialog.savePath = join(folder, 'chat.md');
    await call('conversations:exportChat', { id, format: 'markdown' });
    const md = await readFile(dialog.savePath, 'utf8');
    expect(md).toContain('<!-- tokenplace:conversation');
    expect(md.match(/### Assistant/g)).toHaveLength(1);

    dialog.savePath = join(folder, 'chat.html');
    await call('conversations:exportChat', { id, format: 'html' });
    const html = await readFile(dialog.savePath, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(html).toContain('<title>Tags: &lt;b&gt; &amp; &quot;quotes&quot;</title>');
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
    expect(html).toContain(`default-src 'none'`);
    expect(html).toContain('<style>');

    dialog.savePath = undefined;
    expect(await call('conversations:exportChat', { id, format: 'html' })).toEqual({ saved: false });
  });

  it('copies the shown path as Markdown without the lines import reads', async () => {
    const { id } = await chat('copy me');
    const { content } = (await call('conversations:markdown', { id })) as { content: string };
    expect(content).toBe('# copy me\n\n### You\n\ncopy me\n\n### Assistant\n\nTest answer (1 messages) to: copy me\n');
  });

  it('imports one chat from its JSON file with every branch, under a new id', async () => {
    const { id } = await chat('round trip');
    await regenerate(id);
    dialog.savePath = join(folder, 'round.json');
    await call('conversations:exportChat', { id, format: 'json' });
    dialog.openPath = dialog.savePath;
    const { imported } = (await call('conversations:importChat')) as { imported: ConversationSummary };
    expect(imported.id).not.toBe(id);
    expect(imported).toMatchObject({ title: 'round trip', messageCount: 2 });
    const copy = await get(imported.id);
    const original = await get(id);
    expect(contents(copy)).toEqual(contents(original));
    expect(Object.values(copy.versions ?? {})[0]).toHaveLength(2);
    dialog.openPath = undefined;
    expect(await call('conversations:importChat')).toEqual({});
  });

  it('says what is wrong with a file that is not one chat of ours', async () => {
    const bad = async (text: string) => {
      dialog.openPath = join(folder, 'bad.json');
      await writeFile(dialog.openPath, text);
      return call('conversations:importChat');
    };
    await expect(bad('not json')).rejects.toMatchObject({ code: 'bad_request', message: 'The file is not valid JSON.' });
    await expect(bad('{"hello":1}')).rejects.toMatchObject({ message: 'The JSON file does not hold conversations exported by token.place.' });
    const { id } = await chat('one');
    dialog.savePath = join(folder, 'good.json');
    await call('conversations:exportChat', { id, format: 'json' });
    const good = JSON.parse(await readFile(dialog.savePath, 'utf8')) as { conversations: ConversationTree[] };
    const damaged = structuredClone(good);
    delete (damaged.conversations[0]!.messages[1] as Partial<ConversationTree['messages'][number]>).content;
    await expect(bad(JSON.stringify(damaged))).rejects.toMatchObject({ message: 'The file is damaged: in chat 1, message 2: its text is missing or wrong.' });
    const orphan = structuredClone(good);
    orphan.conversations[0]!.messages[1]!.parentId = 'ghost';
    await expect(bad(JSON.stringify(orphan))).rejects.toMatchObject({ message: 'The file is damaged: in chat 1, a message follows one that is not there.' });
    const two = { ...good, conversations: [good.conversations[0], good.conversations[0]] };
    await expect(bad(JSON.stringify(two))).rejects.toMatchObject({ message: 'The file holds 2 chats. Import it with “Import…” in Settings, under Conversations, which takes many at once.' });
    dialog.openPath = join(folder, 'missing.json');
    await expect(call('conversations:importChat')).rejects.toMatchObject({ message: 'The file could not be read. Check that it still exists and that you may open it.' });
  });

  it('the export of everything keeps every branch in JSON and reads files of the version before', async () => {
    const { id } = await chat('all of it');
    await regenerate(id);
    const json = (await call('conversations:export', { format: 'json', ids: [id] })) as { content: string };
    const file = JSON.parse(json.content) as { version: number; conversations: ConversationTree[] };
    expect(file.version).toBe(2);
    expect(file.conversations[0]!.messages).toHaveLength(3);
    expect(await call('conversations:import', { format: 'json', content: json.content })).toEqual({ imported: 1 });
    const shown = await get(id);
    const v1 = { format: 'tokenplace-conversations', version: 1, exportedAt: '2026-01-01T00:00:00.000Z', conversations: [shown] };
    const before = new Set(((await call('conversations:list')) as ConversationSummary[]).map((s) => s.id));
    expect(await call('conversations:import', { format: 'json', content: JSON.stringify(v1) })).toEqual({ imported: 1 });
    const added = ((await call('conversations:list')) as ConversationSummary[]).find((s) => !before.has(s.id))!;
    expect(contents(await get(added.id))).toEqual(contents(shown));
  });
});
