// How an answer was encrypted, as the app shows it (docs/protocol.md §1).
import { z } from 'zod';

/** Symmetric cipher of an envelope: CBC is the token.place compatibility mode. */
export const SymmetricCipherSchema = z.enum(['AES-256-CBC', 'AES-256-GCM']);
export type SymmetricCipher = z.infer<typeof SymmetricCipherSchema>;

/** RSA padding that wrapped an envelope's session key. */
export const KeyWrapSchema = z.enum(['RSA-OAEP-SHA256', 'RSA-PKCS1v15']);
export type KeyWrap = z.infer<typeof KeyWrapSchema>;

/**
 * End-to-end encryption profile of one exchange (docs/protocol.md §10): `aead-v1` between our
 * peers (authenticated), `reference-cbc` with reference peers (§1.4, unauthenticated).
 */
export const E2eeProfileSchema = z.enum(['aead-v1', 'reference-cbc']);
export type E2eeProfile = z.infer<typeof E2eeProfileSchema>;

/** Profiles a peer lists in `e2ee_profiles` (§10.6); the reference profile is implied, never listed. */
export const AdvertisedE2eeProfileSchema = E2eeProfileSchema.exclude(['reference-cbc']);
export type AdvertisedE2eeProfile = z.infer<typeof AdvertisedE2eeProfileSchema>;

/**
 * How an answer arrived (docs/protocol.md §11): `chunks` through our relay's stream routes,
 * `snapshots` in progress updates through a relay without them, `whole` as one answer.
 */
export const AnswerDeliverySchema = z.enum(['chunks', 'snapshots', 'whole']);
export type AnswerDelivery = z.infer<typeof AnswerDeliverySchema>;
