// Streaming through a relay without chunk routes (§11.6): against the reference-strict stand-in
// (relay.py's progress as recorded: the latest envelope kept per request, bodies over 16 KiB
// refused) our node streams an aead-v1 `stream: true` request by cumulative snapshots in its
// aead-v1 progress — the first with the first token, each extending the one before, never a body
// over 16 KiB — and the answer still carries the whole text. CBC requests never stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptJson, generateRsaKeyPair, jsonPlaintext, openAeadProgress, openAeadReply, parseJsonPlaintext, sealAeadRequest, decryptJson, type RsaKeyPair } from '../crypto';
import { PROTOCOL_ID } from '../../src-shared/protocol/constants';
import { toRelayMessageEnvelope } from '../../src-shared/protocol/envelope';
import { buildInnerRequest, parseInnerAeadProgress, parseInnerResponse } from '../../src-shared/protocol/inner-envelope';
import { KeyPool, TEST_MODEL, eventually, startTestNode, type TestNode } from '../../test-support/node/harness';
import { startStrictReferenceRelay, type StrictReferenceRelay } from '../../test-support/node/strict-reference-relay';

const item = (client: RsaKeyPair, requestId: string, env: { ciphertext: string; cipherkey: string; iv: string }) => ({
  client_public_key: client.publicKeyWire,
  ...toRelayMessageEnvelope(env),
  request_id: requestId,
  protocol: PROTOCOL_ID,
  version: 1,
  request_deadline_remaining_seconds: 60,
});

describe('streaming by snapshots through a reference-strict relay (§11.6)', () => {
  let relay: StrictReferenceRelay;
  let t: TestNode;
  let client: RsaKeyPair;

  beforeAll(async () => {
    const keys = await KeyPool.create(1);
    client = await generateRsaKeyPair();
    relay = await startStrictReferenceRelay();
    t = await startTestNode(relay.url, {
      keys,
      // 2,400 tokens at 800/s: about 3 s of text growing past what a 16 KiB progress body holds.
      provider: { tokensPerSecond: 800, answerTokens: 2400, delayMs: 50 },
      node: { timings: { progressIntervalMs: 100, snapshotIntervalMs: 250, retryMinMs: 50, retryMaxMs: 300, httpTimeoutMs: 3000 } },
    });
  });
  afterAll(async () => {
    await t?.node.stop();
    await relay?.close();
  });

  it('sends growing snapshots in aead-v1 progress, capped at 16 KiB, then the whole answer', async () => {
    const requestId = 'snap-1';
    const inner = buildInnerRequest({ requestId, clientPublicKey: client.publicKeyWire, model: TEST_MODEL, messages: [{ role: 'user', content: 'go' }], options: { max_tokens: 4000 }, stream: true });
    const { envelope, session } = sealAeadRequest(jsonPlaintext(inner), { requestId, clientPublicKey: client.publicKeyWire, nodePublicKey: t.node.publicKeyWire()! });
    relay.enqueue(item(client, requestId, envelope));
    await eventually(() => relay.responses.length === 1, 15_000, 'the answer');

    const answerBody = relay.responses[0]!;
    const answer = parseInnerResponse(parseJsonPlaintext(openAeadReply(session, { ciphertext: answerBody.chat_history, cipherkey: answerBody.cipherkey, iv: answerBody.iv })), {
      requestId,
      clientPublicKey: client.publicKeyWire,
    });
    if (!answer.ok || answer.kind !== 'message') throw new Error('expected an answer');
    const content = answer.response.api_v1_response.message.content ?? '';
    expect(content.split(' ').length).toBe(2400);

    // No progress post was refused as too large; every accepted one is within the cap.
    expect(relay.calls.filter((c) => c.route.endsWith('/progress') && c.status !== 202)).toEqual([]);
    const opened = relay.progress.map((b) => {
      expect(Buffer.byteLength(JSON.stringify(b), 'utf8')).toBeLessThanOrEqual(16_384);
      const { plaintext, sequence } = openAeadProgress(session, b);
      const parsed = parseInnerAeadProgress(parseJsonPlaintext(plaintext), { requestId, clientPublicKey: client.publicKeyWire });
      if (!parsed) throw new Error(`progress ${sequence} does not parse`);
      return parsed;
    });
    const snapshots = opened.map((p) => p.snapshot?.text).filter((s): s is string => s !== undefined);
    expect(snapshots.length).toBeGreaterThan(2);
    // The first snapshot goes with the first token (or, when a progress post is still in flight,
    // right after it), each one extends the one before, all are the answer's beginning; the text
    // stops growing below the whole answer.
    expect(snapshots[0]!.startsWith('Test ')).toBe(true);
    expect(snapshots[0]!.length).toBeLessThan(snapshots.at(-1)!.length);
    for (let i = 1; i < snapshots.length; i++) expect(snapshots[i]!.startsWith(snapshots[i - 1]!)).toBe(true);
    for (const s of snapshots) expect(content.startsWith(s)).toBe(true);
    const longest = snapshots.at(-1)!;
    expect(longest.length).toBeGreaterThan(6_000);
    expect(longest.length).toBeLessThan(content.length);
    // At most one new snapshot per interval: distinct texts ≤ duration / 250 ms + the first.
    const distinct = new Set(snapshots).size;
    expect(distinct).toBeLessThanOrEqual(Math.ceil(3000 / 250) + 2);

    // What the reference relay would hand the client: the latest envelope only, without the node's proof.
    const latest = relay.latestProgress.get(requestId)!;
    expect(Object.keys(latest).sort()).toEqual(['cipherkey', 'ciphertext', 'client_public_key', 'iv', 'protocol', 'request_id', 'version']);
    expect(latest.ciphertext).toBe(relay.progress.at(-1)!.ciphertext);
  });

  it('never streams a CBC request, even one that carries stream: true', async () => {
    // Another client key: one that spoke aead-v1 gets no CBC service at all (§10.6).
    const client = await generateRsaKeyPair();
    const requestId = 'cbc-1';
    const inner = { ...buildInnerRequest({ requestId, clientPublicKey: client.publicKeyWire, model: TEST_MODEL, messages: [{ role: 'user', content: 'go' }] }), stream: true };
    const env = encryptJson(inner, t.node.publicKeyWire()!, { padding: 'oaep-sha256', mode: 'cbc' });
    const before = relay.progress.length;
    relay.enqueue(item(client, requestId, env));
    await eventually(() => relay.responses.some((r) => r.request_id === requestId), 15_000, 'the CBC answer');
    const body = relay.responses.find((r) => r.request_id === requestId)!;
    const reply = parseInnerResponse(decryptJson({ ciphertext: String(body.chat_history), cipherkey: String(body.cipherkey), iv: String(body.iv) }, client.privateKeyPem, { padding: 'legacy-oaep-then-pkcs1v15', requireMode: 'cbc' }), {
      requestId,
      clientPublicKey: client.publicKeyWire,
    });
    expect(reply.ok && reply.kind === 'message').toBe(true);
    const progress = relay.progress.slice(before).filter((p) => p.request_id === requestId);
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) {
      const opened = decryptJson({ ciphertext: String(p.ciphertext), cipherkey: String(p.cipherkey), iv: String(p.iv) }, client.privateKeyPem, { padding: 'legacy-oaep-then-pkcs1v15', requireMode: 'cbc' });
      expect(opened).not.toHaveProperty('stream_snapshot');
    }
  });
});
