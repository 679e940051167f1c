import { describe, expect, it } from 'vitest';
import { generateRsaKeyPair, keyFingerprint } from '../crypto';
import { TamperedDataError } from './errors';
import { NODE_KEY_SECRET, loadNodeKey, loadOrCreateNodeKey, saveNodeKey } from './node-key';
import type { SecretStore } from './secret-store';
import { MemorySecretStore } from '../../test-support/client/memory-storage';

/** test-support's in-memory store, as the kind of store the app's node key lives in. */
const createMemorySecretStore = (): SecretStore => Object.assign(new MemorySecretStore(), { kind: 'passphrase' as const });

describe('the node key in a SecretStore', () => {
  it('is created once and found again by the next start (the same wire key)', async () => {
    const secrets = createMemorySecretStore();
    const first = await loadOrCreateNodeKey(secrets, { now: () => 1_000 });
    expect(first.fresh).toBe(true);
    const again = await loadOrCreateNodeKey(secrets, { now: () => 5_000 });
    expect(again).toEqual({ ...first, fresh: false });
    expect(again.pair.publicKeyWire).toBe(first.pair.publicKeyWire);
    expect(JSON.parse((await secrets.get(NODE_KEY_SECRET))!)).toMatchObject({ version: 1, createdAt: 1_000 });
  });

  it('is replaced on start once it is as old as the rotation interval, and kept while younger', async () => {
    const secrets = createMemorySecretStore();
    const pairs = [await generateRsaKeyPair(), await generateRsaKeyPair()];
    const generate = async () => pairs.shift()!;
    const first = await loadOrCreateNodeKey(secrets, { now: () => 0, generate, rotateAfterMs: 60_000 });
    expect((await loadOrCreateNodeKey(secrets, { now: () => 59_999, generate, rotateAfterMs: 60_000 })).fresh).toBe(false);
    const rotated = await loadOrCreateNodeKey(secrets, { now: () => 60_000, generate, rotateAfterMs: 60_000 });
    expect(rotated.fresh).toBe(true);
    expect(keyFingerprint(rotated.pair.publicKeyPem)).not.toBe(keyFingerprint(first.pair.publicKeyPem));
    expect((await loadNodeKey(secrets))?.createdAt).toBe(60_000);
  });

  it('saves a rotated pair with its time, and refuses a stored value that is not a pair', async () => {
    const secrets = createMemorySecretStore();
    const pair = await generateRsaKeyPair();
    await saveNodeKey(secrets, { pair, createdAt: 42 });
    expect(await loadNodeKey(secrets)).toEqual({ pair, createdAt: 42 });
    await secrets.set(NODE_KEY_SECRET, JSON.stringify({ version: 1, privateKeyPem: pair.privateKeyPem, publicKeyPem: 'x', createdAt: 1 }));
    await expect(loadNodeKey(secrets)).rejects.toBeInstanceOf(TamperedDataError);
    await secrets.set(NODE_KEY_SECRET, '{');
    await expect(loadNodeKey(secrets)).rejects.toBeInstanceOf(TamperedDataError);
  });
});
