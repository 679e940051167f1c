// Our relay + our node + a client built from the crypto core: round trips, bad input, outages,
// concurrency at the limit and key rotation under traffic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_ID } from '../../src-shared/protocol/constants';
import { GENERIC_UNPROCESSABLE_ERROR, buildInnerRequest } from '../../src-shared/protocol/inner-envelope';
import type { RunningRelay } from '../relay';
import { KeyPool, TEST_MODEL, eventually, startTestNode, startTestRelay, type TestNode } from '../../test-support/node/harness';
import { MiniClient, replyErrorCode, replyText } from '../../test-support/node/mini-client';

const ask = (text: string) => [{ role: 'user' as const, content: text }];

describe('compute node against our relay', () => {
  let relay: RunningRelay;
  let keys: KeyPool;
  let t: TestNode;
  let client: MiniClient;
  let browser: MiniClient;

  beforeAll(async () => {
    keys = await KeyPool.create(10);
    relay = await startTestRelay();
    t = await startTestNode(relay.url, { keys, provider: { tokenDelayMs: 2 } });
    client = new MiniClient(relay.url, await keys.take(), 'oaep-sha256');
    browser = new MiniClient(relay.url, await keys.take(), 'pkcs1v15');
  });
  afterAll(async () => {
    await t?.node.stop();
    await relay?.close();
  });

  it('registers with its capabilities and reports status', async () => {
    const next = await client.nextServer(TEST_MODEL);
    expect(next.server_public_key).toBe(t.node.publicKeyWire());
    expect(next.selected_model_support).toContain(TEST_MODEL);
    const s = t.node.status();
    expect(s).toMatchObject({ state: 'registered', relayUrl: relay.url, inFlight: 0, lastError: null });
    expect(s.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers an OAEP-wrapped request with an OAEP + CBC reply in chat_history (default config mirrors the wrap)', async () => {
    const d = await startTestNode(relay.url, { keys, node: { replyPadding: undefined } });
    const sent = await client.send({ model: TEST_MODEL, messages: ask('What is the capital of France?'), options: { max_tokens: 100 }, serverPublicKey: d.node.publicKeyWire()! });
    const result = await client.waitForAnswer(sent.requestId, 5000, 'oaep-sha256');
    await d.node.stop();
    expect(replyText(result)).toBe('Test answer (1 messages) to: What is the capital of France?');
    if (result.kind !== 'reply' || !result.reply.ok || result.reply.kind !== 'message') throw new Error('no reply');
    const body = result.reply.response.api_v1_response;
    expect(body.finish_reason).toBe('stop');
    expect(body.usage?.completion_tokens).toBeGreaterThan(0);
    expect(body.output_budget).toMatchObject({ requested_tokens: 100, effective_tokens: 100 });
    expect((await d.reportFor(sent.requestId)).outcome).toBe('answered');
  });

  it('answers a browser-style PKCS#1 v1.5 request (legacy receive mode)', async () => {
    const sent = await browser.send({ model: 'gpt-3.5-turbo', messages: ask('hi') });
    expect(replyText(await browser.waitForAnswer(sent.requestId))).toContain('to: hi');
  });

  it("mirrors the request's wrap in replies when configured, but not in generic replies", async () => {
    const m = await startTestNode(relay.url, { keys, node: { replyPadding: 'mirror' } });
    try {
      const server = m.node.publicKeyWire()!;
      const ours = await client.send({ model: TEST_MODEL, messages: ask('oaep please'), serverPublicKey: server });
      expect(replyText(await client.waitForAnswer(ours.requestId, 5000, 'oaep-sha256'))).toContain('oaep please');
      const theirs = await browser.send({ model: TEST_MODEL, messages: ask('v1.5 please'), serverPublicKey: server });
      expect(replyText(await browser.waitForAnswer(theirs.requestId, 5000, 'pkcs1v15'))).toContain('v1.5 please');
      // An OAEP request that fails binding still gets the fixed (v1.5) generic wrap.
      const inner = buildInnerRequest({ requestId: 'mirror-unbound', clientPublicKey: browser.keys.publicKeyWire, model: TEST_MODEL, messages: ask('x') });
      await client.submitRaw(server, inner, 'mirror-unbound');
      const generic = await client.waitForAnswer('mirror-unbound', 5000, 'pkcs1v15');
      expect(generic.kind === 'reply' && generic.reply.ok && generic.reply.kind).toBe('error');
    } finally {
      await m.node.stop();
    }
  });

  it('publishes encrypted progress the client can read', async () => {
    const slow = await startTestNode(relay.url, { keys, provider: { delayMs: 150, tokenDelayMs: 30 } });
    try {
      const sent = await client.send({ model: TEST_MODEL, messages: ask('one two three four five six seven eight'), serverPublicKey: slow.node.publicKeyWire()! });
      const result = await client.waitForAnswer(sent.requestId);
      replyText(result);
      expect(result.progress.length).toBeGreaterThan(0);
      const seqs = result.progress.map((p) => p.sequence);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(result.progress.some((p) => p.phase === 'generating' || p.phase === 'prefill')).toBe(true);
    } finally {
      await slow.node.stop();
    }
  });

  it('answers requests it cannot serve with encrypted §5.4 errors and keeps serving', async () => {
    const cases: [Parameters<MiniClient['send']>[0], string][] = [
      [{ model: 'no-such-model', messages: ask('x'), serverPublicKey: t.node.publicKeyWire()! }, 'compute_node_model_unsupported'],
      [{ model: TEST_MODEL, messages: ask('x'), tier: '64k-full', serverPublicKey: t.node.publicKeyWire()! }, 'compute_node_context_tier_unsupported'],
      [{ model: TEST_MODEL, messages: ask('x'.repeat(40_000)) }, 'compute_node_context_window_exceeded'],
    ];
    for (const [input, code] of cases) {
      const sent = await client.send(input);
      expect(replyErrorCode(await client.waitForAnswer(sent.requestId))).toBe(code);
    }
    // Option and schema violations (built by hand: the builder refuses them).
    const server = t.node.publicKeyWire()!;
    const raw = (api: Record<string, unknown>, id: string) => ({
      protocol: PROTOCOL_ID,
      version: 1,
      request_id: id,
      client_public_key: client.keys.publicKeyWire,
      api_v1_request: { model: TEST_MODEL, messages: ask('x'), ...api },
    });
    for (const [api, code] of [
      [{ options: { tools: [] } }, 'compute_node_options_unsupported'],
      [{ options: { stream: true } }, 'compute_node_options_unsupported'],
      [{ options: { temperature: 5 } }, 'compute_node_invalid_request'],
      [{ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: 'x' }] }] }, 'compute_node_invalid_request'],
      [{ messages: [{ role: 'user', content: 'é'.repeat(262_145) }] }, 'compute_node_request_too_large'],
    ] as const) {
      const id = `bad-${Math.random().toString(16).slice(2)}`;
      await client.submitRaw(server, raw(api, id), id);
      expect(replyErrorCode(await client.waitForAnswer(id))).toBe(code);
    }
    const sent = await client.send({ model: TEST_MODEL, messages: ask('still alive?') });
    expect(replyText(await client.waitForAnswer(sent.requestId))).toContain('still alive?');
  });

  it('answers undecryptable and unbound requests with one generic error (no oracle, §1.9.3)', async () => {
    const server = t.node.publicKeyWire()!;
    const replies: unknown[] = [];
    // 1. Inner client key differs from the outer one (binding failure).
    const id1 = 'unbound-1';
    const inner = buildInnerRequest({ requestId: id1, clientPublicKey: browser.keys.publicKeyWire, model: TEST_MODEL, messages: ask('x') });
    await client.submitRaw(server, inner, id1);
    // 2. Not JSON of an API v1 envelope (wrong protocol).
    const id2 = 'unbound-2';
    await client.submitRaw(server, { ...inner, request_id: id2, client_public_key: client.keys.publicKeyWire, protocol: 'other' }, id2);
    // 3. Undecryptable: encrypted to another key.
    const id3 = 'unbound-3';
    await client.submitRaw(server, { ...inner, request_id: id3, client_public_key: client.keys.publicKeyWire }, id3, { encryptTo: browser.keys.publicKeyWire });
    // 4. Decrypts, but is not an envelope at all.
    const id4 = 'unbound-4';
    await client.submitRaw(server, 'not an envelope', id4);
    for (const id of [id1, id2, id3, id4]) {
      const result = await client.waitForAnswer(id);
      if (result.kind !== 'reply' || !result.reply.ok || result.reply.kind !== 'error') throw new Error(`no generic reply for ${id}`);
      const { request_id: _rid, ...rest } = result.reply.error;
      replies.push(rest);
      expect(result.reply.error).toEqual({ ...GENERIC_UNPROCESSABLE_ERROR });
    }
    expect(new Set(replies.map((r) => JSON.stringify(r))).size).toBe(1);
    expect((await t.reportFor(id1)).outcome).toBe('generic-replied');
  });

  it('answers tampered ciphertext (bit flips) with the same generic error', async () => {
    const server = t.node.publicKeyWire()!;
    const { encryptJson } = await import('../crypto');
    const inner = buildInnerRequest({ requestId: 'tamper', clientPublicKey: client.keys.publicKeyWire, model: TEST_MODEL, messages: ask('x') });
    const env = encryptJson(inner, server, { mode: 'cbc' });
    const ct = Buffer.from(env.ciphertext, 'base64');
    ct[ct.length - 20]! ^= 0xff; // garbles a block and breaks padding or JSON
    const res = await fetch(`${relay.url}/api/v1/relay/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        server_public_key: server,
        client_public_key: client.keys.publicKeyWire,
        request_id: 'tamper',
        protocol: PROTOCOL_ID,
        version: 1,
        ciphertext: ct.toString('base64'),
        cipherkey: env.cipherkey,
        iv: env.iv,
      }),
    });
    expect(res.status).toBe(200);
    const result = await client.waitForAnswer('tamper');
    expect(result.kind === 'reply' && result.reply.ok && result.reply.kind === 'error' && result.reply.error).toEqual({ ...GENERIC_UNPROCESSABLE_ERROR });
  });

  it('survives provider bugs, unusable output and unusable client keys without crashing', async () => {
    const b = await startTestNode(relay.url, {
      keys,
      provider: {
        answer: (req) => {
          const text = req.messages.at(-1)?.content ?? '';
          if (text === 'bug') throw new TypeError('secret internal detail');
          return text === 'think' ? '<think>only reasoning</think>' : `ok ${text}`;
        },
      },
    });
    try {
      const server = b.node.publicKeyWire()!;
      const bug = await client.send({ model: TEST_MODEL, messages: ask('bug'), serverPublicKey: server });
      const bugReply = await client.waitForAnswer(bug.requestId);
      expect(replyErrorCode(bugReply)).toBe('compute_node_internal_error');
      expect(JSON.stringify(bugReply)).not.toContain('secret');
      const think = await client.send({ model: TEST_MODEL, messages: ask('think'), serverPublicKey: server });
      expect(replyErrorCode(await client.waitForAnswer(think.requestId))).toBe('compute_node_invalid_model_output');
      // A "client key" that is no RSA key: the node cannot encrypt any answer, and carries on.
      const fakeKey = Buffer.from('not a key').toString('base64');
      const inner = buildInnerRequest({ requestId: 'bad-key', clientPublicKey: fakeKey, model: TEST_MODEL, messages: ask('x') });
      await client.submitRaw(server, inner, 'bad-key', { outerClientKey: fakeKey });
      expect((await b.reportFor('bad-key')).outcome).toBe('undeliverable');
      const fine = await client.send({ model: TEST_MODEL, messages: ask('fine'), serverPublicKey: server });
      expect(replyText(await client.waitForAnswer(fine.requestId))).toBe('ok fine');
      expect(b.node.status().state).toBe('registered');
    } finally {
      await b.node.stop();
    }
  });

  it('maps a provider outage to compute_node_runtime_unavailable and recovers', async () => {
    t.provider.setFailure('compute_node_runtime_unavailable');
    const sent = await client.send({ model: TEST_MODEL, messages: ask('x') });
    expect(replyErrorCode(await client.waitForAnswer(sent.requestId))).toBe('compute_node_runtime_unavailable');
    t.provider.setFailure(null);
    const again = await client.send({ model: TEST_MODEL, messages: ask('back') });
    expect(replyText(await client.waitForAnswer(again.requestId))).toContain('back');
    expect(t.node.status().state).toBe('registered');
  });

  it('serves at most max_concurrency requests at once and all of them', async () => {
    // The provider holds every call until released: two calls in flight must be reached, and a
    // third must not start while they are held, however slowly this machine runs.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const c = await startTestNode(relay.url, { keys, node: { maxConcurrency: 2 }, provider: { holdUntil: held } });
    try {
      const server = c.node.publicKeyWire()!;
      const sent = await Promise.all(Array.from({ length: 5 }, (_, i) => client.send({ model: TEST_MODEL, messages: ask(`n${i}`), serverPublicKey: server })));
      await eventually(async () => c.provider.stats.inFlight === 2, 10_000, 'two calls in flight');
      await new Promise((r) => setTimeout(r, 300));
      expect(c.provider.stats.calls).toBe(2);
      release();
      const results = await Promise.all(sent.map((s) => client.waitForAnswer(s.requestId)));
      results.forEach((r, i) => expect(replyText(r)).toContain(`to: n${i}`));
      expect(c.provider.stats.maxInFlight).toBe(2);
      expect(c.provider.stats.calls).toBe(5);
    } finally {
      await c.node.stop();
    }
  });

  it('rotates keys under traffic without dropping requests, then retires the old key', async () => {
    const r = await startTestNode(relay.url, { keys, node: { maxConcurrency: 2 }, provider: { delayMs: 150 } });
    try {
      const oldKey = r.node.publicKeyWire()!;
      const oldFingerprint = r.node.status().fingerprint;
      const before = await Promise.all([0, 1, 2].map((i) => client.send({ model: TEST_MODEL, messages: ask(`old${i}`), serverPublicKey: oldKey })));
      await r.node.rotateKeys();
      const newKey = r.node.publicKeyWire()!;
      expect(newKey).not.toBe(oldKey);
      expect(r.node.status().fingerprint).not.toBe(oldFingerprint);
      // A client that still holds the old key submits after the rotation: it is served too.
      const late = await client.send({ model: TEST_MODEL, messages: ask('late'), serverPublicKey: oldKey });
      const after = await Promise.all([0, 1].map((i) => client.send({ model: TEST_MODEL, messages: ask(`new${i}`), serverPublicKey: newKey })));
      for (const [s, text] of [...before.map((s, i) => [s, `old${i}`] as const), [late, 'late'] as const, ...after.map((s, i) => [s, `new${i}`] as const)]) {
        expect(replyText(await client.waitForAnswer(s.requestId))).toContain(`to: ${text}`);
      }
      // The old key is unregistered once drained: submitting to it is refused (404).
      await eventually(async () => {
        const res = await fetch(`${relay.url}/api/v1/relay/requests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ server_public_key: oldKey, client_public_key: client.keys.publicKeyWire, ciphertext: 'a', cipherkey: 'b', iv: 'c' }),
        });
        return res.status === 404;
      }, 5000, 'old key unregistered');
    } finally {
      await r.node.stop();
    }
  });
});
