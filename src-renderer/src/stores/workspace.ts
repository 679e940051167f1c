// The sidebar's organisation (folders, where each chat sits, pins, the sort order) and the drafts
// of unsent messages. Both live in main, encrypted (workspace:*); this store holds the window's
// copy. Drafts change here at once and are saved after a short pause in typing.
import { create } from 'zustand';
import type { Workspace } from '../../../src-shared/ipc/contract';
import type { ConversationSort } from '../../../src-shared/vocabulary';
import { EMPTY_WORKSPACE, keepConversations } from '../../../src-shared/workspace/organise';
import { api } from '../api/api';
import { i18n } from '../i18n';
import { useConversations } from './conversations';
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
  /**
   * Saves drafts when the window is closed or reloaded, and forgets the pins, folder places and
   * drafts of deleted conversations as main does; returns the unsubscribe.
   */
  listen(): () => void;
}

/** The words of this store's toasts and announcements (namespace `workspace`). */
const t = (key: string, options?: Record<string, unknown>) => i18n.t(key, { ns: 'workspace', ...options });

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
      toastError(t('error.saveDraft'), e);
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
        useUi.getState().announce(t('announce.folderCreated', { name: name.trim() }));
        return folderId;
      } catch (e) {
        toastError(t('error.createFolder'), e);
        return undefined;
      }
    },

    async renameFolder(folderId, name) {
      await change(t('error.renameFolder'), () => api().workspace.renameFolder({ folderId, name }));
    },

    async deleteFolder(folderId) {
      const name = folderName(folderId) ?? '';
      try {
        const { moved, workspace } = await api().workspace.deleteFolder({ folderId });
        set({ workspace });
        const text = moved === 0 ? t('announce.emptyFolderDeleted', { name }) : t('announce.folderDeleted', { name, count: moved });
        useUi.getState().announce(text);
        useUi.getState().toast({ text });
      } catch (e) {
        toastError(t('error.deleteFolder'), e);
      }
    },

    async setCollapsed(folderId, collapsed) {
      await change(t('error.collapseFolder'), () => api().workspace.setCollapsed({ folderId, collapsed }));
    },

    async move(conversationId, folderId) {
      if ((get().workspace.placements[conversationId] ?? null) === folderId) return;
      if (await change(t('error.move'), () => api().workspace.move({ conversationId, folderId }))) {
        const name = folderName(folderId);
        useUi.getState().announce(name === undefined ? t('announce.movedToTop') : t('announce.movedTo', { name }));
      }
    },

    async setPinned(conversationId, pinned) {
      if (await change(pinned ? t('error.pin') : t('error.unpin'), () => api().workspace.setPinned({ conversationId, pinned }))) {
        useUi.getState().announce(pinned ? t('announce.pinned') : t('announce.unpinned'));
      }
    },

    async setSort(sort) {
      await change(t('error.sort'), () => api().workspace.setSort({ sort }));
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
      const forgetDeleted = useConversations.subscribe((now, before) => {
        if (now.summaries === before.summaries) return;
        const ids = new Set(now.summaries.map((c) => c.id));
        if (before.summaries.every((c) => ids.has(c.id))) return;
        set((s) => ({
          workspace: keepConversations(s.workspace, (id) => ids.has(id)),
          drafts: Object.fromEntries(Object.entries(s.drafts).filter(([id]) => ids.has(id))),
        }));
      });
      return () => {
        window.removeEventListener('pagehide', flush);
        forgetDeleted();
        flush();
      };
    },
  };
});
