// Conversations: the sidebar list (sorted by last activity), the open conversation, search, undo.
import { create } from 'zustand';
import type { Conversation, ConversationSummary, Message, SearchHit } from '../../../src-shared/ipc/contract';
import type { ChatExportFormat } from '../../../src-shared/vocabulary';
import { api } from '../api/api';
import { i18n } from '../i18n';
import { describeError } from '../api/errors';
import { toastError } from './feedback';
import { rememberSettled, withSettled } from './settled-answers';
import { useUi } from './ui';

interface ConversationsState {
  summaries: ConversationSummary[];
  loaded: boolean;
  activeId?: string;
  active?: Conversation;
  loadingActive: boolean;
  error?: string;
  query: string;
  hits: SearchHit[];
  searching: boolean;
  load(): Promise<void>;
  open(id: string): Promise<void>;
  create(): Promise<Conversation | undefined>;
  rename(id: string, title: string): Promise<void>;
  remove(id: string): Promise<void>;
  restore(id: string): Promise<void>;
  update(patch: { systemPrompt?: string; model?: string; contextTier?: Conversation['contextTier'] }): Promise<void>;
  search(query: string): Promise<void>;
  /**
   * Inserts or replaces one message of a conversation (from chat events and optimistic sends).
   * A new message goes before `beforeId` when that message is already there (a reply that lost
   * the race against its answer's event), else at the end.
   */
  applyMessage(conversationId: string, message: Message, beforeId?: string): void;
  /** Re-reads the open conversation, keeping answers that events already settled. */
  refreshActive(): Promise<void>;
  // Organise (issue 14)
  /** Shows the branch through a message of the open conversation (another version of it, or a search hit off the path). */
  showVersion(messageId: string): Promise<void>;
  /** Deletes a message of the open conversation and everything after it. */
  deleteMessage(messageId: string): Promise<void>;
  /** Saves the open conversation to a file main asks for; the outcome is announced. */
  exportChat(format: ChatExportFormat): Promise<void>;
  /** The open conversation's shown path as Markdown (undefined when it could not be read). */
  markdownOfActive(): Promise<string | undefined>;
  /** Imports one chat from a file main asks for, and opens it. */
  importChat(): Promise<void>;
  clearAll(): void;
}

export function sortByActivity(list: ConversationSummary[]): ConversationSummary[] {
  return [...list].sort((a, b) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt);
}

function summaryOf(c: Conversation): ConversationSummary {
  return { id: c.id, title: c.title, createdAt: c.createdAt, updatedAt: c.updatedAt, messageCount: c.messages.length };
}

let openSeq = 0;
let searchSeq = 0;

/**
 * Runs a call that changes the open conversation (nothing when none is open) and shows the
 * conversation it answers with if that one is still open; a failure is a toast headed by the
 * words of `failedKey`.
 */
async function changeActive(failedKey: string, call: (id: string) => Promise<Conversation>): Promise<Conversation | undefined> {
  const id = useConversations.getState().activeId;
  if (!id) return undefined;
  try {
    const c = await call(id);
    if (useConversations.getState().activeId === id) useConversations.setState({ active: withSettled(c) });
    return c;
  } catch (e) {
    toastError(i18n.t(failedKey), e);
    return undefined;
  }
}

