// Our node against a relay as strict as the reference one on the node routes: exact bodies,
// the ownership-proof fallback, reference work items (with and without deadline metadata), legacy
// items, control-driven cancellation, the relay token header and the legacy /unregister fallback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptJson, encryptJson, generateRsaKeyPair, type RsaKeyPair } from '../crypto';
import { PROTOCOL_ID } from '../../src-shared/protocol/constants';
import { toRelayMessageEnvelope } from '../../src-shared/protocol/envelope';
import { buildInnerRequest, parseInnerProgress, parseInnerResponse } from '../../src-shared/protocol/inner-envelope';
import { Capabilities, ProgressBody } from '../../src-shared/protocol/relay-http';
import { KeyPool, TEST_MODEL, eventually, startTestNode, type TestNode } from '../../test-support/node/harness';
import { startStrictReferenceRelay, type StrictReferenceRelay } from '../../test-support/node/strict-reference-relay';

function workItem(node: TestNode, client: RsaKeyPair, requestId: string, text: string, extra: Record<string, unknown> = {}) {
  const inner = buildInnerRequest({ requestId, clientPublicKey: client.publicKeyWire, model: TEST_MODEL, messages: [{ role: 'user', content: text }] });
  // Browser-style request: PKCS#1 v1.5 wrap, CBC, raw UTF-8 JSON.
  const env = encryptJson(inner, node.node.publicKeyWire()!, { padding: 'pkcs1v15', mode: 'cbc' });
  return {
    client_public_key: client.publicKeyWire,
    ...toRelayMessageEnvelope(env),
    request_id: requestId,
    protocol: PROTOCOL_ID,
    version: 1,
    cancel_token: 'c4a1f0e2d3b5968778695a4b3c2d1e0f',
    e2ee_v1: true,
    request_deadline_remaining_seconds: 479.99,
    request_ttl_seconds: 479.99,
    ...extra,
  };
}

