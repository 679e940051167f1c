// Read (issue 14): a user message's attachment record (§2.3.7) is written to the conversation
// file and read back after the store is opened again; files written before it still read.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../src-shared/ipc/contract';
import { composeUserContent } from '../../src-shared/read/attachments';
import { conversationFileOf, readConversationFile } from './conversation-file';
import { ConversationStore } from './conversation-store';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const composed = composeUserContent('What is in it?', [{ name: 'notes.txt', kind: 'text', bytes: 9, text: 'two lines\nhere' }]);
const conversation: Conversation = {
  id: 'c-files',
  title: 'What is in it?',
  createdAt: 1,
  updatedAt: 2,
  messageCount: 2,
  systemPrompt: '',
  messages: [
    { id: 'u1', role: 'user', content: composed.content, createdAt: 1, status: 'complete', attachments: composed.attachments },
    { id: 'a1', role: 'assistant', content: '<think>hm</think>\n\nTwo lines.', createdAt: 2, status: 'complete' },
  ],
};

describe('attachments in the conversation file', () => {
  it('keeps the record across a reopened store, and its text only once (in the content)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tp-attachments-'));
    dirs.push(dir);
    const key = randomBytes(32);
    const store = await ConversationStore.open(dir, key);
    await store.put(conversation);
    await store.close();
    const again = await ConversationStore.open(dir, key);
    const read = await again.get('c-files');
    await again.close();
    expect(read.messages[0]).toMatchObject({ content: composed.content, attachments: [{ name: 'notes.txt', kind: 'text', bytes: 9, tokens: composed.attachments[0]!.tokens, chars: composed.attachments[0]!.chars }] });
    expect(read.messages[1]!.content).toBe('<think>hm</think>\n\nTwo lines.');
    expect(JSON.stringify(read.messages[0]!.attachments)).not.toContain('two lines');
  });

  it('refuses a record that is not one, and reads files without any', () => {
    const file = conversationFileOf({ ...conversation, messages: conversation.messages.map((m, i) => ({ ...m, parentId: i === 0 ? null : 'u1' })), activeLeafId: 'a1' });
    expect(readConversationFile(file).messages[0]!.attachments).toHaveLength(1);
    const bad = structuredClone(file) as unknown as { messages: { attachments?: unknown }[] };
    bad.messages[0]!.attachments = [{ name: 'x', kind: 'image', bytes: 1, tokens: 1, chars: 1 }];
    expect(() => readConversationFile(bad)).toThrow();
    const old = structuredClone(file) as unknown as { messages: { attachments?: unknown }[] };
    delete old.messages[0]!.attachments;
    expect(readConversationFile(old).messages[0]!.attachments).toBeUndefined();
  });
});
