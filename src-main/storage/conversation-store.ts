// Conversations at rest: one sealed file per conversation (conversations/<id>.enc, replaced
// atomically) plus a sealed index of summaries (index.enc). The files are the truth; the index
// is a cache checked against each file's (inode, size, mtime) stamp on open, so a crash between
// a conversation write and the (debounced) index write only costs re-reading that one file.
// After open, list() is served from memory; search() builds an in-memory corpus once.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { errorCodeOf } from '../../src-shared/errors';
import type { Conversation, ConversationSummary, ConversationTree, SearchHit } from '../../src-shared/ipc/contract';
import { isTempFile, removeTempFiles, syncDirectory, writeFileAtomic } from './atomic-write';
import { ConversationSummaryV1, conversationFileOf, readConversationFile, type ConversationFile } from './conversation-file';
import { activePathOf, treeWithPath, viewOf } from './conversation-tree';
import { ConversationNotFoundError, StoreClosedError, StorageError, TamperedDataError, WrongKeyError } from './errors';
import { KeyedLock } from './keyed-lock';
import { readFileIfExists } from './read-if-exists';
import { keyIdOf, sealJson, unsealJson } from './sealed-box';

const FILE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const SUFFIX = '.enc';
const SEARCH_LIMIT = 100;
const SNIPPET_RADIUS = 60;

const StampSchema = z.object({ ino: z.number(), size: z.number(), mtimeMs: z.number() });
type Stamp = z.infer<typeof StampSchema>;
const IndexSchema = z.object({
  version: z.literal(1),
  entries: z.array(z.object({ summary: ConversationSummaryV1, stamp: StampSchema })),
});
const MarkerSchema = z.object({ format: z.literal('tokenplace-store'), version: z.literal(1), keyId: z.string() });

interface Entry {
  summary: ConversationSummary;
  stamp: Stamp;
}
interface CorpusDoc {
  title: string;
  titleLower: string;
  messages: { id: string; content: string; lower: string }[];
}

export interface ConversationStoreOptions {
  /** fsync every write (default true). */
  durable?: boolean;
  /** Delay before the index cache is rewritten after a change (default 500 ms). */
  indexFlushMs?: number;
}

// The contract's conversation tree and its file (conversation-file.ts), converted in one place.
// When these stop compiling, the contract and the file format have drifted apart: decide there
// (a new file version?) rather than here.
const toFile = (tree: ConversationTree): ConversationFile => conversationFileOf({ ...tree, messageCount: activePathOf(tree).length });
/** A stored error code the registry does not know (older files, other nodes) reads as the code shown for it. */
const fromFile = ({ version: _version, ...file }: ConversationFile): ConversationTree => ({
  ...file,
  messages: file.messages.map(({ error, ...message }) => (error ? { ...message, error: { ...error, code: errorCodeOf(error.code) } } : message)),
});

export function newId(): string {
  return randomUUID();
}

export function summaryOf(c: Conversation): ConversationSummary {
  return { id: c.id, title: c.title, createdAt: c.createdAt, updatedAt: c.updatedAt, messageCount: c.messages.length };
}

/** A tree's summary: its message count is that of the path the window shows. */
const summaryOfTree = (tree: ConversationTree): ConversationSummary => summaryOf(viewOf(tree));

function stampOf(s: { ino: number; size: number; mtimeMs: number }): Stamp {
  return { ino: s.ino, size: s.size, mtimeMs: s.mtimeMs };
}

