// Our node speaks the aead-v1 profile (docs/protocol.md §10) with our relay in between: requests
// with a 12-byte IV are opened with the labelled OAEP wrap only and answered — answers, errors and
// progress — under the request's key; what it cannot open or bind gets the one generic CBC error
// wrapped with OAEP (§10.7); CBC requests keep today's behaviour and learn that the node speaks
// aead-v1 (§10.6).
import { constants, publicEncrypt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AEAD_V1_REQUEST_KEY_LABEL,
  DecryptionError,
  REGISTRATION_CHALLENGE_OAEP_LABEL,
  encryptJson,
  jsonPlaintext,
  openAeadReply,
  sealAeadReply,
  sealAeadRequest,
  type AeadV1Envelope,
} from '../crypto';
import { GENERIC_UNPROCESSABLE_ERROR, buildInnerRequest } from '../../src-shared/protocol/inner-envelope';
import type { RunningRelay } from '../relay';
import { AeadSpeakers } from './aead-speakers';
import { KeyPool, TEST_MODEL, startTestNode, startTestRelay, type TestNode } from '../../test-support/node/harness';
import { MiniClient, replyErrorCode, replyText, type AnswerResult } from '../../test-support/node/mini-client';

const ask = (text: string) => [{ role: 'user' as const, content: text }];
let counter = 0;
const newId = (what: string) => `${what}-${++counter}-${Date.now().toString(16)}`;

