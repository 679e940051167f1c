// An in-memory TokenPlaceApi for component and store tests. It behaves like the backend closely
// enough for the UI (ids, ordering, events) and lets a test decide when answers arrive.
import type { NodeConfirmationDecision, NodeTrust } from '../../src-shared/vocabulary';
import type {
  AnswerMeta,
  ChatEvent,
  Conversation,
  ConversationSummary,
  EmbeddedRelayStatus,
  EventChannel,
  EventPayload,
  GatewayStatus,
  InvokeReply,
  LibraryModel,
  LocalNodeStatus,
  Message,
  ModelLibrary,
  NodeConfirmation,
  ServerList,
  ServerProfile,
  Settings,
  TokenPlaceApi,
} from '../../src-shared/ipc/contract';

import { createFakeSteer, emptyFakeSteer, type FakeSteerState } from './fake-steer';
import { createFakeWorkspace, emptyFakeWorkspace, type FakeWorkspaceState } from './fake-workspace';
import { composeUserContent } from '../../src-shared/read/attachments';

type Listener<C extends EventChannel> = (payload: EventPayload<C>) => void;

export interface FakeOptions {
  /** 'auto' answers every request after a tick; 'manual' waits for `answer()` / `fail()`. */
  answers?: 'auto' | 'manual';
  firstRun?: boolean;
  nodeConfigured?: boolean;
  nodeCount?: number;
  locked?: boolean;
  /** What `chat:models` offers (default both tiers). */
  contextTiers?: InvokeReply<'chat:models'>['contextTiers'];
  /** What `node:detect` finds (default: an Ollama server). */
  detected?: InvokeReply<'node:detect'>;
  /** What `models:import`'s dialog picks (default: a file named imported-model.gguf; null: the user cancels). */
  importPick?: string | null;
  /** Organise: what `conversations:importChat`'s dialog picks (absent: the user cancels; an Error: the file is bad). */
  chatFile?: Conversation | Error;
  /** Organise: what `conversations:exportChat`'s save dialog does (default: saves). */
  exportCancelled?: boolean;
}

export interface FakeApi extends TokenPlaceApi {
  state: {
    conversations: Map<string, Conversation>;
    trash: Map<string, Conversation>;
    servers: ServerList;
    relay: EmbeddedRelayStatus;
    node: LocalNodeStatus;
    settings: Settings;
    gateway: GatewayStatus;
    stops: string[];
    inFlight: Map<string, string>;
    /** Text streamed so far per conversation (what a stop keeps). */
    streamed: Map<string, string>;
    locked: boolean;
    /** The key the fake node answers with; `restartNode()` changes it like a real restart does. */
    nodeFingerprint: string;
    /** Questions about node keys waiting for `trust:answer` (like the backend's). */
    confirmations: Map<string, { confirmation: NodeConfirmation; resume(decision: NodeConfirmationDecision): void }>;
    /** The model library (a curated small model, nothing downloaded). */
    library: ModelLibrary;
    /** The sidebar's organisation and the drafts (workspace:*). */
    organisation: FakeWorkspaceState;
    /** Steer: presets and server parameter defaults (presets:*, servers:paramDefaults). */
    steer: FakeSteerState;
    /** Organise: per conversation, the path that shows each version of a message (Regenerate and edits keep them). */
    branches: Map<string, Map<string, Message[]>>;
  };
  calls: { channel: string; request: unknown }[];
  emit<C extends EventChannel>(channel: C, payload: EventPayload<C>): void;
  /** Completes the in-flight answer of a conversation. */
  answer(conversationId: string, content?: string, meta?: Partial<AnswerMeta>): void;
  fail(conversationId: string, message?: string): void;
  status(conversationId: string, phase: Extract<ChatEvent, { type: 'status' }>['phase'], fraction?: number): void;
  /** Streams text into the in-flight answer (§11.7); a stop keeps what was streamed, like the backend. */
  delta(conversationId: string, text: string, snapshot?: boolean): void;
  seed(title: string, messages: Pick<Message, 'role' | 'content'>[], updatedAt?: number): Conversation;
  /** Gives the fake node a new key (a real node gets one on every restart). */
  restartNode(): string;
  /** From now on the relay offers someone else's node (not this computer's): trust rules apply to it. */
  foreignNode(): string;
  /** Reports download progress of a model (`events:models` progress). */
  downloadProgress(fileName: string, receivedBytes: number, bytesPerSecond?: number): void;
  /** Ends a model's download: it is in the folder now (`events:models` library). */
  finishDownload(fileName: string): void;
}

