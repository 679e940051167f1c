import { describe, expect, it } from 'vitest';
import { isRegisteredErrorCode } from '../errors';
import {
  createFolder,
  deleteFolder,
  EMPTY_WORKSPACE,
  FolderNotFoundError,
  keepConversations,
  moveConversation,
  renameFolder,
  setFolderCollapsed,
  setPinned,
  setSort,
} from './organise';

const twoFolders = () =>
  createFolder(createFolder(EMPTY_WORKSPACE, { id: 'f1', name: 'Work', createdAt: 1 }), { id: 'f2', name: 'Home', createdAt: 2 });

describe('workspace organisation', () => {
  it('creates, renames and collapses folders without changing the value it was given', () => {
    const w = twoFolders();
    expect(w.folders).toEqual([
      { id: 'f1', name: 'Work', createdAt: 1, collapsed: false },
      { id: 'f2', name: 'Home', createdAt: 2, collapsed: false },
    ]);
    const renamed = renameFolder(w, 'f2', 'Family');
    expect(renamed.folders[1]?.name).toBe('Family');
    expect(w.folders[1]?.name).toBe('Home');
    expect(setFolderCollapsed(renamed, 'f1', true).folders.map((f) => f.collapsed)).toEqual([true, false]);
    expect(EMPTY_WORKSPACE.folders).toEqual([]);
  });

  it('moves chats in and out; deleting a folder keeps its chats at the top level and counts them', () => {
    let w = twoFolders();
    w = moveConversation(w, 'c1', 'f1');
    w = moveConversation(w, 'c2', 'f1');
    w = moveConversation(w, 'c3', 'f2');
    w = moveConversation(w, 'c2', 'f2');
    expect(w.placements).toEqual({ c1: 'f1', c2: 'f2', c3: 'f2' });
    w = moveConversation(w, 'c1', null);
    expect(w.placements).toEqual({ c2: 'f2', c3: 'f2' });
    const { moved, workspace } = deleteFolder(w, 'f2');
    expect(moved).toBe(2);
    expect(workspace.placements).toEqual({});
    expect(workspace.folders.map((f) => f.id)).toEqual(['f1']);
  });

  it('refuses a folder that is not there with the registry code folder_not_found', () => {
    const w = twoFolders();
    for (const attempt of [() => renameFolder(w, 'nope', 'x'), () => deleteFolder(w, 'nope'), () => moveConversation(w, 'c1', 'nope'), () => setFolderCollapsed(w, 'nope', true)]) {
      expect(attempt).toThrow(FolderNotFoundError);
    }
    expect(isRegisteredErrorCode(new FolderNotFoundError().code)).toBe(true);
    expect(new FolderNotFoundError().message).toMatch(/folder does not exist/);
  });

  it('pins most recent first, unpins, and remembers the sort order', () => {
    let w = setPinned(setPinned(EMPTY_WORKSPACE, 'a', true), 'b', true);
    expect(w.pinned).toEqual(['b', 'a']);
    w = setPinned(w, 'a', true);
    expect(w.pinned).toEqual(['a', 'b']);
    expect(setPinned(w, 'a', false).pinned).toEqual(['b']);
    expect(setSort(w, 'name').sort).toBe('name');
  });

  it('drops the pins and places of conversations that are gone, and returns the same value when none are', () => {
    let w = moveConversation(setPinned(twoFolders(), 'gone', true), 'gone', 'f1');
    w = moveConversation(setPinned(w, 'kept', true), 'kept', 'f2');
    const pruned = keepConversations(w, (id) => id === 'kept');
    expect(pruned.pinned).toEqual(['kept']);
    expect(pruned.placements).toEqual({ kept: 'f2' });
    expect(keepConversations(pruned, () => true)).toBe(pruned);
  });
});
