// The conversation file format is the store's own, versioned, and files of every version load.
//
// fixtures/storage/conversations-v1/ is a store directory written by ConversationStore.put at
// commit 30e4931, before the format had a schema of its own (version 1, no `version` field),
// sealed under FIXTURE_KEY; fixtures/storage/conversations-v1.json is what each of its files holds.
// fixtures/storage/conversations-v2/ was written by ConversationStore.putTree when version 2 (the
// message tree, issue 14) came, under the same key; conversations-v2.json is what its files hold.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Conversation, ConversationTree } from '../../src-shared/ipc/contract';
import { CURRENT_VERSION, readConversationFile } from './conversation-file';
import { viewOf } from './conversation-tree';
import { ConversationStore } from './conversation-store';
import { NewerFileVersionError, TamperedDataError } from './errors';
import { sealJson, unseal } from './sealed-box';

const FIXTURE = resolve(__dirname, '../../fixtures/storage/conversations-v1');
const FIXTURE_V2 = resolve(__dirname, '../../fixtures/storage/conversations-v2');
const IDS_V2 = ['v2-branches', 'v2-empty'];
/** "token.place conversation file v1" in ASCII: the fixture's data key. */
const FIXTURE_KEY = Buffer.from('746f6b656e2e706c61636520636f6e766572736174696f6e2066696c65207631', 'hex');
const IDS = ['v1-full', 'v1-minimal', 'v1-small-tier'];

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function fixtureCopy(from = FIXTURE): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tp-conversation-file-'));
  dirs.push(dir);
  await cp(from, dir, { recursive: true });
  return dir;
}

async function expectedTrees(): Promise<Record<string, ConversationTree>> {
  return JSON.parse(await readFile(resolve(FIXTURE_V2, '../conversations-v2.json'), 'utf8')) as Record<string, ConversationTree>;
}

/** What a version-1 list is as version 2: one path, each message after the one before, the last active. */
function asVersion2(list: Conversation): Record<string, unknown> {
  return {
    ...list,
    version: 2,
    messages: list.messages.map((m, i) => ({ ...m, parentId: list.messages[i - 1]?.id ?? null })),
    activeLeafId: list.messages.at(-1)?.id ?? null,
  };
}

async function expected(): Promise<Record<string, Conversation>> {
  return JSON.parse(await readFile(resolve(FIXTURE, '../conversations-v1.json'), 'utf8')) as Record<string, Conversation>;
}

/** The decrypted bytes of conversation `id`'s file in `dir`. */
async function plaintextOf(dir: string, id: string): Promise<string> {
  return unseal(FIXTURE_KEY, `conversation:${id}`, await readFile(join(dir, 'conversations', `${id}.enc`))).toString('utf8');
}

describe('conversation files, version 1', () => {
  it('the fixture holds what its JSON says (and nothing names a version)', async () => {
    const want = await expected();
    expect(Object.keys(want).sort()).toEqual(IDS);
    for (const id of IDS) {
      const file = JSON.parse(await plaintextOf(FIXTURE, id)) as Record<string, unknown>;
      expect(file).toEqual(want[id]);
      expect(file).not.toHaveProperty('version');
    }
  });

  it('a store of files written before the schema existed opens, lists and reads them unchanged', async () => {
    const want = await expected();
    const store = await ConversationStore.open(await fixtureCopy(), FIXTURE_KEY);
    expect(store.damaged()).toEqual([]);
    expect(store.list()).toEqual(
      Object.values(want)
        .sort((a, b) => b.updatedAt - a.updatedAt)
        .map(({ id, title, createdAt, updatedAt, messageCount }) => ({ id, title, createdAt, updatedAt, messageCount })),
    );
    for (const id of IDS) expect(await store.get(id)).toEqual(want[id]);
    expect((await store.search('Lisbon')).map((h) => h.conversationId)).toEqual(['v1-full', 'v1-full']);
    await store.close();
  });

  it('writing a version-1 conversation back writes version 2: its list as one path, nothing else changed', async () => {
    const want = await expected();
    const dir = await fixtureCopy();
    const store = await ConversationStore.open(dir, FIXTURE_KEY);
    for (const id of IDS) await store.put(await store.get(id));
    await store.close();
    const reopened = await ConversationStore.open(dir, FIXTURE_KEY);
    for (const id of IDS) {
      expect(JSON.parse(await plaintextOf(dir, id))).toEqual(asVersion2(want[id]!));
      expect(await reopened.get(id)).toEqual(want[id]);
    }
    await reopened.close();
  });

  it('an error code the registry does not know reads as the code shown for it; the file keeps it until rewritten', async () => {
    const dir = await fixtureCopy();
    const old = structuredClone((await expected())['v1-full']!);
    const failed = old.messages.find((m) => m.error)!;
    (failed.error as { code: string }).code = 'compute_node_exploded';
    await writeFile(join(dir, 'conversations', 'v1-full.enc'), sealJson(FIXTURE_KEY, 'conversation:v1-full', old));
    const store = await ConversationStore.open(dir, FIXTURE_KEY);
    const read = await store.get('v1-full');
    expect(read.messages.find((m) => m.id === failed.id)!.error).toEqual({ ...failed.error, code: 'unknown_node_error' });
    expect(JSON.parse(await plaintextOf(dir, 'v1-full'))).toEqual(old);
    await store.close();
  });

  it('a field the file has no place for never reaches the disk', async () => {
    const dir = await fixtureCopy();
    const store = await ConversationStore.open(dir, FIXTURE_KEY);
    const conversation = (await expected())['v1-minimal']!;
    await store.put({ ...conversation, draft: 'not part of the file format' } as Conversation);
    await store.close();
    expect(JSON.parse(await plaintextOf(dir, 'v1-minimal'))).toEqual(asVersion2(conversation));
  });
});

