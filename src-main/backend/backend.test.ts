// Backend behaviour that does not need a real relay: validation, storage-backed channels,
// servers, relay/node supervision with fake hosts, detection, locking. Real chat: chat.test.ts.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EventChannel } from '../../src-shared/ipc/contract';
import { NodeHostStateSchema, type LocalNodeState, type NodeHostState } from '../../src-shared/vocabulary';
import { ConversationStore, loadOrCreateDataKey, openPassphraseSecretStore } from '../storage';
import { createBackend } from './backend';
import { FakeNodeHost, FakeRelayHost } from '../../test-support/backend/fake-hosts';
import type { Backend, BackendDeps } from './types';

const cost = { N: 2 ** 10, r: 8, p: 1 };
const dirs: string[] = [];
const backends: Backend[] = [];
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()));
});
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function setup(overrides: Partial<BackendDeps> = {}, dataDir?: string) {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'tp-backend-')));
  if (!dataDir) dirs.push(dir);
  const events: { channel: EventChannel; payload: unknown }[] = [];
  const relayHost = new FakeRelayHost();
  const nodeHost = new FakeNodeHost();
  const secrets = await openPassphraseSecretStore(join(dir, 'secrets.json'), 'amber otter lantern quartz', { cost });
  const backend = await createBackend({
    dataDir: dir,
    secrets,
    relayHost,
    nodeHost,
    emit: (channel, payload) => events.push({ channel, payload }),
    restartBackoffMs: { initial: 5, max: 20 },
    detectTargets: [],
    ...overrides,
  });
  backends.push(backend);
  const call = (channel: string, request: unknown = {}) => backend.handle(channel, request);
  return { dir, backend, call, events, relayHost, nodeHost, secrets };
}

async function until(check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('backend: the edge', () => {
  it('rejects payloads that do not match the channel schema before any handler runs', async () => {
    const { backend, call, events } = await setup();
    const conversation = (await call('conversations:create', {})) as { id: string };
    const servers = await call('servers:list');
    events.length = 0;
    for (const [channel, payload] of [
      ['conversations:get', {}],
      ['conversations:get', { id: 'c1', extra: 1 }],
      ['conversations:list', undefined],
      ['servers:add', { name: 'x', url: 'file:///etc/passwd' }],
      ['chat:send', { conversationId: conversation.id, content: '   ' }],
      ['app:unlock', { passphrase: 'short' }],
    ] as const) {
      const result = await backend.invoke(channel, payload);
      expect(result.ok, `${channel} ${JSON.stringify(payload)}`).toBe(false);
      expect(!result.ok && result.error.code).toBe('bad_request');
    }
    // No handler ran: nothing was added, sent or announced.
    expect(await call('servers:list')).toEqual(servers);
    expect(await call('conversations:get', { id: conversation.id })).toMatchObject({ messages: [] });
    expect(events).toEqual([]);
  });

  it('turns handler errors into IpcError: typed ones keep their words, others become internal', async () => {
    const lines: string[] = [];
    const { backend, call } = await setup({
      log: (line) => lines.push(line),
      openExternal: async () => Promise.reject(new TypeError('secret-detail-7f3a of the failure')),
    });
    await expect(call('conversations:get', { id: 'x' })).rejects.toMatchObject({ code: 'not_found', message: 'That conversation does not exist.' });
    const result = await backend.invoke('shell:openExternal', { url: 'https://token.place/' });
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: expect.stringMatching(/Something went wrong/) } });
    expect(JSON.stringify(result)).not.toContain('secret-detail-7f3a');
    expect(lines).toContain('shell:openExternal failed: internal (TypeError)');
    expect(lines.join('\n')).not.toContain('secret-detail-7f3a');
  });
});

