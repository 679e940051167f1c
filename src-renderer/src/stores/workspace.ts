// The sidebar's organisation (folders, where each chat sits, pins, the sort order) and the drafts
// of unsent messages. Both live in main, encrypted (workspace:*); this store holds the window's
// copy. Drafts change here at once and are saved after a short pause in typing.
import { create } from 'zustand';
import type { Workspace } from '../../../src-shared/ipc/contract';
import type { ConversationSort } from '../../../src-shared/vocabulary';
import { EMPTY_WORKSPACE } from '../../../src-shared/workspace/organise';
import { api } from '../api/api';
import { toastError } from './feedback';
import { useUi } from './ui';

/** How long typing pauses before a draft is saved. */
export const DRAFT_SAVE_AFTER_MS = 400;

interface WorkspaceState {
  workspace: Workspace;
  /** Conversation id → its unsent text. */
  drafts: Record<string, string>;
  loaded: boolean;
  load(): Promise<void>;
  createFolder(name: string): Promise<string | undefined>;
  renameFolder(folderId: string, name: string): Promise<void>;
  deleteFolder(folderId: string): Promise<void>;
  setCollapsed(folderId: string, collapsed: boolean): Promise<void>;
  /** Into a folder, or back to the top level (`folderId` null). */
  move(conversationId: string, folderId: string | null): Promise<void>;
  setPinned(conversationId: string, pinned: boolean): Promise<void>;
  setSort(sort: ConversationSort): Promise<void>;
  setDraft(conversationId: string, text: string): void;
  /** Saves every draft still waiting for its pause (before the window goes away). */
  flushDrafts(): Promise<void>;
  /** Saves drafts when the window is closed or reloaded; returns the unsubscribe. */
  listen(): () => void;
}

const pendingDrafts = new Map<string, ReturnType<typeof setTimeout>>();

export const useWorkspace = create<WorkspaceState>()((set, get) => {
  /** Runs a workspace:* call whose answer is the whole organisation; failures become a toast. */
  const change = async (what: string, call: () => Promise<Workspace>): Promise<boolean> => {
    try {
      set({ workspace: await call() });
      return true;
    } catch (e) {
      toastError(what, e);
      return false;
    }
  };
  const folderName = (folderId: string | null) => get().workspace.folders.find((f) => f.id === folderId)?.name;
  const saveDraft = async (conversationId: string) => {
    clearTimeout(pendingDrafts.get(conversationId));
    pendingDrafts.delete(conversationId);
    try {
      await api().workspace.saveDraft({ conversationId, text: get().drafts[conversationId] ?? '' });
    } catch (e) {
      toastError('Could not save the draft', e);
    }
  };

  return {
    workspace: EMPTY_WORKSPACE,
    drafts: {},
    loaded: false,

    async load() {
      const [workspace, drafts] = await Promise.all([api().workspace.get({}), api().workspace.drafts({})]);
      set({ workspace, drafts: Object.fromEntries(drafts.map((d) => [d.conversationId, d.text])), loaded: true });
    },

    async createFolder(name) {
      try {
        const { folderId, workspace } = await api().workspace.createFolder({ name });
        set({ workspace });
        useUi.getState().announce(`Folder ${name.trim()} created.`);
        return folderId;
      } catch (e) {
        toastError('Could not create the folder', e);
        return undefined;
      }
    },

    async renameFolder(folderId, name) {
      await change('Could not rename the folder', () => api().workspace.renameFolder({ folderId, name }));
    },

    async deleteFolder(folderId) {
      const name = folderName(folderId) ?? '';
      try {
        const { moved, workspace } = await api().workspace.deleteFolder({ folderId });
        set({ workspace });
        const chats = moved === 1 ? 'Its 1 chat moved to the top level.' : moved === 0 ? 'It was empty.' : `Its ${moved} chats moved to the top level.`;
        const text = `Deleted the folder “${name}”. ${chats}`;
        useUi.getState().announce(text);
        useUi.getState().toast({ text });
      } catch (e) {
        toastError('Could not delete the folder', e);
      }
    },

    async setCollapsed(folderId, collapsed) {
      await change('Could not change the folder', () => api().workspace.setCollapsed({ folderId, collapsed }));
    },

    async move(conversationId, folderId) {
      if ((get().workspace.placements[conversationId] ?? null) === folderId) return;
      if (await change('Could not move the chat', () => api().workspace.move({ conversationId, folderId }))) {
        const name = folderName(folderId);
        useUi.getState().announce(name === undefined ? 'Moved to the top level.' : `Moved to the folder ${name}.`);
      }
    },

    async setPinned(conversationId, pinned) {
      if (await change(pinned ? 'Could not pin the chat' : 'Could not unpin the chat', () => api().workspace.setPinned({ conversationId, pinned }))) {
        useUi.getState().announce(pinned ? 'Pinned to the top.' : 'Unpinned.');
      }
    },

    async setSort(sort) {
      await change('Could not change the order', () => api().workspace.setSort({ sort }));
    },

    setDraft(conversationId, text) {
      if ((get().drafts[conversationId] ?? '') === text) return;
      set((s) => ({ drafts: { ...s.drafts, [conversationId]: text } }));
      clearTimeout(pendingDrafts.get(conversationId));
      pendingDrafts.set(conversationId, setTimeout(() => void saveDraft(conversationId), DRAFT_SAVE_AFTER_MS));
    },

    async flushDrafts() {
      await Promise.all([...pendingDrafts.keys()].map(saveDraft));
    },

    listen() {
      const flush = () => void get().flushDrafts();
      window.addEventListener('pagehide', flush);
      return () => {
        window.removeEventListener('pagehide', flush);
        flush();
      };
    },
  };
});
