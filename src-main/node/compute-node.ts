// The compute node (docs/protocol.md §2.4.5–§2.4.9, §2.5 "Compute node"): registers with a
// relay (proving it holds its key where the relay verifies keys, §9), long-polls for encrypted work
// (reference CBC or aead-v1, §10), serves up to max_concurrency requests at once through a
// ModelProvider, heartbeats before the lease runs out, re-registers when the relay forgot it,
// rotates keys without dropping in-flight work, and unregisters on stop.
import { EventEmitter } from 'node:events';
import type { BackendClass, ComputeNodeState } from '../../src-shared/vocabulary';
import { AEAD_V1_PROFILE, generateRsaKeyPair, keyFingerprint, type RsaKeyPair, type RsaPadding, type UnwrapPadding } from '../crypto';
import { Capabilities } from '../../src-shared/protocol/relay-http';
import { STREAM_LIMITS } from '../../src-shared/protocol/stream';
import { AeadSpeakers } from './aead-speakers';
import { ModelConfigError, RegistrationDeferredError, RegistrationRefusedError, RelayStatusError } from './errors';
import { handleWork, type WorkDeps, type WorkIdentity, type WorkReport } from './handle-work';
import { ModelCatalogue, loadModelConfigs, type ModelConfig, type ModelConfigInput } from './model-config';
import type { ModelProvider } from './providers/types';
import { KEY_HELD, deferredRegistration, keyTakenOver, registerWithProof } from './prove-registration';
import { NodeRelayApi, heartbeatAgeMs, pollTimeoutMs, type ReceivedRegisterResponse, type ReceivedWorkItem } from './relay-api';
import { sleep } from './sleep';

export interface NodeTimings {
  /** Timeout of register/control/responses/unregister calls. */
  httpTimeoutMs: number;
  /** Timeout of the control acknowledgement after a cancel (§2.4.6: 2 s). */
  controlAckTimeoutMs: number;
  /** Timeout of a progress post (§2.4.8: 2 s). */
  progressTimeoutMs: number;
  /** Progress coalescing interval (§2.4.8: ≈ 1/s). */
  progressIntervalMs: number;
  /** A streamed answer's snapshots through a relay without chunk routes: at most one new one per this (§11.6: 1 s). */
  snapshotIntervalMs: number;
  /** Retry back-off after relay failures: first and largest delay. */
  retryMinMs: number;
  retryMaxMs: number;
  /** Inference bound when a work item carries no deadline (§2.5: 300 s). */
  defaultRequestTtlSeconds: number;
  /** How long stop() waits for unregistration. */
  stopTimeoutMs: number;
}

const DEFAULT_TIMINGS: NodeTimings = {
  httpTimeoutMs: 10_000,
  controlAckTimeoutMs: 2_000,
  progressTimeoutMs: 2_000,
  progressIntervalMs: 1_000,
  snapshotIntervalMs: STREAM_LIMITS.snapshotIntervalMs,
  retryMinMs: 500,
  retryMaxMs: 15_000,
  defaultRequestTtlSeconds: 300,
  stopTimeoutMs: 5_000,
};

export interface ComputeNodeConfig {
  relayUrl: string;
  /** X-Relay-Server-Token, when the relay requires one (§2.2). */
  relayToken?: string;
  /** Extra headers on every relay call (the app's embedded relay wants its launch secret, §12). */
  relayHeaders?: Readonly<Record<string, string>>;
  provider: ModelProvider;
  /** Offered models (validated with loadModelConfigs). */
  models: readonly (ModelConfigInput | ModelConfig)[];
  /** Requests served at once (1–128, default 1). */
  maxConcurrency?: number;
  backendClass?: BackendClass;
  /** Reply wrap: 'mirror' (default) answers with the request's wrap, so browsers get PKCS#1 v1.5 (§1.3) and OAEP senders OAEP. */
  replyPadding?: RsaPadding | 'mirror';
  /** Request unwrap (default 'legacy-oaep-then-pkcs1v15', see WorkDeps.receivePadding). */
  receivePadding?: UnwrapPadding;
  /** Undecryptable/unbound work: one generic encrypted error (default) or no answer (§1.9.3). */
  undecryptableReply?: 'generic-error' | 'none';
  /** Send server_public_key + control_credential with answers (default true; dropped automatically for relays that refuse them). */
  proveResponseOwnership?: boolean;
  /** Rotate the key pair on this schedule (off when absent). */
  keyRotationIntervalMs?: number;
  /** Key source (tests may inject pre-generated pairs). */
  generateKeyPair?: () => Promise<RsaKeyPair>;
  fetch?: typeof fetch;
  timings?: Partial<NodeTimings>;
}

