// Decrypts the inner request of a work item (§1.3–§1.6, §10.5.1). The profile is the IV's length
// (§10.7): 12 bytes ⇒ aead-v1, opened with the labelled OAEP wrap only; anything else ⇒ the
// reference CBC profile as before. Every failure is the same `null`: the caller answers all of
// them alike (§1.9.3). (Unwrap workers that cannot take a CBC job — load or shutdown, never the
// envelope — also end in `null`.)
import {
  decryptJsonUniform,
  envelopeProfile,
  isBindableRequestId,
  openAeadRequest,
  parseJsonPlaintext,
  type RsaKeyPair,
  type RsaPadding,
  type UnwrapPadding,
} from '../crypto';
import type { E2eeProfile } from '../../src-shared/vocabulary';
import type { ReplyProtection } from './reply-protection';
import type { ReceivedWorkItem } from './relay-api';

/**
 * Largest ciphertext a node decrypts (base64 characters). A valid request holds at most
 * 512 KiB of content (§5.2); even fully \u-escaped JSON stays far below this. Bigger items get
 * the generic answer without being decrypted.
 */
export const MAX_REQUEST_CIPHERTEXT_CHARS = 8 * 1024 * 1024;

export interface OpenedRequest {
  value: unknown;
  /** How replies and progress for this request are encrypted. */
  protection: ReplyProtection;
}

type WorkEnvelope = { ciphertext: string; cipherkey: string; iv: string };

const workEnvelope = (item: ReceivedWorkItem): WorkEnvelope => ({
  ciphertext: (item.ciphertext ?? item.chat_history)!,
  cipherkey: item.cipherkey,
  iv: item.iv,
});

/** The profile a work item's request uses (public: the IV's length, §10.7). */
export function workItemProfile(item: ReceivedWorkItem): E2eeProfile {
  return envelopeProfile(item);
}

function openAead(item: ReceivedWorkItem, env: WorkEnvelope, keys: RsaKeyPair): OpenedRequest | null {
  if (!isBindableRequestId(item.request_id)) return null; // aead-v1 binds the outer request id (§10.2)
  try {
    const { plaintext, session } = openAeadRequest(env, {
      requestId: item.request_id,
      clientPublicKey: item.client_public_key,
      nodeKeys: keys,
    });
    return { value: parseJsonPlaintext(plaintext), protection: { profile: 'aead-v1', session } };
  } catch {
    return null;
  }
}

/**
 * CBC: `receivePadding` 'legacy-oaep-then-pkcs1v15' accepts OAEP (our and Python clients) and
 * PKCS#1 v1.5 (browsers). Both unwraps always run, on a worker thread, so neither the answer's
 * timing nor the event loop depends on which wrap (if any) opened it (§1.9.4). With `replyPadding`
 * 'mirror' the reply uses the wrap that opened the request.
 */
export async function openWorkItem(
  item: ReceivedWorkItem,
  keys: RsaKeyPair,
  receivePadding: UnwrapPadding,
  replyPadding: RsaPadding | 'mirror',
): Promise<OpenedRequest | null> {
  const env = workEnvelope(item);
  if (env.ciphertext.length > MAX_REQUEST_CIPHERTEXT_CHARS) return null;
  if (workItemProfile(item) === 'aead-v1') return openAead(item, env, keys);
  try {
    const opened = await decryptJsonUniform(env, keys.privateKeyPem, { padding: receivePadding, requireMode: 'cbc' });
    return { value: opened.value, protection: { profile: 'reference-cbc', padding: replyPadding === 'mirror' ? opened.padding : replyPadding } };
  } catch {
    return null;
  }
}
