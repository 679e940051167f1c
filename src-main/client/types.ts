import type { EffectiveOptions } from '../../src-shared/protocol/inner-envelope';
import type { AnswerDelivery, ContextTier, E2eeProfile, MessageRole, ProgressPhase, ServerHealthState, SymmetricCipher } from '../../src-shared/vocabulary';
import type { RsaPadding } from '../crypto';
import type { ChatError } from './errors';
import type { E2eeMemory } from './relay-client/e2ee-memory';

export interface ChatMessage {
  role: MessageRole;
  content: string;
}

/** What a caller may set: the §2.3.1 options (validated against InnerOptionsSchema before sending). */
export type ChatOptions = EffectiveOptions;

export type ChatStatus =
  | { type: 'finding_node'; attempt: number; elapsedMs: number }
  /** The server offered a key not trusted there: waiting for the user to confirm it; nothing is sent yet. */
  | { type: 'confirming_node'; nodeFingerprint: string; elapsedMs: number }
  | { type: 'submitted'; requestId: string; nodeFingerprint: string; contextTier: ContextTier; elapsedMs: number }
  /**
   * Waiting in line: accepted and waiting for the node (202 without a progress update), or — no
   * `requestId` yet — every matching node's queue was full (503 with Retry-After, §2.4.1/§2.4.2)
   * and the client asks again in `retryInMs`, within `deadlineInMs`.
   */
  | { type: 'queued'; requestId?: string; elapsedMs: number; deadlineInMs: number; retryInMs?: number }
  | {
      type: 'progress';
      requestId: string;
      phase: ProgressPhase;
      sequence: number;
      processedPromptTokens: number;
      totalPromptTokens: number;
      cachedPromptTokens: number;
      generatedTokens: number;
      /** Node-side elapsed time of the generation, from the progress update. */
      nodeElapsedMs: number;
      elapsedMs: number;
    }
  /** An answer that did not prove it came from whoever opened the request was refused (§10.5.2); still waiting. */
  | { type: 'answer_refused'; requestId: string; elapsedMs: number }
  /** `failedNodeFingerprint` is absent when the relay offered a key the client could not read (§1.2). */
  | { type: 'failover'; failedNodeFingerprint?: string; reason: string; failovers: number; elapsedMs: number };

/** A node the relay offered, as the caller sees it before anything is encrypted to it. */
export interface OfferedNode {
  /** SHA-256 hex of the node's SPKI (crypto keyFingerprint). */
  fingerprint: string;
  /** `eligible_node_count` of servers/next: how many nodes the relay could have chosen (§2.4.1). */
  liveNodes: number;
}

export interface ChatRequest {
  /** Defaults to the relay's default model (§2.4.1). */
  model?: string;
  /** Undefined = automatic: 8k-fast, retried once on 64k-full if the window is exceeded (§2.5). */
  contextTier?: ContextTier;
  messages: ChatMessage[];
  options?: ChatOptions;
  signal?: AbortSignal;
  /** Extra local limit; the relay deadline rule (§2.4.3) applies in any case. */
  timeoutMs?: number;
  onStatus?(s: ChatStatus): void;
  /**
   * Called with each offered node before anything is encrypted to it (it may wait, e.g. for the
   * user to confirm a new key; `signal` is the request's); returning an error refuses that node
   * (it is treated like a failed node and another one is tried).
   */
  acceptNode?(node: OfferedNode, signal: AbortSignal | undefined): Promise<ChatError | null> | ChatError | null;
  /** Node keys known to speak aead-v1 (§10.6) beyond what this client learnt itself, e.g. stored per server. */
  e2ee?: E2eeMemory;
  /**
   * §11.7: authenticated text of a streamed answer as it arrives, in order. Without it the answer is
   * still streamed when the node can, and only the whole answer is returned. Once text arrived the
   * request no longer fails over (but see `retractable`): an error ends it and the caller keeps
   * what it was shown.
   */
  onDelta?(d: ChatDelta): void;
  /**
   * The caller can take shown text back (it applies snapshot deltas, and the one of '' empties
   * the answer): a node lost mid-answer (`server_unregistered`) is then failed over like one lost
   * before its first chunk, the answer starting over on another node (§11.7). Without it — a
   * caller that already wrote the text out, like an OpenAI stream — the error ends the request.
   */
  retractable?: boolean;
  /**
   * The caller shows a model's reasoning (the app's window, collapsed): ask the node to keep a
   * <think> block instead of removing it (§2.3.6). Sent on aead-v1 requests only (our nodes);
   * reference nodes would ignore it and strip the block as before.
   */
  keepReasoning?: boolean;
}

/** Text that follows what arrived before (`snapshot`: replaces the text so far, §11.6). */
export interface ChatDelta {
  text: string;
  snapshot: boolean;
  /** Since the chat call started. */
  elapsedMs: number;
}

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface ChatEncryption {
  /** `aead-v1` between our peers (§10), `reference-cbc` with reference peers (§1.4). */
  profile: E2eeProfile;
  /** True when the answer proved it came from whoever opened the request (aead-v1's tag and AAD). */
  authenticated: boolean;
  symmetric: SymmetricCipher;
  requestWrap: RsaPadding;
  /** aead-v1: the answer key is derived from the request key, so this is the request's wrap. */
  replyWrap: RsaPadding;
}

export interface ChatTimings {
  totalMs: number;
  /** servers/next calls, all attempts */
  findNodeMs: number;
  encryptMs: number;
  submitMs: number;
  /** from accepted submit to the answer being retrieved (last attempt) */
  waitMs: number;
  decryptMs: number;
  /** from accepted submit to the first progress update, if any */
  firstProgressMs?: number;
}

export interface ChatAnswer {
  content: string;
  finishReason?: string;
  usage?: ChatUsage;
  /** The model the relay resolved (§2.4.1 resolved_model). */
  model: string;
  contextTier: ContextTier;
  requestId: string;
  /** SHA-256 hex of the answering node's SPKI (crypto keyFingerprint). */
  nodeFingerprint: string;
  relayUrl: string;
  encryption: ChatEncryption;
  timings: ChatTimings;
  failovers: number;
  /**
   * 'long-poll': the relay held a retrieve (honours `wait_seconds`); 'poll': it answered at once
   * with nothing new, so the client polls every ~500 ms; 'undetermined': not observable yet
   * (every answer so far carried progress or the reply).
   */
  retrieveMode: 'long-poll' | 'poll' | 'undetermined';
  /** §11: how the answer arrived (absent until the client streams). */
  delivery?: AnswerDelivery;
  /** Since the chat call started: when the first authenticated text arrived (a delta, or the answer). */
  firstTextMs?: number;
}

export interface ServerHealth {
  /** A check always ends in one of these ('unknown' is only for servers not checked yet). */
  state: Exclude<ServerHealthState, 'unknown'>;
  relayUrl: string;
  /** Round trip of GET /api/v1/health (or /healthz when that route is missing). */
  latencyMs?: number;
  /** Registered nodes from /healthz, when the relay publishes them. */
  nodeCount?: number;
  models: string[];
  checkedAt: number;
  error?: { code: string; userMessage: string };
}
