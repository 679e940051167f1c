// HTTP calls a compute node makes to a relay (docs/protocol.md §2.4.5–§2.4.9), with timeouts and
// wire-schema checks. One method per route; status handling per the spec tables.
import type { z } from 'zod';
import {
  ControlResponse,
  PollNoWork,
  RELAY_SERVER_TOKEN_HEADER,
  RegisterResponse,
  RelayErrorBody,
  UnregisterResponse,
  WorkItem,
  type Capabilities,
  type ControlBody,
  type NodeResponseBody,
  type ProgressBody,
} from '../../src-shared/protocol/relay-http';
import type { RegistrationProof } from '../../src-shared/protocol/registration-proof';
import { StreamAppendRefusal, type StreamAppendBody } from '../../src-shared/protocol/stream';
import { RelayStatusError, RelayProtocolError, RelayUnreachableError } from './errors';
import { canPostDirectly, postJson, type PostAnswer } from './relay-post';

/** A work item as received: the deadline/e2ee metadata is optional so older relays still work. */
export const ReceivedWorkItem = WorkItem.partial({
  e2ee_v1: true,
  request_deadline_remaining_seconds: true,
  request_ttl_seconds: true,
  chat_history: true,
  ciphertext: true,
});
export type ReceivedWorkItem = z.infer<typeof ReceivedWorkItem>;

/**
 * A register answer as received: older relays omit relay_capabilities; ours may carry a
 * registration challenge (`proof_challenge`) or `verified: true` (§9).
 */
export const ReceivedRegisterResponse = RegisterResponse.partial({ relay_capabilities: true, poll_wait_seconds: true });
export type ReceivedRegisterResponse = z.infer<typeof ReceivedRegisterResponse>;

export type PollResult =
  | { kind: 'work'; item: ReceivedWorkItem }
  | { kind: 'idle'; pollWaitSeconds?: number }
  /** 404: the relay does not know this key (evicted or restarted) — re-register. */
  | { kind: 'unknown-node' };

export type ControlResult = ControlResponse | { status: 'forbidden' };
export type DeliveryResult = 'accepted' | 'duplicate' | 'gone' | 'rejected';
export type ProgressResult = 'accepted' | 'stop' | 'retry';

/** What a stream append came to (§11.4 statuses, as §11.3 acts on them). */
export type AppendOutcome =
  | { kind: 'accepted' }
  /** 429 stream_buffer_full: the reader has not caught up. */
  | { kind: 'busy'; retryAfterMs: number }
  /** 400, 401, 403, 404, 405, 409, 413, 422: stop appending, the answer still goes out. */
  | { kind: 'refused' }
  /** 410: the request is no longer in flight (cancelled, expired, taken back). */
  | { kind: 'gone' }
  /** No answer, a timeout, a 5xx: try again while the request has time. */
  | { kind: 'unreachable' };

export interface RegisterOptions {
  /** §9: ask for a challenge ({version: 1}) or answer one. */
  proof?: RegistrationProof;
  /** Needed to re-register a key registered with proof (§9.4). */
  controlCredential?: string;
}

export interface NodeRelayApiConfig {
  relayUrl: string;
  relayToken?: string;
  /** Sent on every call besides the token (the app's embedded relay wants its launch secret, §12). */
  headers?: Readonly<Record<string, string>>;
  /** Carries every call when given (tests); without it the calls go over node:http(s) (relay-post.ts). */
  fetch?: typeof fetch;
}

interface RawResponse {
  status: number;
  json: unknown;
}

const ROUTES = {
  register: '/api/v1/relay/servers/register',
  poll: '/api/v1/relay/servers/poll',
  control: '/api/v1/relay/servers/control',
  responses: '/api/v1/relay/responses',
  progress: '/api/v1/relay/progress',
  streamAppend: '/api/v1/relay/stream/append',
  unregister: '/api/v1/relay/servers/unregister',
  legacyUnregister: '/unregister',
} as const;

function relayMessage(json: unknown): string | undefined {
  const parsed = RelayErrorBody.safeParse(json);
  return parsed.success ? parsed.data.error.message : undefined;
}

/** §11.3: after these an append is not tried again for the request. */
const STREAM_GIVE_UP_STATUSES = [400, 401, 403, 404, 405, 409, 413, 422];
/** A 429 without a usable retry_after_ms waits this long. */
const DEFAULT_STREAM_RETRY_MS = 250;