export interface ComputeNodeStatus {
  state: ComputeNodeState;
  relayUrl: string;
  /** SHA-256 of the current public key (SPKI DER), hex. */
  fingerprint: string | null;
  inFlight: number;
  /** Requests answered with a model reply. */
  served: number;
  /** Requests answered with an encrypted error, or dropped. */
  failed: number;
  models: string[];
  maxConcurrency: number;
  lastError: string | null;
  /** The relay registered the current key as verified (§9); null before the first registration. */
  verified: boolean | null;
}

/** Something the operator should read once (e.g. the relay does not verify keys). */
export interface ComputeNodeNotice {
  kind: 'unverified-registration';
  message: string;
}

export const UNVERIFIED_NOTICE =
  'registered unverified: this relay does not check that the node holds its key (a reference relay, or an ' +
  'older one), so another party could register the same key there. Answers stay end-to-end encrypted.';

export interface ComputeNodeEvents {
  status: [ComputeNodeStatus];
  /** One per work item; carries ids, outcome, code and timings — never content. */
  request: [WorkReport];
  rotated: [{ fingerprint: string; previousFingerprint: string }];
  notice: [ComputeNodeNotice];
}

export interface ComputeNode {
  start(): Promise<void>;
  stop(): Promise<void>;
  rotateKeys(): Promise<void>;
  status(): ComputeNodeStatus;
  /** Current wire public key (what clients get from servers/next). */
  publicKeyWire(): string | null;
  on<E extends keyof ComputeNodeEvents>(event: E, listener: (...args: ComputeNodeEvents[E]) => void): () => void;
}

/** One registration of one key pair with the relay. */
class Registration implements WorkIdentity {
  credentialValue: string | undefined;
  leaseSeconds = 30;
  pollWaitSeconds = 10;
  progress = false;
  /** relay_capabilities.stream_chunks_v1 of the last register answer (§11.1). */
  streamChunks = false;
  registered = false;
  lastHeartbeatAt = 0;
  heartbeating = false;
  /** After a failed heartbeat, the next attempt waits until then (no hammering a dead relay). */
  heartbeatRetryAt = 0;
  polling = false;
  /** Registered with proof (§9): re-register and poll with the credential. */
  verified = false;
  /**
   * Another holder of this key proved it after us and took the registration over (§9.4): poll with
   * the old credential (refused) until the relay forgets the key, then prove again — never take it
   * back while the other one serves.
   */
  displaced = false;
  inFlight = 0;
  retiring = false;
  drained = false;
  unregistering = false;

  constructor(
    readonly keys: RsaKeyPair,
    readonly fingerprint: string,
  ) {}

  credential() {
    return this.credentialValue;
  }
  progressEnabled() {
    return this.progress;
  }
  streamChunksEnabled() {
    return this.streamChunks;
  }
  /** §2.6.2: next_poll_seconds = min(10, poll wait, lease/2), ≥ 1. */
  controlIntervalSeconds() {
    return Math.min(10, Math.max(1, Math.min(this.pollWaitSeconds, this.leaseSeconds / 2)));
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : 'unknown error';
}

class ComputeNodeImpl implements ComputeNode {
  private readonly events = new EventEmitter();
  private readonly api: NodeRelayApi;
  private readonly catalogue: ModelCatalogue;
  private readonly capabilities: Capabilities;
  private readonly timings: NodeTimings;
  private readonly maxConcurrency: number;
  private readonly stopController = new AbortController();
  private readonly deps: WorkDeps;
  private current: Registration | null = null;
  private readonly retiring = new Set<Registration>();
  private readonly active = new Set<Promise<void>>();
  private slotWaiters: (() => void)[] = [];
  private inFlight = 0;
  private served = 0;
  private failed = 0;
  private lastError: string | null = null;
  private errorActive = false;
  private started = false;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private rotationTimer: NodeJS.Timeout | null = null;
  private rotation: Promise<void> = Promise.resolve();
  private lastStatusJson = '';
  /** Whether the relay verifies keys (§9): learnt from the first registration. */
  private relayVerifies: boolean | null = null;

