// conversations:* — thin layer over the ConversationStore with per-conversation locking.
import type { Conversation, ConversationSummary, InvokeReply, InvokeRequest, SearchHit } from '../../src-shared/ipc/contract';
import { ConversationStore, KeyedLock, newId, summaryOf } from '../storage';
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

  /** Read-modify-write under the conversation's lock; `touch` moves it to the top of the list. */
  mutate(id: string, change: (c: Conversation) => Conversation | void, touch = true): Promise<Conversation> {
    return this.lock.run(id, async () => {
      const current = await this.store.get(id);
      const next = change(current) ?? current;
      next.messageCount = next.messages.length;
      if (touch) next.updatedAt = Math.max(this.now(), next.updatedAt);
      await this.store.put(next);
      return next;
    });
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

  async export(req: InvokeRequest<'conversations:export'>): Promise<InvokeReply<'conversations:export'>> {
    const ids = req.ids ?? this.store.list().map((s) => s.id);
    const conversations: Conversation[] = [];
    for (const id of ids) conversations.push(await this.store.get(id));
    const stamp = new Date(this.now()).toISOString().slice(0, 10);
    return req.format === 'json'
      ? { filename: `token-place-conversations-${stamp}.json`, mimeType: 'application/json', content: exportJson(conversations, this.now()) }
      : { filename: `token-place-conversations-${stamp}.md`, mimeType: 'text/markdown', content: exportMarkdown(conversations) };
  }

  /** Imported conversations always get fresh ids, so importing twice never overwrites anything. */
  async import(req: InvokeRequest<'conversations:import'>): Promise<number> {
    const parsed = req.format === 'json' ? importJson(req.content) : importMarkdown(req.content, newId);
    for (const c of parsed) {
      await this.store.put({
        ...c,
        id: newId(),
        messageCount: c.messages.length,
        messages: c.messages.map((m) => (m.status === 'pending' ? { ...m, status: 'stopped' as const } : m)),
      });
    }
    return parsed.length;
  }

  clear(): Promise<void> {
    return this.store.clear();
  }
}
