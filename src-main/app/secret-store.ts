// A SecretStore whose values are encrypted with Electron's safeStorage (the OS keychain /
// DPAPI / libsecret key) and kept in one JSON file in userData, written atomically.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SafeStorage } from 'electron';
import { z } from 'zod';
import { readFileIfExists, writeFileAtomic, type SecretStore } from '../storage';

export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

export type OsSecretStorage = { available: true } | { available: false; reason: string };

/**
 * Whether safeStorage really protects secrets. On Linux without a keyring, Chromium falls back
 * to 'basic_text' (a hard-coded key): that is not protection, so it counts as unavailable.
 */
export function checkOsSecretStorage(safeStorage: SafeStorageLike, platform: NodeJS.Platform): OsSecretStorage {
  if (!safeStorage.isEncryptionAvailable()) return { available: false, reason: 'The system offers no secure key storage.' };
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
    return { available: false, reason: 'No system keyring (GNOME Keyring or KWallet) is running.' };
  }
  return { available: true };
}

const SecretFileSchema = z.object({ version: z.literal(1), secrets: z.record(z.string(), z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/)) }).strict();
const NameSchema = z.string().min(1).max(200);

export class SecretStoreCorruptError extends Error {
  constructor() {
    super('The encrypted secrets file is damaged.');
    this.name = 'SecretStoreCorruptError';
  }
}

export const SECRETS_FILE_NAME = 'secrets.os.json';

export class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'os' as const;
  private readonly dir: string;
  private readonly file: string;
  private secrets: Promise<Map<string, string>> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    userDataDir: string,
    private readonly safeStorage: SafeStorageLike,
  ) {
    this.dir = userDataDir;
    this.file = join(userDataDir, SECRETS_FILE_NAME);
  }

  async get(name: string): Promise<string | null> {
    NameSchema.parse(name);
    const sealed = (await this.load()).get(name);
    return sealed === undefined ? null : this.safeStorage.decryptString(Buffer.from(sealed, 'base64'));
  }

  set(name: string, value: string): Promise<void> {
    NameSchema.parse(name);
    if (typeof value !== 'string') throw new TypeError('A secret value must be a string');
    return this.mutate((secrets) => {
      secrets.set(name, this.safeStorage.encryptString(value).toString('base64'));
    });
  }

  delete(name: string): Promise<void> {
    NameSchema.parse(name);
    return this.mutate((secrets) => {
      secrets.delete(name);
    });
  }

  private load(): Promise<Map<string, string>> {
    this.secrets ??= readFileIfExists(this.file).then((bytes) => {
      if (bytes === null) return new Map<string, string>();
      let json: unknown;
      try {
        json = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw new SecretStoreCorruptError();
      }
      const parsed = SecretFileSchema.safeParse(json);
      if (!parsed.success) throw new SecretStoreCorruptError();
      return new Map(Object.entries(parsed.data.secrets));
    });
    this.secrets.catch(() => {
      this.secrets = undefined;
    });
    return this.secrets;
  }

  /** Writes are serialised so two quick `set`s cannot lose each other. */
  private mutate(change: (secrets: Map<string, string>) => void): Promise<void> {
    const run = this.queue.then(async () => {
      const secrets = new Map(await this.load());
      change(secrets);
      const body = JSON.stringify({ version: 1, secrets: Object.fromEntries(secrets) });
      await mkdir(this.dir, { recursive: true });
      await writeFileAtomic(this.file, Buffer.from(body, 'utf8'));
      this.secrets = Promise.resolve(secrets);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
