// Picks where secrets live: safeStorage when the OS offers real protection, otherwise a
// passphrase-sealed file (src-main/storage) that stays locked until the user types the
// passphrase (IPC `app:unlock`).
import { join } from 'node:path';
import { openPassphraseSecretStore, type SecretStore } from '../storage';
import { checkOsSecretStorage, SafeStorageSecretStore, type SafeStorageLike } from './secret-store';

export const PASSPHRASE_SECRETS_FILE_NAME = 'secrets.passphrase.json';

export class SecretsLockedError extends Error {
  readonly code = 'locked';
  constructor() {
    super('Secrets are locked: enter your passphrase first.');
    this.name = 'SecretsLockedError';
  }
}

/** A passphrase SecretStore that exists before the passphrase is known. */
export class LockedPassphraseSecretStore implements SecretStore {
  readonly kind = 'passphrase' as const;
  private store: SecretStore | undefined;

  constructor(
    private readonly file: string,
    /** Why the OS store was not used, for the UI. */
    readonly reason: string,
  ) {}

  get locked(): boolean {
    return this.store === undefined;
  }

  /** Opens (or creates) the sealed file; throws WrongPassphraseError on a wrong passphrase. */
  async unlock(passphrase: string): Promise<void> {
    this.store = await openPassphraseSecretStore(this.file, passphrase);
  }

  get(name: string): Promise<string | null> {
    return this.open().get(name);
  }

  set(name: string, value: string): Promise<void> {
    return this.open().set(name, value);
  }

  delete(name: string): Promise<void> {
    return this.open().delete(name);
  }

  private open(): SecretStore {
    if (!this.store) throw new SecretsLockedError();
    return this.store;
  }
}

export async function createSecretStore(
  userDataDir: string,
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform,
): Promise<SafeStorageSecretStore | LockedPassphraseSecretStore> {
  const os = checkOsSecretStorage(safeStorage, platform);
  if (os.available) return new SafeStorageSecretStore(userDataDir, safeStorage);
  console.warn(`[secrets] OS secret storage unavailable (${os.reason}); using a passphrase instead`);
  return new LockedPassphraseSecretStore(join(userDataDir, PASSPHRASE_SECRETS_FILE_NAME), os.reason);
}
