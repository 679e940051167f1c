// ChatService (server profiles, switching, node pins) and the local gateway against our relay +
// compute nodes, all on loopback.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_REGISTRY } from '../../src-shared/errors';
import type { RsaKeyPair } from '../crypto';
import type { RunningRelay } from '../relay';
import { ChatService } from './chat-service';
import { ChatCancelledError, ChatError, PinnedNodeChangedError } from './errors';
import { startGateway, type RunningGateway } from './gateway';
import { ProfilesStore } from './profiles';
import { EMBEDDED_PROFILE_ID } from './profiles-schema';
import { MemoryJsonStorage, MemorySecretStore } from '../../test-support/client/memory-storage';
import { SLOW_MARKER, STACK_MODEL, keyPairs, startStackNode, startStackRelay, waitFor, type StackNode } from '../../test-support/client/stack';

let pairs: RsaKeyPair[];
let main: RunningRelay; // the "embedded" server, one node
let second: RunningRelay; // a custom server, one node
let nodeA: StackNode;
let nodeC: StackNode;
const extraNodes: StackNode[] = [];

const user = (content: string) => [{ role: 'user' as const, content }];

beforeAll(async () => {
  pairs = await keyPairs(3);
  [main, second] = await Promise.all([startStackRelay(), startStackRelay()]);
  [nodeA, nodeC] = await Promise.all([startStackNode(main.url, pairs[0]!), startStackNode(second.url, pairs[1]!)]);
  const nodeCount = async (url: string) => ((await (await fetch(`${url}/healthz`)).json()) as { knownServers: number }).knownServers;
  await waitFor(async () => (await nodeCount(main.url)) === 1 && (await nodeCount(second.url)) === 1, 5000, 'nodes registered');
});

afterAll(async () => {
  await Promise.all([nodeA, nodeC, ...extraNodes].map((n) => n.node.stop()));
  await Promise.all([main, second].map((r) => r.close()));
});