/** retry_after_ms of a 429 stream_buffer_full, in the error object (or at the top level). */
function retryAfterMs(json: unknown): number {
  const error = (json as { error?: unknown } | undefined)?.error;
  for (const where of [error, json]) {
    const parsed = StreamAppendRefusal.safeParse(where);
    if (parsed.success && parsed.data.retry_after_ms !== undefined) return parsed.data.retry_after_ms;
  }
  return DEFAULT_STREAM_RETRY_MS;
}

function relayCode(json: unknown): string | undefined {
  const parsed = RelayErrorBody.safeParse(json);
  const code = parsed.success ? parsed.data.error.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

export class NodeRelayApi {
  readonly relayUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly direct: boolean;
  private readonly headers: Readonly<Record<string, string>>;

  constructor(private readonly cfg: NodeRelayApiConfig) {
    this.relayUrl = cfg.relayUrl.replace(/\/+$/, '');
    this.fetchImpl = cfg.fetch ?? fetch;
    this.direct = cfg.fetch === undefined && canPostDirectly(this.relayUrl);
    const headers: Record<string, string> = { ...cfg.headers, 'content-type': 'application/json' };
    if (cfg.relayToken) headers[RELAY_SERVER_TOKEN_HEADER] = cfg.relayToken;
    this.headers = headers;
  }

  private async post(route: string, body: unknown, timeoutMs: number, signal?: AbortSignal): Promise<RawResponse> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const payload = JSON.stringify(body);
    let answer: PostAnswer;
    try {
      answer = this.direct ? await postJson(`${this.relayUrl}${route}`, payload, this.headers, combined) : await this.fetchPost(route, payload, combined);
      // A redirect: fetch follows it, as it did before calls went over node:http.
      if (this.direct && answer.status >= 300 && answer.status < 400) answer = await this.fetchPost(route, payload, combined);
    } catch {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new RelayUnreachableError(route, 'network');
      throw new RelayUnreachableError(route, timeout.aborted ? 'timeout' : 'network');
    }
    const { text } = answer;
    let json: unknown = undefined;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined; // HTML error pages (§2.1) — status alone decides
      }
    }
    return { status: answer.status, json };
  }

  /** The call by fetch: the status and the whole body text (a throw when either does not come). */
  private async fetchPost(route: string, payload: string, signal: AbortSignal): Promise<PostAnswer> {
    const res = await this.fetchImpl(`${this.relayUrl}${route}`, { method: 'POST', headers: this.headers, body: payload, signal });
    return { status: res.status, text: await res.text() };
  }

  private parse<T>(route: string, schema: z.ZodType<T>, json: unknown): T {
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new RelayProtocolError(route, parsed.error.issues[0]?.message ?? 'schema mismatch');
    return parsed.data;
  }

  /** §2.4.5 register / heartbeat, §9 with proof. Throws RelayStatusError for any non-200. */
  async register(
    serverPublicKey: string,
    capabilities: Capabilities,
    timeoutMs: number,
    opts: RegisterOptions = {},
  ): Promise<ReceivedRegisterResponse> {
    const body = {
      server_public_key: serverPublicKey,
      capabilities,
      ...(opts.proof ? { proof: opts.proof } : {}),
      ...(opts.controlCredential ? { control_credential: opts.controlCredential } : {}),
    };
    const res = await this.post(ROUTES.register, body, timeoutMs);
    if (res.status !== 200) throw new RelayStatusError('register', res.status, relayMessage(res.json), relayCode(res.json));
    return this.parse('register', ReceivedRegisterResponse, res.json);
  }

  /** §2.4.5 long poll; a key registered with proof sends its credential (§9.4). */
  async poll(
    serverPublicKey: string,
    capabilities: Capabilities,
    timeoutMs: number,
    signal?: AbortSignal,
    controlCredential?: string,
  ): Promise<PollResult> {
    const body = { server_public_key: serverPublicKey, capabilities, ...(controlCredential ? { control_credential: controlCredential } : {}) };
    const res = await this.post(ROUTES.poll, body, timeoutMs, signal);
    if (res.status === 404) return { kind: 'unknown-node' };
    if (res.status !== 200) throw new RelayStatusError('poll', res.status, relayMessage(res.json), relayCode(res.json));
    const idle = PollNoWork.safeParse(res.json);
    if (idle.success) return { kind: 'idle', pollWaitSeconds: idle.data.poll_wait_seconds };
    const work = ReceivedWorkItem.safeParse(res.json);
    if (work.success && (work.data.ciphertext !== undefined || work.data.chat_history !== undefined)) {
      return { kind: 'work', item: work.data };
    }
    // Anything else (e.g. a legacy faucet item without our fields) is not work for us.
    return { kind: 'idle' };
  }

  /** §2.4.6 cancellation visibility + lease renewal. 403 → `forbidden`. */
  async control(body: ControlBody, timeoutMs: number): Promise<ControlResult> {
    const res = await this.post(ROUTES.control, body, timeoutMs);
    if (res.status === 403) return { status: 'forbidden' };
    if (res.status !== 200) throw new RelayStatusError('control', res.status, relayMessage(res.json));
    return this.parse('control', ControlResponse, res.json);
  }

  /** §2.4.7 deliver an encrypted answer or error. 410 → `gone`; 400/403 → `rejected`. */
  async respond(body: NodeResponseBody, timeoutMs: number): Promise<DeliveryResult> {
    const res = await this.post(ROUTES.responses, body, timeoutMs);
    if (res.status === 200) {
      const message = (res.json as { message?: unknown } | undefined)?.message;
      return typeof message === 'string' && /already/i.test(message) ? 'duplicate' : 'accepted';
    }
    if (res.status === 410) return 'gone';
    if (res.status === 400 || res.status === 403) return 'rejected';
    throw new RelayStatusError('responses', res.status, relayMessage(res.json));
  }

  /** §2.4.8 encrypted progress. Stop publishing on 400/401/403/404/405/410/413/422. */
  async progress(body: ProgressBody, timeoutMs: number): Promise<ProgressResult> {
    const res = await this.post(ROUTES.progress, body, timeoutMs);
    if (res.status === 202 || res.status === 200) return 'accepted';
    if ([400, 401, 403, 404, 405, 410, 413, 422].includes(res.status)) return 'stop';
    return 'retry';
  }

  /**
   * §11.4 append stream chunks. 429 → `busy` with the relay's retry_after_ms; 410 → `gone`; the
   * statuses §11.3 gives up on → `refused`; anything else, or no answer → `unreachable`.
   */
  async appendStream(body: StreamAppendBody, timeoutMs: number, signal?: AbortSignal): Promise<AppendOutcome> {
    let res: RawResponse;
    try {
      res = await this.post(ROUTES.streamAppend, body, timeoutMs, signal);
    } catch {
      return { kind: 'unreachable' };
    }
    if (res.status === 200) return { kind: 'accepted' };
    if (res.status === 429) return { kind: 'busy', retryAfterMs: retryAfterMs(res.json) };
    if (res.status === 410) return { kind: 'gone' };
    if (STREAM_GIVE_UP_STATUSES.includes(res.status)) return { kind: 'refused' };
    return { kind: 'unreachable' };
  }

  /** §2.4.9 unregister; falls back to the legacy `/unregister` on 404. Returns `removed`. */
  async unregister(serverPublicKey: string, controlCredential: string | undefined, timeoutMs: number): Promise<boolean> {
    const body = { server_public_key: serverPublicKey, ...(controlCredential ? { control_credential: controlCredential } : {}) };
    let res = await this.post(ROUTES.unregister, body, timeoutMs);
    if (res.status === 404) res = await this.post(ROUTES.legacyUnregister, body, timeoutMs);
    if (res.status !== 200) throw new RelayStatusError('unregister', res.status, relayMessage(res.json));
    const parsed = UnregisterResponse.safeParse(res.json);
    return parsed.success ? parsed.data.removed : true;
  }
}

/** §2.5 step 2: poll HTTP timeout = max(10, wait + 5, 1.25·wait) seconds. */
export function pollTimeoutMs(pollWaitSeconds: number): number {
  return Math.max(10, pollWaitSeconds + 5, 1.25 * pollWaitSeconds) * 1000;
}

/** §2.5 step 2: heartbeat when the last one is older than max(min(0.8·lease, lease − 1), 0.5·lease). */
export function heartbeatAgeMs(leaseSeconds: number): number {
  return Math.max(Math.min(0.8 * leaseSeconds, leaseSeconds - 1), 0.5 * leaseSeconds) * 1000;
}
