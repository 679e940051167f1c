import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Conversation } from '../../src-shared/ipc/contract';
import { ConversationStore } from './conversation-store';
import { ConversationNotFoundError, TamperedDataError, WrongKeyError } from './errors';
import { RecordStore } from './record-store';
import { unseal } from './sealed-box';

function conversation(id: string, updatedAt: number, texts: string[], title = `Title ${id}`): Conversation {
  return {
    id,
    title,
    createdAt: 1000,
    updatedAt,
    messageCount: texts.length,
    systemPrompt: 'be brief',
    messages: texts.map((content, i) => ({
      id: `${id}-${i}`,
      role: i % 2 ? 'assistant' : 'user',
      content,
      createdAt: 1000 + i,
      status: 'complete',
    })),
  };
}

describe('ConversationStore', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tp-store-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('round-trips conversations, sorted by last activity, and stores no plaintext', async () => {
    const dir = await tempDir();
    const key = randomBytes(32);
    const store = await ConversationStore.open(dir, key);
    await store.put(conversation('a', 10, ['secret question', 'secret answer']));
    await store.put(conversation('b', 20, ['hello']));
    expect(store.list().map((s) => s.id)).toEqual(['b', 'a']);
    expect(await store.get('a')).toEqual(conversation('a', 10, ['secret question', 'secret answer']));
    await store.close();

    for (const name of await readdir(join(dir, 'conversations'))) {
      expect((await readFile(join(dir, 'conversations', name))).toString('latin1')).not.toContain('secret');
    }
    expect((await readFile(join(dir, 'index.enc'))).toString('latin1')).not.toContain('Title');

    const reopened = await ConversationStore.open(dir, key);
    expect(reopened.list()).toEqual([
      { id: 'b', title: 'Title b', createdAt: 1000, updatedAt: 20, messageCount: 1 },
      { id: 'a', title: 'Title a', createdAt: 1000, updatedAt: 10, messageCount: 2 },
    ]);
    await expect(reopened.get('nope')).rejects.toBeInstanceOf(ConversationNotFoundError);
    await expect(reopened.get('../etc/passwd')).rejects.toBeInstanceOf(ConversationNotFoundError);
    await reopened.close();
  });

  it('notices files changed after the index was written (crash between file and index)', async () => {
    const dir = await tempDir();
    const key = randomBytes(32);
    const store = await ConversationStore.open(dir, key);
    await store.put(conversation('a', 10, ['one']));
    await store.close();
    // Another writer (a later session that crashed before its index flush) replaced the file.
    const other = await ConversationStore.open(dir, key, { indexFlushMs: 60_000 });
    await other.put(conversation('a', 30, ['one', 'two', 'three'], 'Renamed'));
    await other.put(conversation('c', 5, ['new']));
    // no close(): the index on disk is stale
    const reopened = await ConversationStore.open(dir, key);
    expect(reopened.list()).toEqual([
      { id: 'a', title: 'Renamed', createdAt: 1000, updatedAt: 30, messageCount: 3 },
      { id: 'c', title: 'Title c', createdAt: 1000, updatedAt: 5, messageCount: 1 },
    ]);
    await reopened.close();
  });

  it('refuses another key with WrongKeyError', async () => {
    const dir = await tempDir();
    const key = randomBytes(32);
    const store = await ConversationStore.open(dir, key);
    await store.put(conversation('a', 10, ['x']));
    await store.close();
    await expect(ConversationStore.open(dir, randomBytes(32))).rejects.toBeInstanceOf(WrongKeyError);
    const sealed = await readFile(join(dir, 'conversations', 'a.enc'));
    expect(() => unseal(randomBytes(32), 'conversation:a', sealed)).toThrow(WrongKeyError);
  });

  it('reports a modified or swapped file with TamperedDataError and keeps the rest readable', async () => {
    const dir = await tempDir();
    const key = randomBytes(32);
    const store = await ConversationStore.open(dir, key);
    await store.put(conversation('a', 10, ['x']));
    await store.put(conversation('b', 11, ['y']));
    await store.close();
    const fileA = join(dir, 'conversations', 'a.enc');
    const bytes = await readFile(fileA);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 3) ^ 0x40, bytes.length - 3);
    await writeFile(fileA, bytes);

    const reopened = await ConversationStore.open(dir, key);
    expect(reopened.damaged()).toEqual(['a']);
    expect(reopened.list().map((s) => s.id)).toEqual(['b']);
    await expect(reopened.get('a')).rejects.toBeInstanceOf(TamperedDataError);
    // b's valid blob copied over a's name does not pass as a (the id is bound in the AAD).
    await writeFile(fileA, await readFile(join(dir, 'conversations', 'b.enc')));
    await expect(reopened.get('a')).rejects.toBeInstanceOf(TamperedDataError);
    expect((await reopened.get('b')).messages[0]?.content).toBe('y');
    await reopened.close();
  });

  it('moves to the trash, restores, forgets the trash on reopen, and clears', async () => {
    const dir = await tempDir();
    const key = randomBytes(32);
    const store = await ConversationStore.open(dir, key);
    await store.put(conversation('a', 10, ['x']));
    await store.put(conversation('b', 11, ['y']));
    await store.trash('a');
    expect(store.list().map((s) => s.id)).toEqual(['b']);
    await expect(store.get('a')).rejects.toBeInstanceOf(ConversationNotFoundError);
    expect((await store.restore('a')).id).toBe('a');
    await store.trash('b');
    await store.close();
    const reopened = await ConversationStore.open(dir, key);
    expect(reopened.list().map((s) => s.id)).toEqual(['a']);
    await expect(reopened.restore('b')).rejects.toBeInstanceOf(ConversationNotFoundError);
    await reopened.clear();
    expect(reopened.list()).toEqual([]);
    await reopened.close();
    expect((await ConversationStore.open(dir, key)).list()).toEqual([]);
  });

  it('searches titles and messages case-insensitively with snippets', async () => {
    const dir = await tempDir();
    const store = await ConversationStore.open(dir, randomBytes(32));
    await store.put(conversation('a', 10, ['The Quick brown fox', 'jumps over']));
    await store.put(conversation('b', 20, ['nothing here'], 'Fox facts'));
    const hits = await store.search('FOX');
    expect(hits).toEqual([
      { conversationId: 'b', conversationTitle: 'Fox facts', snippet: 'Fox facts' },
      { conversationId: 'a', conversationTitle: 'Title a', messageId: 'a-0', snippet: 'The Quick brown fox' },
    ]);
    await store.put(conversation('b', 30, ['a fox appears'], 'Renamed'));
    expect((await store.search('fox')).map((h) => h.messageId)).toEqual(['b-0', 'a-0']);
    expect(await store.search('zebra')).toEqual([]);
    await store.close();
  });

  it('handles 10 000 conversations: list from the index, search across all of them', async () => {
    const dir = await tempDir();
    const key = randomBytes(32);
    const store = await ConversationStore.open(dir, key, { durable: false });
    const total = 10_000;
    for (let start = 0; start < total; start += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, j) => {
          const i = start + j;
          return store.put(conversation(`c${i}`, i, [`question number ${i}`, i === 4242 ? 'needle in a haystack' : 'answer']));
        }),
      );
    }
    await store.close();
    const reopened = await ConversationStore.open(dir, key);
    const list = reopened.list();
    expect(list).toHaveLength(total);
    expect(list[0]?.id).toBe('c9999');
    const hits = await reopened.search('NEEDLE');
    expect(hits).toEqual([
      { conversationId: 'c4242', conversationTitle: 'Title c4242', messageId: 'c4242-1', snippet: 'needle in a haystack' },
    ]);
    expect((await reopened.get('c777')).messages[0]?.content).toBe('question number 777');
    await reopened.close();
  }, 60_000);
});

describe('RecordStore', () => {
  it('round-trips a validated record and detects tampering', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tp-records-'));
    try {
      const key = randomBytes(32);
      const records = await RecordStore.open(dir, key);
      const schema = z.object({ theme: z.string() });
      expect(await records.read('settings', schema)).toBeNull();
      await records.write('settings', { theme: 'dark' });
      expect(await (await RecordStore.open(dir, key)).read('settings', schema)).toEqual({ theme: 'dark' });
      await expect(records.read('settings', z.object({ theme: z.number() }))).rejects.toBeInstanceOf(TamperedDataError);
      const file = join(dir, 'settings.enc');
      const bytes = await readFile(file);
      bytes.writeUInt8(bytes.readUInt8(20) ^ 1, 20);
      await writeFile(file, bytes);
      await expect(records.read('settings', schema)).rejects.toBeInstanceOf(TamperedDataError);
      await expect((await RecordStore.open(dir, randomBytes(32))).read('settings', schema)).rejects.toBeInstanceOf(WrongKeyError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
