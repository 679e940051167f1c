// RelayClient against our relay + compute nodes (deterministic test provider), all on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyHolder, type RsaKeyPair } from '../crypto';
import type { RunningRelay } from '../relay';
import { ChatCancelledError, ChatError } from './errors';
import { RelayClient } from './relay-client';
import { startReferenceRelayFront, type ReferenceRelayFront } from '../../test-support/client/reference-relay-front';
import { SLOW_MARKER, STACK_MODEL, keyPairs, startStackNode, startStackRelay, waitFor, type StackNode } from '../../test-support/client/stack';
import type { ChatStatus } from './types';

let pairs: RsaKeyPair[];
let main: RunningRelay; // two nodes
let nodeA: StackNode;
let nodeB: StackNode;
const extraNodes: StackNode[] = [];
const extraRelays: RunningRelay[] = [];
const fronts: ReferenceRelayFront[] = [];

const user = (content: string) => [{ role: 'user' as const, content }];
const client = (baseUrl: string, i = 0, fetchImpl?: typeof fetch) =>
  new RelayClient({ baseUrl, keys: KeyHolder.fromPair(pairs[i]!), ...(fetchImpl ? { fetch: fetchImpl } : {}) });

beforeAll(async () => {
  pairs = await keyPairs(8); // 0-2 clients, 3-7 nodes
  main = await startStackRelay();
  [nodeA, nodeB] = await Promise.all([startStackNode(main.url, pairs[3]!), startStackNode(main.url, pairs[4]!)]);
  await waitFor(async () => (await client(main.url).health()).nodeCount === 2, 5000, 'two nodes on the main relay');
});

afterAll(async () => {
  await Promise.all([nodeA, nodeB, ...extraNodes].map((n) => n.node.stop()));
  await Promise.all(fronts.map((f) => f.close()));
  await Promise.all([main, ...extraRelays].map((r) => r.close()));
});