  constructor(private readonly cfg: ComputeNodeConfig) {
    this.timings = { ...DEFAULT_TIMINGS, ...cfg.timings };
    this.maxConcurrency = cfg.maxConcurrency ?? 1;
    this.catalogue = new ModelCatalogue(loadModelConfigs([...cfg.models]));
    const caps = Capabilities.safeParse({
      api_version: 'v1',
      supported_model_ids: this.catalogue.advertisedIds,
      active_context_tier: this.catalogue.activeTier,
      maximum_total_context_tokens: this.catalogue.maximumContextTokens,
      default_output_token_reservation: this.catalogue.defaultOutputTokens,
      maximum_output_tokens: this.catalogue.maximumOutputTokens,
      max_concurrency: this.maxConcurrency,
      backend_class: cfg.backendClass ?? 'unknown',
      e2ee_profiles: [AEAD_V1_PROFILE],
    });
    if (!caps.success) {
      throw new ModelConfigError(
        'Invalid node capabilities',
        caps.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      );
    }
    this.capabilities = caps.data;
    this.api = new NodeRelayApi({ relayUrl: cfg.relayUrl, relayToken: cfg.relayToken, headers: cfg.relayHeaders, fetch: cfg.fetch });
    this.deps = {
      api: this.api,
      catalogue: this.catalogue,
      provider: cfg.provider,
      stopSignal: this.stopController.signal,
      replyPadding: cfg.replyPadding ?? 'mirror',
      receivePadding: cfg.receivePadding ?? 'legacy-oaep-then-pkcs1v15',
      undecryptableReply: cfg.undecryptableReply ?? 'generic-error',
      responseProof: { enabled: cfg.proveResponseOwnership ?? true },
      aeadSpeakers: new AeadSpeakers(),
      defaultRequestTtlSeconds: this.timings.defaultRequestTtlSeconds,
      progressIntervalMs: this.timings.progressIntervalMs,
      snapshotIntervalMs: this.timings.snapshotIntervalMs,
      httpTimeoutMs: this.timings.httpTimeoutMs,
      controlAckTimeoutMs: this.timings.controlAckTimeoutMs,
      progressTimeoutMs: this.timings.progressTimeoutMs,
    };
  }

  // ------------------------------------------------------------------ status and events

  on<E extends keyof ComputeNodeEvents>(event: E, listener: (...args: ComputeNodeEvents[E]) => void): () => void {
    const l = listener as (...args: unknown[]) => void;
    this.events.on(event, l);
    return () => this.events.off(event, l);
  }

  status(): ComputeNodeStatus {
    let state: ComputeNodeState;
    if (this.stopped) state = 'stopped';
    else if (this.errorActive) state = 'error';
    else if (!this.current?.registered) state = 'starting';
    else state = this.inFlight > 0 ? 'serving' : 'registered';
    return {
      state,
      relayUrl: this.api.relayUrl,
      fingerprint: this.current?.fingerprint ?? null,
      inFlight: this.inFlight,
      served: this.served,
      failed: this.failed,
      models: this.catalogue.advertisedIds,
      maxConcurrency: this.maxConcurrency,
      lastError: this.lastError,
      verified: this.current?.registered ? this.current.verified : null,
    };
  }

  publicKeyWire(): string | null {
    return this.current?.keys.publicKeyWire ?? null;
  }

  private emitStatus(): void {
    const s = this.status();
    const json = JSON.stringify(s);
    if (json === this.lastStatusJson) return;
    this.lastStatusJson = json;
    this.events.emit('status', s);
  }

  private setError(err: unknown): void {
    this.lastError = describe(err);
    this.errorActive = true;
    this.emitStatus();
  }

  private clearError(): void {
    if (!this.errorActive) return;
    this.errorActive = false;
    this.emitStatus();
  }

  // ------------------------------------------------------------------ registration

  private async newRegistration(): Promise<Registration> {
    const keys = await (this.cfg.generateKeyPair ?? generateRsaKeyPair)();
    return new Registration(keys, keyFingerprint(keys.publicKeyPem));
  }

  /**
   * One registration call, or the proof exchange (§9.2–§9.3) when this key is not verified yet on
   * a relay that verifies (or may verify) keys. A verified key heartbeats with its credential
   * (§9.4); if the relay lost it and registered the heartbeat unverified, the key proves itself again.
   */
  private async registerOrProve(reg: Registration): Promise<ReceivedRegisterResponse> {
    const timeout = this.timings.httpTimeoutMs;
    if (reg.verified || this.relayVerifies === false) {
      const credential = reg.verified ? reg.credentialValue : undefined;
      const res = await this.api.register(reg.keys.publicKeyWire, this.capabilities, timeout, { controlCredential: credential });
      if (!reg.verified || res.verified === true) return res;
      reg.verified = false;
      if (res.control_credential) reg.credentialValue = res.control_credential;
    }
    const proven = await registerWithProof(this.api, reg.keys, this.capabilities, timeout, reg.credentialValue);
    if (!proven.relayVerifies && this.relayVerifies === null) this.events.emit('notice', { kind: 'unverified-registration', message: UNVERIFIED_NOTICE });
    this.relayVerifies = proven.relayVerifies;
    reg.verified = proven.verified;
    return proven.response;
  }