/** The curated small model the fake library offers. */
export const FAKE_SMALL_MODEL: LibraryModel = {
  fileName: 'Qwen2.5-0.5B-Instruct-Q4_K_M.gguf',
  name: 'Qwen2.5 0.5B Instruct',
  catalogueId: 'qwen2.5-0.5b-instruct-q4_k_m',
  publisher: 'Qwen (Alibaba Cloud)',
  parameters: '0.5B',
  quantization: 'Q4_K_M',
  sizeBytes: 397_808_192,
  licence: { name: 'Apache-2.0', url: 'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct/blob/main/LICENSE' },
  ramEstimateBytes: 982_000_000,
  state: 'available',
  inUse: false,
};

const META = {
  model: 'test-model',
  relayUrl: 'http://127.0.0.1:5010',
  serverId: 'embedded',
  nodeFingerprint: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90',
  nodeKeyChanged: false,
  encryption: { symmetric: 'AES-256-GCM', requestWrap: 'RSA-OAEP-SHA256', replyWrap: 'RSA-OAEP-SHA256' },
  elapsedMs: 1200,
} as const;

/** Counts fakes: ids differ between tests, as they do between real conversations (the renderer remembers settled answers by id). */
let fakes = 0;

export function createFakeApi(options: FakeOptions = {}): FakeApi {
  let clock = 1_700_000_000_000;
  let seq = 0;
  const fakeNo = ++fakes;
  const now = () => (clock += 1000);
  const nextId = (p: string) => `${p}-${fakeNo}-${++seq}`;
  const listeners = new Map<EventChannel, Set<Listener<EventChannel>>>();
  const mode = options.answers ?? 'auto';

  const embedded: ServerProfile = {
    id: 'embedded',
    name: 'This computer',
    url: 'http://127.0.0.1:5010',
    kind: 'embedded',
    hasRelayToken: false,
    health: { state: 'ok', latencyMs: 3, nodeCount: options.nodeCount ?? 1, models: ['test-model'], checkedAt: clock },
    trustPolicy: 'ask',
    knownNodes: [],
  };
  const state: FakeApi['state'] = {
    conversations: new Map(),
    trash: new Map(),
    servers: { activeId: 'embedded', servers: [embedded] },
    relay: { enabled: true, state: 'running', url: 'http://127.0.0.1:5010', nodeCount: options.nodeCount ?? 1, restarts: 0 },
    node: options.nodeConfigured === false
      ? { configured: false, state: 'unconfigured', inFlight: 0, served: 0 }
      : {
          configured: true,
          config: { provider: 'test', model: 'test-model', hasApiKey: false },
          state: 'serving',
          fingerprint: META.nodeFingerprint,
          inFlight: 0,
          served: 0,
        },
    settings: { theme: 'system', fontSize: 15 },
    gateway: { enabled: false },
    stops: [],
    inFlight: new Map(),
    streamed: new Map(),
    locked: options.locked ?? false,
    nodeFingerprint: META.nodeFingerprint,
    confirmations: new Map(),
    library: { models: [structuredClone(FAKE_SMALL_MODEL)], freeBytes: 50_000_000_000, smallestFileName: FAKE_SMALL_MODEL.fileName },
    organisation: emptyFakeWorkspace(),
    steer: emptyFakeSteer(),
    branches: new Map(),
  };
  const calls: FakeApi['calls'] = [];

  const emit: FakeApi['emit'] = (channel, payload) => {
    for (const l of listeners.get(channel) ?? []) (l as Listener<typeof channel>)(payload);
  };
  const on = <C extends EventChannel>(channel: C) => (listener: Listener<C>) => {
    const set = listeners.get(channel) ?? new Set();
    set.add(listener as Listener<EventChannel>);
    listeners.set(channel, set);
    return () => set.delete(listener as Listener<EventChannel>);
  };
  const summary = (c: Conversation): ConversationSummary => ({
    id: c.id,
    title: c.title,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    messageCount: c.messages.length,
  });
  const conv = (id: string) => {
    const c = state.conversations.get(id);
    if (!c) throw Object.assign(new Error('That conversation does not exist.'), { code: 'not_found' });
    return c;
  };
  const track = <T>(channel: string, request: unknown, result: () => T): Promise<T> => {
    calls.push({ channel, request });
    try {
      return Promise.resolve(result());
    } catch (e) {
      return Promise.reject(e);
    }
  };

  /** Organise: `replaced` (the message at index `at`) becomes an earlier version of what the path shows next. */
  function keepVersion(c: Conversation, at: number, next: Message) {
    const replaced = c.messages[at]!;
    const paths = state.branches.get(c.id) ?? new Map<string, Message[]>();
    state.branches.set(c.id, paths);
    paths.set(replaced.id, structuredClone(c.messages));
    const ids = [...(c.versions?.[replaced.id] ?? [replaced.id]), next.id];
    c.versions = { ...c.versions, ...Object.fromEntries(ids.map((id) => [id, ids])) };
    c.messages = [...c.messages.slice(0, at), next];
  }

  function startAnswer(c: Conversation): string {
    const answerId = nextId('a');
    c.messages.push({ id: answerId, role: 'assistant', content: '', createdAt: now(), status: 'pending' });
    c.updatedAt = clock;
    state.inFlight.set(c.id, answerId);
    if (mode === 'auto') {
      setTimeout(() => {
        if (state.inFlight.get(c.id) !== answerId) return;
        const last = [...c.messages].reverse().find((m) => m.role === 'user');
        fake.answer(c.id, `You said: ${last?.content ?? ''}`);
      }, 0);
    }
    return answerId;
  }

  const server = (id: string) => {
    const s = state.servers.servers.find((x) => x.id === id);
    if (!s) throw Object.assign(new Error('That server is not in the list.'), { code: 'unknown_server_profile' });
    return s;
  };
  const serversChanged = () => emit('events:servers', structuredClone(state.servers));

  /** Like the backend: remembers the key per server, as trusted when `trusted` says so. */
  function recordNode(serverId: string, fingerprint: string, trusted: 'first-use' | 'confirmed' | undefined, answered: boolean) {
    const s = server(serverId);
    const t = now();
    const seen = s.knownNodes.find((n) => n.fingerprint === fingerprint);
    const base = seen ?? { fingerprint, firstSeenAt: t, lastSeenAt: t, answers: 0, trusted: null, e2eeProfiles: [] };
    const updated = {
      ...base,
      lastSeenAt: t,
      answers: base.answers + (answered ? 1 : 0),
      trusted: trusted === 'confirmed' ? ('confirmed' as const) : (base.trusted ?? trusted ?? null),
    };
    s.knownNodes = [updated, ...s.knownNodes.filter((n) => n.fingerprint !== fingerprint)];
    serversChanged();
  }

  type Judged = { trust: NodeTrust } | { refuse: 'node_key_not_trusted' } | { ask: string[] };
  /** Like the backend's trust gate, before anything is sent to the offered key. */
  function judge(serverId: string, fingerprint: string): Judged {
    const s = server(serverId);
    if (state.node.fingerprint === fingerprint) return { trust: 'own-node' };
    if (s.trustPolicy === 'any-node') return { trust: 'any-node' };
    const known = s.knownNodes.find((n) => n.fingerprint === fingerprint);
    if (known?.trusted) return { trust: known.trusted };
    const trusted = s.knownNodes.filter((n) => n.trusted !== null).map((n) => n.fingerprint);
    if (trusted.length === 0) {
      recordNode(serverId, fingerprint, 'first-use', false);
      return { trust: 'first-use' };
    }
    return s.trustPolicy === 'trusted-only' ? { refuse: 'node_key_not_trusted' } : { ask: trusted };
  }

  function ask(conversationId: string, serverId: string, fingerprint: string, trusted: string[], resume: (trust: NodeTrust | null) => void) {
    const s = server(serverId);
    const confirmation: NodeConfirmation = {
      id: nextId('q'),
      serverId,
      serverName: s.name,
      fingerprint,
      trustedFingerprints: trusted,
      liveNodes: s.health.nodeCount ?? 1,
      conversationId,
      askedAt: now(),
    };
    state.confirmations.set(confirmation.id, {
      confirmation,
      resume: (decision) => {
        state.confirmations.delete(confirmation.id);
        emit('events:trust', { type: 'settled', id: confirmation.id });
        if (decision === 'refuse') return resume(null);
        if (decision === 'trust-any-node') {
          s.trustPolicy = 'any-node';
          serversChanged();
          return resume('any-node');
        }
        recordNode(serverId, fingerprint, 'confirmed', false);
        resume('confirmed');
      },
    });
    fake.status(conversationId, 'confirming_node');
    emit('events:trust', { type: 'ask', confirmation: structuredClone(confirmation) });
  }

  function finish(conversationId: string, type: 'answer' | 'error' | 'stopped', patch: Partial<Message>) {
    const c = conv(conversationId);
    const answerId = state.inFlight.get(conversationId);
    if (!answerId) return;
    state.inFlight.delete(conversationId);
    state.streamed.delete(conversationId);
    const i = c.messages.findIndex((m) => m.id === answerId);
    const msg = { ...c.messages[i]!, ...patch } as Message;
    c.messages[i] = msg;
    c.updatedAt = now();
    emit('events:chat', { type, conversationId, message: msg });
  }

  const model = (fileName: string): LibraryModel => {
    const m = state.library.models.find((x) => x.fileName === fileName);
    if (!m) throw Object.assign(new Error(`There is no download of ${fileName} to pause, resume or cancel.`), { code: 'model_download_not_running' });
    return m;
  };
  const setModel = (fileName: string, patch: Partial<LibraryModel>) => {
    const m = model(fileName);
    Object.assign(m, patch);
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete (m as Record<string, unknown>)[k];
  };

  const organisation = createFakeWorkspace(state.organisation, track, () => new Set(state.conversations.keys()), now, () => nextId('f'));
  const steer = createFakeSteer(state.steer, {
    track,
    conv,
    nextId: () => nextId('p'),
    create: () => {
      const t = now();
      const c: Conversation = { id: nextId('c'), title: 'New chat', createdAt: t, updatedAt: t, messageCount: 0, systemPrompt: '', messages: [] };
      state.conversations.set(c.id, c);
      return c;
    },
    resume: (c, answerId) => state.inFlight.set(c.id, answerId),
  });

  const fake: FakeApi = {
    state,
    calls,
    emit,
    downloadProgress(fileName, receivedBytes, bytesPerSecond = 5_000_000) {
      const m = model(fileName);
      const totalBytes = m.sizeBytes;
      const progress = { receivedBytes, ...(totalBytes !== undefined && { totalBytes, secondsLeft: (totalBytes - receivedBytes) / bytesPerSecond }), bytesPerSecond };
      setModel(fileName, { state: 'downloading', progress });
      emit('events:models', { type: 'progress', fileName, progress });
    },
    finishDownload(fileName) {
      setModel(fileName, { state: 'installed', progress: undefined });
      emit('events:models', { type: 'library', library: structuredClone(state.library) });
    },
    answer(conversationId, content = 'Hello from the fake node.', metaPatch = {}) {
      const serverId = state.servers.activeId;
      const fingerprint = state.nodeFingerprint;
      const deliver = (trust: NodeTrust | null) => {
        if (trust === null) {
          finish(conversationId, 'error', {
            status: 'error',
            error: { code: 'node_key_declined', message: 'You chose not to send to that node key, so nothing was sent.', retryable: true },
          });
          return;
        }
        if (trust !== 'own-node') recordNode(serverId, fingerprint, undefined, true);
        finish(conversationId, 'answer', {
          content,
          status: 'complete',
          meta: { ...META, serverId, nodeFingerprint: fingerprint, nodeTrust: trust, encryption: { ...META.encryption }, ...metaPatch },
        });
      };
      const verdict = judge(serverId, fingerprint);
      if ('refuse' in verdict) {
        finish(conversationId, 'error', {
          status: 'error',
          error: {
            code: verdict.refuse,
            message: 'This server offered a node key you have not trusted, and it is set to use trusted keys only, so nothing was sent.',
            retryable: false,
          },
        });
        return;
      }
      if ('ask' in verdict) return ask(conversationId, serverId, fingerprint, verdict.ask, deliver);
      deliver(verdict.trust);
    },
    restartNode() {
      state.nodeFingerprint = (++seq).toString(16).padStart(2, '0').repeat(32).slice(0, 64);
      state.node = { ...state.node, fingerprint: state.nodeFingerprint };
      emit('events:node', structuredClone(state.node));
      return state.nodeFingerprint;
    },
    foreignNode() {
      state.nodeFingerprint = `f${(++seq).toString(16).padStart(3, '0')}`.repeat(16);
      return state.nodeFingerprint;
    },
    fail(conversationId, message = 'The node went away before it answered.') {
      finish(conversationId, 'error', { status: 'error', error: { code: 'node_stopped', message, retryable: true } });
    },
    delta(conversationId, text, snapshot = false) {
      const answerId = state.inFlight.get(conversationId);
      if (!answerId) return;
      state.streamed.set(conversationId, snapshot ? text : (state.streamed.get(conversationId) ?? '') + text);
      emit('events:chat', { type: 'delta', conversationId, answerId, text, snapshot, elapsedMs: 500 });
    },
    status(conversationId, phase, fraction) {
      const answerId = state.inFlight.get(conversationId);
      if (!answerId) return;
      emit('events:chat', { type: 'status', conversationId, answerId, phase, elapsedMs: 500, fraction });
    },
    seed(title, messages, updatedAt) {
      const id = nextId('c');
      const t = updatedAt ?? now();
      const c: Conversation = {
        id,
        title,
        createdAt: t,
        updatedAt: t,
        messageCount: messages.length,
        systemPrompt: '',
        messages: messages.map((m) => ({ ...m, id: nextId('m'), createdAt: t, status: 'complete' as const })),
      };
      state.conversations.set(id, c);
      return c;
    },
    app: {
      info: (r) => track('app:info', r, () => ({
        version: '0.1.0',
        platform: 'linux',
        secretStorage: state.locked ? ('locked' as const) : ('os' as const),
        firstRun: options.firstRun ?? false,
      })),
      unlock: (r) => track('app:unlock', r, () => {
        if (r.passphrase !== 'correct horse') throw new Error('That passphrase is not right.');
        state.locked = false;
        return { ok: true as const };
      }),
    },
    conversations: {
      list: (r) => track('conversations:list', r, () =>
        [...state.conversations.values()].map((c) => ({ ...summary(c), messageCount: c.messages.length })),
      ),
      get: (r) => track('conversations:get', r, () => structuredClone(conv(r.id))),
      create: (r) => track('conversations:create', r, () => {
        const t = now();
        const c: Conversation = {
          id: nextId('c'),
          title: r.title ?? 'New chat',
          createdAt: t,
          updatedAt: t,
          messageCount: 0,
          systemPrompt: r.systemPrompt ?? '',
          messages: [],
        };
        state.conversations.set(c.id, c);
        // Steer: like the backend, a new chat starts with the default preset, if one is set.
        if (r.systemPrompt === undefined) steer.applyDefault(c);
        return structuredClone(c);
      }),
      rename: (r) => track('conversations:rename', r, () => {
        const c = conv(r.id);
        c.title = r.title.trim();
        return summary(c);
      }),
      update: (r) => track('conversations:update', r, () => {
        const c = conv(r.id);
        if (r.systemPrompt !== undefined) c.systemPrompt = r.systemPrompt;
        if (r.model !== undefined) c.model = r.model;
        if (r.contextTier !== undefined) c.contextTier = r.contextTier;
        return structuredClone(c);
      }),
      delete: (r) => track('conversations:delete', r, () => {
        state.trash.set(r.id, conv(r.id));
        state.conversations.delete(r.id);
        organisation.forget(r.id);
        return { ok: true as const };
      }),
      restore: (r) => track('conversations:restore', r, () => {
        const c = state.trash.get(r.id);
        if (!c) throw new Error('Nothing to restore.');
        state.trash.delete(r.id);
        state.conversations.set(c.id, c);
        return summary(c);
      }),
      search: (r) => track('conversations:search', r, () => {
        const q = r.query.trim().toLowerCase();
        const hits = [];
        for (const c of state.conversations.values()) {
          if (c.title.toLowerCase().includes(q)) hits.push({ conversationId: c.id, conversationTitle: c.title, snippet: c.title });
          for (const m of c.messages) {
            if (m.content.toLowerCase().includes(q))
              hits.push({ conversationId: c.id, conversationTitle: c.title, messageId: m.id, snippet: m.content.slice(0, 120) });
          }
        }
        return hits;
      }),
      export: (r) => track('conversations:export', r, () => {
        const all = [...state.conversations.values()].filter((c) => !r.ids || r.ids.includes(c.id));
        return r.format === 'json'
          ? { filename: 'conversations.json', mimeType: 'application/json', content: JSON.stringify(all) }
          : {
              filename: 'conversations.md',
              mimeType: 'text/markdown',
              content: all.map((c) => `# ${c.title}\n\n${c.messages.map((m) => `**${m.role}:** ${m.content}`).join('\n\n')}`).join('\n\n'),
            };
      }),
      import: (r) => track('conversations:import', r, () => {
        if (r.format !== 'json') return { imported: 0 };
        const list = JSON.parse(r.content) as Conversation[];
        for (const c of list) state.conversations.set(nextId('c'), { ...c, id: `c-${seq}` });
        return { imported: list.length };
      }),
      clear: (r) => track('conversations:clear', r, () => {
        for (const id of state.conversations.keys()) organisation.forget(id);
        state.conversations.clear();
        return { ok: true as const };
      }),
      showVersion: (r) => track('conversations:showVersion', r, () => {
        const c = conv(r.id);
        const path = state.branches.get(c.id)?.get(r.messageId);
        if (!path && !c.messages.some((m) => m.id === r.messageId)) throw Object.assign(new Error('That message is no longer in this conversation.'), { code: 'not_found' });
        if (path) {
          const paths = state.branches.get(c.id)!;
          const shown = c.messages.find((m) => c.versions?.[m.id]?.includes(r.messageId));
          if (shown) paths.set(shown.id, structuredClone(c.messages));
          c.messages = structuredClone(path);
          c.messageCount = c.messages.length;
        }
        return structuredClone(c);
      }),
      deleteMessage: (r) => track('conversations:deleteMessage', r, () => {
        const c = conv(r.id);
        const i = c.messages.findIndex((m) => m.id === r.messageId);
        if (i < 0) throw Object.assign(new Error('That message is no longer in this conversation.'), { code: 'not_found' });
        c.messages = c.messages.slice(0, i);
        c.messageCount = c.messages.length;
        return structuredClone(c);
      }),
      exportChat: (r) => track('conversations:exportChat', r, () => {
        const c = conv(r.id);
        return options.exportCancelled ? { saved: false } : { saved: true, fileName: `${c.title}.${r.format === 'markdown' ? 'md' : r.format}` };
      }),
      markdown: (r) => track('conversations:markdown', r, () => {
        const c = conv(r.id);
        return { content: `# ${c.title}\n\n${c.messages.map((m) => `### ${m.role === 'user' ? 'You' : 'Assistant'}\n\n${m.content}\n`).join('\n')}` };
      }),
      importChat: (r) => track('conversations:importChat', r, () => {
        const file = options.chatFile;
        if (!file) return {};
        if (file instanceof Error) throw Object.assign(file, { code: 'bad_request' });
        const c = { ...structuredClone(file), id: nextId('c') };
        state.conversations.set(c.id, c);
        return { imported: summary(c) };
      }),
    },
    chat: {
      send: (r) => track('chat:send', r, () => {
        const c = conv(r.conversationId);
        const userMessageId = nextId('u');
        // Read: files are composed with the typed text as the backend does (§2.3.7).
        const composed = composeUserContent(r.content.trim(), r.attachments ?? []);
        c.messages.push({ id: userMessageId, role: 'user', content: composed.content, createdAt: now(), status: 'complete', ...(r.attachments && { attachments: composed.attachments }) });
        if (c.title === 'New chat') c.title = (r.content || r.attachments?.[0]?.name || '').slice(0, 40);
        return { userMessageId, answerId: startAnswer(c) };
      }),
      stop: (r) => track('chat:stop', r, () => {
        state.stops.push(r.conversationId);
        const had = state.inFlight.has(r.conversationId);
        finish(r.conversationId, 'stopped', { status: 'stopped', content: state.streamed.get(r.conversationId) ?? '' });
        return { stopped: had };
      }),
      regenerate: (r) => track('chat:regenerate', r, () => {
        const c = conv(r.conversationId);
        if (c.messages.at(-1)?.role !== 'assistant') return { answerId: startAnswer(c) };
        const answerId = startAnswer(c);
        const answer = c.messages.pop()!;
        keepVersion(c, c.messages.length - 1, answer);
        return { answerId };
      }),
      edit: (r) => track('chat:edit', r, () => {
        const c = conv(r.conversationId);
        const i = c.messages.findIndex((m) => m.id === r.messageId);
        if (i < 0) throw new Error('That message does not exist.');
        keepVersion(c, i, { ...c.messages[i]!, id: nextId('u'), content: r.content });
        return { answerId: startAnswer(c) };
      }),
      models: (r) => track('chat:models', r, () => ({ models: ['test-model', 'other-model'], contextTiers: options.contextTiers ?? ['8k-fast' as const, '64k-full' as const] })),
      ...steer.chat,
    },
    presets: steer.presets,
    servers: {
      ...steer.servers,
      list: (r) => track('servers:list', r, () => structuredClone(state.servers)),
      add: (r) => track('servers:add', r, () => {
        const s: ServerProfile = {
          id: nextId('s'),
          name: r.name,
          url: r.url,
          kind: 'custom',
          hasRelayToken: Boolean(r.relayToken),
          defaultModel: r.defaultModel,
          health: { state: 'unknown', models: [] },
          trustPolicy: 'ask',
          knownNodes: [],
        };
        state.servers.servers.push(s);
        emit('events:servers', structuredClone(state.servers));
        return s;
      }),
      update: (r) => track('servers:update', r, () => {
        const s = state.servers.servers.find((x) => x.id === r.id);
        if (!s) throw new Error('No such server.');
        if (r.name) s.name = r.name;
        if (r.url) s.url = r.url;
        return structuredClone(s);
      }),
      remove: (r) => track('servers:remove', r, () => {
        state.servers.servers = state.servers.servers.filter((x) => x.id !== r.id);
        return { ok: true as const };
      }),
      activate: (r) => track('servers:activate', r, () => {
        state.servers.activeId = r.id;
        return structuredClone(state.servers);
      }),
      probe: (r) => track('servers:probe', r, () => {
        const s = state.servers.servers.find((x) => x.id === r.id);
        return s?.health ?? { state: 'unreachable' as const, models: [] };
      }),
      trustNode: (r) => track('servers:trustNode', r, () => {
        recordNode(r.serverId, r.fingerprint, 'confirmed', false);
        return structuredClone(server(r.serverId));
      }),
      untrustNode: (r) => track('servers:untrustNode', r, () => {
        const s = server(r.serverId);
        s.knownNodes = s.knownNodes.map((n) => (n.fingerprint === r.fingerprint ? { ...n, trusted: null } : n));
        serversChanged();
        return structuredClone(s);
      }),
      setTrustPolicy: (r) => track('servers:setTrustPolicy', r, () => {
        const s = server(r.serverId);
        s.trustPolicy = r.policy;
        serversChanged();
        return structuredClone(s);
      }),
    },
    trust: {
      pending: (r) => track('trust:pending', r, () => [...state.confirmations.values()].map((w) => structuredClone(w.confirmation))),
      answer: (r) => track('trust:answer', r, () => {
        const waiting = state.confirmations.get(r.id);
        if (!waiting) throw Object.assign(new Error('That question about a node key was already answered, or its request was stopped.'), { code: 'confirmation_settled' });
        waiting.resume(r.decision);
        return { ok: true as const };
      }),
    },
    relay: {
      status: (r) => track('relay:status', r, () => ({ ...state.relay })),
      setEnabled: (r) => track('relay:setEnabled', r, () => {
        state.relay = { ...state.relay, enabled: r.enabled, state: r.enabled ? 'running' : 'stopped' };
        return { ...state.relay };
      }),
    },
    node: {
      status: (r) => track('node:status', r, () => structuredClone(state.node)),
      configure: (r) => track('node:configure', r, () => {
        state.node = {
          ...state.node,
          configured: true,
          state: 'stopped',
          config: { provider: r.provider, baseUrl: r.baseUrl, model: r.model, hasApiKey: Boolean(r.apiKey) },
        };
        return structuredClone(state.node);
      }),
      start: (r) => track('node:start', r, () => {
        state.node = { ...state.node, state: 'serving', fingerprint: state.nodeFingerprint };
        return structuredClone(state.node);
      }),
      stop: (r) => track('node:stop', r, () => {
        state.node = { ...state.node, state: 'stopped' };
        return structuredClone(state.node);
      }),
      detect: (r) => track('node:detect', r, () => structuredClone(options.detected ?? [{ name: 'Ollama' as const, baseUrl: 'http://127.0.0.1:11434/v1', models: ['llama3.2'] }])),
    },
    settings: {
      get: (r) => track('settings:get', r, () => ({ ...state.settings })),
      update: (r) => track('settings:update', r, () => {
        state.settings = { ...state.settings, ...r };
        return { ...state.settings };
      }),
    },
    gateway: {
      status: (r) => track('gateway:status', r, () => ({ ...state.gateway })),
      setEnabled: (r) => track('gateway:setEnabled', r, () => {
        state.gateway = r.enabled ? { enabled: true, url: 'http://127.0.0.1:8765/v1', token: 'tp-gateway-token' } : { enabled: false };
        return { ...state.gateway };
      }),
    },
    workspace: organisation.api,
    shell: {
      openExternal: (r) => track('shell:openExternal', r, () => ({ ok: true as const })),
    },
    models: {
      list: (r) => track('models:list', r, () => structuredClone(state.library)),
      download: (r) => track('models:download', r, () => {
        setModel(r.fileName, { state: 'downloading', progress: { receivedBytes: 0, totalBytes: model(r.fileName).sizeBytes, bytesPerSecond: 0 } });
        return structuredClone(state.library);
      }),
      addFromUrl: (r) => track('models:addFromUrl', r, () => {
        const fileName = decodeURIComponent(new URL(r.url).pathname.split('/').pop() ?? 'model.gguf');
        state.library.models.push({ fileName, name: fileName.replace(/\.gguf$/i, ''), state: 'downloading', progress: { receivedBytes: 0, bytesPerSecond: 0 }, inUse: false });
        return structuredClone(state.library);
      }),
      pause: (r) => track('models:pause', r, () => {
        setModel(r.fileName, { state: 'paused' });
        return structuredClone(state.library);
      }),
      resume: (r) => track('models:resume', r, () => {
        setModel(r.fileName, { state: 'downloading', error: undefined });
        return structuredClone(state.library);
      }),
      cancel: (r) => track('models:cancel', r, () => {
        const m = model(r.fileName);
        if (m.catalogueId) setModel(r.fileName, { state: 'available', progress: undefined, error: undefined });
        else state.library.models = state.library.models.filter((x) => x.fileName !== r.fileName);
        return structuredClone(state.library);
      }),
      import: (r) => track('models:import', r, () => {
        const pick = options.importPick === undefined ? 'imported-model.gguf' : options.importPick;
        if (pick === null) return { library: structuredClone(state.library) };
        state.library.models.push({ fileName: pick, name: pick.replace(/\.gguf$/i, ''), sizeBytes: 1_000_000, state: 'installed', inUse: false });
        return { imported: pick, library: structuredClone(state.library) };
      }),
      delete: (r) => track('models:delete', r, () => {
        const m = model(r.fileName);
        if (m.inUse) throw Object.assign(new Error('This computer’s node is serving this model. Choose another model for the node, or stop the node, first.'), { code: 'model_in_use' });
        if (m.catalogueId) setModel(r.fileName, { state: 'available', progress: undefined });
        else state.library.models = state.library.models.filter((x) => x.fileName !== r.fileName);
        return { freedBytes: m.sizeBytes ?? 0, library: structuredClone(state.library) };
      }),
      use: (r) => track('models:use', r, () => {
        const m = model(r.fileName);
        if (m.state !== 'installed') throw Object.assign(new Error(`${r.fileName} is not in the models folder yet. Download or import it first.`), { code: 'model_file_not_found' });
        for (const x of state.library.models) x.inUse = x.fileName === r.fileName;
        state.node = {
          ...state.node,
          configured: true,
          config: { provider: 'local', model: r.fileName.replace(/\.gguf$/i, ''), modelFile: `/data/models/${r.fileName}`, hasApiKey: false },
          state: 'serving',
          fingerprint: state.nodeFingerprint,
        };
        emit('events:node', structuredClone(state.node));
        return structuredClone(state.node);
      }),
    },
    events: {
      chat: on('events:chat'),
      servers: on('events:servers'),
      relay: on('events:relay'),
      node: on('events:node'),
      trust: on('events:trust'),
      models: on('events:models'),
      window: on('events:window'),
    },
  };
  return fake;
}
