// conversations:* — thin layer over the ConversationStore with per-conversation locking. The
// store keeps each conversation as a tree (every version of every message); what the window gets
// and changes is the active path (storage's conversation-tree.ts turns one into the other).
import type { Conversation, ConversationSummary, ConversationTree, InvokeReply, InvokeRequest, SearchHit } from '../../src-shared/ipc/contract';
import { ConversationStore, deleteBranch, KeyedLock, newId, showBranch, summaryOf, treeWithPath, viewOf } from '../storage';
import { MessageNotFoundError } from './errors';
import { exportJson, exportMarkdown, importJson, importMarkdown } from './transfer-format';

export const DEFAULT_TITLE = 'New chat';

export class Conversations {
  private readonly lock = new KeyedLock();

  constructor(
    readonly store: ConversationStore,
    private readonly now: () => number,
  ) {}

  list(): ConversationSummary[] {
    return this.store.list();
  }

  get(id: string): Promise<Conversation> {
    return this.store.get(id);
  }

  async create(req: InvokeRequest<'conversations:create'>): Promise<Conversation> {
    const at = this.now();
    const title = req.title?.trim() || DEFAULT_TITLE;
    const conversation: Conversation = {
      id: newId(),
      title,
      createdAt: at,
      updatedAt: at,
      messageCount: 0,
      systemPrompt: req.systemPrompt ?? '',
      messages: [],
    };
    await this.store.put(conversation);
    return conversation;
  }

  /**
   * Read-modify-write of the active path under the conversation's lock; `touch` moves it to the
   * top of the list. Messages the change takes off the path stay in the tree as versions.
   */
  mutate(id: string, change: (c: Conversation) => Conversation | void, touch = true): Promise<Conversation> {
    return this.mutateTree(id, (tree) => {
      const current = viewOf(tree);
      const next = change(current) ?? current;
      if (touch) next.updatedAt = Math.max(this.now(), next.updatedAt);
      return treeWithPath(tree, next);
    });
  }

  /** Read-modify-write of the whole tree under the conversation's lock; returns what the window shows. */
  private mutateTree(id: string, change: (tree: ConversationTree) => ConversationTree): Promise<Conversation> {
    return this.lock.run(id, async () => {
      const next = change(await this.store.getTree(id));
      await this.store.putTree(next);
      return viewOf(next);
    });
  }

  /** The tree with every branch (export, tests). */
  tree(id: string): Promise<ConversationTree> {
    return this.store.getTree(id);
  }

  /** Shows the branch through `messageId` (another version of a message, or a search hit off the path), down to where it was left. */
  showVersion(id: string, messageId: string): Promise<Conversation> {
    return this.mutateTree(id, (tree) => showBranch(tree, messageId) ?? throwMissing());
  }

  /** Deletes a message and everything after it in every branch. */
  deleteMessage(id: string, messageId: string): Promise<Conversation> {
    return this.mutateTree(id, (tree) => ({ ...(deleteBranch(tree, messageId) ?? throwMissing()), updatedAt: Math.max(this.now(), tree.updatedAt) }));
  }

  async rename(req: InvokeRequest<'conversations:rename'>): Promise<ConversationSummary> {
    return summaryOf(await this.mutate(req.id, (c) => void (c.title = req.title), false));
  }

  update(req: InvokeRequest<'conversations:update'>): Promise<Conversation> {
    return this.mutate(
      req.id,
      (c) => {
        if (req.systemPrompt !== undefined) c.systemPrompt = req.systemPrompt;
        if (req.model !== undefined) c.model = req.model || undefined;
        if (req.contextTier !== undefined) c.contextTier = req.contextTier;
      },
      false,
    );
  }

  delete(id: string): Promise<void> {
    return this.lock.run(id, () => this.store.trash(id));
  }

  restore(id: string): Promise<ConversationSummary> {
    return this.lock.run(id, () => this.store.restore(id));
  }

  search(query: string): Promise<SearchHit[]> {
    return this.store.search(query);
  }

  /** JSON keeps every branch; Markdown holds the path each conversation shows. */
  async export(req: InvokeRequest<'conversations:export'>): Promise<InvokeReply<'conversations:export'>> {
    const ids = req.ids ?? this.store.list().map((s) => s.id);
    const trees: ConversationTree[] = [];
    for (const id of ids) trees.push(await this.store.getTree(id));
    const stamp = new Date(this.now()).toISOString().slice(0, 10);
    return req.format === 'json'
      ? { filename: `token-place-conversations-${stamp}.json`, mimeType: 'application/json', content: exportJson(trees, this.now()) }
      : { filename: `token-place-conversations-${stamp}.md`, mimeType: 'text/markdown', content: exportMarkdown(trees.map(viewOf)) };
  }

  /** Imported conversations always get fresh ids, so importing twice never overwrites anything. */
  async import(req: InvokeRequest<'conversations:import'>): Promise<number> {
    const parsed = req.format === 'json' ? importJson(req.content) : importMarkdown(req.content, newId).map((c) => treeWithPath(undefined, c));
    for (const tree of parsed) await this.store.putTree(this.imported(tree));
    return parsed.length;
  }

  /** Stores one imported conversation under a fresh id; an answer that was on its way when exported reads as stopped. */
  async importTree(tree: ConversationTree): Promise<ConversationSummary> {
    const stored = this.imported(tree);
    await this.store.putTree(stored);
    return summaryOf(viewOf(stored));
  }

  private imported(tree: ConversationTree): ConversationTree {
    return {
      ...tree,
      id: newId(),
      messages: tree.messages.map((m) => (m.status === 'pending' ? { ...m, status: 'stopped' as const } : m)),
    };
  }

  clear(): Promise<void> {
    return this.store.clear();
  }
}

function throwMissing(): never {
  throw new MessageNotFoundError();
}
