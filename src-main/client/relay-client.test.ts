// RelayClient against an in-process reference-style relay (no long poll, PKCS#1 v1.5 replies).
// Our own relay + node: client.integration.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContextTier } from '../../src-shared/vocabulary';
import { KeyHolder, generateRsaKeyPair, type RsaKeyPair } from '../crypto';
import { ChatCancelledError, ChatError, ChatTimeoutError, InvalidReplyError, NodeError } from './errors';
import { RelayClient, type RelayClientConfig } from './relay-client';
import { FakeReferenceRelay, type FakeRelayOptions } from '../../test-support/client/fake-reference-relay';
import type { ChatStatus } from './types';

const BASE = 'http://relay.test';
const hello = [{ role: 'user' as const, content: 'hello' }];

// RSA key generation dominates run time: generate the pairs once.
let clientPair: RsaKeyPair;
let nodePairs: RsaKeyPair[];
beforeAll(async () => {
  const pairs = await Promise.all(Array.from({ length: 6 }, () => generateRsaKeyPair()));
  clientPair = pairs[0]!;
  nodePairs = pairs.slice(1);
});

async function setup(opts: FakeRelayOptions = {}, client: Partial<RelayClientConfig> = {}) {
  const relay = new FakeReferenceRelay(opts, nodePairs);
  const rc = new RelayClient({ baseUrl: BASE, fetch: relay.fetch, pollIntervalMs: 10, keys: KeyHolder.fromPair(clientPair), ...client });
  return { relay, rc };
}

const submits = (relay: FakeReferenceRelay) => relay.calls.filter((c) => c === '/api/v1/relay/requests').length;

