// Typed relay failures. Each carries the HTTP status and the exact JSON body of
// docs/protocol.md §2.4 / §5.1 / §5.4 / §9, so handlers just throw and the error hook serialises.
import type { RelayErrorCode } from '../../src-shared/protocol/error-codes';

export type ErrorBody = { error: Record<string, unknown> };

export class RelayHttpError extends Error {
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers: Record<string, string>;
  constructor(status: number, body: ErrorBody, headers: Record<string, string> = {}) {
    super(String(body.error.message ?? 'Relay error'));
    this.name = new.target.name;
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** `{"error":{"message":…, "code": <status>}}` — the common relay shape (§2.4). */
const numeric = (status: number, message: string) => ({ error: { message, code: status } });

export class InvalidRequestError extends RelayHttpError {
  constructor(message = 'Invalid request data') {
    super(400, numeric(400, message));
  }
}

/** §2.4.2: plaintext field names and unknown keys on envelopes. */
export class EnvelopeRefusedError extends RelayHttpError {
  constructor(kind: 'plaintext' | 'unexpected') {
    super(
      400,
      numeric(
        400,
        kind === 'plaintext'
          ? 'Plaintext relay payload fields are forbidden; send ciphertext envelope only'
          : 'Unexpected relay payload fields are forbidden; send ciphertext envelope only',
      ),
    );
  }
}

export class ServerTokenError extends RelayHttpError {
  constructor() {
    super(401, numeric(401, 'Missing or invalid relay server token'));
  }
}

export class ControlCredentialError extends RelayHttpError {
  constructor() {
    super(403, numeric(403, 'Missing or invalid relay server control credential'));
  }
}

/** `{"error":{"message":…, "code": "<§5.4.1 string code>"}}`: errors a node acts on (§9). */
const coded = (code: RelayErrorCode, message: string) => ({ error: { message, code } });

/** §9.5: `server_public_key` at registration is not a usable node key; `reason` says why. */
export class InvalidPublicKeyError extends RelayHttpError {
  constructor(reason: string) {
    super(
      400,
      coded(
        'invalid_public_key',
        `server_public_key must be base64 of the PEM text of an RSA public key ("-----BEGIN PUBLIC KEY-----", 2048 to 8192 bits, at most 2048 characters); ${reason}`,
      ),
    );
  }
}

/** §9.1: a `proof` that is neither a challenge request nor a challenge answer. */
export class InvalidRegistrationProofError extends RelayHttpError {
  constructor(message: string) {
    super(400, coded('invalid_registration_proof', message));
  }
}

/** §9.3: unknown, expired or used challenge, another key's challenge, or a wrong response. */
export class RegistrationProofFailedError extends RelayHttpError {
  constructor() {
    super(
      403,
      coded(
        'registration_proof_failed',
        'Registration proof failed: the challenge is unknown, expired, already used or was issued for another key, or the response is not its plaintext. Ask for a new challenge with "proof": {"version": 1}.',
      ),
    );
  }
}

/** §9.4: a key registered with proof is spoken for only with its registration's control_credential. */
export class ControlCredentialRequiredError extends RelayHttpError {
  constructor() {
    super(
      403,
      coded(
        'control_credential_required',
        'This compute node key was registered with a proof of possession: send the control_credential of that registration with this call.',
      ),
    );
  }
}

export class CancelProofError extends RelayHttpError {
  constructor() {
    super(403, numeric(403, 'Missing or invalid cancel proof'));
  }
}

/** Our ownership rule (§2.6.4 fix): only the node holding a request may answer it. */
export class NotRequestOwnerError extends RelayHttpError {
  constructor(message = 'Request is not held by this compute node') {
    super(403, numeric(403, message));
  }
}

export class UnknownServerError extends RelayHttpError {
  constructor() {
    super(404, numeric(404, 'Server with the specified public key not found'));
  }
}

export class NotFoundError extends RelayHttpError {
  constructor(message: string) {
    super(404, numeric(404, message));
  }
}

export class DuplicateRequestError extends RelayHttpError {
  constructor() {
    super(409, numeric(409, 'A request with this request_id already exists for this client'));
  }
}

/** §2.4.7 late/cancelled/duplicate-after-delivery/unknown answers. */
export class NoLongerWaitingError extends RelayHttpError {
  constructor(status: 'cancelled' | 'expired' | 'completed' | 'gone') {
    super(410, { error: { message: 'Request is no longer waiting for a response', code: status, status } });
  }
}

/** §2.4.3 terminal answer to retrieve. */
export class RequestTerminalError extends RelayHttpError {
  constructor(status: 'cancelled' | 'expired', reason: string) {
    super(410, {
      error: { message: status === 'cancelled' ? 'Request cancelled' : reason === 'expired' ? 'Response expired before it was retrieved' : 'Request expired', code: status, status, reason },
    });
  }
}

export class ProgressRejectedError extends RelayHttpError {
  constructor(status: 400 | 410 | 413, message: string) {
    super(status, numeric(status, message));
  }
}

export class PayloadTooLargeError extends RelayHttpError {
  constructor(message = 'Request body too large') {
    super(413, numeric(413, message));
  }
}

export class QueueFullError extends RelayHttpError {
  constructor(retryAfterSeconds: number) {
    super(
      503,
      { error: { message: 'The compute node queue is full; try again later', code: 'queue_full' } },
      { 'retry-after': String(retryAfterSeconds) },
    );
  }
}

export class RateLimitError extends RelayHttpError {
  constructor(limit: number, windowSeconds: number, retryAfterSeconds: number) {
    const per = windowSeconds === 3600 ? '1 hour' : windowSeconds === 86400 ? '1 day' : windowSeconds === 60 ? '1 minute' : `${windowSeconds} second`;
    super(
      429,
      {
        error: {
          message: `Rate limit exceeded: ${limit} per ${per}. Try again in ${retryAfterSeconds} seconds.`,
          type: 'rate_limit_error',
          code: 'rate_limit_exceeded',
          param: null,
        },
      },
      { 'retry-after': String(retryAfterSeconds) },
    );
  }
}

/** §2.4.1 scheduler errors: string codes plus selection extras. */
export class NodeSelectionError extends RelayHttpError {
  constructor(status: 400 | 503, code: string, message: string, extras: Record<string, unknown> = {}, retryAfterSeconds?: number) {
    super(status, { error: { code, message, ...extras } }, retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) });
  }
}