describe('aead-v1 between our node and a client, through our relay', () => {
  let relay: RunningRelay;
  let keys: KeyPool;
  let t: TestNode;
  let aead: MiniClient;
  let cbc: MiniClient;
  let browser: MiniClient;
  let nodeKey: string;

  beforeAll(async () => {
    keys = await KeyPool.create(8);
    relay = await startTestRelay();
    t = await startTestNode(relay.url, { keys, provider: { delayMs: 250 } });
    nodeKey = t.node.publicKeyWire()!;
    aead = new MiniClient(relay.url, await keys.take());
    aead.aead = true;
    cbc = new MiniClient(relay.url, await keys.take(), 'oaep-sha256');
    browser = new MiniClient(relay.url, await keys.take(), 'pkcs1v15');
  });
  afterAll(async () => {
    await t?.node.stop();
    await relay?.close();
  });

  /** Seals an inner request with aead-v1, lets `tamper` change the envelope, submits it. */
  async function submitAead(
    requestId: string,
    tamper: (env: AeadV1Envelope, requestKey: Buffer) => AeadV1Envelope = (env) => env,
    inner: unknown = buildInnerRequest({ requestId, clientPublicKey: aead.keys.publicKeyWire, model: TEST_MODEL, messages: ask('hi') }),
    sealFor = nodeKey,
  ) {
    const { envelope, session } = sealAeadRequest(jsonPlaintext(inner), {
      requestId,
      clientPublicKey: aead.keys.publicKeyWire,
      nodePublicKey: sealFor,
    });
    aead.sessions.set(requestId, session);
    return aead.submitEnvelope(nodeKey, tamper(envelope, session.requestKey), requestId);
  }

  function expectGenericCbc(result: AnswerResult): void {
    if (result.kind !== 'reply' || !result.reply.ok || result.reply.kind !== 'error') throw new Error(`no generic reply: ${JSON.stringify(result)}`);
    expect(result.profile).toBe('reference-cbc');
    expect(result.reply.error).toEqual({ ...GENERIC_UNPROCESSABLE_ERROR });
  }

  it('registers e2ee_profiles, and our relay offers it in servers/next', async () => {
    const next = await aead.nextServer(TEST_MODEL);
    expect(next.server_public_key).toBe(nodeKey);
    expect(next.e2ee_profiles).toEqual(['aead-v1']);
  });

  it('answers an aead-v1 request under aead-v1, and its progress too', async () => {
    const sent = await aead.send({ model: TEST_MODEL, messages: ask('What is the capital of France?'), serverPublicKey: nodeKey });
    const result = await aead.waitForAnswer(sent.requestId, 8000);
    expect(replyText(result)).toBe('Test answer (1 messages) to: What is the capital of France?');
    expect(result.kind === 'reply' && result.profile).toBe('aead-v1');
    // Every progress envelope opened under aead-v1 (the MiniClient opens nothing else for it).
    expect(result.progress.length).toBeGreaterThan(0);
    expect(result.progress.map((p) => p.sequence)).toEqual([...result.progress.map((p) => p.sequence)].sort((a, b) => a - b));
    expect(result.kind === 'reply' && (result.inner as Record<string, unknown>).e2ee_profiles).toBeUndefined();
    expect(await t.reportFor(sent.requestId)).toMatchObject({ outcome: 'answered', profile: 'aead-v1' });
  });

  it('sends error answers of an aead-v1 request under aead-v1', async () => {
    const sent = await aead.send({ model: 'no-such-model', messages: ask('hi'), serverPublicKey: nodeKey });
    const result = await aead.waitForAnswer(sent.requestId, 8000);
    expect(replyErrorCode(result)).toBe('compute_node_model_unsupported');
    expect(result.kind === 'reply' && result.profile).toBe('aead-v1');
    expect(await t.reportFor(sent.requestId)).toMatchObject({ outcome: 'error-replied', profile: 'aead-v1' });
  });

  it('answers an aead-v1 request it cannot open or bind with the generic CBC error wrapped with OAEP, never running the model', async () => {
    const rewrap = (padding: number, label?: Buffer) => (env: AeadV1Envelope, k: Buffer) => ({
      ...env,
      cipherkey: publicEncrypt({ key: Buffer.from(nodeKey, 'base64').toString(), padding, oaepHash: 'sha256', ...(label ? { oaepLabel: label } : {}) }, k).toString('base64'),
    });
    const flipped = (env: AeadV1Envelope) => {
      const raw = Buffer.from(env.ciphertext, 'base64');
      raw[3]! ^= 0x10;
      return { ...env, ciphertext: raw.toString('base64') };
    };
    const other = await keys.take();
    const calls = t.provider.stats.calls;
    const cases: [string, () => Promise<unknown>][] = [
      ['bit flip', () => submitAead(newId('flip'), flipped)],
      ['K under PKCS#1 v1.5 (no fallback)', () => submitAead(newId('v15'), rewrap(constants.RSA_PKCS1_PADDING))],
      ['K under OAEP without the label', () => submitAead(newId('nolabel'), rewrap(constants.RSA_PKCS1_OAEP_PADDING))],
      ['K under the challenge label', () => submitAead(newId('challenge'), rewrap(constants.RSA_PKCS1_OAEP_PADDING, REGISTRATION_CHALLENGE_OAEP_LABEL))],
      ['control: K under the request-key label', () => submitAead(newId('control'), rewrap(constants.RSA_PKCS1_OAEP_PADDING, AEAD_V1_REQUEST_KEY_LABEL))],
      ['sealed for another node key', () => submitAead(newId('othernode'), undefined, undefined, other.publicKeyWire)],
    ];
    for (const [what, submit] of cases) {
      const sent = (await submit()) as { requestId: string };
      const result = await aead.waitForAnswer(sent.requestId, 8000, 'oaep-sha256'); // OAEP only: a v1.5 wrap would not open
      if (what.startsWith('control')) {
        expect(replyText(result), what).toContain('to: hi');
        expect(result.kind === 'reply' && result.profile, what).toBe('aead-v1');
        continue;
      }
      expectGenericCbc(result);
      expect(await t.reportFor(sent.requestId), what).toMatchObject({ outcome: 'generic-replied', profile: 'aead-v1' });
    }
    expect(t.provider.stats.calls).toBe(calls + 1); // only the control case reached the model
  });

  it('requires the inner header to bind to the outer request id and client key', async () => {
    const wrongId = newId('inner-id');
    const innerOtherId = buildInnerRequest({ requestId: 'not-the-outer-id', clientPublicKey: aead.keys.publicKeyWire, model: TEST_MODEL, messages: ask('hi') });
    const innerOtherKey = buildInnerRequest({ requestId: 'x', clientPublicKey: cbc.keys.publicKeyWire, model: TEST_MODEL, messages: ask('hi') });
    const a = await submitAead(wrongId, undefined, innerOtherId);
    expectGenericCbc(await aead.waitForAnswer(a.requestId, 8000, 'oaep-sha256'));
    const otherKeyId = newId('inner-key');
    const b = await submitAead(otherKeyId, undefined, { ...innerOtherKey, request_id: otherKeyId });
    expectGenericCbc(await aead.waitForAnswer(b.requestId, 8000, 'oaep-sha256'));
  });

  it("keeps CBC requests as they were, and tells a CBC client that says it speaks aead-v1 that the node does too", async () => {
    const plain = await cbc.send({ model: TEST_MODEL, messages: ask('hi'), serverPublicKey: nodeKey });
    const plainResult = await cbc.waitForAnswer(plain.requestId, 8000, 'oaep-sha256');
    expect(replyText(plainResult)).toContain('to: hi');
    expect(plainResult.kind === 'reply' && plainResult.profile).toBe('reference-cbc');
    expect(plainResult.kind === 'reply' && Object.keys(plainResult.inner as object)).not.toContain('e2ee_profiles');
    expect(await t.reportFor(plain.requestId)).toMatchObject({ outcome: 'answered', profile: 'reference-cbc' });

    const advertise = async (client: MiniClient, model: string, e2eeProfiles: unknown) => {
      const requestId = newId('adv');
      const inner = { ...buildInnerRequest({ requestId, clientPublicKey: client.keys.publicKeyWire, model, messages: ask('hi') }), e2ee_profiles: e2eeProfiles };
      await client.submitRaw(nodeKey, inner, requestId);
      const result = await client.waitForAnswer(requestId, 8000);
      if (result.kind !== 'reply') throw new Error(`no reply: ${JSON.stringify(result)}`);
      expect(result.profile).toBe('reference-cbc');
      return result;
    };
    const answered = await advertise(cbc, TEST_MODEL, ['aead-v1']);
    expect(replyText(answered)).toContain('to: hi');
    expect((answered.inner as Record<string, unknown>).e2ee_profiles).toEqual(['aead-v1']);
    const refused = await advertise(cbc, 'no-such-model', ['future-profile', 'aead-v1']);
    expect(replyErrorCode(refused)).toBe('compute_node_model_unsupported');
    expect((refused.inner as Record<string, unknown>).e2ee_profiles).toEqual(['aead-v1']);
    // A browser-style (PKCS#1 v1.5) request still gets a v1.5 reply, with the advertisement.
    const fromBrowser = await advertise(browser, TEST_MODEL, ['aead-v1']);
    expect((fromBrowser.inner as Record<string, unknown>).e2ee_profiles).toEqual(['aead-v1']);
    // Other or malformed lists: answered as usual, nothing advertised.
    for (const list of [['future-profile'], 'aead-v1', [42], []]) {
      const result = await advertise(cbc, TEST_MODEL, list);
      expect(replyText(result)).toContain('to: hi');
      expect(Object.keys(result.inner as object)).not.toContain('e2ee_profiles');
    }
  });

  it('stays silent on an aead-v1 request it cannot open when configured to (undecryptableReply none)', async () => {
    const quiet = await startTestNode(relay.url, { keys, node: { undecryptableReply: 'none' } });
    try {
      const requestId = newId('quiet');
      const { envelope, session } = sealAeadRequest('{}', { requestId, clientPublicKey: aead.keys.publicKeyWire, nodePublicKey: quiet.node.publicKeyWire()! });
      aead.sessions.set(requestId, session);
      await aead.submitEnvelope(quiet.node.publicKeyWire()!, { ...envelope, iv: Buffer.alloc(12, 1).toString('base64') }, requestId);
      expect(await quiet.reportFor(requestId)).toMatchObject({ outcome: 'ignored', profile: 'aead-v1' });
      expect((await aead.waitForAnswer(requestId, 700)).kind).toBe('timeout');
    } finally {
      await quiet.node.stop();
    }
  });
});

