// ChatService (server profiles, switching, node key trust) and the local gateway against our relay
// + compute nodes, all on loopback.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_REGISTRY } from '../../src-shared/errors';
import type { RsaKeyPair } from '../crypto';
import type { RunningRelay } from '../relay';
import { ChatService } from './chat-service';
import { ChatCancelledError, ChatError, UntrustedNodeKeyError } from './errors';
import { startGateway, type RunningGateway } from './gateway';
import { ProfilesStore } from './profiles';
import { EMBEDDED_PROFILE_ID } from './profiles-schema';
import { MemoryJsonStorage, MemorySecretStore } from '../../test-support/client/memory-storage';
import type { NodeConfirmationDecision } from '../../src-shared/vocabulary';
import type { ConfirmNode, NodeConfirmationRequest } from './trust-gate';
import type { ChatStatus } from './types';
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

describe('ChatService: server profiles, switching, node key trust', () => {
  async function service(policy: 'finish' | 'cancel', extra: Partial<ConstructorParameters<typeof ChatService>[0]> = {}) {
    const profiles = await ProfilesStore.open({ storage: new MemoryJsonStorage(), secrets: new MemorySecretStore() });
    profiles.setEmbeddedUrl(main.url);
    const other = await profiles.add({ name: 'Second relay', url: second.url });
    return { profiles, other, svc: new ChatService({ profiles, onSwitch: policy, ...extra }) };
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

  it('trusts the first key on first use, asks before anything goes to a new key, and sends only once the user trusts it', async () => {
    const asked: NodeConfirmationRequest[] = [];
    const answers: ((d: NodeConfirmationDecision) => void)[] = [];
    const confirmNode: ConfirmNode = (request) => {
      asked.push(request);
      return new Promise((resolve) => answers.push(resolve));
    };
    let submits = 0;
    const counting: typeof fetch = (input, init) => {
      if (String(input).endsWith('/api/v1/relay/requests')) submits++;
      return fetch(input, init);
    };
    let own: string[] = [];
    const { svc, profiles, other } = await service('finish', { confirmNode, fetch: counting, ownNodeFingerprints: () => own });
    await svc.switchServer(other.id);
    const first = await svc.chat({ messages: user('first contact') });
    expect(first.nodeTrust).toBe('first-use');
    expect(asked).toEqual([]);
    expect(profiles.knownNodes(other.id)).toEqual([expect.objectContaining({ fingerprint: first.nodeFingerprint, trusted: 'first-use', answers: 1 })]);
    const same = await svc.chat({ messages: user('still you?') });
    expect(same).toMatchObject({ nodeFingerprint: first.nodeFingerprint, nodeTrust: 'first-use' });

    // The node comes back with a new key: the prompt waits for the user, and nothing is sent.
    await nodeC.node.stop();
    const restarted = await startStackNode(second.url, pairs[2]!);
    extraNodes.push(restarted);
    const fresh = restarted.node.status().fingerprint!;
    await waitFor(async () => (await svc.health()).nodeCount === 1, 5000, 'the restarted node registered');
    const statuses: ChatStatus['type'][] = [];
    const submitsBefore = submits;
    const waiting = svc.chat({ messages: user('a private question'), conversationId: 'conv-1', onStatus: (s) => statuses.push(s.type) });
    await waitFor(() => asked.length === 1, 5000, 'the user is asked');
    expect(asked[0]).toEqual({
      serverId: other.id,
      serverName: 'Second relay',
      fingerprint: fresh,
      trustedFingerprints: [first.nodeFingerprint],
      liveNodes: 1,
      conversationId: 'conv-1',
    });
    expect(statuses).toEqual(['finding_node', 'confirming_node']);
    await new Promise((r) => setTimeout(r, 300));
    expect(submits).toBe(submitsBefore);
    expect(restarted.calls).toBe(0);
    answers[0]!('trust');
    const trusted = await waiting;
    expect(trusted).toMatchObject({ nodeFingerprint: fresh, nodeTrust: 'confirmed', content: expect.stringContaining('a private question') });
    expect(restarted.calls).toBe(1);
    expect(profiles.knownNodes(other.id).map((n) => [n.fingerprint, n.trusted])).toEqual([
      [fresh, 'confirmed'],
      [first.nodeFingerprint, 'first-use'],
    ]);
    await expect(svc.chat({ messages: user('no question now') })).resolves.toMatchObject({ nodeTrust: 'confirmed' });
    expect(asked).toHaveLength(1);

    // Declined: nothing is sent, in plain words.
    await profiles.untrustNode(other.id, fresh);
    const declined = svc.chat({ messages: user('do not send me') }).catch((e: unknown) => e);
    await waitFor(() => asked.length === 2, 5000, 'asked again');
    answers[1]!('refuse');
    const err = await declined;
    expect(err).toBeInstanceOf(UntrustedNodeKeyError);
    expect(err).toMatchObject({ code: 'node_key_declined', userMessage: ERROR_REGISTRY.node_key_declined.message });
    expect(restarted.calls).toBe(2);

    // trusted-only: refused without asking; any-node: used and labelled so; this computer's own node: trusted everywhere.
    await profiles.setTrustPolicy(other.id, 'trusted-only');
    const refused = await svc.chat({ messages: user('refuse') }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'node_key_not_trusted', retryable: false });
    expect((refused as ChatError).userMessage).toMatch(/nothing was sent/i);
    expect(asked).toHaveLength(2);
    own = [fresh];
    await expect(svc.chat({ messages: user('own node') })).resolves.toMatchObject({ nodeTrust: 'own-node' });
    own = [];
    await profiles.setTrustPolicy(other.id, 'any-node');
    await expect(svc.chat({ messages: user('any node') })).resolves.toMatchObject({ nodeTrust: 'any-node' });
    expect(asked).toHaveLength(2);
    expect(restarted.calls).toBe(4);
  });

  it('takes the question back when the request is stopped while the user is asked', async () => {
    const { svc, profiles, other } = await service('finish');
    const signals: (AbortSignal | undefined)[] = [];
    const confirming = new ChatService({
      profiles,
      confirmNode: (_req, signal) => {
        signals.push(signal);
        return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new ChatCancelledError()), { once: true }));
      },
    });
    await profiles.trustNode(other.id, 'f'.repeat(64)); // some other key is trusted: the live one needs asking
    await svc.switchServer(other.id);
    const ac = new AbortController();
    const stopped = confirming.chat({ messages: user('stop me'), signal: ac.signal }).catch((e: unknown) => e);
    await waitFor(() => signals.length === 1, 5000, 'asked');
    ac.abort();
    await expect(stopped).resolves.toBeInstanceOf(ChatCancelledError);
    expect(signals[0]?.aborted).toBe(true);
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