describe('RelayClient against our relay and node', () => {
  it('answers through a long poll with status, progress, fingerprint and timings (aead-v1 with our node, §10)', async () => {
    const statuses: ChatStatus[] = [];
    const answer = await client(main.url).chat({ messages: user('hello there'), model: STACK_MODEL, onStatus: (s) => statuses.push(s) });
    expect(answer.content).toBe('Test answer (1 messages) to: hello there');
    expect(answer).toMatchObject({
      model: STACK_MODEL,
      contextTier: '8k-fast',
      relayUrl: main.url,
      failovers: 0,
      encryption: { profile: 'aead-v1', authenticated: true, symmetric: 'AES-256-GCM', requestWrap: 'oaep-sha256', replyWrap: 'oaep-sha256' },
      finishReason: 'stop',
    });
    expect(answer.retrieveMode).not.toBe('poll'); // our relay never makes the client fall back
    expect(answer.usage?.completionTokens).toBeGreaterThan(0);
    const fingerprints = [nodeA, nodeB].map((n) => n.node.status().fingerprint);
    expect(fingerprints).toContain(answer.nodeFingerprint);
    const types = statuses.map((s) => s.type);
    expect(types.slice(0, 2)).toEqual(['finding_node', 'submitted']);
    const progress = statuses.filter((s): s is Extract<ChatStatus, { type: 'progress' }> => s.type === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.map((p) => p.sequence)).toEqual([...progress.map((p) => p.sequence)].sort((a, b) => a - b));
    expect(progress.some((p) => p.phase === 'generating' && p.generatedTokens > 0)).toBe(true);
    expect(answer.timings.firstProgressMs).toBeDefined();
    expect(answer.timings.totalMs).toBeGreaterThanOrEqual(answer.timings.waitMs);
  });

  it('reports health, latency, node count and models', async () => {
    const h = await client(main.url).health();
    expect(h).toMatchObject({ state: 'ok', nodeCount: 2, models: [STACK_MODEL], relayUrl: main.url });
    expect(h.latencyMs).toBeGreaterThan(0);
  });

  it('through a reference relay (no e2ee_profiles in servers/next) the first answer is reference-cbc with the OAEP wrap mirrored, the next aead-v1 (§10.6)', async () => {
    const relay = await startStackRelay();
    extraRelays.push(relay);
    const front = await startReferenceRelayFront(relay.url);
    fronts.push(front);
    const n = await startStackNode(front.url, pairs[5]!);
    extraNodes.push(n);
    await waitFor(async () => (await client(front.url).health()).nodeCount === 1);
    const rc = client(front.url, 1);
    const first = await rc.chat({ messages: user('cbc first') });
    expect(first).toMatchObject({ content: 'Test answer (1 messages) to: cbc first', encryption: { profile: 'reference-cbc', authenticated: false, symmetric: 'AES-256-CBC', requestWrap: 'oaep-sha256', replyWrap: 'oaep-sha256' } });
    const second = await rc.chat({ messages: user('then aead') });
    expect(second).toMatchObject({ content: 'Test answer (1 messages) to: then aead', encryption: { profile: 'aead-v1', authenticated: true, symmetric: 'AES-256-GCM' } });
  });

  it('opens OAEP-wrapped CBC replies from a node configured for them', async () => {
    const relay = await startStackRelay();
    extraRelays.push(relay);
    const front = await startReferenceRelayFront(relay.url);
    fronts.push(front);
    const n = await startStackNode(front.url, pairs[6]!, { replyPadding: 'oaep-sha256' });
    extraNodes.push(n);
    await waitFor(async () => (await client(front.url).health()).nodeCount === 1);
    const answer = await client(front.url, 2).chat({ messages: user('oaep please') });
    expect(answer.encryption).toMatchObject({ profile: 'reference-cbc', replyWrap: 'oaep-sha256' });
  });

  it('fails over to the other node when the chosen one disappears before submit (404)', async () => {
    const relay = await startStackRelay();
    extraRelays.push(relay);
    const n1 = await startStackNode(relay.url, pairs[6]!);
    const n2 = await startStackNode(relay.url, pairs[7]!);
    extraNodes.push(n1, n2);
    await waitFor(async () => (await client(relay.url).health()).nodeCount === 2);
    let stopped: string | null = null;
    // Real relay, real nodes: the first submit's node is stopped (unregistered) just before it arrives.
    const stoppingFetch: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/api/v1/relay/requests') && stopped === null) {
        const key = JSON.parse(String(init?.body)).server_public_key as string;
        const victim = [n1, n2].find((n) => n.node.publicKeyWire() === key)!;
        stopped = victim.node.status().fingerprint;
        await victim.node.stop();
      }
      return fetch(input, init);
    };
    const statuses: ChatStatus[] = [];
    const answer = await client(relay.url, 2, stoppingFetch).chat({ messages: user('failover'), onStatus: (s) => statuses.push(s) });
    expect(answer.failovers).toBe(1);
    expect(stopped).not.toBeNull();
    expect(answer.nodeFingerprint).not.toBe(stopped);
    expect(statuses.find((s) => s.type === 'failover')).toMatchObject({ failedNodeFingerprint: stopped, reason: 'http_404' });
  });

  it('cancels on user stop: the relay and the node see the cancellation', async () => {
    const c = client(main.url, 1);
    const ac = new AbortController();
    const abortedBefore = nodeA.aborted + nodeB.aborted;
    const chat = c.chat({ messages: user(`${SLOW_MARKER} stop me`), signal: ac.signal, onStatus: (s) => s.type === 'submitted' && setTimeout(() => ac.abort(), 300) });
    const err = await chat.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatCancelledError);
    expect((err as ChatError).code).toBe('requester_cancelled');
    await waitFor(() => nodeA.aborted + nodeB.aborted > abortedBefore, 5000, 'node aborts the generation');
  });

  it('ends with a clear error when the relay expires the request', async () => {
    const relay = await startStackRelay({ requestDeadlineSeconds: 1 });
    extraRelays.push(relay);
    const nodeE = await startStackNode(relay.url, pairs[5]!);
    extraNodes.push(nodeE);
    await waitFor(async () => (await client(relay.url).health()).nodeCount === 1);
    const err = await client(relay.url).chat({ messages: user(`${SLOW_MARKER} too slow`) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatError);
    expect((err as ChatError).code).toBe('expired');
    expect((err as ChatError).userMessage).toMatch(/expired before a node answered/);
    await waitFor(() => nodeE.aborted > 0, 5000, 'node stops the expired generation');
  });

  it('times out locally with client_timeout and cancels at the relay', async () => {
    const abortedBefore = nodeA.aborted + nodeB.aborted;
    const err = await client(main.url).chat({ messages: user(`${SLOW_MARKER} local timeout`), timeoutMs: 600 }).catch((e: unknown) => e);
    expect((err as ChatError).code).toBe('client_timeout');
    await waitFor(() => nodeA.aborted + nodeB.aborted > abortedBefore, 5000, 'node aborts after the client_timeout cancel');
  });

  it('maps an unknown model to the relay error code', async () => {
    const err = await client(main.url).chat({ messages: user('x'), model: 'no-such-model' }).catch((e: unknown) => e);
    expect((err as ChatError).code).toBe('no_matching_compute_node');
    expect((err as ChatError).retryable).toBe(true);
    // §4 of issue 15: the words name the model asked for and those the connected nodes offer.
    expect((err as ChatError).userMessage).toMatch(/^No connected node serves the model no-such-model\. Connected nodes offer: [\w.-]+(, [\w.-]+)*\.$/);
  });
});

