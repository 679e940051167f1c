import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateDataKey } from './data-key';
import { TamperedDataError, WeakPassphraseError, WrongPassphraseError } from './errors';
import { DEFAULT_SCRYPT_COST, openPassphraseSecretStore } from './passphrase-secret-store';
import { passphraseWeakness } from './passphrase-strength';

const cost = { N: 2 ** 10, r: 8, p: 1 };
/** Stores written by the code before scrypt went to 2^17 (fixtures/storage). */
const FIXTURES = resolve(__dirname, '../../fixtures/storage');
const OLD_STORE = { file: 'secrets-scrypt-n15.json', passphrase: 'old store passphrase, scrypt 2^15' };
const OLD_WEAK_STORE = { file: 'secrets-weak-passphrase.json', passphrase: 'password1' };
const kdfOf = async (file: string) => (JSON.parse(await readFile(file, 'utf8')) as { kdf: { N: number; r: number; p: number; salt: string } }).kdf;

describe('PassphraseSecretStore', () => {
  const dirs: string[] = [];
  const tempFile = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tp-secrets-'));
    dirs.push(dir);
    return join(dir, 'secrets.json');
  };
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('round-trips secrets across reopen and never writes them in the clear', async () => {
    const file = await tempFile();
    const store = await openPassphraseSecretStore(file, 'correct horse battery', { cost });
    expect(store.kind).toBe('passphrase');
    await store.set('relay.token', 'sk-very-secret-token');
    await store.set('other', 'x');
    await store.delete('other');
    expect(await store.get('missing')).toBeNull();
    const raw = await readFile(file, 'utf8');
    expect(raw).not.toContain('sk-very-secret-token');
    const reopened = await openPassphraseSecretStore(file, 'correct horse battery', { cost });
    expect(await reopened.get('relay.token')).toBe('sk-very-secret-token');
    expect(await reopened.get('other')).toBeNull();
  });

  it('rejects a wrong passphrase with WrongPassphraseError', async () => {
    const file = await tempFile();
    await (await openPassphraseSecretStore(file, 'first passphrase', { cost })).set('a', 'b');
    await expect(openPassphraseSecretStore(file, 'other passphrase', { cost })).rejects.toBeInstanceOf(WrongPassphraseError);
  });

  it('rejects a modified file with TamperedDataError', async () => {
    const file = await tempFile();
    await (await openPassphraseSecretStore(file, 'first passphrase', { cost })).set('a', 'b');
    const json = JSON.parse(await readFile(file, 'utf8')) as { box: string };
    const box = Buffer.from(json.box, 'base64');
    box.writeUInt8(box.readUInt8(box.length - 1) ^ 1, box.length - 1);
    await writeFile(file, JSON.stringify({ ...json, box: box.toString('base64') }));
    await expect(openPassphraseSecretStore(file, 'first passphrase', { cost })).rejects.toBeInstanceOf(TamperedDataError);
    await writeFile(file, '{not json');
    await expect(openPassphraseSecretStore(file, 'first passphrase', { cost })).rejects.toBeInstanceOf(TamperedDataError);
  });

  it('generates the 32-byte data key once and keeps it', async () => {
    const file = await tempFile();
    const store = await openPassphraseSecretStore(file, 'first passphrase', { cost });
    const key = await loadOrCreateDataKey(store);
    expect(key).toHaveLength(32);
    const again = await loadOrCreateDataKey(await openPassphraseSecretStore(file, 'first passphrase', { cost }));
    expect(again.equals(key)).toBe(true);
  });

  it('creates new stores at scrypt N = 2^17, r = 8, p = 1 by default', async () => {
    const file = await tempFile();
    await (await openPassphraseSecretStore(file, 'correct horse battery')).set('a', 'b');
    expect(DEFAULT_SCRYPT_COST).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(await kdfOf(file)).toMatchObject({ name: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
  });

  it('re-seals a store written at the old cost (2^15) at 2^17 when it is next unlocked', async () => {
    const file = await tempFile();
    await copyFile(join(FIXTURES, OLD_STORE.file), file);
    const before = await kdfOf(file);
    expect(before).toMatchObject({ N: 2 ** 15, r: 8, p: 1 });

    const store = await openPassphraseSecretStore(file, OLD_STORE.passphrase);
    expect(await store.get('node.apiKey')).toBe('sk-fixture-not-a-real-key');
    const after = await kdfOf(file);
    expect(after).toMatchObject({ N: 2 ** 17, r: 8, p: 1 });
    expect(after.salt).not.toBe(before.salt);
    expect(await readFile(file, 'utf8')).not.toContain('sk-fixture-not-a-real-key');

    await store.set('later', 'write'); // keeps writing at the new cost
    const reopened = await openPassphraseSecretStore(file, OLD_STORE.passphrase);
    expect(await reopened.get('storage.dataKey')).toBe(Buffer.alloc(32, 0x5a).toString('base64'));
    expect(await reopened.get('later')).toBe('write');
    expect(await kdfOf(file)).toMatchObject({ N: 2 ** 17 });
    await expect(openPassphraseSecretStore(file, 'not the old passphrase')).rejects.toBeInstanceOf(WrongPassphraseError);
  });

  it('never lowers the cost of a store sealed more expensively than asked', async () => {
    const file = await tempFile();
    await copyFile(join(FIXTURES, OLD_STORE.file), file);
    await openPassphraseSecretStore(file, OLD_STORE.passphrase, { cost });
    expect(await kdfOf(file)).toMatchObject({ N: 2 ** 15 });
  });

  it('refuses a weak passphrase for a new store with a clear reason, and writes nothing', async () => {
    for (const weak of ['password1', '12345678', 'qwertyuiop', 'aaaaaaaaaaaa', 'tokenplace1', 'short']) {
      const file = await tempFile();
      const error = await openPassphraseSecretStore(file, weak, { cost }).then(
        () => new Error(`${weak} was accepted`),
        (e: unknown) => e,
      );
      expect(error, weak).toBeInstanceOf(WeakPassphraseError);
      expect((error as Error).message, weak).toMatch(/^(This passphrase is too easy to guess\.|The passphrase needs at least 8 characters\.)/);
      expect((error as Error).message, weak).toMatch(/three or four unrelated words/);
      await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
    }
  });

  it('still opens an existing store whose passphrase would be refused today', async () => {
    const file = await tempFile();
    await copyFile(join(FIXTURES, OLD_WEAK_STORE.file), file);
    const store = await openPassphraseSecretStore(file, OLD_WEAK_STORE.passphrase, { cost });
    expect(await store.get('storage.dataKey')).toBe(Buffer.alloc(32, 0x11).toString('base64'));
  });
});

describe('passphraseWeakness', () => {
  it('names why common passwords, patterns and the app name are weak, and passes long unrelated words', async () => {
    expect(await passphraseWeakness('password1')).toMatch(/commonly used password/);
    expect(await passphraseWeakness('aaaaaaaaaaaa')).toMatch(/Repeated characters/);
    expect(await passphraseWeakness('tokenplace1')).toMatch(/app’s name/);
    expect(await passphraseWeakness('1234567')).toMatch(/at least 8 characters/);
    for (const strong of ['correct horse battery', 'zebra-lamp-orbit-kettle', 'Tr0ub4dor&3 hat']) expect(await passphraseWeakness(strong), strong).toBeNull();
  });
});
