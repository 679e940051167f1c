// Names, labels and sizes of the aead-v1 profile (docs/protocol.md §10.1–§10.4).
import type { AdvertisedE2eeProfile } from '../../../src-shared/vocabulary';

export const AEAD_V1_PROFILE: AdvertisedE2eeProfile = 'aead-v1';

/** The four uses of a request key; each gets its own subkey (§10.2) and AAD purpose (§10.3). */
export const AEAD_V1_PURPOSES = ['request', 'reply', 'progress', 'stream'] as const;
export type AeadV1Purpose = (typeof AEAD_V1_PURPOSES)[number];

/** OAEP label of the request-key wrap (§10.1): no CBC wrap (empty label) and no registration challenge opens as one. */
export const REQUEST_KEY_OAEP_LABEL = Buffer.from('tokenplace/v1/aead-v1/request-key', 'ascii');

/** HKDF info prefix (§10.2); the purpose follows it. */
export const SUBKEY_INFO_PREFIX = 'tokenplace aead-v1 ';

/** First AAD field (§10.3). */
export const AAD_PROTOCOL = Buffer.from('tokenplace_api_v1_relay_e2ee/aead-v1', 'ascii');

/** `cipherkey` of node → client envelopes (§10.4): base64(ascii("aead-v1")), no RSA. */
export const NODE_ENVELOPE_CIPHERKEY = Buffer.from('aead-v1', 'ascii').toString('base64');

export const REQUEST_KEY_BYTES = 32;
export const SUBKEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const FINGERPRINT_BYTES = 32;
