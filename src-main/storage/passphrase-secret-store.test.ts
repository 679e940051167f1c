import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateDataKey } from './data-key';
import { TamperedDataError, WrongPassphraseError } from './errors';
import { openPassphraseSecretStore } from './passphrase-secret-store';

const cost = { N: 2 ** 10, r: 8, p: 1 };

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
});
