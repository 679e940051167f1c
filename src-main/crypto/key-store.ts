// Persisting a key pair with its private key encrypted. Implementations: PassphraseFileKeyStore
// (headless tools, scrypt) here; an Electron safeStorage store lives with the Electron shell.
import type { RsaKeyPair } from './keys';

export interface PrivateKeyStore {
  /** The stored pair, or null when nothing is stored under `name`. */
  load(name: string): Promise<RsaKeyPair | null>;
  save(name: string, pair: RsaKeyPair): Promise<void>;
}

const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Store names become file names: letters, digits, '.', '_', '-'; no leading dot; ≤ 64 chars. */
export function isValidKeyName(name: unknown): name is string {
  return typeof name === 'string' && KEY_NAME.test(name) && !name.includes('..');
}
