import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkOsSecretStorage, SafeStorageSecretStore, SECRETS_FILE_NAME, SecretStoreCorruptError } from './secret-store';
import { chooseSecretStore } from './secrets';

/** A reversible stand-in for the OS key (XOR), so the file never holds the plaintext. */
function fakeSafeStorage(backend = 'gnome_libsecret', available = true) {
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    isEncryptionAvailable: vi.fn(() => available),
    getSelectedStorageBackend: vi.fn(() => backend as 'basic_text'),
    encryptString: vi.fn((s: string) => Buffer.concat([Buffer.from('v10'), xor(Buffer.from(s, 'utf8'))])),
    decryptString: vi.fn((b: Buffer) => xor(b.subarray(3)).toString('utf8')),
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tp-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SafeStorageSecretStore', () => {
  it('stores values encrypted with safeStorage, in one file, readable by a new instance', async () => {
    const safe = fakeSafeStorage();
    const store = new SafeStorageSecretStore(dir, safe);
    expect(store.kind).toBe('os');
    expect(await store.get('client-key')).toBeNull();
    await store.set('client-key', 'PRIVATE KEY material');
    await store.set('openai-api-key', 'sk-test-123');
    expect(await store.get('client-key')).toBe('PRIVATE KEY material');
    const file = await readFile(join(dir, SECRETS_FILE_NAME), 'utf8');
    expect(file).not.toContain('PRIVATE KEY');
    expect(file).not.toContain('sk-test');
    const reopened = new SafeStorageSecretStore(dir, safe);
    expect(await reopened.get('openai-api-key')).toBe('sk-test-123');
    await reopened.delete('openai-api-key');
    expect(await new SafeStorageSecretStore(dir, safe).get('openai-api-key')).toBeNull();
    expect(safe.encryptString).toHaveBeenCalledTimes(2);
  });

  it('keeps every value when many sets race', async () => {
    const store = new SafeStorageSecretStore(dir, fakeSafeStorage());
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`k${i}`, `v${i}`)));
    const reopened = new SafeStorageSecretStore(dir, fakeSafeStorage());
    for (let i = 0; i < 20; i++) expect(await reopened.get(`k${i}`)).toBe(`v${i}`);
  });

  it('reports a damaged file with a typed error', async () => {
    await writeFile(join(dir, SECRETS_FILE_NAME), '{"version":1,"secrets":{"a":"not base64!"}}');
    await expect(new SafeStorageSecretStore(dir, fakeSafeStorage()).get('a')).rejects.toBeInstanceOf(SecretStoreCorruptError);
    await writeFile(join(dir, SECRETS_FILE_NAME), 'garbage');
    await expect(new SafeStorageSecretStore(dir, fakeSafeStorage()).get('a')).rejects.toBeInstanceOf(SecretStoreCorruptError);
  });
});

describe('choosing the secret store', () => {
  it('counts Linux basic_text and missing encryption as unavailable', () => {
    expect(checkOsSecretStorage(fakeSafeStorage('gnome_libsecret'), 'linux')).toEqual({ available: true });
    expect(checkOsSecretStorage(fakeSafeStorage('basic_text'), 'linux')).toMatchObject({ available: false });
    expect(checkOsSecretStorage(fakeSafeStorage('basic_text'), 'darwin')).toEqual({ available: true });
    expect(checkOsSecretStorage(fakeSafeStorage('unknown', false), 'win32')).toMatchObject({ available: false });
  });

  it('uses safeStorage when it protects secrets, and otherwise none (the backend starts locked)', () => {
    const warn = vi.fn();
    expect(chooseSecretStore(dir, fakeSafeStorage(), 'linux', warn)).toBeInstanceOf(SafeStorageSecretStore);
    expect(warn).not.toHaveBeenCalled();
    expect(chooseSecretStore(dir, fakeSafeStorage('basic_text'), 'linux', warn)).toBeUndefined();
    expect(chooseSecretStore(dir, fakeSafeStorage('x', false), 'win32', warn)).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(2);
  });
});
