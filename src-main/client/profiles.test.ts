import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_KNOWN_NODES_PER_SERVER } from './node-book';
import { ProfilesStore } from './profiles';
import { EMBEDDED_PROFILE_ID, PUBLIC_PROFILE_ID, PUBLIC_RELAY_URL } from './profiles-schema';
import { JsonFileStorage } from './storage';
import { MemoryJsonStorage, MemorySecretStore } from '../../test-support/client/memory-storage';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tp-profiles-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fp = (n: number) => n.toString(16).padStart(64, '0');

describe('ProfilesStore', () => {
  it('starts with the embedded relay (active) and the public relay', async () => {
    const store = await ProfilesStore.open({ storage: new MemoryJsonStorage(), secrets: new MemorySecretStore() });
    const list = store.list();
    expect(list.map((p) => [p.id, p.kind, p.url, p.active])).toEqual([
      [EMBEDDED_PROFILE_ID, 'embedded', null, true],
      [PUBLIC_PROFILE_ID, 'public', PUBLIC_RELAY_URL, false],
    ]);
    store.setEmbeddedUrl('http://127.0.0.1:8123/');
    expect(store.active().url).toBe('http://127.0.0.1:8123');
  });

  it('adds, edits, removes custom servers and persists them in a JSON file', async () => {
    const path = join(dir, 'servers.json');
    const secrets = new MemorySecretStore();
    const store = await ProfilesStore.open({ storage: new JsonFileStorage(path), secrets });
    const added = await store.add({ name: ' Lab ', url: 'https://relay.example.org/', contextTier: '64k-full' });
    expect(added).toMatchObject({ name: 'Lab', url: 'https://relay.example.org', kind: 'custom', contextTier: '64k-full', defaultModel: null });
    const edited = await store.update(added.id, { defaultModel: 'qwen3-8b-instruct', url: 'http://10.0.0.2:5010' });
    expect(edited).toMatchObject({ url: 'http://10.0.0.2:5010', defaultModel: 'qwen3-8b-instruct' });
    await store.setActive(added.id);

    const reopened = await ProfilesStore.open({ storage: new JsonFileStorage(path), secrets });
    expect(reopened.active()).toMatchObject({ id: added.id, url: 'http://10.0.0.2:5010', defaultModel: 'qwen3-8b-instruct' });
    await reopened.remove(added.id);
    expect(reopened.list().map((p) => p.id)).toEqual([EMBEDDED_PROFILE_ID, PUBLIC_PROFILE_ID]);
    expect(reopened.active().id).toBe(EMBEDDED_PROFILE_ID); // removing the active server falls back
  });

  it('validates input with clear errors and protects built-in servers', async () => {
    const store = await ProfilesStore.open({ storage: new MemoryJsonStorage(), secrets: new MemorySecretStore() });
    for (const url of ['ftp://x.org', 'javascript:alert(1)', 'http://u:p@x.org', 'not a url']) {
      await expect(store.add({ name: 'x', url }), url).rejects.toMatchObject({ code: 'invalid_server_profile' });
    }
    await expect(store.add({ name: '', url: 'http://x.org' })).rejects.toMatchObject({ code: 'invalid_server_profile' });
    await expect(store.add({ name: 'x', url: 'http://x.org', contextTier: '16k' as never })).rejects.toMatchObject({ code: 'invalid_server_profile' });
    await expect(store.remove(PUBLIC_PROFILE_ID)).rejects.toMatchObject({ code: 'invalid_server_profile' });
    await expect(store.update(PUBLIC_PROFILE_ID, { url: 'http://evil.example' })).rejects.toMatchObject({ code: 'invalid_server_profile' });
    await expect(store.update(PUBLIC_PROFILE_ID, { defaultModel: 'm1' })).resolves.toMatchObject({ defaultModel: 'm1' });
    await expect(store.setActive('nope')).rejects.toMatchObject({ code: 'unknown_server_profile' });
  });

  it('keeps relay tokens in the secret store only, never in the profile JSON', async () => {
    const path = join(dir, 'tokens.json');
    const secrets = new MemorySecretStore();
    const store = await ProfilesStore.open({ storage: new JsonFileStorage(path), secrets });
    const p = await store.add({ name: 'Op', url: 'https://op.example' });
    await store.setRelayToken(p.id, 'super-secret-token-value');
    expect(store.get(p.id).hasRelayToken).toBe(true);
    expect(await store.getRelayToken(p.id)).toBe('super-secret-token-value');
    await store.update(p.id, { name: 'Op2' });
    expect(await readFile(path, 'utf8')).not.toContain('super-secret-token-value');
    const reopened = await ProfilesStore.open({ storage: new JsonFileStorage(path), secrets });
    expect(reopened.get(p.id).hasRelayToken).toBe(true);
    await reopened.setRelayToken(p.id, null);
    expect(reopened.get(p.id).hasRelayToken).toBe(false);
    expect(await secrets.get(`tokenplace.relay-token.${p.id}`)).toBeNull();
  });

  it('falls back to defaults on a corrupt or foreign file, keeping the corrupt file aside', async () => {
    const path = join(dir, 'corrupt.json');
    await writeFile(path, '{not json');
    const a = await ProfilesStore.open({ storage: new JsonFileStorage(path), secrets: new MemorySecretStore() });
    expect(a.list()).toHaveLength(2);
    const kept = (await readdir(dir)).filter((name) => name.startsWith('corrupt.json.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(await readFile(join(dir, kept[0]!), 'utf8')).toBe('{not json');
    await writeFile(path, JSON.stringify({ version: 99, anything: true }));
    const b = await ProfilesStore.open({ storage: new JsonFileStorage(path), secrets: new MemorySecretStore() });
    expect(b.active().id).toBe(EMBEDDED_PROFILE_ID);
  });

  it('emits active-changed on switch', async () => {
    const store = await ProfilesStore.open({ storage: new MemoryJsonStorage(), secrets: new MemorySecretStore() });
    const events: unknown[] = [];
    store.on((e) => events.push(e));
    await store.setActive(PUBLIC_PROFILE_ID);
    expect(events).toContainEqual({ type: 'active-changed', activeId: PUBLIC_PROFILE_ID, previousId: EMBEDDED_PROFILE_ID });
  });
});

describe('node keys and trust', () => {
  it('trusts the first key on first use, asks about others, and keeps it all per server across a reopen', async () => {
    const storage = new MemoryJsonStorage();
    const secrets = new MemorySecretStore();
    let now = 1000;
    const store = await ProfilesStore.open({ storage, secrets, now: () => now });
    expect(store.get(PUBLIC_PROFILE_ID).trustPolicy).toBe('ask');
    expect(store.judgeNode(PUBLIC_PROFILE_ID, fp(1))).toEqual({ kind: 'first-use' });
    await store.trustNode(PUBLIC_PROFILE_ID, fp(1), 'first-use');
    await store.recordNodeAnswer(PUBLIC_PROFILE_ID, fp(1));
    now = 2000;
    await store.recordNodeAnswer(PUBLIC_PROFILE_ID, fp(1));
    expect(store.knownNodes(PUBLIC_PROFILE_ID)).toEqual([{ fingerprint: fp(1), firstSeenAt: 1000, lastSeenAt: 2000, answers: 2, trusted: 'first-use', e2eeProfiles: [] }]);
    expect(store.knownNodes(EMBEDDED_PROFILE_ID)).toEqual([]); // per server
    expect(store.judgeNode(EMBEDDED_PROFILE_ID, fp(1))).toEqual({ kind: 'first-use' });

    expect(store.judgeNode(PUBLIC_PROFILE_ID, fp(1))).toEqual({ kind: 'trusted', source: 'first-use' });
    expect(store.judgeNode(PUBLIC_PROFILE_ID, fp(2))).toEqual({ kind: 'ask', trusted: [fp(1)] });
    await store.trustNode(PUBLIC_PROFILE_ID, fp(2));
    expect(store.judgeNode(PUBLIC_PROFILE_ID, fp(2))).toEqual({ kind: 'trusted', source: 'confirmed' });
    // Confirming a key trusted on first use makes it confirmed; first use never downgrades a confirmation.
    await store.trustNode(PUBLIC_PROFILE_ID, fp(1));
    await store.trustNode(PUBLIC_PROFILE_ID, fp(1), 'first-use');
    expect(store.judgeNode(PUBLIC_PROFILE_ID, fp(1))).toEqual({ kind: 'trusted', source: 'confirmed' });

    const reopened = await ProfilesStore.open({ storage, secrets });
    expect(reopened.judgeNode(PUBLIC_PROFILE_ID, fp(2))).toEqual({ kind: 'trusted', source: 'confirmed' });
    await reopened.setTrustPolicy(PUBLIC_PROFILE_ID, 'trusted-only');
    expect(reopened.judgeNode(PUBLIC_PROFILE_ID, fp(3))).toEqual({ kind: 'refuse', trusted: [fp(1), fp(2)] });
    await reopened.setTrustPolicy(PUBLIC_PROFILE_ID, 'any-node');
    expect(reopened.judgeNode(PUBLIC_PROFILE_ID, fp(3))).toEqual({ kind: 'trusted', source: 'any-node' });
    expect(reopened.get(PUBLIC_PROFILE_ID).trustPolicy).toBe('any-node');
    await reopened.setTrustPolicy(PUBLIC_PROFILE_ID, 'ask');
    await reopened.untrustNode(PUBLIC_PROFILE_ID, fp(2));
    expect(reopened.judgeNode(PUBLIC_PROFILE_ID, fp(2))).toEqual({ kind: 'ask', trusted: [fp(1)] });
    expect(reopened.knownNodes(PUBLIC_PROFILE_ID).map((n) => n.fingerprint)).toContain(fp(2)); // still listed
    await expect(reopened.trustNode(PUBLIC_PROFILE_ID, 'XYZ')).rejects.toMatchObject({ code: 'invalid_server_profile' });
    await expect(reopened.setTrustPolicy(PUBLIC_PROFILE_ID, 'always' as never)).rejects.toMatchObject({ code: 'invalid_server_profile' });
  });

  it('reads a server list saved with pins: the pinned key is the confirmed one, require becomes trusted-only', async () => {
    const storage = new MemoryJsonStorage();
    const known = (f: string) => ({ fingerprint: f, firstSeenAt: 1, lastSeenAt: 2, answers: 3 });
    await storage.save({
      version: 1,
      activeId: PUBLIC_PROFILE_ID,
      profiles: [],
      nodes: {
        [PUBLIC_PROFILE_ID]: { pinned: fp(1), pinMode: 'require', known: [known(fp(2)), known(fp(1))] },
        [EMBEDDED_PROFILE_ID]: { pinned: fp(9), pinMode: 'warn', known: [known(fp(3))] },
      },
    });
    const store = await ProfilesStore.open({ storage, secrets: new MemorySecretStore() });
    expect(store.active().id).toBe(PUBLIC_PROFILE_ID);
    expect(store.get(PUBLIC_PROFILE_ID).trustPolicy).toBe('trusted-only');
    expect(store.knownNodes(PUBLIC_PROFILE_ID).map((n) => [n.fingerprint, n.trusted, n.answers])).toEqual([
      [fp(2), null, 3],
      [fp(1), 'confirmed', 3],
    ]);
    expect(store.judgeNode(PUBLIC_PROFILE_ID, fp(2))).toEqual({ kind: 'refuse', trusted: [fp(1)] });
    expect(store.get(EMBEDDED_PROFILE_ID).trustPolicy).toBe('ask');
    expect(store.judgeNode(EMBEDDED_PROFILE_ID, fp(9))).toEqual({ kind: 'trusted', source: 'confirmed' });
    expect(store.judgeNode(EMBEDDED_PROFILE_ID, fp(3))).toEqual({ kind: 'ask', trusted: [fp(9)] });
  });

  it('bounds the remembered list, evicting keys that are not trusted first', async () => {
    let now = 0;
    const store = await ProfilesStore.open({ storage: new MemoryJsonStorage(), secrets: new MemorySecretStore(), now: () => ++now });
    await store.trustNode(PUBLIC_PROFILE_ID, fp(0), 'first-use');
    await store.recordNodeAnswer(PUBLIC_PROFILE_ID, fp(0));
    for (let i = 1; i <= MAX_KNOWN_NODES_PER_SERVER + 5; i++) await store.recordNodeAnswer(PUBLIC_PROFILE_ID, fp(i));
    const known = store.knownNodes(PUBLIC_PROFILE_ID);
    expect(known).toHaveLength(MAX_KNOWN_NODES_PER_SERVER);
    expect(known.some((n) => n.fingerprint === fp(0))).toBe(true);
    expect(known[0]!.fingerprint).toBe(fp(MAX_KNOWN_NODES_PER_SERVER + 5));
    expect(known.some((n) => n.fingerprint === fp(1))).toBe(false); // the oldest untrusted key went first
  });

  it('forgets node keys when a custom server gets a new URL', async () => {
    const store = await ProfilesStore.open({ storage: new MemoryJsonStorage(), secrets: new MemorySecretStore() });
    const p = await store.add({ name: 'x', url: 'http://a.example' });
    await store.recordNodeAnswer(p.id, fp(7));
    await store.trustNode(p.id, fp(7));
    await store.setTrustPolicy(p.id, 'trusted-only');
    await store.update(p.id, { url: 'http://b.example' });
    expect(store.knownNodes(p.id)).toEqual([]);
    expect(store.get(p.id).trustPolicy).toBe('ask');
    expect(store.judgeNode(p.id, fp(7))).toEqual({ kind: 'first-use' });
  });
});
