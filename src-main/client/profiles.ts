// The server list: embedded relay (default), the public token.place relay and custom URLs;
// the active server; per-server settings; each server's node keys and how they are trusted.
import { randomBytes } from 'node:crypto';
import { TrustPolicySchema, type ContextTier, type ServerKind, type TrustPolicy, type TrustSource } from '../../src-shared/vocabulary';
import { ChatError } from './errors';
import { emptyNodeBook, judgeNode, learnAead, recordAnswer, speaksAead, trustNode, untrustNode, withPolicy, type TrustVerdict } from './node-book';
import {
  EMBEDDED_PROFILE_ID,
  FingerprintSchema,
  ProfileInputSchema,
  ProfilePatchSchema,
  ProfilesStateSchema,
  defaultProfilesState,
  type KnownNode,
  type NodeBook,
  type ProfileInput,
  type ProfilePatch,
  type ProfilesState,
  type StoredProfile,
} from './profiles-schema';
import { normalizeServerUrl } from './server-url';
import type { JsonStorage, SecretStore } from './storage';

export interface ServerProfile {
  id: string;
  name: string;
  kind: ServerKind;
  /** Effective URL; null for the embedded relay while it is not running. */
  url: string | null;
  defaultModel: string | null;
  contextTier: ContextTier | null;
  hasRelayToken: boolean;
  trustPolicy: TrustPolicy;
  active: boolean;
}

export type ProfilesEvent =
  | { type: 'changed' }
  | { type: 'active-changed'; activeId: string; previousId: string };

const relayTokenKey = (id: string) => `tokenplace.relay-token.${id}`;

export class ProfileValidationError extends ChatError {
  constructor(detail: string) {
    super('invalid_server_profile', { detail });
  }
}

export class ProfilesStore {
  private state: ProfilesState = defaultProfilesState();
  private embeddedUrl: string | null = null;
  private tokenIds = new Set<string>();
  private writes: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(e: ProfilesEvent) => void>();

  private constructor(
    private readonly storage: JsonStorage,
    private readonly secrets: SecretStore,
    private readonly now: () => number,
  ) {}

  /** Loads the saved list; a missing or invalid file yields the defaults (never throws on bad data). */
  static async open(opts: { storage: JsonStorage; secrets: SecretStore; now?: () => number }): Promise<ProfilesStore> {
    const store = new ProfilesStore(opts.storage, opts.secrets, opts.now ?? Date.now);
    const parsed = ProfilesStateSchema.safeParse(await opts.storage.load());
    if (parsed.success) store.state = withBuiltIns(parsed.data);
    for (const p of store.state.profiles) {
      if ((await opts.secrets.get(relayTokenKey(p.id))) !== null) store.tokenIds.add(p.id);
    }
    return store;
  }