function sameStamp(a: Stamp, b: Stamp): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export class ConversationStore {
  private readonly entries = new Map<string, Entry>();
  private readonly trashed = new Map<string, ConversationSummary>();
  private readonly damagedIds = new Set<string>();
  /** Writes run one at a time per conversation. */
  private readonly writes = new KeyedLock();
  private corpus: Map<string, CorpusDoc> | null = null;
  private indexTimer: NodeJS.Timeout | null = null;
  private indexWrite: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly key: Buffer,
    private readonly durable: boolean,
    private readonly indexFlushMs: number,
  ) {}

  private get filesDir(): string {
    return join(this.dir, 'conversations');
  }
  private get trashDir(): string {
    return join(this.dir, 'trash');
  }
  private fileOf(id: string): string {
    return join(this.filesDir, id + SUFFIX);
  }

  /** Opens (or creates) the store in `dir`. Throws WrongKeyError when `key` is not this store's key. */
  static async open(dir: string, key: Buffer, opts: ConversationStoreOptions = {}): Promise<ConversationStore> {
    const store = new ConversationStore(dir, key, opts.durable ?? true, opts.indexFlushMs ?? 500);
    await store.load();
    return store;
  }

  private async load(): Promise<void> {
    await mkdir(this.filesDir, { recursive: true, mode: 0o700 });
    await this.checkMarker();
    // The trash only lives until the app quits (contract: `conversations:restore`).
    await rm(this.trashDir, { recursive: true, force: true });
    await mkdir(this.trashDir, { recursive: true, mode: 0o700 });
    await removeTempFiles(this.filesDir);
    await removeTempFiles(this.dir);

    const cached = new Map<string, Entry>();
    for (const entry of await this.readIndex()) cached.set(entry.summary.id, entry);
    const ids = (await readdir(this.filesDir))
      .filter((name) => name.endsWith(SUFFIX) && !isTempFile(name))
      .map((name) => name.slice(0, -SUFFIX.length))
      .filter((id) => FILE_ID.test(id));
    let stale = ids.length !== cached.size;
    await forEachLimited(ids, 64, async (id) => {
      const current = stampOf(await stat(this.fileOf(id)));
      const hit = cached.get(id);
      if (hit && sameStamp(hit.stamp, current)) {
        this.entries.set(id, hit);
        return;
      }
      stale = true;
      try {
        const tree = await this.readTree(id);
        this.entries.set(id, { summary: summaryOfTree(tree), stamp: current });
      } catch (error) {
        if (!(error instanceof StorageError)) throw error;
        this.damagedIds.add(id);
      }
    });
    if (stale) this.scheduleIndexWrite();
  }

  private async checkMarker(): Promise<void> {
    const path = join(this.dir, 'store.json');
    const keyId = keyIdOf(this.key).toString('hex');
    const raw = await readFileIfExists(path);
    if (raw === null) {
      await writeFileAtomic(path, Buffer.from(JSON.stringify({ format: 'tokenplace-store', version: 1, keyId })));
      return;
    }
    let marker: z.infer<typeof MarkerSchema>;
    try {
      marker = MarkerSchema.parse(JSON.parse(raw.toString('utf8')));
    } catch {
      throw new TamperedDataError('store marker');
    }
    if (marker.keyId !== keyId) throw new WrongKeyError();
  }

  private async readIndex(): Promise<Entry[]> {
    const sealed = await readFileIfExists(join(this.dir, 'index.enc'));
    if (sealed === null) return [];
    try {
      const parsed = IndexSchema.safeParse(unsealJson(this.key, 'conversation-index', sealed, 'index'));
      return parsed.success ? parsed.data.entries : [];
    } catch (error) {
      // The index is only a cache: a damaged one is rebuilt from the conversation files.
      if (error instanceof TamperedDataError) return [];
      throw error;
    }
  }

  private scheduleIndexWrite(): void {
    if (this.indexTimer || this.closed) return;
    this.indexTimer = setTimeout(() => {
      this.indexTimer = null;
      void this.writeIndex().catch(() => undefined);
    }, this.indexFlushMs);
    this.indexTimer.unref();
  }

  private writeIndex(): Promise<void> {
    const snapshot = { version: 1, entries: [...this.entries.values()] };
    const next = this.indexWrite.then(() =>
      writeFileAtomic(join(this.dir, 'index.enc'), sealJson(this.key, 'conversation-index', snapshot), { durable: this.durable }),
    );
    this.indexWrite = next.catch(() => undefined);
    return next;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  private async readTree(id: string, path = this.fileOf(id)): Promise<ConversationTree> {
    const sealed = await readFileIfExists(path);
    if (sealed === null) throw new ConversationNotFoundError(id);
    const file = readConversationFile(unsealJson(this.key, `conversation:${id}`, sealed, 'conversation'));
    if (file.id !== id) throw new TamperedDataError('conversation');
    return fromFile(file);
  }

  /** Summaries of every live conversation, most recently active first. */
  list(): ConversationSummary[] {
    this.assertOpen();
    return [...this.entries.values()].map((e) => e.summary).sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** Ids whose files failed authentication or parsing when the store was opened. */
  damaged(): string[] {
    return [...this.damagedIds];
  }

  /** The conversation as the window shows it: its active path. Throws ConversationNotFoundError, TamperedDataError or WrongKeyError. */
  async get(id: string): Promise<Conversation> {
    return viewOf(await this.getTree(id));
  }

  /** The conversation with every branch. Throws as get() does. */
  async getTree(id: string): Promise<ConversationTree> {
    this.assertOpen();
    if (!FILE_ID.test(id) || this.trashed.has(id)) throw new ConversationNotFoundError(id);
    await this.writes.settled(id);
    return this.readTree(id);
  }

  /**
   * Creates a conversation, or makes `conversation.messages` the active path of the stored one:
   * branches off that path stay (conversation-tree.ts). Writes are serialised per conversation.
   */
  put(conversation: Conversation): Promise<void> {
    this.assertOpen();
    const id = conversation.id;
    if (!FILE_ID.test(id)) throw new RangeError('Conversation ids may only hold letters, digits, - and _');
    return this.writes.run(id, async () => {
      const stored = await this.readTree(id).catch((error: unknown) => {
        if (error instanceof ConversationNotFoundError) return undefined;
        throw error;
      });
      await this.write(treeWithPath(stored, conversation));
    });
  }

  /** Creates or replaces a conversation with every branch (writes are serialised per conversation). */
  putTree(tree: ConversationTree): Promise<void> {
    this.assertOpen();
    const value = toFile(tree);
    if (!FILE_ID.test(value.id)) throw new RangeError('Conversation ids may only hold letters, digits, - and _');
    return this.writes.run(value.id, () => this.write(tree, value));
  }

  /** Call under the conversation's write lock. */
  private async write(tree: ConversationTree, value = toFile(tree)): Promise<void> {
    const id = value.id;
    const path = this.fileOf(id);
    await writeFileAtomic(path, sealJson(this.key, `conversation:${id}`, value), { durable: this.durable });
    const stored = fromFile(value);
    this.entries.set(id, { summary: summaryOfTree(stored), stamp: stampOf(await stat(path)) });
    this.damagedIds.delete(id);
    this.corpus?.set(id, corpusDocOf(stored));
    this.scheduleIndexWrite();
  }

  /** Moves a conversation to the trash (emptied on the next open). */
  async trash(id: string): Promise<void> {
    this.assertOpen();
    const entry = this.entries.get(id);
    if (!entry) throw new ConversationNotFoundError(id);
    await this.writes.settled(id);
    await rename(this.fileOf(id), join(this.trashDir, id + SUFFIX));
    this.entries.delete(id);
    this.trashed.set(id, entry.summary);
    this.corpus?.delete(id);
    this.scheduleIndexWrite();
  }

  async restore(id: string): Promise<ConversationSummary> {
    this.assertOpen();
    if (!this.trashed.has(id)) throw new ConversationNotFoundError(id);
    const path = this.fileOf(id);
    await rename(join(this.trashDir, id + SUFFIX), path);
    // Durable, or a crash could leave it in the trash, which the next open empties.
    if (this.durable) await syncDirectory(this.filesDir);
    this.trashed.delete(id);
    const tree = await this.readTree(id);
    this.entries.set(id, { summary: summaryOfTree(tree), stamp: stampOf(await stat(path)) });
    this.corpus?.set(id, corpusDocOf(tree));
    this.scheduleIndexWrite();
    return summaryOfTree(tree);
  }

  /** Deletes every conversation for good (trash included). */
  async clear(): Promise<void> {
    this.assertOpen();
    await this.writes.allSettled();
    const ids = [...this.entries.keys()];
    await forEachLimited(ids, 64, (id) => rm(this.fileOf(id), { force: true }));
    await rm(this.trashDir, { recursive: true, force: true });
    await mkdir(this.trashDir, { recursive: true, mode: 0o700 });
    this.entries.clear();
    this.trashed.clear();
    this.damagedIds.clear();
    this.corpus = new Map();
    await this.writeIndex();
  }

  /** Case-insensitive substring search over titles and every message of every conversation, in every branch. */
  async search(query: string, limit = SEARCH_LIMIT): Promise<SearchHit[]> {
    this.assertOpen();
    const needle = query.trim().toLowerCase();
    if (!needle) return [];
    const corpus = await this.loadCorpus();
    const hits: SearchHit[] = [];
    for (const summary of this.list()) {
      const doc = corpus.get(summary.id);
      if (!doc) continue;
      if (doc.titleLower.includes(needle)) {
        hits.push({ conversationId: summary.id, conversationTitle: doc.title, snippet: doc.title });
      }
      for (const message of doc.messages) {
        if (hits.length >= limit) return hits;
        const at = message.lower.indexOf(needle);
        if (at < 0) continue;
        hits.push({
          conversationId: summary.id,
          conversationTitle: doc.title,
          messageId: message.id,
          snippet: snippetAround(message.content, at, needle.length),
        });
      }
      if (hits.length >= limit) return hits.slice(0, limit);
    }
    return hits;
  }

  /** Builds the search corpus ahead of the first search (call in the background after open). */
  async warmSearch(): Promise<void> {
    await this.loadCorpus();
  }

  private corpusLoading: Promise<Map<string, CorpusDoc>> | null = null;
  private loadCorpus(): Promise<Map<string, CorpusDoc>> {
    if (this.corpus) return Promise.resolve(this.corpus);
    this.corpusLoading ??= (async () => {
      const corpus = new Map<string, CorpusDoc>();
      await forEachLimited([...this.entries.keys()], 64, async (id) => {
        try {
          corpus.set(id, corpusDocOf(await this.getTree(id)));
        } catch (error) {
          if (!(error instanceof StorageError)) throw error;
        }
      });
      this.corpus = corpus;
      this.corpusLoading = null;
      return corpus;
    })();
    return this.corpusLoading;
  }

  /** Writes the index and stops timers. Pending conversation writes finish first. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.writes.allSettled();
    if (this.indexTimer) clearTimeout(this.indexTimer);
    this.indexTimer = null;
    await this.writeIndex();
    this.closed = true;
  }
}

function corpusDocOf(c: ConversationTree): CorpusDoc {
  return {
    title: c.title,
    titleLower: c.title.toLowerCase(),
    messages: c.messages.map((m) => ({ id: m.id, content: m.content, lower: m.content.toLowerCase() })),
  };
}

function snippetAround(text: string, at: number, length: number): string {
  const start = Math.max(0, at - SNIPPET_RADIUS);
  const end = Math.min(text.length, at + length + SNIPPET_RADIUS);
  const body = text.slice(start, end).replace(/\s+/g, ' ');
  return `${start > 0 ? '…' : ''}${body}${end < text.length ? '…' : ''}`;
}