describe('conversation files, version 2 (the message tree)', () => {
  it('the fixture holds what its JSON says, with version 2 and every branch', async () => {
    const want = await expectedTrees();
    expect(Object.keys(want).sort()).toEqual(IDS_V2);
    for (const id of IDS_V2) expect(JSON.parse(await plaintextOf(FIXTURE_V2, id))).toEqual({ version: 2, ...want[id] });
    expect(want['v2-branches']!.messages.length).toBeGreaterThan(want['v2-branches']!.messageCount);
  });

  it('a store of version-2 files opens them: the window gets the active path and the versions, the tree keeps every branch', async () => {
    const want = await expectedTrees();
    const store = await ConversationStore.open(await fixtureCopy(FIXTURE_V2), FIXTURE_KEY);
    expect(store.damaged()).toEqual([]);
    for (const id of IDS_V2) {
      expect(await store.getTree(id)).toEqual(want[id]);
      expect(await store.get(id)).toEqual(viewOf(want[id]!));
    }
    const shown = await store.get('v2-branches');
    expect(shown.messages.map((m) => m.id)).toEqual(['q1', 'a2', 'q2b', 'a4']);
    expect(shown.versions).toEqual({ a2: ['a1', 'a2'], q2b: ['q2', 'q2b'] });
    expect(store.list().find((s) => s.id === 'v2-branches')?.messageCount).toBe(4);
    await store.close();
  });

  it('search finds text in every branch, not only the one shown', async () => {
    const store = await ConversationStore.open(await fixtureCopy(FIXTURE_V2), FIXTURE_KEY);
    expect((await store.search('tram 28')).map((h) => h.messageId)).toEqual(['a3']);
    expect((await store.search('first answer')).map((h) => h.messageId)).toEqual(['a1']);
    await store.close();
  });

  it('writing a version-2 conversation back writes what it read, and a path put keeps the other branches', async () => {
    const want = await expectedTrees();
    const dir = await fixtureCopy(FIXTURE_V2);
    const store = await ConversationStore.open(dir, FIXTURE_KEY);
    for (const id of IDS_V2) await store.putTree(await store.getTree(id));
    for (const id of IDS_V2) expect(JSON.parse(await plaintextOf(dir, id))).toEqual({ version: 2, ...want[id] });
    const shown = await store.get('v2-branches');
    await store.put({ ...shown, title: 'Renamed' });
    const after = await store.getTree('v2-branches');
    expect(after.title).toBe('Renamed');
    expect(after.messages).toEqual(want['v2-branches']!.messages);
    await store.close();
  });
});

describe('readConversationFile', () => {
  const v1 = { id: 'c', title: 't', createdAt: 1, updatedAt: 2, messageCount: 0, systemPrompt: '', messages: [] };

  it('reads a file without a version as version 1 and brings it to version 2, the current version', () => {
    expect(CURRENT_VERSION).toBe(2);
    expect(readConversationFile(v1)).toEqual({ ...v1, version: 2, activeLeafId: null });
    const m = { role: 'user', content: 'hi', createdAt: 1, status: 'complete' };
    const two = { ...v1, messageCount: 2, messages: [{ id: 'a', ...m }, { id: 'b', ...m }] };
    expect(readConversationFile(two)).toEqual(asVersion2(two as Conversation));
  });

  it('reads version 2 as it is', () => {
    const v2 = { ...v1, version: 2, messages: [{ id: 'a', role: 'user', content: 'hi', createdAt: 1, status: 'complete', parentId: null }], activeLeafId: 'a' };
    expect(readConversationFile(v2)).toEqual(v2);
  });

  it('names a file from a newer version of the app as such, not as damaged', () => {
    expect(() => readConversationFile({ ...v1, version: CURRENT_VERSION + 1 })).toThrow(NewerFileVersionError);
    expect(() => readConversationFile({ ...v1, version: CURRENT_VERSION + 1 })).toThrow(
      'The stored conversation was saved by a newer version of token.place. Update the app to open it.',
    );
  });

  it('calls anything else damaged', () => {
    for (const bad of [null, [], 'text', { ...v1, version: 'one' }, { ...v1, version: 0 }, { ...v1, messages: [{ id: 'm' }] }, { ...v1, title: 3 }]) {
      expect(() => readConversationFile(bad)).toThrow(TamperedDataError);
    }
    const node = { role: 'user', content: 'hi', createdAt: 1, status: 'complete' };
    const v2 = { ...v1, version: 2, activeLeafId: 'a' };
    for (const bad of [
      { ...v2, activeLeafId: undefined, messages: [] },
      { ...v2, messages: [{ id: 'a', ...node }] },
      { ...v2, messages: [{ id: 'a', parentId: 'ghost', ...node }] },
      { ...v2, messages: [{ id: 'a', parentId: null, ...node }, { id: 'a', parentId: null, ...node }] },
      { ...v2, activeLeafId: 'ghost', messages: [{ id: 'a', parentId: null, ...node }] },
    ]) {
      expect(() => readConversationFile(bad)).toThrow(TamperedDataError);
    }
  });
});
