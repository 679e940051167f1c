// The fake api's workspace:* channels: the same pure changes the backend applies
// (src-shared/workspace/organise), kept in memory, with drafts in a Map.
import type { Draft, TokenPlaceApi, Workspace } from '../../src-shared/ipc/contract';
import * as organise from '../../src-shared/workspace/organise';

export interface FakeWorkspaceState {
  workspace: Workspace;
  drafts: Map<string, Draft>;
}

type Track = <T>(channel: string, request: unknown, result: () => T) => Promise<T>;

export function emptyFakeWorkspace(): FakeWorkspaceState {
  return { workspace: structuredClone(organise.EMPTY_WORKSPACE), drafts: new Map() };
}

export function createFakeWorkspace(state: FakeWorkspaceState, track: Track, conversationIds: () => Set<string>, now: () => number, nextId: () => string) {
  const missing = () => Object.assign(new Error('That conversation does not exist.'), { code: 'not_found' });
  const known = (id: string) => {
    if (!conversationIds().has(id)) throw missing();
  };
  const apply = (change: (w: Workspace) => Workspace) => {
    state.workspace = change(state.workspace);
    return structuredClone(state.workspace);
  };
  const api: TokenPlaceApi['workspace'] = {
    get: (r) => track('workspace:get', r, () => apply((w) => organise.keepConversations(w, (id) => conversationIds().has(id)))),
    createFolder: (r) =>
      track('workspace:createFolder', r, () => {
        const folderId = nextId();
        return { folderId, workspace: apply((w) => organise.createFolder(w, { id: folderId, name: r.name.trim(), createdAt: now() })) };
      }),
    renameFolder: (r) => track('workspace:renameFolder', r, () => apply((w) => organise.renameFolder(w, r.folderId, r.name.trim()))),
    deleteFolder: (r) =>
      track('workspace:deleteFolder', r, () => {
        const { moved, workspace } = organise.deleteFolder(state.workspace, r.folderId);
        state.workspace = workspace;
        return { moved, workspace: structuredClone(workspace) };
      }),
    setCollapsed: (r) => track('workspace:setCollapsed', r, () => apply((w) => organise.setFolderCollapsed(w, r.folderId, r.collapsed))),
    move: (r) =>
      track('workspace:move', r, () => {
        known(r.conversationId);
        return apply((w) => organise.moveConversation(w, r.conversationId, r.folderId));
      }),
    setPinned: (r) =>
      track('workspace:setPinned', r, () => {
        if (r.pinned) known(r.conversationId);
        return apply((w) => organise.setPinned(w, r.conversationId, r.pinned));
      }),
    setSort: (r) => track('workspace:setSort', r, () => apply((w) => organise.setSort(w, r.sort))),
    drafts: (r) => track('workspace:drafts', r, () => [...state.drafts.values()].filter((d) => conversationIds().has(d.conversationId))),
    saveDraft: (r) =>
      track('workspace:saveDraft', r, () => {
        if (!r.text.trim()) state.drafts.delete(r.conversationId);
        else {
          known(r.conversationId);
          state.drafts.set(r.conversationId, { conversationId: r.conversationId, text: r.text, savedAt: now() });
        }
        return { ok: true as const };
      }),
  };
  /** A deleted conversation loses its pin, folder place and draft (as in the backend). */
  const forget = (conversationId: string) => {
    state.workspace = organise.keepConversations(state.workspace, (id) => id !== conversationId);
    state.drafts.delete(conversationId);
  };
  return { api, forget };
}