  /** Register or heartbeat (§2.4.5). The credential comes once per registration lifetime. */
  private async register(reg: Registration): Promise<void> {
    const sentAt = Date.now();
    let res;
    try {
      res = await this.registerOrProve(reg);
    } catch (err) {
      const deferred = deferredRegistration(err);
      if (deferred !== err) throw deferred;
      if (err instanceof RelayStatusError && [400, 401, 403].includes(err.status)) {
        throw new RegistrationRefusedError(err.status, err.relayMessage);
      }
      throw err;
    }
    if (res.control_credential) reg.credentialValue = res.control_credential;
    reg.leaseSeconds = res.next_ping_in_x_seconds > 0 ? res.next_ping_in_x_seconds : reg.leaseSeconds;
    reg.pollWaitSeconds = res.poll_wait_seconds ?? reg.pollWaitSeconds;
    reg.progress = res.relay_capabilities?.encrypted_progress_v1 === true;
    reg.streamChunks = res.relay_capabilities?.stream_chunks_v1 === true;
    reg.lastHeartbeatAt = sentAt;
    reg.registered = true;
  }

  /**
   * The relay has this key under a verified registration that is not (or no longer) ours. If ours
   * was verified, another holder of the key proved it since (§9.4): wait for it to let go. If not,
   * register again, which proves the key (§9).
   */
  private credentialRefused(reg: Registration): RegistrationDeferredError {
    if (reg.verified) {
      reg.displaced = true;
      return keyTakenOver();
    }
    reg.registered = false;
    return new RegistrationDeferredError('control_credential_required', KEY_HELD);
  }

  private heartbeatTick(): void {
    const regs = [this.current, ...this.retiring].filter((r): r is Registration => r !== null);
    for (const reg of regs) {
      if (!reg.registered || reg.heartbeating || reg.unregistering || reg.displaced) continue;
      if (Date.now() - reg.lastHeartbeatAt < heartbeatAgeMs(reg.leaseSeconds) || Date.now() < reg.heartbeatRetryAt) continue;
      reg.heartbeating = true;
      this.register(reg)
        .then(() => this.clearError())
        .catch((err) => {
          reg.heartbeatRetryAt = Date.now() + this.timings.retryMaxMs;
          if (err instanceof RegistrationDeferredError && err.relayCode === 'control_credential_required') {
            if (!this.stopped) this.setError(this.credentialRefused(reg));
            return;
          }
          if (!this.stopped) this.setError(err);
        })
        .finally(() => {
          reg.heartbeating = false;
        });
    }
  }

  // ------------------------------------------------------------------ serving loop

  private waitForSlot(): Promise<void> {
    if (this.inFlight < this.maxConcurrency || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.slotWaiters.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.slotWaiters.shift();
    next?.();
  }

  /** A retiring registration still to drain comes first; then the current one. */
  private nextToPoll(): Registration | null {
    for (const reg of this.retiring) if (!reg.drained && !reg.polling) return reg;
    return this.current;
  }

  private async run(): Promise<void> {
    let backoff = this.timings.retryMinMs;
    const signal = this.stopController.signal;
    while (!this.stopped) {
      await this.waitForSlot();
      if (this.stopped) break;
      const reg = this.nextToPoll();
      if (!reg) break;
      try {
        if (!reg.registered) {
          if (reg.retiring) {
            reg.drained = true;
            continue;
          }
          await this.register(reg);
        }
        reg.polling = true;
        const sentAt = Date.now();
        const credential = reg.verified ? reg.credentialValue : undefined;
        const res = await this.api.poll(reg.keys.publicKeyWire, this.capabilities, pollTimeoutMs(reg.pollWaitSeconds), signal, credential);
        reg.lastHeartbeatAt = sentAt;
        backoff = this.timings.retryMinMs;
        this.clearError();
        if (res.kind === 'unknown-node') {
          reg.registered = false;
          reg.verified = false; // the relay forgot the registration: prove again
          reg.displaced = false;
          if (reg.retiring) reg.drained = true;
        } else if (res.kind === 'idle') {
          if (reg.retiring) reg.drained = true;
        } else {
          this.dispatch(reg, res.item);
        }
      } catch (err) {
        if (this.stopped) break;
        const credentialRefused = err instanceof RelayStatusError && err.relayCode === 'control_credential_required';
        this.setError(credentialRefused ? this.credentialRefused(reg) : deferredRegistration(err));
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, this.timings.retryMaxMs);
      } finally {
        reg.polling = false;
        this.maybeRetire(reg);
      }
    }
  }

