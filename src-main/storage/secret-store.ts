import type { SecretStoreKind } from '../../src-shared/vocabulary';

/** Where secrets live: the OS keychain (Electron safeStorage) or a passphrase-sealed file. */
export interface SecretStore {
  readonly kind: SecretStoreKind;
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}
