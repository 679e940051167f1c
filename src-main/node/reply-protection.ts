// How everything the node sends back for one request is encrypted: in the profile the request came
// in (docs/protocol.md §10.7). Reference CBC requests get CBC replies with the chosen RSA wrap
// (§1.3); aead-v1 requests get aead-v1 replies and progress under the request's key (§10.5).
import {
  encryptJson,
  jsonPlaintext,
  sealAeadProgress,
  sealAeadReply,
  type AeadV1Session,
  type RsaPadding,
} from '../crypto';

/** The three envelope fields every reply and progress update travels in (§1.5). */
export interface SealedEnvelope {
  ciphertext: string;
  cipherkey: string;
  iv: string;
}

export type ReplyProtection =
  | { readonly profile: 'reference-cbc'; readonly padding: RsaPadding }
  | { readonly profile: 'aead-v1'; readonly session: AeadV1Session };

/** Throws EncryptInputError when a CBC reply's client key is not a usable RSA key. */
export function sealInnerReply(inner: unknown, clientKey: string, protection: ReplyProtection): SealedEnvelope {
  if (protection.profile === 'aead-v1') return sealAeadReply(protection.session, jsonPlaintext(inner));
  const env = encryptJson(inner, clientKey, { padding: protection.padding, mode: 'cbc' });
  return { ciphertext: env.ciphertext, cipherkey: env.cipherkey, iv: env.iv };
}

/** A progress update (§2.3.4); under aead-v1 its inner `sequence` is the nonce's (§10.5.3). */
export function sealInnerProgress(inner: unknown, sequence: number, clientKey: string, protection: ReplyProtection): SealedEnvelope {
  if (protection.profile === 'aead-v1') return sealAeadProgress(protection.session, sequence, jsonPlaintext(inner));
  return sealInnerReply(inner, clientKey, protection);
}
