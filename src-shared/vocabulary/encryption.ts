// How an answer was encrypted, as the app shows it (docs/protocol.md §1).
import { z } from 'zod';

/** Symmetric cipher of an envelope: CBC is the token.place compatibility mode. */
export const SymmetricCipherSchema = z.enum(['AES-256-CBC', 'AES-256-GCM']);
export type SymmetricCipher = z.infer<typeof SymmetricCipherSchema>;

/** RSA padding that wrapped an envelope's session key. */
export const KeyWrapSchema = z.enum(['RSA-OAEP-SHA256', 'RSA-PKCS1v15']);
export type KeyWrap = z.infer<typeof KeyWrapSchema>;
