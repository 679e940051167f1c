// Typed client errors. Every failure a caller can see is a ChatError carrying the code as the wire
// or the client named it (kept for logs, the CLI and failover decisions), the registry's words for
// it (user-messages.ts) and whether retrying may help.
import { userMessageFor } from './user-messages';

export interface ChatErrorOptions {
  /** Developer detail for logs; never contains prompts, answers or keys. */
  detail?: string;
  httpStatus?: number;
  /** Optional non-secret diagnostics (e.g. node error fields of §2.3.3). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class ChatError extends Error {
  readonly code: string;
  readonly userMessage: string;
  readonly retryable: boolean;
  readonly httpStatus?: number;
  readonly details?: Record<string, unknown>;

  constructor(code: string, opts: ChatErrorOptions = {}) {
    const mapped = userMessageFor(code, opts.details);
    super(opts.detail ? `${code}: ${opts.detail}` : code, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.userMessage = mapped.message;
    this.retryable = mapped.retryable;
    if (opts.httpStatus !== undefined) this.httpStatus = opts.httpStatus;
    if (opts.details !== undefined) this.details = opts.details;
  }
}

/** The server address is not an http(s) URL. */
export class InvalidServerUrlError extends ChatError {
  constructor(detail: string) {
    super('invalid_server_url', { detail });
  }
}

/** Connection refused, DNS failure, reset, or no answer in time (`server_timeout`). */
export class ServerUnreachableError extends ChatError {
  constructor(code: 'server_unreachable' | 'server_timeout', detail: string, cause?: unknown) {
    super(code, { detail, cause });
  }
}

/** TLS handshake or certificate failure. */
export class TlsError extends ChatError {
  constructor(detail: string, cause?: unknown) {
    super('tls_error', { detail, cause });
  }
}

/** Non-JSON, schema-violating (`invalid_server_response`) or oversized (`response_too_large`) answer. */
export class InvalidServerResponseError extends ChatError {
  constructor(code: 'invalid_server_response' | 'response_too_large', detail: string, httpStatus?: number) {
    super(code, httpStatus === undefined ? { detail } : { detail, httpStatus });
  }
}

/** The relay answered with an HTTP error (§2.4, §5.4). */
export class RelayError extends ChatError {}

/** The compute node answered with an encrypted error (§2.3.3). */
export class NodeError extends ChatError {}

/**
 * The reply could not be decrypted, or its binding (protocol, version, request_id, client key)
 * did not match. Deliberately one class and one message for every cause: no oracle (§1.9).
 */
export class InvalidReplyError extends ChatError {
  constructor() {
    super('invalid_reply');
  }
}

/**
 * aead-v1 (§10): an answer that failed authentication (tag, AAD, binding) or came as CBC from a
 * node key that speaks aead-v1 (no downgrade) was refused; the genuine answer never came.
 */
export class AnswerNotAuthenticError extends ChatError {
  constructor(detail: string) {
    super('answer_not_authentic', { detail });
  }
}

/**
 * §11.7: the stream broke — a chunk that does not open as the next one of this request's stream,
 * breaks §11.2 or follows the final chunk, or an answer that differs from the streamed text
 * (`stream_not_authentic`); or the relay said the stream was over before its final chunk
 * (`stream_incomplete`). Text shown before the break stays shown; nothing after it is.
 */
export class StreamBrokenError extends ChatError {
  constructor(code: 'stream_not_authentic' | 'stream_incomplete', detail: string) {
    super(code, { detail });
  }
}

/** Local deadline (§2.4.3) or user timeout passed; the request was cancelled with `client_timeout`. */
export class ChatTimeoutError extends ChatError {
  constructor(detail: string) {
    super('client_timeout', { detail });
  }
}

/** The caller stopped the request (AbortSignal) or a server switch cancelled it. */
export class ChatCancelledError extends ChatError {
  constructor(code: 'requester_cancelled' | 'server_switched' = 'requester_cancelled') {
    super(code);
  }
}

/**
 * The server offered a node key not trusted there, and it was not used: the policy is
 * `trusted-only` (`node_key_not_trusted`), the user declined it (`node_key_declined`), or nobody
 * could be asked (`node_key_unconfirmed`). Nothing was sent to it.
 */
export class UntrustedNodeKeyError extends ChatError {
  constructor(
    code: 'node_key_not_trusted' | 'node_key_declined' | 'node_key_unconfirmed',
    readonly offeredFingerprint: string,
  ) {
    super(code, { details: { offeredFingerprint } });
  }
}

/** The caller's chat request is malformed (checked before anything is sent). */
export class InvalidChatRequestError extends ChatError {
  constructor(detail: string) {
    super('invalid_chat_request', { detail });
  }
}

export function isChatError(e: unknown): e is ChatError {
  return e instanceof ChatError;
}