describe('backend: validation', () => {
  it('rejects unknown channels and bad payloads with bad_request', async () => {
    const { call } = await setup();
    await expect(call('nope:nothing')).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('Unknown channel') });
    await expect(call('conversations:get', { id: '' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(call('conversations:list', { extra: 1 })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(call('settings:update', { fontSize: 99 })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(call('shell:openExternal', { url: 'file:///etc/passwd' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(call('conversations:get', { id: 'missing' })).rejects.toMatchObject({ code: 'not_found', message: 'That conversation does not exist.' });
  });

  it('reports first run, the secret storage kind, and opens external http links only', async () => {
    const opened: string[] = [];
    const { call, dir } = await setup({ openExternal: async (url) => void opened.push(url) });
    expect(await call('app:info')).toMatchObject({ secretStorage: 'passphrase', firstRun: true });
    expect(await call('shell:openExternal', { url: 'https://token.place/' })).toEqual({ ok: true });
    expect(opened).toEqual(['https://token.place/']);
    await Promise.all(backends.splice(0).map((b) => b.close()));
    const again = await setup({}, dir);
    expect(await again.call('app:info')).toMatchObject({ firstRun: false });
  });
});

describe('backend: conversations', () => {
  it('creates, renames, updates, deletes with undo, searches, and survives a restart', async () => {
    const { call, dir } = await setup();
    const a = (await call('conversations:create', { title: 'Alpha', systemPrompt: 'be kind' })) as { id: string };
    const b = (await call('conversations:create', {})) as { id: string; title: string };
    expect(b.title).toBe('New chat');
    expect(await call('conversations:rename', { id: b.id, title: '  Beta  ' })).toMatchObject({ id: b.id, title: 'Beta' });
    expect(await call('conversations:update', { id: a.id, model: 'm1', contextTier: '64k-full' })).toMatchObject({ model: 'm1', contextTier: '64k-full', systemPrompt: 'be kind' });
    expect(((await call('conversations:list')) as { id: string }[]).map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
    expect(await call('conversations:search', { query: 'alph' })).toEqual([{ conversationId: a.id, conversationTitle: 'Alpha', snippet: 'Alpha' }]);

    expect(await call('conversations:delete', { id: a.id })).toEqual({ ok: true });
    expect((await call('conversations:list')) as unknown[]).toHaveLength(1);
    expect(await call('conversations:restore', { id: a.id })).toMatchObject({ id: a.id, title: 'Alpha' });
    await Promise.all(backends.splice(0).map((x) => x.close()));

    const again = await setup({}, dir);
    expect(((await again.call('conversations:list')) as { title: string }[]).map((c) => c.title).sort()).toEqual(['Alpha', 'Beta']);
    expect(await again.call('conversations:clear', { confirm: true })).toEqual({ ok: true });
    expect(await again.call('conversations:list')).toEqual([]);
  });

  it('marks answers left pending by a crashed run as interrupted', async () => {
    const { call, dir } = await setup();
    const created = (await call('conversations:create', {})) as { id: string };
    await Promise.all(backends.splice(0).map((b) => b.close()));
    // Simulate a run that died mid-answer: write a pending answer straight into the store.
    const secrets = await openPassphraseSecretStore(join(dir, 'secrets.json'), 'amber otter lantern quartz', { cost });
    const store = await ConversationStore.open(join(dir, 'conversations'), await loadOrCreateDataKey(secrets));
    const c = await store.get(created.id);
    c.messages.push(
      { id: 'u1', role: 'user', content: 'hi', createdAt: 1, status: 'complete' },
      { id: 'a1', role: 'assistant', content: '', createdAt: 2, status: 'pending' },
    );
    await store.put(c);
    await store.close();
    const again = await setup({}, dir);
    expect(await again.call('conversations:get', { id: created.id })).toMatchObject({
      messages: [{ id: 'u1', status: 'complete' }, { id: 'a1', status: 'error', error: { code: 'interrupted', retryable: true } }],
    });
  });

  it('exports Markdown and JSON and imports both back', async () => {
    const { call } = await setup();
    const created = (await call('conversations:create', { title: 'Trip', systemPrompt: 'You plan trips.\nBriefly.' })) as { id: string };
    const md = (await call('conversations:export', { format: 'markdown' })) as { filename: string; mimeType: string; content: string };
    expect(md.mimeType).toBe('text/markdown');
    expect(md.content).toContain('# Trip');
    const json = (await call('conversations:export', { format: 'json', ids: [created.id] })) as { content: string };
    expect(await call('conversations:import', { format: 'json', content: json.content })).toEqual({ imported: 1 });
    expect(await call('conversations:import', { format: 'markdown', content: md.content })).toEqual({ imported: 1 });
    const list = (await call('conversations:list')) as { id: string; title: string }[];
    expect(list.map((c) => c.title)).toEqual(['Trip', 'Trip', 'Trip']);
    for (const s of list) expect(await call('conversations:get', { id: s.id })).toMatchObject({ systemPrompt: 'You plan trips.\nBriefly.' });
    await expect(call('conversations:import', { format: 'json', content: '{"x":1}' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(call('conversations:import', { format: 'markdown', content: '# hello' })).rejects.toMatchObject({ code: 'bad_request' });
  });
});

describe('backend: settings and secrets at rest', () => {
  it('keeps settings, relay tokens and API keys encrypted and never returns secrets', async () => {
    const { call, dir, events, secrets } = await setup();
    expect(await call('settings:get')).toEqual({ theme: 'system', fontSize: 14 });
    expect(await call('settings:update', { theme: 'dark' })).toEqual({ theme: 'dark', fontSize: 14 });
    const added = await call('servers:add', { name: 'Mine', url: 'http://127.0.0.1:1/', relayToken: 'relay-token-SECRET-1' });
    expect(added).toMatchObject({ name: 'Mine', kind: 'custom', hasRelayToken: true });
    const node = await call('node:configure', { provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:2/v1', model: 'llama', apiKey: 'sk-SECRET-2' });
    expect(node).toMatchObject({ configured: true, config: { hasApiKey: true, model: 'llama' }, state: 'serving' });
    const everything = JSON.stringify([added, node, await call('servers:list'), await call('node:status'), events]);
    expect(everything).not.toContain('SECRET');
    expect(await secrets.get('node.apiKey')).toBe('sk-SECRET-2');

    const files: string[] = [];
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true })) {
        if (e.isDirectory()) await walk(join(d, e.name));
        else files.push(join(d, e.name));
      }
    };
    await walk(dir);
    for (const f of files) {
      const text = (await readFile(f)).toString('latin1');
      expect(text).not.toContain('SECRET');
      expect(text).not.toContain('llama');
      expect(text).not.toContain('"dark"');
    }
  });
});

describe('backend: servers', () => {
  it('lists built-ins with the embedded relay active, adds/updates/removes, probes', async () => {
    const { call, events } = await setup();
    const list = (await call('servers:list')) as { activeId: string; servers: { id: string; kind: string; url: string }[] };
    expect(list.activeId).toBe('embedded');
    expect(list.servers.map((s) => s.kind)).toEqual(['embedded', 'public']);
    expect(list.servers[0]?.url).toBe('http://127.0.0.1:9');
    const added = (await call('servers:add', { name: 'Lab', url: 'http://127.0.0.1:1' })) as { id: string };
    expect(await call('servers:update', { id: added.id, name: 'Lab 2', defaultContextTier: '64k-full' })).toMatchObject({ name: 'Lab 2', defaultContextTier: '64k-full' });
    await expect(call('servers:update', { id: 'embedded', name: 'Renamed' })).rejects.toMatchObject({ code: 'invalid_server_profile' });
    expect(await call('servers:activate', { id: added.id })).toMatchObject({ activeId: added.id });
    const health = await call('servers:probe', { id: added.id });
    expect(health).toMatchObject({ state: 'unreachable', models: [] });
    expect(events.some((e) => e.channel === 'events:servers')).toBe(true);
    expect(await call('servers:remove', { id: added.id })).toEqual({ ok: true });
    expect(await call('servers:list')).toMatchObject({ activeId: 'embedded' });
    await expect(call('servers:remove', { id: 'embedded' })).rejects.toMatchObject({ code: 'invalid_server_profile' });
    await expect(call('servers:probe', { id: 'nope' })).rejects.toMatchObject({ code: 'unknown_server_profile' });
  });
});

describe('backend: embedded relay and node supervision', () => {
  it('starts the relay on first run, node unconfigured; restarts a crashed relay with backoff', async () => {
    const { call, relayHost, events } = await setup();
    expect(await call('relay:status')).toMatchObject({ enabled: true, state: 'running', url: 'http://127.0.0.1:9', restarts: 0 });
    expect(await call('node:status')).toMatchObject({ configured: false, state: 'unconfigured' });
    relayHost.nodes = 2;
    expect(await call('relay:status')).toMatchObject({ nodeCount: 2 });

    relayHost.failNextStarts = 1;
    relayHost.crash();
    await until(async () => ((await call('relay:status')) as { state: string }).state === 'running');
    expect(await call('relay:status')).toMatchObject({ restarts: 1 });
    const states = events.filter((e) => e.channel === 'events:relay').map((e) => (e.payload as { state: string }).state);
    expect(states).toEqual(expect.arrayContaining(['crashed', 'restarting', 'running']));
    expect(relayHost.starts).toBe(3);

    expect(await call('relay:setEnabled', { enabled: false })).toMatchObject({ enabled: false, state: 'stopped' });
    expect(relayHost.running).toBe(false);
    expect(await call('relay:setEnabled', { enabled: true })).toMatchObject({ enabled: true, state: 'running' });
  });

  it('configures, stops, starts and restarts the node; it follows the relay', async () => {
    const { call, nodeHost, relayHost, dir } = await setup();
    await expect(call('node:start')).rejects.toMatchObject({ code: 'node_unconfigured' });
    expect(await call('node:configure', { provider: 'test', model: 'test-model' })).toMatchObject({ state: 'serving', relayUrl: 'http://127.0.0.1:9' });
    // The host also gets the node's key pair from the SecretStore (the same one at every start).
    const nodeKey = { privateKeyPem: expect.stringContaining('PRIVATE KEY'), publicKeyPem: expect.stringContaining('PUBLIC KEY') };
    expect(nodeHost.configs.at(-1)).toEqual({ relayUrl: 'http://127.0.0.1:9', relayLaunchSecret: relayHost.launchSecret, provider: 'test', model: 'test-model', nodeKey });
    expect(await call('node:stop')).toMatchObject({ state: 'stopped' });
    expect(await call('node:start')).toMatchObject({ state: 'serving', fingerprint: 'ab'.repeat(32) });
    nodeHost.crash();
    await until(async () => ((await call('node:status')) as { state: string }).state === 'serving');
    expect(nodeHost.configs).toHaveLength(3);
    expect(new Set(nodeHost.configs.map((c) => c.nodeKey?.publicKeyPem)).size).toBe(1);

    await call('relay:setEnabled', { enabled: false });
    expect(await call('node:status')).toMatchObject({ state: 'error', error: expect.stringContaining('relay') });
    await call('relay:setEnabled', { enabled: true });
    await until(async () => ((await call('node:status')) as { state: string }).state === 'serving');
    await Promise.all(backends.splice(0).map((b) => b.close()));

    // Remembered across restarts: configured and serving again on launch.
    const again = await setup({}, dir);
    expect(await again.call('node:status')).toMatchObject({ configured: true, state: 'serving' });
  });

  it('shows every state the node host reports as the app\'s node state', async () => {
    const { call, nodeHost } = await setup();
    await call('node:configure', { provider: 'test', model: 'm' });
    // Registered and idle is serving too; a crashed process is an error until the restart policy acts.
    const serving: NodeHostState[] = ['registered', 'serving'];
    const failed: NodeHostState[] = ['error', 'crashed'];
    for (const state of NodeHostStateSchema.options) {
      nodeHost.set({ state, inFlight: 0, served: 0, error: 'the provider refused the key' });
      const status = (await call('node:status')) as { state: LocalNodeState; error?: string };
      const expected: LocalNodeState = serving.includes(state) ? 'serving' : failed.includes(state) ? 'error' : (state as LocalNodeState);
      expect(status.state, state).toBe(expected);
      // The host's problem is shown while the node is neither serving nor stopped.
      expect(status.error, state).toBe(expected === 'serving' || expected === 'stopped' ? undefined : 'the provider refused the key');
    }
  });

  it('moves the node to the relay\'s new address when a restarted relay comes back elsewhere', async () => {
    const { call, relayHost, nodeHost } = await setup();
    await call('node:configure', { provider: 'test', model: 'm' });
    relayHost.address = 'http://127.0.0.1:10';
    relayHost.crash();
    await until(async () => ((await call('node:status')) as { state: string; relayUrl?: string }).relayUrl === 'http://127.0.0.1:10');
    await until(async () => ((await call('node:status')) as { state: string }).state === 'serving');
    expect(nodeHost.configs.at(-1)?.relayUrl).toBe('http://127.0.0.1:10');
    expect(((await call('servers:list')) as { servers: { url: string }[] }).servers[0]?.url).toBe('http://127.0.0.1:10');
  });

  it('detects local OpenAI-compatible servers with a short timeout', async () => {
    const fake = Fastify();
    fake.get('/v1/models', async () => ({ object: 'list', data: [{ id: 'llama3' }, { id: 'qwen' }] }));
    await fake.listen({ host: '127.0.0.1', port: 0 });
    const port = (fake.server.address() as { port: number }).port;
    try {
      const { call } = await setup({
        detectTargets: [
          { name: 'Ollama', baseUrl: `http://127.0.0.1:${port}/v1` },
          { name: 'LM Studio', baseUrl: 'http://127.0.0.1:1/v1' },
        ],
        detectTimeoutMs: 300,
      });
      expect(await call('node:detect')).toEqual([{ name: 'Ollama', baseUrl: `http://127.0.0.1:${port}/v1`, models: ['llama3', 'qwen'] }]);
    } finally {
      await fake.close();
    }
  });
});

describe('backend: locked start', () => {
  it('refuses work until app:unlock opens the passphrase store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tp-backend-locked-'));
    dirs.push(dir);
    /** A backend on dir that starts locked: its secrets open with the passphrase app:unlock brings. */
    const startLocked = async () => {
      const backend = await createBackend({
        dataDir: dir,
        relayHost: new FakeRelayHost(),
        nodeHost: new FakeNodeHost(),
        emit: () => undefined,
        unlockSecrets: (p) => openPassphraseSecretStore(join(dir, 'secrets.json'), p, { cost }),
      });
      backends.push(backend);
      return backend;
    };
    const backend = await startLocked();
    expect(await backend.handle('app:info', {})).toMatchObject({ secretStorage: 'locked' });
    await expect(backend.handle('conversations:list', {})).rejects.toMatchObject({ code: 'locked' });
    await expect(backend.handle('app:unlock', { passphrase: 'short' })).rejects.toMatchObject({ code: 'bad_request' });
    // First run: the passphrase chosen now seals the store, so an obviously weak one is refused.
    await expect(backend.handle('app:unlock', { passphrase: 'password1' })).rejects.toMatchObject({
      code: 'weak_passphrase',
      message: expect.stringMatching(/^This passphrase is too easy to guess\. This is a commonly used password\./),
    });
    expect(await backend.handle('app:info', {})).toMatchObject({ secretStorage: 'locked' });
    expect(await backend.handle('app:unlock', { passphrase: 'a good passphrase' })).toEqual({ ok: true });
    expect(await backend.handle('app:info', {})).toMatchObject({ secretStorage: 'passphrase', firstRun: true });
    expect(await backend.handle('conversations:list', {})).toEqual([]);
    await backend.close();

    const relocked = await startLocked();
    await expect(relocked.handle('app:unlock', { passphrase: 'the wrong passphrase' })).rejects.toMatchObject({ code: 'wrong_passphrase' });
    expect(await relocked.handle('app:unlock', { passphrase: 'a good passphrase' })).toEqual({ ok: true });
  });
});

describe('backend: the sidebar organisation and drafts (workspace:*)', () => {
  type W = { folders: { id: string; name: string; collapsed: boolean }[]; placements: Record<string, string>; pinned: string[]; sort: string };

  it('creates, renames, collapses and deletes folders; chats move in and out; pins and sort survive a restart', async () => {
    const { call, dir } = await setup();
    const a = (await call('conversations:create', { title: 'Alpha' })) as { id: string };
    const b = (await call('conversations:create', { title: 'Beta' })) as { id: string };
    expect(await call('workspace:get')).toEqual({ folders: [], placements: {}, pinned: [], sort: 'activity' });
    const { folderId } = (await call('workspace:createFolder', { name: '  Research  ' })) as { folderId: string; workspace: W };
    await call('workspace:renameFolder', { folderId, name: 'Reading' });
    await call('workspace:setCollapsed', { folderId, collapsed: true });
    await call('workspace:move', { conversationId: a.id, folderId });
    await call('workspace:move', { conversationId: b.id, folderId });
    await call('workspace:setPinned', { conversationId: b.id, pinned: true });
    await call('workspace:setSort', { sort: 'name' });
    await Promise.all(backends.splice(0).map((x) => x.close()));

    const again = await setup({}, dir);
    const w = (await again.call('workspace:get')) as W;
    expect(w).toMatchObject({ folders: [{ id: folderId, name: 'Reading', collapsed: true }], placements: { [a.id]: folderId, [b.id]: folderId }, pinned: [b.id], sort: 'name' });
    await again.call('workspace:move', { conversationId: b.id, folderId: null });
    const deleted = (await again.call('workspace:deleteFolder', { folderId })) as { moved: number; workspace: W };
    expect(deleted.moved).toBe(1);
    expect(deleted.workspace).toMatchObject({ folders: [], placements: {}, pinned: [b.id] });
    expect(((await again.call('conversations:list')) as unknown[]).length).toBe(2);
  });

  it('says what is wrong: an empty folder name, a folder or conversation that is gone', async () => {
    const { call } = await setup();
    await expect(call('workspace:createFolder', { name: '   ' })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('Give the folder a name.') });
    await expect(call('workspace:renameFolder', { folderId: 'nope', name: 'x' })).rejects.toMatchObject({
      code: 'folder_not_found',
      message: 'That folder does not exist any more. Choose another folder.',
    });
    const { folderId } = (await call('workspace:createFolder', { name: 'F' })) as { folderId: string };
    await expect(call('workspace:move', { conversationId: 'nope', folderId })).rejects.toMatchObject({ code: 'not_found' });
    await expect(call('workspace:saveDraft', { conversationId: 'nope', text: 'hello' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(call('workspace:setSort', { sort: 'size' })).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('keeps drafts encrypted across a restart; deleting a conversation drops its pin, place and draft; clearing drops all', async () => {
    const { call, dir } = await setup();
    const a = (await call('conversations:create', {})) as { id: string };
    const b = (await call('conversations:create', {})) as { id: string };
    const { folderId } = (await call('workspace:createFolder', { name: 'F' })) as { folderId: string };
    await call('workspace:saveDraft', { conversationId: a.id, text: 'a half-written question about zebras' });
    await call('workspace:saveDraft', { conversationId: b.id, text: 'b draft' });
    await call('workspace:setPinned', { conversationId: a.id, pinned: true });
    await call('workspace:move', { conversationId: a.id, folderId });
    await Promise.all(backends.splice(0).map((x) => x.close()));

    const files = await readdir(join(dir, 'records'));
    const disk = Buffer.concat(await Promise.all(files.map((f) => readFile(join(dir, 'records', f))))).toString('latin1');
    expect(disk).not.toContain('zebras');

    const again = await setup({}, dir);
    expect(((await again.call('workspace:drafts')) as { conversationId: string; text: string }[]).map((d) => [d.conversationId, d.text]).sort()).toEqual(
      [[a.id, 'a half-written question about zebras'], [b.id, 'b draft']].sort(),
    );
    await again.call('conversations:delete', { id: a.id });
    expect(await again.call('workspace:get')).toMatchObject({ pinned: [], placements: {}, folders: [{ id: folderId }] });
    expect(((await again.call('workspace:drafts')) as { conversationId: string }[]).map((d) => d.conversationId)).toEqual([b.id]);
    // Sending clears a draft: the window saves empty text.
    await again.call('workspace:saveDraft', { conversationId: b.id, text: '' });
    expect(await again.call('workspace:drafts')).toEqual([]);
    await again.call('workspace:saveDraft', { conversationId: b.id, text: 'again' });
    await again.call('workspace:setPinned', { conversationId: b.id, pinned: true });
    await again.call('conversations:clear', { confirm: true });
    expect(await again.call('workspace:drafts')).toEqual([]);
    expect(await again.call('workspace:get')).toMatchObject({ pinned: [], folders: [{ id: folderId }] });
  });
});
