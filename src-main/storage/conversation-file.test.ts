// The conversation file format is the store's own, versioned, and today's files load unchanged.
//
// fixtures/storage/conversations-v1/ is a store directory written by ConversationStore.put at
// commit 30e4931, before the format had a schema of its own (version 1, no `version` field),
// sealed under FIXTURE_KEY; fixtures/storage/conversations-v1.json is what each of its files holds.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../src-shared/ipc/contract';
import { CURRENT_VERSION, readConversationFile } from './conversation-file';
import { ConversationStore } from './conversation-store';
import { NewerFileVersionError, TamperedDataError } from './errors';
import { sealJson, unseal } from './sealed-box';

const FIXTURE = resolve(__dirname, '../../fixtures/storage/conversations-v1');
/** "token.place conversation file v1" in ASCII: the fixture's data key. */
const FIXTURE_KEY = Buffer.from('746f6b656e2e706c61636520636f6e766572736174696f6e2066696c65207631', 'hex');
const IDS = ['v1-full', 'v1-minimal', 'v1-small-tier'];

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function fixtureCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tp-conversation-file-'));
  dirs.push(dir);
  await cp(FIXTURE, dir, { recursive: true });
  return dir;
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

  it('writing a version-1 conversation back gives the same bytes as the old code wrote', async () => {
    const dir = await fixtureCopy();
    const store = await ConversationStore.open(dir, FIXTURE_KEY);
    for (const id of IDS) await store.put(await store.get(id));
    await store.close();
    for (const id of IDS) expect(await plaintextOf(dir, id)).toBe(await plaintextOf(FIXTURE, id));
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
    expect(await plaintextOf(dir, 'v1-minimal')).toBe(await plaintextOf(FIXTURE, 'v1-minimal'));
  });
});

describe('readConversationFile', () => {
  const v1 = { id: 'c', title: 't', createdAt: 1, updatedAt: 2, messageCount: 0, systemPrompt: '', messages: [] };

  it('reads a file without a version as version 1, the current version', () => {
    expect(CURRENT_VERSION).toBe(1);
    expect(readConversationFile(v1)).toEqual(v1);
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
  });
});