export const useConversations = create<ConversationsState>()((set, get) => ({
  summaries: [],
  loaded: false,
  loadingActive: false,
  query: '',
  hits: [],
  searching: false,

  async load() {
    try {
      const list = await api().conversations.list({});
      const active = get().active;
      const title = active && list.find((x) => x.id === active.id)?.title;
      set({
        summaries: sortByActivity(list),
        loaded: true,
        error: undefined,
        // The backend names a new chat after its first message.
        ...(active && title && title !== active.title ? { active: { ...active, title } } : {}),
      });
    } catch (e) {
      set({ loaded: true, error: describeError(e) });
    }
  },

  async open(id) {
    const seq = ++openSeq;
    set({ activeId: id, loadingActive: get().active?.id !== id });
    try {
      const c = await api().conversations.get({ id });
      if (seq !== openSeq) return;
      set({ active: withSettled(c), loadingActive: false, error: undefined });
    } catch (e) {
      if (seq !== openSeq) return;
      set({ loadingActive: false, error: describeError(e) });
    }
  },

  async create() {
    try {
      const c = await api().conversations.create({});
      openSeq++;
      set((s) => ({
        summaries: sortByActivity([summaryOf(c), ...s.summaries.filter((x) => x.id !== c.id)]),
        activeId: c.id,
        active: c,
        loadingActive: false,
      }));
      useUi.getState().focusComposer();
      return c;
    } catch (e) {
      toastError(i18n.t('chat:conversation.createFailed'), e);
      return undefined;
    }
  },

  async rename(id, title) {
    const trimmed = title.trim();
    if (!trimmed) return;
    try {
      const s = await api().conversations.rename({ id, title: trimmed });
      set((st) => ({
        summaries: sortByActivity(st.summaries.map((x) => (x.id === id ? s : x))),
        active: st.active?.id === id ? { ...st.active, title: s.title } : st.active,
      }));
    } catch (e) {
      toastError(i18n.t('chat:conversation.renameFailed'), e);
    }
  },

  async remove(id) {
    const before = get();
    const removed = before.summaries.find((x) => x.id === id);
    const index = before.summaries.findIndex((x) => x.id === id);
    try {
      await api().conversations.delete({ id });
    } catch (e) {
      toastError(i18n.t('chat:conversation.deleteFailed'), e);
      return;
    }
    const rest = get().summaries.filter((x) => x.id !== id);
    set({ summaries: rest, hits: get().hits.filter((h) => h.conversationId !== id) });
    if (get().activeId === id) {
      const next = rest[Math.min(index, rest.length - 1)];
      openSeq++;
      set({ activeId: undefined, active: undefined });
      if (next) void get().open(next.id);
    }
    const ui = useUi.getState();
    const title = removed?.title ?? i18n.t('chat:conversation.untitled');
    ui.announce(i18n.t('chat:conversation.deletedSpoken', { title }));
    ui.toast({ text: i18n.t('chat:conversation.deleted', { title }), actionLabel: i18n.t('chat:conversation.undo'), action: () => void get().restore(id) }, 10_000);
  },

  async restore(id) {
    try {
      const s = await api().conversations.restore({ id });
      set((st) => ({ summaries: sortByActivity([s, ...st.summaries.filter((x) => x.id !== id)]) }));
      useUi.getState().announce(i18n.t('chat:conversation.restored', { title: s.title }));
      await get().open(id);
    } catch (e) {
      toastError(i18n.t('chat:conversation.restoreFailed'), e);
    }
  },

  async update(patch) {
    await changeActive('chat:conversation.saveFailed', (id) => api().conversations.update({ id, ...patch }));
  },

  async search(query) {
    const seq = ++searchSeq;
    set({ query });
    if (!query.trim()) {
      set({ hits: [], searching: false });
      return;
    }
    set({ searching: true });
    try {
      const hits = await api().conversations.search({ query: query.trim() });
      if (seq === searchSeq) set({ hits, searching: false });
    } catch (e) {
      if (seq === searchSeq) set({ hits: [], searching: false, error: describeError(e) });
    }
  },

  applyMessage(conversationId, message, beforeId) {
    rememberSettled(message);
    set((s) => {
      const summaries = s.summaries.map((x) =>
        x.id === conversationId ? { ...x, updatedAt: Math.max(x.updatedAt, message.createdAt) } : x,
      );
      if (s.active?.id !== conversationId) return { summaries: sortByActivity(summaries) };
      const messages = [...s.active.messages];
      const i = messages.findIndex((m) => m.id === message.id);
      if (i >= 0) {
        if (messages[i]!.status !== 'pending' && message.status === 'pending') return {};
        messages[i] = message;
      } else {
        const at = beforeId ? messages.findIndex((m) => m.id === beforeId) : -1;
        if (at >= 0) messages.splice(at, 0, message);
        else messages.push(message);
      }
      return {
        summaries: sortByActivity(summaries),
        active: { ...s.active, messages, messageCount: messages.length },
      };
    });
  },

  async refreshActive() {
    const id = get().activeId;
    if (!id) return;
    const seq = openSeq;
    try {
      const c = await api().conversations.get({ id });
      if (seq === openSeq && get().activeId === id) set({ active: withSettled(c) });
    } catch {
      // The conversation may have been deleted meanwhile; the list refresh shows that.
    }
  },

  async showVersion(messageId) {
    await changeActive('organise:error.showVersion', (id) => api().conversations.showVersion({ id, messageId }));
  },

  async deleteMessage(messageId) {
    const c = await changeActive('organise:error.delete', (id) => api().conversations.deleteMessage({ id, messageId }));
    if (!c) return;
    set((st) => ({ summaries: sortByActivity(st.summaries.map((x) => (x.id === c.id ? summaryOf(c) : x))) }));
    useUi.getState().announce(i18n.t('organise:delete.done'));
  },

  async exportChat(format) {
    const id = get().activeId;
    if (!id) return;
    try {
      const { saved, fileName } = await api().conversations.exportChat({ id, format });
      if (saved) useUi.getState().toast({ text: i18n.t('organise:export.saved', { fileName: fileName ?? '' }) });
    } catch (e) {
      toastError(i18n.t('organise:error.export'), e);
    }
  },

  async markdownOfActive() {
    const id = get().activeId;
    if (!id) return undefined;
    try {
      return (await api().conversations.markdown({ id })).content;
    } catch (e) {
      toastError(i18n.t('organise:error.copy'), e);
      return undefined;
    }
  },

  async importChat() {
    try {
      const { imported } = await api().conversations.importChat({});
      if (!imported) return;
      set((st) => ({ summaries: sortByActivity([imported, ...st.summaries.filter((x) => x.id !== imported.id)]) }));
      useUi.getState().announce(i18n.t('organise:import.done', { title: imported.title }));
      await get().open(imported.id);
    } catch (e) {
      toastError(i18n.t('organise:error.import'), e);
    }
  },

  clearAll() {
    openSeq++;
    set({ summaries: [], activeId: undefined, active: undefined, hits: [], query: '' });
  },
}));
