// Picks where secrets live: safeStorage when the OS offers real protection. Otherwise there is
// no store at start: the backend starts locked and opens its passphrase-sealed store
// (src-main/storage) when the renderer sends `app:unlock`.
import type { SecretStore } from '../backend';
import { checkOsSecretStorage, SafeStorageSecretStore, type SafeStorageLike } from './secret-store';

export function chooseSecretStore(
  userDataDir: string,
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform,
  warn: (line: string) => void = console.warn,
): SecretStore | undefined {
  const os = checkOsSecretStorage(safeStorage, platform);
  if (os.available) return new SafeStorageSecretStore(userDataDir, safeStorage);
  warn(`[secrets] OS secret storage unavailable (${os.reason}); asking for a passphrase instead`);
  return undefined;
}
