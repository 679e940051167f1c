// Opening replies and progress updates addressed to the client key (§2.3.2, §2.3.4).
//
// Which RSA padding is accepted for the session-key wrap: BOTH OAEP-SHA256 and PKCS#1 v1.5.
// Reference nodes always wrap replies with PKCS#1 v1.5 (§1.3, §1.8.2); our own nodes may use OAEP.
// Trying both is safe here, unlike on a node or relay (§1.9.3, §1.9.4), because the client is no
// oracle: every failure — either padding, AES padding, UTF-8, JSON, binding — ends the request with
// the same InvalidReplyError, no retry, no failover and no further traffic that depends on the
// cause; the reply was already consumed by the one-shot retrieve (§2.4.3), so a relay gets at most
// one trial per request the user sends (Bleichenbacher-style attacks need thousands), and progress
// failures are silently ignored (§2.3.4) with no visible reaction at all. Only CBC is accepted
// (API v1 relay paths are CBC-only, §1.4). We try the paddings ourselves rather than using the
// crypto module's 'legacy-oaep-then-pkcs1v15' so the answer can report which wrap was used.
import { decryptJson, type HybridEnvelope, type RsaPadding } from '../crypto';

export const REPLY_PADDINGS: readonly RsaPadding[] = ['oaep-sha256', 'pkcs1v15'];

export interface OpenedReply {
  value: unknown;
  padding: RsaPadding;
}

/** Returns the decrypted JSON and the padding that opened it, or null (one outcome for every failure). */
export function openReply(env: HybridEnvelope, privateKeyPem: string): OpenedReply | null {
  for (const padding of REPLY_PADDINGS) {
    try {
      return { value: decryptJson(env, privateKeyPem, { padding, requireMode: 'cbc' }), padding };
    } catch {
      // try the next padding; the caller sees only "failed"
    }
  }
  return null;
}
