// Routes chat to the active server profile and keeps one RelayClient (one client key pair) per
// relay URL for the session.
//
// Switching servers: by default ('finish') a request already in flight finishes on the server it
// started on — it is bound to that relay and node key, and abandoning it would waste the node's
// work; only new requests go to the new server. With 'cancel', in-flight requests of the old
// server are stopped cleanly: the relay gets a cancel (`requester_cancelled`) and the caller a
// ChatCancelledError with code `server_switched`.
//
// Node keys: before a prompt is encrypted to a key, the server's trust policy decides (trust-gate.ts).
import type { NodeTrust } from '../../src-shared/vocabulary';
import { ChatCancelledError, ChatError } from './errors';
import type { FetchLike } from './http';
import type { ProfilesStore, ServerProfile } from './profiles';
import { RelayClient, type RelayClientConfig } from './relay-client';
import { TrustGate, type ConfirmNode } from './trust-gate';
import type { ChatAnswer, ChatRequest, ServerHealth } from './types';

export type SwitchPolicy = 'finish' | 'cancel';

export interface ChatServiceConfig {
  profiles: ProfilesStore;
  fetch?: FetchLike;
  /** Options for every RelayClient (timings, limits). */
  client?: Omit<RelayClientConfig, 'baseUrl' | 'fetch' | 'headers'>;
  /** Sent to the embedded relay only, never to another server (its launch secret, §12). */
  embeddedRelayHeaders?: Readonly<Record<string, string>>;
  onSwitch?: SwitchPolicy;
  /** Asks the user about a node key not trusted on its server (policy `ask`); without it such keys are refused. */
  confirmNode?: ConfirmNode;
  /** Fingerprints of the nodes this app runs itself (trusted on every server). */
  ownNodeFingerprints?: () => readonly string[];
}

export interface ServiceChatRequest extends ChatRequest {
  /** Send to this profile instead of the active one. */
  serverId?: string;
  /** The conversation asking, shown with a question about its node key. */
  conversationId?: string;
}

export interface ServiceAnswer extends ChatAnswer {
  serverId: string;
  /** Why the answering node's key was trusted when the prompt was sent to it. */
  nodeTrust: NodeTrust;
}

export type ChatServiceEvent = { type: 'switched'; activeId: string; previousId: string; inFlightOnPrevious: number; policy: SwitchPolicy };

interface InFlight {
  serverId: string;
  controller: AbortController;
}

export class ChatService {
  private readonly profiles: ProfilesStore;
  private readonly clients = new Map<string, RelayClient>();
  private readonly inFlight = new Set<InFlight>();
  private readonly listeners = new Set<(e: ChatServiceEvent) => void>();
  private readonly unsubscribe: () => void;
  policy: SwitchPolicy;

  constructor(private readonly config: ChatServiceConfig) {
    this.profiles = config.profiles;
    this.policy = config.onSwitch ?? 'finish';
    this.unsubscribe = this.profiles.on((e) => {
      if (e.type === 'active-changed') this.applySwitch(e.previousId, e.activeId);
    });
  }

  on(listener: (e: ChatServiceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Number of requests in flight, optionally only those of one server. */
  inFlightCount(serverId?: string): number {
    return [...this.inFlight].filter((f) => serverId === undefined || f.serverId === serverId).length;
  }

  /** Makes `id` the active server (persisted); in-flight requests follow the switch policy. */
  switchServer(id: string): Promise<ServerProfile> {
    return this.profiles.setActive(id);
  }

  async chat(req: ServiceChatRequest): Promise<ServiceAnswer> {
    const profile = this.profileFor(req.serverId);
    const client = this.clientFor(profile);
    const controller = new AbortController();
    const onCallerAbort = () => controller.abort(req.signal?.reason);
    if (req.signal?.aborted) onCallerAbort();
    req.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const entry: InFlight = { serverId: profile.id, controller };
    this.inFlight.add(entry);
    const startedAt = performance.now();
    const gate = new TrustGate(this.config, profile, req.conversationId, (nodeFingerprint) =>
      req.onStatus?.({ type: 'confirming_node', nodeFingerprint, elapsedMs: performance.now() - startedAt }),
    );
    try {
      const answer = await client.chat({
        ...req,
        model: req.model ?? profile.defaultModel ?? undefined,
        contextTier: req.contextTier ?? profile.contextTier ?? undefined,
        signal: controller.signal,
        acceptNode: async (offer, signal) => (await gate.accept(offer, signal)) ?? req.acceptNode?.(offer, signal) ?? null,
        // Which keys speak aead-v1 is kept with the server's known nodes (§10.6), across restarts.
        e2ee: {
          speaksAead: (fingerprint) => this.profiles.speaksAead(profile.id, fingerprint),
          learnAead: (fingerprint) => void this.profiles.learnAead(profile.id, fingerprint).catch(() => undefined),
        },
      });
      await this.profiles.recordNodeAnswer(profile.id, answer.nodeFingerprint);
      return { ...answer, serverId: profile.id, nodeTrust: gate.trust(answer.nodeFingerprint) ?? 'any-node' };
    } finally {
      req.signal?.removeEventListener('abort', onCallerAbort);
      this.inFlight.delete(entry);
    }
  }

  async health(serverId?: string): Promise<ServerHealth> {
    const profile = this.profileFor(serverId);
    if (profile.url === null) {
      const err = new ChatError('embedded_relay_not_running');
      return { state: 'unreachable', relayUrl: '', models: [], checkedAt: Date.now(), error: { code: err.code, userMessage: err.userMessage } };
    }
    return this.clientFor(profile).health();
  }

  models(serverId?: string): Promise<string[]> {
    const profile = this.profileFor(serverId);
    return this.clientFor(profile).models();
  }

  /** New client key pairs for every relay (requests in flight keep theirs). */
  async rotateKeys(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.rotateKeys()));
  }

  /** Stops all in-flight requests (cancelled at their relays) and detaches from the store. */
  close(): void {
    this.unsubscribe();
    for (const f of this.inFlight) f.controller.abort(new ChatCancelledError());
  }

  /** The named profile, or the active one. */
  private profileFor(serverId: string | undefined): ServerProfile {
    return serverId ? this.profiles.get(serverId) : this.profiles.active();
  }

  /** Headers every call to this server carries: the launch secret for the embedded relay, none elsewhere. */
  relayHeaders(profile: ServerProfile): Readonly<Record<string, string>> {
    return profile.kind === 'embedded' ? (this.config.embeddedRelayHeaders ?? {}) : {};
  }

  private clientFor(profile: ServerProfile): RelayClient {
    if (profile.url === null) throw new ChatError('embedded_relay_not_running');
    // The embedded relay's client is its own even when a custom server has the same URL.
    const key = `${profile.kind === 'embedded' ? 'embedded' : 'url'} ${profile.url}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new RelayClient({
        ...this.config.client,
        baseUrl: profile.url,
        headers: this.relayHeaders(profile),
        ...(this.config.fetch ? { fetch: this.config.fetch } : {}),
      });
      this.clients.set(key, client);
    }
    return client;
  }

  private applySwitch(previousId: string, activeId: string): void {
    const onPrevious = [...this.inFlight].filter((f) => f.serverId === previousId);
    if (this.policy === 'cancel') {
      for (const f of onPrevious) f.controller.abort(new ChatCancelledError('server_switched'));
    }
    this.emit({ type: 'switched', activeId, previousId, inFlightOnPrevious: onPrevious.length, policy: this.policy });
  }

  private emit(e: ChatServiceEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // listeners must not break chat
      }
    }
  }
}
