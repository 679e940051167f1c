// Decrypts the inner request of a work item (§1.3–§1.6). Every failure is the same `null`: the
// caller answers all of them alike (§1.9.3).
import { decryptJson, type RsaPadding, type UnwrapPadding } from '../crypto';
import type { ReceivedWorkItem } from './relay-api';

/**
 * Largest ciphertext a node decrypts (base64 characters). A valid request holds at most
 * 512 KiB of content (§5.2); even fully \u-escaped JSON stays far below this. Bigger items get
 * the generic answer without being decrypted.
 */
export const MAX_REQUEST_CIPHERTEXT_CHARS = 8 * 1024 * 1024;

export interface OpenedRequest {
  value: unknown;
  /** Wrap to use for replies to this request. */
  replyPadding: RsaPadding;
}

/**
 * `receivePadding` 'legacy-oaep-then-pkcs1v15' accepts OAEP (our and Python clients) and
 * PKCS#1 v1.5 (browsers). With `replyPadding` 'mirror' the two attempts are made here (same order
 * as the legacy mode) so the reply can use the wrap the client used.
 */
export function openWorkItem(
  item: ReceivedWorkItem,
  privateKeyPem: string,
  receivePadding: UnwrapPadding,
  replyPadding: RsaPadding | 'mirror',
): OpenedRequest | null {
  const env = { ciphertext: (item.ciphertext ?? item.chat_history)!, cipherkey: item.cipherkey, iv: item.iv };
  if (env.ciphertext.length > MAX_REQUEST_CIPHERTEXT_CHARS) return null;
  const open = (padding: UnwrapPadding) => decryptJson(env, privateKeyPem, { padding, requireMode: 'cbc' });
  try {
    if (replyPadding !== 'mirror') return { value: open(receivePadding), replyPadding };
    if (receivePadding !== 'legacy-oaep-then-pkcs1v15') {
      return { value: open(receivePadding), replyPadding: receivePadding === 'pkcs1v15' ? 'pkcs1v15' : 'oaep-sha256' };
    }
    try {
      return { value: open('oaep-sha256'), replyPadding: 'oaep-sha256' };
    } catch {
      return { value: open('pkcs1v15'), replyPadding: 'pkcs1v15' };
    }
  } catch {
    return null;
  }
}