describe('attacks on aead-v1 through our relay (issue 11 §1–§2)', () => {
  let relay: RunningRelay;
  let keys: KeyPool;
  let t: TestNode;
  let client: MiniClient;
  let nodeKey: string;

  beforeAll(async () => {
    keys = await KeyPool.create(6);
    relay = await startTestRelay();
    t = await startTestNode(relay.url, { keys });
    nodeKey = t.node.publicKeyWire()!;
    client = new MiniClient(relay.url, await keys.take());
    client.aead = true;
  });
  afterAll(async () => {
    await t?.node.stop();
    await relay?.close();
  });

  async function answered(text: string) {
    const sent = await client.send({ model: TEST_MODEL, messages: ask(text), serverPublicKey: nodeKey });
    const result = await client.waitForAnswer(sent.requestId, 8000);
    if (result.kind !== 'reply' || result.profile !== 'aead-v1') throw new Error(`no aead-v1 answer: ${JSON.stringify(result)}`);
    return { requestId: sent.requestId, envelope: result.envelope, session: client.sessions.get(sent.requestId)! };
  }

  it('a relay or thief cannot make a reply the client accepts: no replay across requests, no key of its own, no CBC stand-in', async () => {
    const a = await answered('first question');
    const b = await answered('second question');
    // The genuine reply of A, delivered as the answer of B (a replaying relay): refused.
    expect(() => openAeadReply(b.session, a.envelope)).toThrow(DecryptionError);
    expect(() => openAeadReply(a.session, a.envelope)).not.toThrow();
    // A thief who saw B's work item (all of it public to the relay) seals its own request key for
    // the same request id, client and node, and answers under it: refused.
    const thief = sealAeadRequest('{}', { requestId: b.requestId, clientPublicKey: client.keys.publicKeyWire, nodePublicKey: nodeKey });
    const forged = sealAeadReply(thief.session, jsonPlaintext({ forged: true }));
    expect(() => openAeadReply(b.session, forged)).toThrow(DecryptionError);
    // A CBC envelope (which anyone can make with the client's public key) is no aead-v1 reply.
    const cbcForgery = encryptJson({ forged: true }, client.keys.publicKeyWire, { padding: 'oaep-sha256', mode: 'cbc' });
    expect(() => openAeadReply(b.session, cbcForgery)).toThrow(DecryptionError);
    // Reply bytes with the node cipherkey but a progress nonce / another purpose: refused.
    expect(() => openAeadReply(b.session, { ...b.envelope, iv: Buffer.alloc(12).toString('base64') })).toThrow(DecryptionError);
  });

  it('a replayed aead-v1 request (new request id, or another outer client key) is never opened or run', async () => {
    const requestId = newId('orig');
    const { envelope, session } = sealAeadRequest(
      jsonPlaintext(buildInnerRequest({ requestId, clientPublicKey: client.keys.publicKeyWire, model: TEST_MODEL, messages: ask('once') })),
      { requestId, clientPublicKey: client.keys.publicKeyWire, nodePublicKey: nodeKey },
    );
    client.sessions.set(requestId, session);
    await client.submitEnvelope(nodeKey, envelope, requestId);
    expect(replyText(await client.waitForAnswer(requestId, 8000))).toContain('to: once');
    const calls = t.provider.stats.calls;

    // The same envelope under a new request id (the relay replays it): the node cannot open it.
    const replayId = newId('replay');
    await client.submitEnvelope(nodeKey, envelope, replayId);
    const replayed = await client.waitForAnswer(replayId, 8000, 'oaep-sha256');
    expect(replayed.kind === 'reply' && replayed.profile).toBe('reference-cbc');
    expect(replayed.kind === 'reply' && replayed.reply.ok && replayed.reply.kind === 'error' && replayed.reply.error).toEqual({ ...GENERIC_UNPROCESSABLE_ERROR });
    expect(await t.reportFor(replayId)).toMatchObject({ outcome: 'generic-replied', profile: 'aead-v1' });

    // The same envelope and request id, under a thief's outer key (so the answer would go to the
    // thief): the client key is in the AAD, so nothing opens and the thief hears only the generic error.
    const thief = new MiniClient(relay.url, await keys.take());
    const stolenId = newId('stolen');
    const forThief = sealAeadRequest(
      jsonPlaintext(buildInnerRequest({ requestId: stolenId, clientPublicKey: client.keys.publicKeyWire, model: TEST_MODEL, messages: ask('x') })),
      { requestId: stolenId, clientPublicKey: client.keys.publicKeyWire, nodePublicKey: nodeKey },
    );
    await thief.submitEnvelope(nodeKey, forThief.envelope, stolenId, thief.keys.publicKeyWire);
    const stolen = await thief.waitForAnswer(stolenId, 8000, 'oaep-sha256');
    expect(stolen.kind === 'reply' && stolen.reply.ok && stolen.reply.kind === 'error' && stolen.reply.error).toEqual({ ...GENERIC_UNPROCESSABLE_ERROR });
    expect(t.provider.stats.calls).toBe(calls);
  });

  it('refuses CBC from a client key that has spoken aead-v1 to it, before decrypting, and says it speaks aead-v1 (no downgrade)', async () => {
    const fresh = new MiniClient(relay.url, await keys.take(), 'oaep-sha256');
    // Before it spoke aead-v1, this key's CBC requests are served as today.
    const before = await fresh.send({ model: TEST_MODEL, messages: ask('cbc first'), serverPublicKey: nodeKey });
    expect(replyText(await fresh.waitForAnswer(before.requestId, 8000, 'oaep-sha256'))).toContain('to: cbc first');
    fresh.aead = true;
    const spoke = await fresh.send({ model: TEST_MODEL, messages: ask('now aead'), serverPublicKey: nodeKey });
    const spokeResult = await fresh.waitForAnswer(spoke.requestId, 8000);
    expect(spokeResult.kind === 'reply' && spokeResult.profile).toBe('aead-v1');
    fresh.aead = false;
    const calls = t.provider.stats.calls;
    const downgraded = await fresh.send({ model: TEST_MODEL, messages: ask('cbc again'), serverPublicKey: nodeKey });
    const result = await fresh.waitForAnswer(downgraded.requestId, 8000, 'oaep-sha256');
    if (result.kind !== 'reply' || !result.reply.ok || result.reply.kind !== 'error') throw new Error(`no refusal: ${JSON.stringify(result)}`);
    expect(result.profile).toBe('reference-cbc');
    expect(result.reply.error).toEqual({ ...GENERIC_UNPROCESSABLE_ERROR });
    expect((result.inner as Record<string, unknown>).e2ee_profiles).toEqual(['aead-v1']);
    expect(await t.reportFor(downgraded.requestId)).toMatchObject({ outcome: 'downgrade-refused', profile: 'reference-cbc' });
    expect(await t.reportFor(downgraded.requestId)).toMatchObject({ timings: { decryptMs: 0 } });
    expect(t.provider.stats.calls).toBe(calls);
    // Another client key is not affected.
    const other = new MiniClient(relay.url, await keys.take(), 'oaep-sha256');
    const ok = await other.send({ model: TEST_MODEL, messages: ask('other'), serverPublicKey: nodeKey });
    expect(replyText(await other.waitForAnswer(ok.requestId, 8000, 'oaep-sha256'))).toContain('to: other');
  });
});

describe('AeadSpeakers', () => {
  it('remembers keys, forgets the oldest beyond its limit, and treats surrounding whitespace as the same key', () => {
    const speakers = new AeadSpeakers(2);
    speakers.remember('key-a');
    speakers.remember('key-b');
    expect(speakers.has(' key-a\n')).toBe(true);
    speakers.remember('key-a'); // most recent again
    speakers.remember('key-c');
    expect([speakers.has('key-a'), speakers.has('key-b'), speakers.has('key-c'), speakers.size]).toEqual([true, false, true, 2]);
  });
});
