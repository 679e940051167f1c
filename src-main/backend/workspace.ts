// workspace:* — the sidebar's organisation and the drafts, over the WorkspaceStore. Conversations
// that no longer exist lose their pins, folder places and drafts (deleting a conversation drops
// them at once; anything left over, e.g. from a crash, is dropped when the organisation is read).
import type { ConversationSort } from '../../src-shared/vocabulary';
import type { Draft, InvokeReply, Workspace } from '../../src-shared/ipc/contract';
import * as organise from '../../src-shared/workspace/organise';
import { ConversationNotFoundError, newId, type WorkspaceStore } from '../storage';

const wrap = (workspace: Workspace) => ({ workspace });

export class WorkspaceService {
  constructor(
    readonly store: WorkspaceStore,
    /** The ids of the conversations that exist (not in the trash). */
    private readonly conversationIds: () => Iterable<string>,
    private readonly now: () => number,
  ) {}

  private existing(): Set<string> {
    return new Set(this.conversationIds());
  }

  private assertConversation(conversationId: string): void {
    if (!this.existing().has(conversationId)) throw new ConversationNotFoundError(conversationId);
  }

  private async change(change: (w: Workspace) => Workspace): Promise<Workspace> {
    return (await this.store.update((w) => wrap(change(w)))).workspace;
  }

  async get(): Promise<Workspace> {
    const exists = this.existing();
    return this.change((w) => organise.keepConversations(w, (id) => exists.has(id)));
  }

  async createFolder(name: string): Promise<InvokeReply<'workspace:createFolder'>> {
    const folderId = newId();
    const workspace = await this.change((w) => organise.createFolder(w, { id: folderId, name, createdAt: this.now() }));
    return { folderId, workspace };
  }

  renameFolder(folderId: string, name: string): Promise<Workspace> {
    return this.change((w) => organise.renameFolder(w, folderId, name));
  }

  setCollapsed(folderId: string, collapsed: boolean): Promise<Workspace> {
    return this.change((w) => organise.setFolderCollapsed(w, folderId, collapsed));
  }

  deleteFolder(folderId: string): Promise<InvokeReply<'workspace:deleteFolder'>> {
    return this.store.update((w) => organise.deleteFolder(w, folderId));
  }

  move(conversationId: string, folderId: string | null): Promise<Workspace> {
    this.assertConversation(conversationId);
    return this.change((w) => organise.moveConversation(w, conversationId, folderId));
  }

  setPinned(conversationId: string, pinned: boolean): Promise<Workspace> {
    if (pinned) this.assertConversation(conversationId);
    return this.change((w) => organise.setPinned(w, conversationId, pinned));
  }

  setSort(sort: ConversationSort): Promise<Workspace> {
    return this.change((w) => organise.setSort(w, sort));
  }

  drafts(): Draft[] {
    const exists = this.existing();
    return this.store.listDrafts().filter((d) => exists.has(d.conversationId));
  }

  async saveDraft(conversationId: string, text: string): Promise<void> {
    // A draft may be cleared for a conversation that is gone; it is never kept for one.
    if (text.trim()) this.assertConversation(conversationId);
    await this.store.saveDraft(conversationId, text, this.now());
  }

  /** A conversation was deleted: its pin, folder place and draft go with it. */
  async forget(conversationId: string): Promise<void> {
    const gone = (id: string) => id !== conversationId;
    await this.change((w) => organise.keepConversations(w, gone));
    await this.store.keepDrafts(gone);
  }

  /** All history was cleared: no pins, places or drafts remain (the folders stay, empty). */
  async forgetAll(): Promise<void> {
    await this.change((w) => organise.keepConversations(w, () => false));
    await this.store.keepDrafts(() => false);
  }
}