describe('compute node against a reference-strict relay', () => {
  let keys: KeyPool;
  let relay: StrictReferenceRelay;
  let t: TestNode;
  let client: RsaKeyPair;

  beforeAll(async () => {
    keys = await KeyPool.create(3);
    client = await generateRsaKeyPair();
    relay = await startStrictReferenceRelay({ token: 'node-token' });
    t = await startTestNode(relay.url, { keys, node: { relayToken: 'node-token', replyPadding: 'pkcs1v15' }, provider: { tokenDelayMs: 40 } });
  });
  afterAll(async () => {
    await t?.node.stop();
    await relay?.close();
  });

  it('registers and polls with reference bodies and the relay token on every call', async () => {
    await eventually(() => relay.calls.some((c) => c.route.endsWith('/poll')), 3000, 'a poll');
    const registers = relay.calls.filter((c) => c.route.endsWith('/register'));
    const register = registers[0]!;
    // §9: the first registration asks for a proof challenge; the reference relay ignores `proof`
    // and registers the node, which then runs unverified and never asks again.
    expect(Object.keys(register.body).sort()).toEqual(['capabilities', 'proof', 'server_public_key']);
    expect(register.body.proof).toEqual({ version: 1 });
    expect(t.node.status().verified).toBe(false);
    const firstKey = t.node.publicKeyWire();
    await t.node.rotateKeys(); // a second registration (new key) on this relay
    const unregistered = () => relay.calls.some((c) => c.route.endsWith('/unregister') && c.body.server_public_key === firstKey);
    await eventually(unregistered, 3000, 'the first key drained and unregistered');
    const later = relay.calls.filter((c) => c.route.endsWith('/register')).slice(registers.length);
    expect(later.length).toBeGreaterThan(0);
    for (const c of later) expect(Object.keys(c.body).sort()).toEqual(['capabilities', 'server_public_key']);
    expect(Capabilities.strict().parse(register.body.capabilities)).toMatchObject({
      api_version: 'v1',
      supported_model_ids: [TEST_MODEL],
      active_context_tier: '8k-fast',
      maximum_total_context_tokens: 8192,
      max_concurrency: 1,
      backend_class: 'unknown',
    });
    expect(relay.calls.every((c) => c.token === 'node-token')).toBe(true);
  });

  it('answers with exactly the reference response fields (drops the ownership proof after one 400)', async () => {
    relay.enqueue(workItem(t, client, 'ref-1', 'one two three'));
    relay.enqueue(workItem(t, client, 'ref-2', 'four'));
    await eventually(() => relay.responses.length === 2, 5000, 'two answers');
    for (const [i, body] of relay.responses.entries()) {
      expect(Object.keys(body).sort()).toEqual(['chat_history', 'cipherkey', 'client_public_key', 'iv', 'protocol', 'request_id', 'version']);
      const inner = decryptJson(
        { ciphertext: String(body.chat_history), cipherkey: String(body.cipherkey), iv: String(body.iv) },
        client.privateKeyPem,
        { padding: 'pkcs1v15', requireMode: 'cbc' },
      );
      const parsed = parseInnerResponse(inner, { requestId: `ref-${i + 1}`, clientPublicKey: client.publicKeyWire });
      expect(parsed.ok && parsed.kind).toBe('message');
    }
    const refused = relay.calls.filter((c) => c.route.endsWith('/responses') && c.status === 400);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.body).toHaveProperty('control_credential');
  });

  it('posts progress with exactly the §2.4.8 keys, readable by the client', async () => {
    expect(relay.progress.length).toBeGreaterThan(0);
    let last = 0;
    for (const body of relay.progress.filter((p) => p.request_id === 'ref-1')) {
      const parsed = ProgressBody.parse(body);
      const inner = decryptJson(parsed, client.privateKeyPem, { padding: 'pkcs1v15', requireMode: 'cbc' });
      const p = parseInnerProgress(inner, { requestId: 'ref-1', clientPublicKey: client.publicKeyWire, lastSequence: last });
      expect(p).not.toBeNull();
      last = p!.sequence;
    }
    expect(last).toBeGreaterThan(0);
  });

  it('serves work items without deadline metadata and ignores legacy items', async () => {
    const before = relay.responses.length;
    relay.enqueue({ client_public_key: client.publicKeyWire, chat_history: 'AAAA', cipherkey: 'BBBB', iv: 'CCCC' }); // legacy faucet item
    const old = workItem(t, client, 'ref-old', 'old relay');
    delete (old as Record<string, unknown>).e2ee_v1;
    delete (old as Record<string, unknown>).request_deadline_remaining_seconds;
    delete (old as Record<string, unknown>).request_ttl_seconds;
    relay.enqueue(old);
    await eventually(() => relay.responses.length === before + 1, 5000, 'answer to the old-style item');
    expect(relay.responses.at(-1)?.request_id).toBe('ref-old');
    expect(t.reports.some((r) => r.outcome === 'ignored')).toBe(true);
  });

  it('aborts on a control `cancelled` and posts nothing', async () => {
    const before = relay.responses.length;
    relay.enqueue(workItem(t, client, 'ref-cancel', Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ')));
    await eventually(() => t.provider.stats.inFlight === 1, 3000, 'generation started');
    // max_concurrency 1 and the slot is taken: the node does not poll for more work meanwhile.
    const polls = () => relay.calls.filter((c) => c.route.endsWith('/poll')).length;
    const before1 = polls();
    await new Promise((r) => setTimeout(r, 400));
    expect(polls()).toBe(before1);
    relay.cancel('ref-cancel');
    expect((await t.reportFor('ref-cancel', 4000)).outcome).toBe('cancelled');
    const acks = relay.calls.filter((c) => c.route.endsWith('/control') && c.body.acknowledge === true);
    expect(acks).toHaveLength(1);
    expect(relay.responses.length).toBe(before);
  });

  it('falls back to the legacy /unregister when the API v1 route is missing', async () => {
    const legacy = await startStrictReferenceRelay({ v1UnregisterMissing: true });
    try {
      const n = await startTestNode(legacy.url, { keys });
      await n.node.stop();
      const last = legacy.calls.at(-1)!;
      expect(last.route).toBe('/unregister');
      expect(last.status).toBe(200);
      expect(last.body).toEqual({ server_public_key: expect.any(String), control_credential: expect.any(String) });
    } finally {
      await legacy.close();
    }
  });
});
