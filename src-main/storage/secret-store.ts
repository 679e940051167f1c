import type { SecretStoreKind } from '../../src-shared/vocabulary';

/** Where secrets live: the OS keychain (Electron safeStorage) or a passphrase-sealed file. */
export interface SecretStore {
  readonly kind: SecretStoreKind;
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

/** In-memory SecretStore for tests that do not exercise persistence. */
export function createMemorySecretStore(kind: SecretStore['kind'] = 'passphrase'): SecretStore {
  const values = new Map<string, string>();
  return {
    kind,
    get: async (name) => values.get(name) ?? null,
    set: async (name, value) => void values.set(name, value),
    delete: async (name) => void values.delete(name),
  };
}