/** §2.6.5 the relay is draining: no new requests, no new work for nodes. */
export class RelayDrainingError extends RelayHttpError {
  constructor(retryAfterSeconds: number) {
    super(503, { error: { message: 'The relay is shutting down and takes no new work; try again shortly', code: 'relay_draining' } }, { 'retry-after': String(retryAfterSeconds) });
  }
}

export class StoreFailureError extends RelayHttpError {
  constructor() {
    super(503, { error: { message: 'Relay state store unavailable; try again', code: 503 } }, { 'retry-after': '1' });
  }
}

/** §11.4 / §11.5 the stream routes' numeric errors, worded as §2.4.8 words them for progress. */
export class StreamRejectedError extends RelayHttpError {
  constructor(status: 400 | 404 | 410 | 413, message: string) {
    super(status, numeric(status, message));
  }
}

/** §11.4 409: the chunks do not continue the stream where it stands; nothing was stored. */
export class StreamSequenceConflictError extends RelayHttpError {
  constructor(nextSequence: number) {
    super(409, {
      error: {
        ...coded(
          'stream_sequence_conflict',
          `The chunks do not continue this stream: its next sequence is ${nextSequence}, and chunks must be consecutive, with none after the final one.`,
        ).error,
        next_sequence: nextSequence,
      },
    });
  }
}

/** §11.4 429: storing the chunks would pass a buffer bound; nothing was stored, send them again later. */
export class StreamBufferFullError extends RelayHttpError {
  constructor(scope: 'request' | 'relay', retryAfterMs: number, nextSequence: number) {
    const why =
      scope === 'request'
        ? 'The reader has not caught up: this request already holds as many unread stream chunks as the relay keeps.'
        : 'The relay holds as many unread stream chunks as it keeps for all requests together.';
    super(
      429,
      {
        error: {
          ...coded('stream_buffer_full', `${why} Wait retry_after_ms and send the same chunks again.`).error,
          retry_after_ms: retryAfterMs,
          next_sequence: nextSequence,
        },
      },
      { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
    );
  }
}
