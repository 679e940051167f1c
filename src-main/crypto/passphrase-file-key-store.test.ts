import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyStoreError, KeyFilePassphraseError } from './errors';
import { PassphraseFileKeyStore } from './passphrase-file-key-store';
import { loadTokenPlaceVectors } from '../../test-support/crypto/vectors';

const { server, client } = loadTokenPlaceVectors().keys;
const pair = {
  privateKeyPem: server.private_key_pem_pkcs8,
  publicKeyPem: server.public_key_pem_spki,
  publicKeyWire: server.public_key_wire_b64,
};
const FAST = { scryptN: 2 ** 10 }; // tests only; the default is 2^15

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tp-keystore-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PassphraseFileKeyStore', () => {
  it('round-trips the exact PEM and wire strings; the file is 0600 and holds no plaintext private key', async () => {
    const store = new PassphraseFileKeyStore(join(dir, 'a'), 'correct horse battery staple', FAST);
    await store.save('node', pair);
    expect(await store.load('node')).toEqual(pair);
    const file = join(dir, 'a', 'node.key.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain(server.private_key_pem_pkcs8.split('\n')[1]);
    expect(await readdir(join(dir, 'a'))).toEqual(['node.key.json']); // no temp file left behind
  });

  it('works with the default scrypt cost', async () => {
    const store = new PassphraseFileKeyStore(join(dir, 'default'), 'pw');
    await store.save('k', pair);
    const saved = JSON.parse(await readFile(join(dir, 'default', 'k.key.json'), 'utf8'));
    expect(saved.kdf).toMatchObject({ name: 'scrypt', N: 2 ** 15, r: 8, p: 1 });
    expect(await store.load('k')).toEqual(pair);
  });

  it('returns null for a name never saved', async () => {
    expect(await new PassphraseFileKeyStore(join(dir, 'empty'), 'pw', FAST).load('missing')).toBeNull();
  });

  it('a wrong passphrase is a KeyFilePassphraseError', async () => {
    await new PassphraseFileKeyStore(join(dir, 'b'), 'right', FAST).save('k', pair);
    await expect(new PassphraseFileKeyStore(join(dir, 'b'), 'wrong', FAST).load('k')).rejects.toBeInstanceOf(KeyFilePassphraseError);
  });

  it('overwrites atomically and uses a fresh salt each save', async () => {
    const store = new PassphraseFileKeyStore(join(dir, 'c'), 'pw', FAST);
    await store.save('k', pair);
    const first = JSON.parse(await readFile(join(dir, 'c', 'k.key.json'), 'utf8'));
    const clientPair = {
      privateKeyPem: client.private_key_pem_pkcs8,
      publicKeyPem: client.public_key_pem_spki,
      publicKeyWire: client.public_key_wire_b64,
    };
    await store.save('k', clientPair);
    const second = JSON.parse(await readFile(join(dir, 'c', 'k.key.json'), 'utf8'));
    expect(second.kdf.salt).not.toBe(first.kdf.salt);
    expect(await store.load('k')).toEqual(clientPair);
    expect(await readdir(join(dir, 'c'))).toEqual(['k.key.json']);
  });

  it('detects a swapped public key (header is authenticated) and malformed files', async () => {
    const store = new PassphraseFileKeyStore(join(dir, 'd'), 'pw', FAST);
    await store.save('k', pair);
    const path = join(dir, 'd', 'k.key.json');
    const file = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...file, publicKeyPem: client.public_key_pem_spki }));
    await expect(store.load('k')).rejects.toBeInstanceOf(KeyFilePassphraseError);
    await writeFile(path, JSON.stringify({ ...file, kdf: { ...file.kdf, N: 2 ** 30 } }));
    await expect(store.load('k')).rejects.toBeInstanceOf(KeyStoreError);
    await writeFile(path, '{not json');
    await expect(store.load('k')).rejects.toBeInstanceOf(KeyStoreError);
    await writeFile(join(dir, 'd', 'other.key.json'), JSON.stringify(file));
    await expect(store.load('other')).rejects.toThrow(/another name/);
  });

  it('rejects bad names, empty passphrases, bad costs and invalid pairs', async () => {
    const store = new PassphraseFileKeyStore(join(dir, 'e'), 'pw', FAST);
    for (const name of ['', '../x', '.hidden', 'a/b', 'a'.repeat(65)]) {
      await expect(store.load(name)).rejects.toBeInstanceOf(KeyStoreError);
    }
    expect(() => new PassphraseFileKeyStore(dir, '')).toThrow(KeyStoreError);
    expect(() => new PassphraseFileKeyStore(dir, 'pw', { scryptN: 1000 })).toThrow(KeyStoreError);
    await expect(store.save('k', { ...pair, publicKeyPem: client.public_key_pem_spki })).rejects.toBeInstanceOf(KeyStoreError);
  });
});
