import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createFolder, moveConversation, setPinned } from '../../src-shared/workspace/organise';
import { NewerFileVersionError, TamperedDataError } from './errors';
import { RecordStore } from './record-store';
import { sealJson } from './sealed-box';
import { DRAFTS_RECORD, WORKSPACE_RECORD, WorkspaceStore } from './workspace-store';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function fresh() {
  const dir = await mkdtemp(join(tmpdir(), 'tp-workspace-store-'));
  dirs.push(dir);
  const key = randomBytes(32);
  const open = async () => WorkspaceStore.open(await RecordStore.open(dir, key));
  return { dir, key, open };
}

async function allFileText(dir: string): Promise<string> {
  const names = await readdir(dir);
  const parts = await Promise.all(names.map((n) => readFile(join(dir, n))));
  return Buffer.concat(parts).toString('latin1');
}

describe('WorkspaceStore', () => {
  it('keeps folders, places, pins and drafts across a reopen, sealed: no folder name or draft text on disk', async () => {
    const { dir, open } = await fresh();
    const store = await open();
    expect(store.current()).toEqual({ folders: [], placements: {}, pinned: [], sort: 'activity' });
    await store.update((w) => ({ workspace: moveConversation(setPinned(createFolder(w, { id: 'f1', name: 'Secret project', createdAt: 5 }), 'c2', true), 'c1', 'f1') }));
    await store.saveDraft('c1', 'my unsent prompt about the merger', 10);
    await store.saveDraft('c2', 'another draft', 11);
    await store.saveDraft('c2', '   ', 12);

    const again = await open();
    expect(again.current()).toEqual({
      folders: [{ id: 'f1', name: 'Secret project', createdAt: 5, collapsed: false }],
      placements: { c1: 'f1' },
      pinned: ['c2'],
      sort: 'activity',
    });
    expect(again.listDrafts()).toEqual([{ conversationId: 'c1', text: 'my unsent prompt about the merger', savedAt: 10 }]);
    const disk = await allFileText(dir);
    expect(disk).not.toContain('merger');
    expect(disk).not.toContain('Secret project');
    expect((await readdir(dir)).sort()).toEqual([`${DRAFTS_RECORD}.enc`, `${WORKSPACE_RECORD}.enc`]);
  });

  it('stores nothing when a change is refused, and keeps the last good state', async () => {
    const { open } = await fresh();
    const store = await open();
    await store.update((w) => ({ workspace: createFolder(w, { id: 'f1', name: 'A', createdAt: 1 }) }));
    await expect(
      store.update(() => {
        throw new RangeError('refused');
      }),
    ).rejects.toThrow('refused');
    expect(store.current().folders).toHaveLength(1);
    expect((await open()).current().folders).toHaveLength(1);
  });

  it('drops the drafts of conversations that are gone', async () => {
    const { open } = await fresh();
    const store = await open();
    await store.saveDraft('a', 'one', 1);
    await store.saveDraft('b', 'two', 2);
    await store.keepDrafts((id) => id === 'b');
    expect((await open()).listDrafts().map((d) => d.conversationId)).toEqual(['b']);
  });

  it('refuses a record from a newer app version, and a modified one', async () => {
    const { dir, key, open } = await fresh();
    await writeFile(join(dir, `${WORKSPACE_RECORD}.enc`), sealJson(key, `record:${WORKSPACE_RECORD}`, { version: 2, workspace: { folders: [], placements: {}, pinned: [], sort: 'name' } }));
    await expect(open()).rejects.toBeInstanceOf(NewerFileVersionError);
    const sealed = sealJson(key, `record:${DRAFTS_RECORD}`, { version: 1, drafts: [] });
    sealed.writeUInt8(sealed.readUInt8(sealed.length - 1) ^ 1, sealed.length - 1);
    await writeFile(join(dir, `${WORKSPACE_RECORD}.enc`), sealJson(key, `record:${WORKSPACE_RECORD}`, { version: 1, workspace: { folders: [], placements: {}, pinned: [], sort: 'name' } }));
    await writeFile(join(dir, `${DRAFTS_RECORD}.enc`), sealed);
    await expect(open()).rejects.toBeInstanceOf(TamperedDataError);
  });
});
