// Encrypts an inner reply to the client in the request's profile (§10.7) and posts it (§2.4.7),
// retrying briefly when the relay is unreachable and dropping the ownership proof for relays that
// refuse it (reference allowlist).
import { PROTOCOL_ID, PROTOCOL_VERSION } from '../../src-shared/protocol/constants';
import type { NodeResponseBody } from '../../src-shared/protocol/relay-http';
import type { NodeRelayApi } from './relay-api';
import { sealInnerReply, type ReplyProtection } from './reply-protection';
import { sleep } from './sleep';

export type PostOutcome = 'accepted' | 'gone' | 'undeliverable';

export interface ReplyPosterDeps {
  api: NodeRelayApi;
  serverPublicKey: string;
  credential(): string | undefined;
  /** Shared per node: send server_public_key + control_credential (our relay checks them). */
  responseProof: { enabled: boolean };
  /** The work item's client_public_key, verbatim: the relay routes by exact string (§1.2). */
  outerClientKey: string;
  httpTimeoutMs: number;
  stopSignal: AbortSignal;
  /** Adds the time spent encrypting / posting. */
  onTiming(stage: 'encryptMs' | 'postMs', ms: number): void;
  now(): number;
}

const ATTEMPTS = 3;

export function createReplyPoster(deps: ReplyPosterDeps) {
  return async function postReply(inner: unknown, clientKey: string, requestId: string, protection: ReplyProtection): Promise<PostOutcome> {
    const te = deps.now();
    let envelope;
    try {
      envelope = sealInnerReply(inner, clientKey, protection);
    } catch {
      return 'undeliverable'; // the client key is not a usable RSA key: nobody could read an answer
    } finally {
      deps.onTiming('encryptMs', deps.now() - te);
    }
    const tp = deps.now();
    try {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const credential = deps.credential();
        const proof = deps.responseProof.enabled && credential !== undefined;
        // Reference clients read `chat_history` (§1.5); relays return it under both names.
        const body: NodeResponseBody = {
          client_public_key: deps.outerClientKey,
          request_id: requestId,
          protocol: PROTOCOL_ID,
          version: PROTOCOL_VERSION,
          chat_history: envelope.ciphertext,
          cipherkey: envelope.cipherkey,
          iv: envelope.iv,
          ...(proof ? { server_public_key: deps.serverPublicKey, control_credential: credential } : {}),
        };
        let result;
        try {
          result = await deps.api.respond(body, deps.httpTimeoutMs);
        } catch {
          if (deps.stopSignal.aborted) return 'undeliverable';
          await sleep(200 * (attempt + 1), deps.stopSignal);
          continue;
        }
        if (result === 'accepted' || result === 'duplicate') return 'accepted';
        if (result === 'gone') return 'gone';
        if (proof && result === 'rejected') {
          deps.responseProof.enabled = false;
          continue;
        }
        return 'undeliverable';
      }
      return 'undeliverable';
    } finally {
      deps.onTiming('postMs', deps.now() - tp);
    }
  };
}
