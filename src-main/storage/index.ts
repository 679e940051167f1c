export * from './errors';
export type { SecretStore } from './secret-store';
export { createMemorySecretStore } from './secret-store';
export { PassphraseSecretStore, openPassphraseSecretStore, DEFAULT_SCRYPT_COST, type ScryptCost } from './passphrase-secret-store';
export { loadOrCreateDataKey, DATA_KEY_SECRET } from './data-key';
export { RecordStore } from './record-store';
export { ConversationStore, newId, summaryOf, type ConversationStoreOptions } from './conversation-store';
export { seal, unseal, sealJson, unsealJson, DATA_KEY_LENGTH } from './sealed-box';
export { writeFileAtomic, removeTempFiles } from './atomic-write';