describe('ChatService: server profiles, switching, pins', () => {
  async function service(policy: 'finish' | 'cancel') {
    const profiles = await ProfilesStore.open({ storage: new MemoryJsonStorage(), secrets: new MemorySecretStore() });
    profiles.setEmbeddedUrl(main.url);
    const other = await profiles.add({ name: 'Second relay', url: second.url });
    return { profiles, other, svc: new ChatService({ profiles, onSwitch: policy }) };
  }

  it('switches servers while idle', async () => {
    const { svc, other } = await service('finish');
    const a = await svc.chat({ messages: user('one') });
    expect(a).toMatchObject({ serverId: EMBEDDED_PROFILE_ID, relayUrl: main.url });
    await svc.switchServer(other.id);
    const b = await svc.chat({ messages: user('two') });
    expect(b).toMatchObject({ serverId: other.id, relayUrl: second.url });
    expect(b.nodeFingerprint).toBe(nodeC.node.status().fingerprint);
    expect((await svc.health()).nodeCount).toBe(1);
  });

  it("'finish' policy: a request in flight completes on its server; new ones go to the new server", async () => {
    const { svc, other } = await service('finish');
    const events: string[] = [];
    svc.on((e) => events.push(e.type === 'switched' ? `switched:${e.inFlightOnPrevious}` : e.type));
    let submitted!: () => void;
    const isSubmitted = new Promise<void>((r) => (submitted = r));
    const slow = svc.chat({ messages: user(`${SLOW_MARKER} keep going`), onStatus: (s) => s.type === 'submitted' && submitted() });
    await isSubmitted;
    await svc.switchServer(other.id);
    expect(events).toEqual(['switched:1']);
    const fresh = await svc.chat({ messages: user('new server') });
    expect(fresh.relayUrl).toBe(second.url);
    const done = await slow;
    expect(done).toMatchObject({ relayUrl: main.url, serverId: EMBEDDED_PROFILE_ID });
    expect(done.content).toContain('keep going');
    expect(done.retrieveMode).toBe('long-poll'); // the relay held the retrieve until the slow answer
    expect(svc.inFlightCount()).toBe(0);
  });

  it("'cancel' policy: a request in flight is cancelled cleanly with server_switched", async () => {
    const { svc, other } = await service('cancel');
    const abortedBefore = nodeA.aborted;
    let submitted!: () => void;
    const isSubmitted = new Promise<void>((r) => (submitted = r));
    const slow = svc.chat({ messages: user(`${SLOW_MARKER} switch me`), onStatus: (s) => s.type === 'submitted' && submitted() });
    await isSubmitted;
    await svc.switchServer(other.id);
    const err = await slow.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatCancelledError);
    expect((err as ChatError).code).toBe('server_switched');
    expect((err as ChatError).userMessage).toMatch(/active server was changed/);
    await waitFor(() => nodeA.aborted > abortedBefore, 5000, 'node sees the cancel');
    expect((await svc.chat({ messages: user('after switch') })).relayUrl).toBe(second.url);
  });

  it('remembers node fingerprints, flags a changed pinned key, and refuses it in require mode', async () => {
    const { svc, profiles, other } = await service('finish');
    await svc.switchServer(other.id);
    const first = await svc.chat({ messages: user('pin me') });
    expect(first.pin.status).toBe('unpinned');
    expect(first.pin.firstSeen).toBe(true);
    expect(profiles.knownNodes(other.id).map((n) => n.fingerprint)).toEqual([first.nodeFingerprint]);

    await profiles.pinNode(other.id, first.nodeFingerprint);
    const same = await svc.chat({ messages: user('still you?') });
    expect(same).toMatchObject({ nodeKeyChanged: false, pin: { status: 'match' } });

    // The node restarts with a new key: the pinned key changed.
    const changes: unknown[] = [];
    svc.on((e) => e.type === 'pinned-node-changed' && changes.push(e));
    await nodeC.node.stop();
    const restarted = await startStackNode(second.url, pairs[2]!);
    extraNodes.push(restarted);
    await waitFor(async () => (await svc.health()).nodeCount === 1, 5000, 'the restarted node registered');
    const changed = await svc.chat({ messages: user('who are you now?') });
    expect(changed.nodeKeyChanged).toBe(true);
    expect(changed.pin).toMatchObject({ status: 'changed', pinnedFingerprint: first.nodeFingerprint });
    expect(changes).toEqual([{ type: 'pinned-node-changed', serverId: other.id, pinnedFingerprint: first.nodeFingerprint, nodeFingerprint: changed.nodeFingerprint }]);

    await profiles.pinNode(other.id, first.nodeFingerprint, 'require');
    const err = await svc.chat({ messages: user('refuse') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PinnedNodeChangedError);
    // One text for this failure (the registry's), the one the app shows too (backend pinning.test.ts).
    expect((err as ChatError).userMessage).toBe(ERROR_REGISTRY.pinned_node_changed.message);
    expect((err as ChatError).userMessage).toMatch(/nothing was sent/i);
  });

  it("sends the embedded relay's headers (its launch secret, §12) to the embedded relay only", async () => {
    const seen: { origin: string; secret: string | null }[] = [];
    const recording: typeof fetch = async (input, init) => {
      seen.push({ origin: new URL(String(input)).origin, secret: new Headers(init?.headers).get('x-tokenplace-launch-secret') });
      return fetch(input, init);
    };
    const profiles = await ProfilesStore.open({ storage: new MemoryJsonStorage(), secrets: new MemorySecretStore() });
    profiles.setEmbeddedUrl(main.url);
    // A custom server at the very same address still gets no secret.
    const sameAddress = await profiles.add({ name: 'Same address', url: main.url });
    const other = await profiles.add({ name: 'Second relay', url: second.url });
    const svc = new ChatService({ profiles, fetch: recording, embeddedRelayHeaders: { 'x-tokenplace-launch-secret': 'the-secret' } });
    await svc.chat({ messages: user('embedded') });
    await svc.health();
    const embeddedCalls = seen.splice(0);
    expect(embeddedCalls.length).toBeGreaterThan(2);
    expect(embeddedCalls.every((c) => c.origin === new URL(main.url).origin && c.secret === 'the-secret')).toBe(true);
    await svc.chat({ messages: user('same address'), serverId: sameAddress.id });
    await svc.chat({ messages: user('other'), serverId: other.id });
    await svc.health(other.id);
    expect(seen.length).toBeGreaterThan(4);
    expect(seen.filter((c) => c.secret !== null)).toEqual([]);
    expect(svc.relayHeaders(profiles.get(other.id))).toEqual({});
  });

  it('reports the embedded relay as not running when it has no URL', async () => {
    const profiles = await ProfilesStore.open({ storage: new MemoryJsonStorage(), secrets: new MemorySecretStore() });
    const svc = new ChatService({ profiles });
    await expect(svc.chat({ messages: user('x') })).rejects.toMatchObject({ code: 'embedded_relay_not_running' });
    expect((await svc.health()).state).toBe('unreachable');
  });
});

describe('local gateway end to end', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    const profiles = await ProfilesStore.open({ storage: new MemoryJsonStorage(), secrets: new MemorySecretStore() });
    profiles.setEmbeddedUrl(main.url);
    const svc = new ChatService({ profiles });
    gw = await startGateway({ chat: (r) => svc.chat(r), listModels: () => svc.models() });
  });
  afterAll(() => gw.close());

  it('serves the openai client through the relay, end-to-end encrypted', async () => {
    const openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.token, maxRetries: 0, timeout: 15_000 });
    expect((await openai.models.list()).data.map((m) => m.id)).toEqual([STACK_MODEL]);
    const { data: completion, response } = await openai.chat.completions
      .create({ model: STACK_MODEL, messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'via gateway' }], max_tokens: 64 })
      .withResponse();
    expect(completion.choices[0]!.message.content).toBe('Test answer (2 messages) to: via gateway');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage!.total_tokens).toBeGreaterThan(0);
    const fp = response.headers.get('x-tokenplace-node-fingerprint');
    expect([nodeA.node.status().fingerprint]).toContain(fp);
  });
});