  private dispatch(reg: Registration, item: ReceivedWorkItem): void {
    reg.inFlight += 1;
    this.inFlight += 1;
    this.emitStatus();
    const task = handleWork(this.deps, reg, item)
      .then((report) => {
        if (report.outcome === 'answered') this.served += 1;
        else this.failed += 1;
        this.events.emit('request', report);
      })
      .catch(() => {
        // handleWork answers every failure itself; reaching here is a bug — count, never crash.
        this.failed += 1;
      })
      .finally(() => {
        reg.inFlight -= 1;
        this.inFlight -= 1;
        this.active.delete(task);
        this.releaseSlot();
        this.maybeRetire(reg);
        this.emitStatus();
      });
    this.active.add(task);
  }

  // ------------------------------------------------------------------ key rotation

  rotateKeys(): Promise<void> {
    const next = this.rotation.then(() => this.rotateOnce());
    this.rotation = next.catch(() => undefined);
    return next;
  }

  private async rotateOnce(): Promise<void> {
    if (this.stopped || !this.current) throw new Error('Compute node is not running');
    const fresh = await this.newRegistration();
    await this.register(fresh); // failure keeps the old key in service
    const old = this.current;
    this.current = fresh;
    old.retiring = true;
    this.retiring.add(old);
    this.events.emit('rotated', { fingerprint: fresh.fingerprint, previousFingerprint: old.fingerprint });
    this.emitStatus();
    this.maybeRetire(old);
  }

  /** Unregisters a retired key once its queue is drained and its in-flight work is done. */
  private maybeRetire(reg: Registration): void {
    if (!reg.retiring || reg.unregistering || reg.polling || reg.inFlight > 0 || !reg.drained) return;
    reg.unregistering = true;
    this.api
      .unregister(reg.keys.publicKeyWire, reg.credentialValue, this.timings.httpTimeoutMs)
      .catch(() => undefined)
      .finally(() => {
        reg.registered = false;
        this.retiring.delete(reg);
      });
  }

  // ------------------------------------------------------------------ lifecycle

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.emitStatus();
    this.current = await this.newRegistration();
    try {
      await this.register(this.current);
    } catch (err) {
      this.setError(err);
      if (err instanceof RegistrationRefusedError) {
        this.stopped = true;
        this.emitStatus();
        throw err;
      }
      // Relay unreachable: keep trying in the loop (status shows the error meanwhile).
    }
    this.emitStatus();
    this.loop = this.run();
    const minLease = () => Math.min(...[this.current, ...this.retiring].map((r) => r?.leaseSeconds ?? 30));
    this.heartbeatTimer = setInterval(() => this.heartbeatTick(), Math.max(100, Math.min(1000, heartbeatAgeMs(minLease()) / 4)));
    this.heartbeatTimer.unref?.();
    if (this.cfg.keyRotationIntervalMs && this.cfg.keyRotationIntervalMs > 0) {
      this.rotationTimer = setInterval(() => {
        this.rotateKeys().catch((err) => this.setError(err));
      }, this.cfg.keyRotationIntervalMs);
      this.rotationTimer.unref?.();
    }
  }

  async stop(): Promise<void> {
    if (this.stopped && !this.loop) return;
    this.stopped = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.rotationTimer) clearInterval(this.rotationTimer);
    this.stopController.abort();
    for (const resolve of this.slotWaiters.splice(0)) resolve();
    await this.loop;
    this.loop = null;
    await Promise.allSettled([...this.active]);
    await this.rotation;
    const regs = [this.current, ...this.retiring].filter((r): r is Registration => r !== null && r.registered);
    await Promise.allSettled(
      regs.map((r) => this.api.unregister(r.keys.publicKeyWire, r.credentialValue, this.timings.stopTimeoutMs)),
    );
    for (const r of regs) r.registered = false;
    this.retiring.clear();
    this.emitStatus();
  }
}

/** Creates a node without starting it. Throws ModelConfigError for invalid models/capabilities. */
export function createComputeNode(cfg: ComputeNodeConfig): ComputeNode {
  return new ComputeNodeImpl(cfg);
}

/** Creates and starts a node. Rejects with RegistrationRefusedError when the relay refuses it. */
export async function startComputeNode(cfg: ComputeNodeConfig): Promise<ComputeNode> {
  const node = new ComputeNodeImpl(cfg);
  await node.start();
  return node;
}
