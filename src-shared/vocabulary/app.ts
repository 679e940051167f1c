// Settings and storage words of the desktop app.
import { z } from 'zod';

export const ThemeSchema = z.enum(['light', 'dark', 'system']);
export type Theme = z.infer<typeof ThemeSchema>;

/** Where secrets live: the OS keychain (safeStorage) or a file sealed with the user's passphrase. */
export const SecretStoreKindSchema = z.enum(['os', 'passphrase']);
export type SecretStoreKind = z.infer<typeof SecretStoreKindSchema>;

/** `app:info`'s view: a store kind, or 'locked' until the passphrase is entered. */
export const SecretStorageSchema = z.enum([...SecretStoreKindSchema.options, 'locked']);
export type SecretStorage = z.infer<typeof SecretStorageSchema>;

/** File formats of conversation export and import. */
export const TransferFormatSchema = z.enum(['markdown', 'json']);
export type TransferFormat = z.infer<typeof TransferFormatSchema>;
