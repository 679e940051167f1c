// Settings and storage words of the desktop app.
import { z } from 'zod';

export const ThemeSchema = z.enum(['light', 'dark', 'system']);
export type Theme = z.infer<typeof ThemeSchema>;

/** The languages the window speaks (one folder each in src-renderer/src/i18n/locales). */
export const LanguageSchema = z.enum(['en', 'de', 'es']);
export type Language = z.infer<typeof LanguageSchema>;

/** The language setting: one of the languages, or whatever the system's locale asks for. */
export const LanguageChoiceSchema = z.enum(['system', ...LanguageSchema.options]);
export type LanguageChoice = z.infer<typeof LanguageChoiceSchema>;

/** Where secrets live: the OS keychain (safeStorage) or a file sealed with the user's passphrase. */
export const SecretStoreKindSchema = z.enum(['os', 'passphrase']);
export type SecretStoreKind = z.infer<typeof SecretStoreKindSchema>;

/** `app:info`'s view: a store kind, or 'locked' until the passphrase is entered. */
export const SecretStorageSchema = z.enum([...SecretStoreKindSchema.options, 'locked']);
export type SecretStorage = z.infer<typeof SecretStorageSchema>;

/** File formats of conversation export and import. */
export const TransferFormatSchema = z.enum(['markdown', 'json']);
export type TransferFormat = z.infer<typeof TransferFormatSchema>;

/** Organise (issue 14): file formats of one chat's export — the two above, and a self-contained web page. */
export const ChatExportFormatSchema = z.enum([...TransferFormatSchema.options, 'html']);
export type ChatExportFormat = z.infer<typeof ChatExportFormatSchema>;
export const CHAT_EXPORT_FORMATS = ChatExportFormatSchema.options;