describe('RelayClient with a reference relay and reference nodes', () => {
  it('polls, reports status and progress, and opens a PKCS#1 v1.5 reply', async () => {
    const { relay, rc } = await setup();
    const node = await relay.addNode({ pollsBeforeAnswer: 3, progress: 2 });
    const statuses: ChatStatus[] = [];
    const answer = await rc.chat({ messages: hello, onStatus: (s) => statuses.push(s) });
    expect(answer.content).toBe('reference answer to: hello');
    expect(answer).toMatchObject({
      finishReason: 'stop',
      usage: { promptTokens: 7, completionTokens: 5, totalTokens: 12 },
      model: 'qwen3-8b-instruct',
      contextTier: '8k-fast',
      relayUrl: BASE,
      encryption: { symmetric: 'AES-256-CBC', requestWrap: 'oaep-sha256', replyWrap: 'pkcs1v15' },
      failovers: 0,
      retrieveMode: 'poll', // the reference relay ignores wait_seconds: detected, then ~pollIntervalMs polling
    });
    expect(answer.requestId).toMatch(/^[0-9a-f]{32}$/);
    const { keyFingerprint } = await import('../crypto');
    expect(answer.nodeFingerprint).toBe(keyFingerprint(node.keys.publicKeyWire));
    expect(answer.timings.totalMs).toBeGreaterThan(0);
    expect(answer.timings.firstProgressMs).toBeGreaterThanOrEqual(0);
    expect(statuses.map((s) => s.type)).toEqual(['finding_node', 'submitted', 'progress', 'progress']);
    const progress = statuses.filter((s) => s.type === 'progress');
    expect(progress.map((p) => p.type === 'progress' && [p.phase, p.sequence, p.processedPromptTokens, p.totalPromptTokens])).toEqual([
      ['prefill', 1, 1, 10],
      ['prefill', 2, 2, 10],
    ]);
    expect(relay.cancels).toEqual([]);
  });

  it('announces queued when the node is silent at first, and accepts OAEP-wrapped replies too', async () => {
    const { relay, rc } = await setup();
    await relay.addNode({ pollsBeforeAnswer: 2, replyPadding: 'oaep-sha256' });
    const statuses: string[] = [];
    const answer = await rc.chat({ messages: hello, onStatus: (s) => statuses.push(s.type) });
    expect(answer.encryption.replyWrap).toBe('oaep-sha256');
    expect(statuses).toEqual(['finding_node', 'submitted', 'queued']);
  });

  it('falls back to plain polling when a strict relay refuses wait_seconds', async () => {
    const { relay, rc } = await setup({ strictRetrieve: true });
    await relay.addNode({ pollsBeforeAnswer: 1 });
    const answer = await rc.chat({ messages: hello });
    expect(answer.retrieveMode).toBe('poll');
  });

  it('fails over to another node on 404/410 at submit and on pick-another-node codes', async () => {
    for (const bad of [{ submitStatus: 404 }, { submitStatus: 410 }, { errorCode: 'selected_server_unavailable' }]) {
      const { relay, rc } = await setup();
      await relay.addNode(bad);
      const good = await relay.addNode();
      const statuses: ChatStatus[] = [];
      const answer = await rc.chat({ messages: hello, onStatus: (s) => statuses.push(s) });
      expect(answer.failovers, JSON.stringify(bad)).toBe(1);
      const { keyFingerprint } = await import('../crypto');
      expect(answer.nodeFingerprint).toBe(keyFingerprint(good.keys.publicKeyWire));
      expect(statuses.find((s) => s.type === 'failover')).toMatchObject({ failovers: 1 });
    }
  });

  it('fails over on a retrieve 410 only when the relay says the node unregistered', async () => {
    for (const reason of ['server_unregistered', 'cancelled']) {
      const relay = new FakeReferenceRelay({}, nodePairs);
      let gone = false;
      const fetchImpl: typeof fetch = async (input, init) => {
        if (!gone && String(input).endsWith('/api/v1/relay/responses/retrieve')) {
          gone = true;
          return new Response(JSON.stringify({ error: { message: 'gone', code: 'gone', reason } }), { status: 410, headers: { 'content-type': 'application/json' } });
        }
        return relay.fetch(input, init);
      };
      const rc = new RelayClient({ baseUrl: BASE, fetch: fetchImpl, pollIntervalMs: 10, keys: KeyHolder.fromPair(clientPair) });
      await relay.addNode();
      await relay.addNode();
      const outcome = await rc.chat({ messages: hello }).catch((e: unknown) => e);
      if (reason === 'server_unregistered') expect(outcome).toMatchObject({ failovers: 1 });
      else expect(outcome).toMatchObject({ code: 'gone', httpStatus: 410, details: { reason } });
    }
  });

  it('avoids a node that failed a recent request, but still uses it when it is the only offer', async () => {
    const { relay, rc } = await setup();
    const a = await relay.addNode({ submitStatus: 404 });
    await relay.addNode();
    await rc.chat({ messages: hello }); // A fails (404), B answers
    const submitsBefore = submits(relay);
    const second = await rc.chat({ messages: hello }); // the relay offers A first again: declined
    expect(second.failovers).toBe(0);
    expect(submits(relay) - submitsBefore).toBe(1);
    a.submitStatus = undefined;
    relay.nodes.splice(1, 1); // only A left: offered twice in a row, so it is tried
    await expect(rc.chat({ messages: hello })).resolves.toMatchObject({ failovers: 0 });
  });

  it('stops failing over after min(3, live nodes - 1) attempts', async () => {
    const { relay, rc } = await setup();
    await relay.addNode({ submitStatus: 410 });
    const err = await rc.chat({ messages: hello }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'http_410', httpStatus: 410 });
    expect(submits(relay)).toBe(1);

    const five = await setup();
    for (let i = 0; i < 5; i++) await five.relay.addNode({ submitStatus: 404 });
    const err5 = await five.rc.chat({ messages: hello }).catch((e: unknown) => e);
    expect((err5 as ChatError).code).toBe('http_404');
    expect(submits(five.relay)).toBe(4); // first try + 3 failovers
  });

  it('maps node errors to typed errors with user messages', async () => {
    const { relay, rc } = await setup();
    await relay.addNode({ errorCode: 'compute_node_options_unsupported' });
    const err = await rc.chat({ messages: hello, contextTier: '8k-fast' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeError);
    expect(err).toMatchObject({ code: 'compute_node_options_unsupported', retryable: false });
    expect((err as ChatError).userMessage).toMatch(/does not support one of the requested options/);
  });

  it('retries once on 64k-full when an automatic-tier request exceeds the 8k window (§2.5)', async () => {
    const { relay, rc } = await setup();
    await relay.addNode({ errorCode: 'compute_node_context_window_exceeded' });
    const err = await rc.chat({ messages: hello }).catch((e: unknown) => e);
    expect((err as ChatError).code).toBe('compute_node_context_window_exceeded');
    const nexts = relay.calls.filter((c) => c.startsWith('/api/v1/relay/servers/next'));
    expect(nexts).toEqual(['/api/v1/relay/servers/next?context_tier=8k-fast', '/api/v1/relay/servers/next?context_tier=64k-full']);

    const explicit = await setup();
    await explicit.relay.addNode({ errorCode: 'compute_node_context_window_exceeded' });
    await explicit.rc.chat({ messages: hello, contextTier: '8k-fast' }).catch(() => undefined);
    expect(explicit.relay.calls.filter((c) => c.startsWith('/api/v1/relay/servers/next'))).toHaveLength(1);
  });

  it('discards replies that fail decryption or binding with one identical error, without failover', async () => {
    const messages = new Set<string>();
    for (const tamper of ['request_id', 'client_key', 'ciphertext'] as const) {
      const { relay, rc } = await setup();
      await relay.addNode({ tamper });
      await relay.addNode();
      const err = await rc.chat({ messages: hello }).catch((e: unknown) => e);
      expect(err, tamper).toBeInstanceOf(InvalidReplyError);
      messages.add(`${(err as ChatError).code}|${(err as ChatError).message}|${(err as ChatError).userMessage}`);
      expect(submits(relay)).toBe(1);
    }
    expect(messages.size).toBe(1);
  });

  it('refuses a node whose selected tier is smaller than requested', async () => {
    const { relay, rc } = await setup({ selectedTier: '8k-fast' });
    await relay.addNode();
    const err = await rc.chat({ messages: hello, contextTier: '64k-full' }).catch((e: unknown) => e);
    expect((err as ChatError).code).toBe('context_tier_mismatch');
    expect(submits(relay)).toBe(0);
  });

  it('times out locally and cancels with client_timeout', async () => {
    const { relay, rc } = await setup();
    await relay.addNode({ silent: true });
    const err = await rc.chat({ messages: hello, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatTimeoutError);
    expect(err).toMatchObject({ code: 'client_timeout', retryable: true });
    expect(relay.cancels).toEqual([expect.objectContaining({ reason: 'client_timeout', status: 'expired', cancel_token: expect.stringMatching(/^[0-9a-f]{32}$/) })]);
  });

  it('applies the relay deadline rule: TTL + grace, and 485 s-style legacy default', async () => {
    const ttl = await setup({ ttlSeconds: 0.2 }, { graceMs: 50 });
    await ttl.relay.addNode({ silent: true });
    const t0 = performance.now();
    const err = await ttl.rc.chat({ messages: hello }).catch((e: unknown) => e);
    const took = performance.now() - t0;
    expect((err as ChatError).code).toBe('client_timeout');
    expect(took).toBeGreaterThanOrEqual(240);
    expect(took).toBeLessThan(2000);

    const legacy = await setup({ ttlSeconds: null }, { legacyDeadlineMs: 150 });
    await legacy.relay.addNode({ silent: true });
    expect(((await legacy.rc.chat({ messages: hello }).catch((e: unknown) => e)) as ChatError).code).toBe('client_timeout');
    const legacyOk = await setup({ ttlSeconds: null });
    await legacyOk.relay.addNode({ pollsBeforeAnswer: 1 });
    await expect(legacyOk.rc.chat({ messages: hello })).resolves.toMatchObject({ content: 'reference answer to: hello' });
  });

  it('stops on the caller signal and cancels with requester_cancelled', async () => {
    const { relay, rc } = await setup();
    await relay.addNode({ silent: true });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const err = await rc.chat({ messages: hello, signal: ac.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatCancelledError);
    expect((err as ChatError).code).toBe('requester_cancelled');
    expect(relay.cancels).toEqual([expect.objectContaining({ reason: 'requester_cancelled', status: 'cancelled' })]);
    await expect(rc.chat({ messages: hello, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'requester_cancelled' });
  });

  it('keeps the key pair a request started with across a rotation', async () => {
    const { relay, rc } = await setup();
    const node = await relay.addNode({ silent: true });
    const before = await rc.publicKeyWire();
    let rotated: Promise<void> | undefined;
    const chat = rc.chat({
      messages: hello,
      onStatus: (s) => {
        // the node answers only once the client key has been replaced
        if (s.type === 'submitted') rotated = rc.rotateKeys().then(() => void (node.silent = false));
      },
    });
    await expect(chat).resolves.toMatchObject({ content: 'reference answer to: hello' });
    await rotated;
    expect(await rc.publicKeyWire()).not.toBe(before);
  });

  it('reports relay error codes and refuses invalid requests before sending', async () => {
    const { relay, rc } = await setup();
    const err = await rc.chat({ messages: hello }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'no_registered_compute_nodes', retryable: true, httpStatus: 503 });
    await expect(rc.chat({ messages: [] })).rejects.toMatchObject({ code: 'invalid_chat_request' });
    await expect(rc.chat({ messages: hello, options: { temperature: 9 } })).rejects.toMatchObject({ code: 'invalid_chat_request' });
    for (const contextTier of ['32k', 'toString']) {
      await expect(rc.chat({ messages: hello, contextTier: contextTier as ContextTier })).rejects.toMatchObject({ code: 'invalid_chat_request' });
    }
    expect(relay.calls.filter((c) => c === '/api/v1/relay/requests')).toEqual([]);
  });

  it('caps relay answers: an oversized body is a typed error, not a crash', async () => {
    const { relay, rc } = await setup({}, { maxResponseBytes: 200 });
    await relay.addNode();
    const err = await rc.chat({ messages: hello }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'response_too_large', retryable: false });
  });

  it('lets the caller refuse an offered node before anything is encrypted to it', async () => {
    const { relay, rc } = await setup();
    await relay.addNode();
    const refusal = new ChatError('pinned_node_changed');
    const err = await rc.chat({ messages: hello, acceptNode: () => refusal }).catch((e: unknown) => e);
    expect(err).toBe(refusal);
    expect(submits(relay)).toBe(0);
  });
});