  on(listener: (e: ProfilesEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): ServerProfile[] {
    return this.state.profiles.map((p) => this.view(p));
  }

  get(id: string): ServerProfile {
    return this.view(this.stored(id));
  }

  active(): ServerProfile {
    return this.get(this.state.activeId);
  }

  /** The embedded relay's URL is runtime state (set by whoever starts it), not persisted. */
  setEmbeddedUrl(url: string | null): void {
    this.embeddedUrl = url === null ? null : normalizeServerUrl(url);
    this.emit({ type: 'changed' });
  }

  async add(input: ProfileInput): Promise<ServerProfile> {
    const v = parseOrThrow(ProfileInputSchema, input);
    const profile: StoredProfile = {
      id: `custom-${randomBytes(6).toString('hex')}`,
      name: v.name,
      kind: 'custom',
      url: v.url,
      defaultModel: v.defaultModel ?? null,
      contextTier: v.contextTier ?? null,
    };
    await this.commit({ ...this.state, profiles: [...this.state.profiles, profile] });
    return this.view(profile);
  }

  /** Built-in servers accept only model/tier changes; custom ones also name and URL. */
  async update(id: string, patch: ProfilePatch): Promise<ServerProfile> {
    const current = this.stored(id);
    const v = parseOrThrow(ProfilePatchSchema, patch);
    if (current.kind !== 'custom' && (v.name !== undefined || v.url !== undefined)) {
      throw new ProfileValidationError('name and URL of built-in servers cannot be changed');
    }
    const next: StoredProfile = {
      ...current,
      ...(v.name !== undefined && { name: v.name }),
      ...(v.url !== undefined && { url: v.url }),
      ...(v.defaultModel !== undefined && { defaultModel: v.defaultModel }),
      ...(v.contextTier !== undefined && { contextTier: v.contextTier }),
    };
    const urlChanged = next.url !== current.url;
    const nodes = { ...this.state.nodes };
    // A new address is a different relay: its node keys and pins start from scratch.
    if (urlChanged) delete nodes[id];
    await this.commit({ ...this.state, nodes, profiles: this.state.profiles.map((p) => (p.id === id ? next : p)) });
    return this.view(next);
  }

  async remove(id: string): Promise<void> {
    const current = this.stored(id);
    if (current.kind !== 'custom') throw new ProfileValidationError('built-in servers cannot be removed');
    const nodes = { ...this.state.nodes };
    delete nodes[id];
    const activeId = this.state.activeId === id ? EMBEDDED_PROFILE_ID : this.state.activeId;
    const previousId = this.state.activeId;
    await this.commit({ ...this.state, activeId, nodes, profiles: this.state.profiles.filter((p) => p.id !== id) });
    await this.secrets.delete(relayTokenKey(id));
    this.tokenIds.delete(id);
    if (activeId !== previousId) this.emit({ type: 'active-changed', activeId, previousId });
  }

  async setActive(id: string): Promise<ServerProfile> {
    this.stored(id);
    const previousId = this.state.activeId;
    if (previousId === id) return this.get(id);
    await this.commit({ ...this.state, activeId: id });
    this.emit({ type: 'active-changed', activeId: id, previousId });
    return this.get(id);
  }

  // --- relay token (secret; for node routes of that relay, §2.2)

  async setRelayToken(id: string, token: string | null): Promise<void> {
    this.stored(id);
    if (token === null || token === '') {
      await this.secrets.delete(relayTokenKey(id));
      this.tokenIds.delete(id);
    } else {
      if (token.length > 4096 || /[\r\n]/.test(token)) throw new ProfileValidationError('relay token must be one line of at most 4096 characters');
      await this.secrets.set(relayTokenKey(id), token);
      this.tokenIds.add(id);
    }
    this.emit({ type: 'changed' });
  }

  async getRelayToken(id: string): Promise<string | null> {
    this.stored(id);
    return this.secrets.get(relayTokenKey(id));
  }

  // --- node keys and trust (node-book.ts)

  knownNodes(id: string): KnownNode[] {
    return this.book(id).known.map((n) => ({ ...n }));
  }

  /** What this server's book says about an offered key, before anything is sent to it. */
  judgeNode(id: string, fingerprint: string): TrustVerdict {
    return judgeNode(this.book(id), fingerprint);
  }

  async trustNode(id: string, fingerprint: string, source: TrustSource = 'confirmed'): Promise<void> {
    await this.changeBook(id, (book) => trustNode(book, parseOrThrow(FingerprintSchema, fingerprint), source, this.now()));
  }

  async untrustNode(id: string, fingerprint: string): Promise<void> {
    await this.changeBook(id, (book) => untrustNode(book, fingerprint));
  }

  async setTrustPolicy(id: string, policy: TrustPolicy): Promise<void> {
    const checked = parseOrThrow(TrustPolicySchema, policy);
    await this.changeBook(id, (book) => withPolicy(book, checked));
  }

  /** Whether the key is known on this server to speak aead-v1 (§10.6). */
  speaksAead(id: string, fingerprint: string): boolean {
    return speaksAead(this.book(id), fingerprint);
  }

  /** The key spoke or advertised aead-v1 on this server: remembered with its known nodes. */
  async learnAead(id: string, fingerprint: string): Promise<void> {
    await this.changeBook(id, (book) => learnAead(book, parseOrThrow(FingerprintSchema, fingerprint), this.now()));
  }

  async recordNodeAnswer(id: string, fingerprint: string): Promise<void> {
    await this.changeBook(id, (book) => recordAnswer(book, parseOrThrow(FingerprintSchema, fingerprint), this.now()));
  }

  /** Resolves when every change made so far is persisted. */
  flush(): Promise<void> {
    return this.writes;
  }

  private async changeBook(id: string, change: (book: NodeBook) => NodeBook): Promise<void> {
    const book = change(this.book(id));
    await this.commit({ ...this.state, nodes: { ...this.state.nodes, [id]: book } });
  }

  private book(id: string): NodeBook {
    this.stored(id);
    return this.state.nodes[id] ?? emptyNodeBook();
  }

  private stored(id: string): StoredProfile {
    const p = this.state.profiles.find((x) => x.id === id);
    if (!p) throw new ChatError('unknown_server_profile', { detail: id });
    return p;
  }

  private view(p: StoredProfile): ServerProfile {
    const book = this.state.nodes[p.id];
    return {
      id: p.id,
      name: p.name,
      kind: p.kind,
      url: p.kind === 'embedded' ? this.embeddedUrl : p.url,
      defaultModel: p.defaultModel,
      contextTier: p.contextTier,
      hasRelayToken: this.tokenIds.has(p.id),
      trustPolicy: book?.policy ?? emptyNodeBook().policy,
      active: p.id === this.state.activeId,
    };
  }

  private async commit(next: ProfilesState): Promise<void> {
    this.state = next;
    const snapshot = structuredClone(next);
    this.writes = this.writes.catch(() => undefined).then(() => this.storage.save(snapshot));
    await this.writes;
    this.emit({ type: 'changed' });
  }

  private emit(e: ProfilesEvent): void {
    for (const l of this.listeners) l(e);
  }
}

function withBuiltIns(state: ProfilesState): ProfilesState {
  const defaults = defaultProfilesState();
  const profiles = [...state.profiles];
  for (const builtIn of defaults.profiles) {
    const idx = profiles.findIndex((p) => p.id === builtIn.id);
    if (idx < 0) profiles.unshift(builtIn);
    // Built-ins keep their fixed kind/URL even if the file says otherwise.
    else profiles[idx] = { ...profiles[idx]!, kind: builtIn.kind, url: builtIn.url };
  }
  const activeId = profiles.some((p) => p.id === state.activeId) ? state.activeId : EMBEDDED_PROFILE_ID;
  return { ...state, profiles, activeId };
}

function parseOrThrow<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new ProfileValidationError(issue ? `${issue.path.map(String).join('.') || 'value'}: ${issue.message}` : 'invalid value');
}
