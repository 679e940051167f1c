// §11.4–§11.5 through the in-memory relay: who may append, the sequence rules, the buffer bounds
// and back-pressure, slow and vanished readers, the long poll and Server-Sent Events, and the
// stream leaving with its request (§11.9).
import { describe, expect, it } from 'vitest';
import { STREAM_LIMITS } from '../../src-shared/protocol/stream';
import { TestClient, TestNode } from '../../test-support/relay/actors';
import { call } from '../../test-support/relay/http';
import { ProvingTestNode } from '../../test-support/relay/proving-node';
import { keys, relays, setup, useRelayFixture } from '../../test-support/relay/relay-fixture';
import { appendChunks, openEvents, readChunks, wireChunk, wireChunks, type StreamOwner } from '../../test-support/relay/stream';
import { startRelay, type RelayConfig } from './index';

useRelayFixture();

/** A relay with a request in flight on its node, and the owner values of §11.4. */
async function inFlight(config: RelayConfig = {}) {
  const ctx = await setup(config);
  const s = await ctx.client.submit(ctx.node.publicKey, 'stream me');
  const work = (await ctx.node.poll()).body;
  expect(work.request_id).toBe(s.requestId);
  const owner: StreamOwner = { serverPublicKey: ctx.node.publicKey, credential: ctx.node.credential, clientPublicKey: ctx.client.publicKey, requestId: s.requestId };
  return { ...ctx, s, work, owner };
}

describe('relay capabilities (§11.1)', () => {
  it('the register answer and servers/next name the chunk routes', async () => {
    const { relay, node } = await setup();
    const again = await node.register();
    expect(again.body).toMatchObject({ relay_capabilities: { encrypted_progress_v1: true, stream_chunks_v1: true } });
    const next = await call<Record<string, unknown>>(relay.url, 'GET', '/api/v1/relay/servers/next');
    expect(next.body.relay_capabilities).toEqual({ encrypted_progress_v1: true, stream_chunks_v1: true });
  });
});

describe('append (§11.4)', () => {
  it('stores chunks in order, and a long-poll read hands them out and acknowledges what it held', async () => {
    const { relay, owner, client, s } = await inFlight();
    const first = await appendChunks(relay.url, owner, wireChunks(0, 3));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ next_sequence: 3, buffered_chunks: 3, buffered_bytes: 3 * 64 });
    const read = await readChunks(relay.url, client.publicKey, s.requestId, -1);
    expect(read.status).toBe(200);
    expect(read.body.chunks.map((c) => c.sequence)).toEqual([0, 1, 2]);
    expect(read.body).toMatchObject({ next_sequence: 3, state: 'in_flight', done: false });
    // Reading with after = 1 drops 0 and 1: the buffer holds one chunk.
    expect((await readChunks(relay.url, client.publicKey, s.requestId, 1)).body.chunks.map((c) => c.sequence)).toEqual([2]);
    const more = await appendChunks(relay.url, owner, [wireChunk(3, true)]);
    expect(more.body).toEqual({ next_sequence: 4, buffered_chunks: 2, buffered_bytes: 128 });
  });

  it('hands a chunk back exactly as it was appended', async () => {
    const { relay, owner, client, s } = await inFlight();
    const chunk = wireChunk(0, false, 24);
    await appendChunks(relay.url, owner, [chunk]);
    expect((await readChunks(relay.url, client.publicKey, s.requestId, -1)).body.chunks).toEqual([chunk]);
  });

  it('refuses a caller without the credential, with another credential, or not holding the request', async () => {
    const { relay, owner, client } = await inFlight();
    const chunks = wireChunks(0, 1);
    const noCredential = await call(relay.url, 'POST', '/api/v1/relay/stream/append', { server_public_key: owner.serverPublicKey, client_public_key: owner.clientPublicKey, request_id: owner.requestId, chunks });
    expect(noCredential.status).toBe(400);
    expect(noCredential.body).toEqual({ error: { message: 'Invalid stream append', code: 400 } });
    const wrong = await appendChunks(relay.url, { ...owner, credential: 'not-the-credential' }, chunks);
    expect(wrong.status).toBe(403);
    expect(wrong.body).toEqual({ error: { message: 'Missing or invalid relay server control credential', code: 403 } });
    // A thief registering its own key holds a credential, but not this request.
    const thief = await TestNode.create(relay.url, { keys: keys.otherNode });
    await thief.register();
    const stolen = await appendChunks(relay.url, { ...owner, serverPublicKey: thief.publicKey, credential: thief.credential }, chunks);
    expect(stolen.status).toBe(410);
    expect(stolen.body).toEqual({ error: { message: 'Stream request is not active for this owner', code: 410 } });
    const unknown = await appendChunks(relay.url, { ...owner, requestId: 'no-such-request' }, chunks);
    expect(unknown.status).toBe(410);
    // Nothing reached the stream.
    expect((await readChunks(relay.url, client.publicKey, owner.requestId, -1)).body).toMatchObject({ chunks: [], next_sequence: 0 });
  });

  it("refuses a verified key's credential of an earlier registration (§9.4)", async () => {
    const { relay, client } = await setup();
    const node = await ProvingTestNode.create(relay.url, { keys: keys.otherNode });
    expect((await node.register()).status).toBe(200);
    expect(node.verified).toBe(true);
    const oldCredential = node.credential;
    expect((await call(relay.url, 'POST', '/api/v1/relay/servers/unregister', { server_public_key: node.publicKey, control_credential: oldCredential })).status).toBe(200);
    node.credential = '';
    expect((await node.register()).status).toBe(200);
    expect(node.credential).not.toBe(oldCredential);
    const s = await client.submit(node.publicKey, 'after re-registration');
    expect((await node.poll()).body.request_id).toBe(s.requestId);
    const owner = { serverPublicKey: node.publicKey, credential: oldCredential, clientPublicKey: client.publicKey, requestId: s.requestId };
    expect((await appendChunks(relay.url, owner, wireChunks(0, 1))).status).toBe(403);
    expect((await appendChunks(relay.url, { ...owner, credential: node.credential }, wireChunks(0, 1))).status).toBe(200);
  });

  it('checks the relay token first when one is configured (§2.4)', async () => {
    const relay = await startRelay({ relayTokens: ['tok'], pollWaitSeconds: 0.2, rateLimits: { enabled: false } });
    relays.push(relay);
    const node = await TestNode.create(relay.url, { keys: keys.node, token: 'tok' });
    expect((await node.register()).status).toBe(200);
    const client = await TestClient.create(relay.url, keys.client);
    const s = await client.submit(node.publicKey, 'q');
    expect((await node.poll()).status).toBe(200);
    const owner = { serverPublicKey: node.publicKey, credential: node.credential, clientPublicKey: client.publicKey, requestId: s.requestId };
    const refused = await appendChunks(relay.url, owner, []);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ error: { message: 'Missing or invalid relay server token', code: 401 } });
    expect((await appendChunks(relay.url, owner, wireChunks(0, 1), { 'x-relay-server-token': 'tok' })).status).toBe(200);
  });

  it('refuses a body over 819,200 bytes with 413 and a schema break with 400', async () => {
    const { relay, owner } = await inFlight();
    const big = await call(relay.url, 'POST', '/api/v1/relay/stream/append', {
      server_public_key: owner.serverPublicKey,
      control_credential: owner.credential,
      client_public_key: owner.clientPublicKey,
      request_id: owner.requestId,
      chunks: wireChunks(0, 32, false, STREAM_LIMITS.maxChunkCiphertextChars),
      padding: 'x'.repeat(STREAM_LIMITS.maxAppendBodyBytes - 32 * STREAM_LIMITS.maxChunkCiphertextChars),
    });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ error: { message: 'Stream append too large', code: 413 } });
    for (const chunks of [[], wireChunks(0, 33), [{ ...wireChunk(0), ciphertext: 'A'.repeat(STREAM_LIMITS.maxChunkCiphertextChars + 4) }], [{ ...wireChunk(0), extra: 1 }], [{ ...wireChunk(0), sequence: -1 }]]) {
      const r = await appendChunks(relay.url, owner, chunks as never);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ error: { message: 'Invalid stream append', code: 400 } });
    }
  });
});

describe('sequence rules (§11.4)', () => {
  it('skips chunks the stream already has (a retry) and stores only the rest', async () => {
    const { relay, owner, client, s } = await inFlight();
    const batch = wireChunks(0, 3);
    expect((await appendChunks(relay.url, owner, batch)).body).toMatchObject({ next_sequence: 3, buffered_chunks: 3 });
    // The same append again (its answer was lost): accepted, nothing stored twice.
    expect((await appendChunks(relay.url, owner, batch)).body).toMatchObject({ next_sequence: 3, buffered_chunks: 3 });
    // Overlapping: 1..4, of which 3 and 4 are new.
    expect((await appendChunks(relay.url, owner, wireChunks(1, 4))).body).toMatchObject({ next_sequence: 5, buffered_chunks: 5 });
    const read = await readChunks(relay.url, client.publicKey, s.requestId, -1);
    expect(read.body.chunks.map((c) => c.sequence)).toEqual([0, 1, 2, 3, 4]);
    expect(read.body.chunks[1]).toEqual(batch[1]); // the first copy of 1 stays
  });

  it('refuses a gap, chunks that are not consecutive, and anything after the final chunk, storing nothing', async () => {
    const { relay, owner, client, s } = await inFlight();
    const expectConflict = async (chunks: ReturnType<typeof wireChunks>, next: number) => {
      const r = await appendChunks(relay.url, owner, chunks);
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'stream_sequence_conflict', next_sequence: next });
      expect(String(r.body.error?.message)).toContain(`next sequence is ${next}`);
    };
    await expectConflict(wireChunks(1, 2), 0); // gap before the first chunk
    expect((await appendChunks(relay.url, owner, wireChunks(0, 2))).status).toBe(200);
    await expectConflict([wireChunk(2), wireChunk(4)], 2); // not consecutive
    await expectConflict([wireChunk(2, true), wireChunk(3)], 2); // a final chunk that is not the last
    await expectConflict(wireChunks(3, 1), 2); // gap
    expect((await appendChunks(relay.url, owner, [wireChunk(2, true)])).body).toMatchObject({ next_sequence: 3 });
    await expectConflict([wireChunk(3)], 3); // after the final chunk
    expect((await appendChunks(relay.url, owner, [wireChunk(2, true)])).status).toBe(200); // the final's retry
    expect((await readChunks(relay.url, client.publicKey, s.requestId, -1)).body.chunks.map((c) => [c.sequence, c.final])).toEqual([
      [0, false],
      [1, false],
      [2, true],
    ]);
  });
});

describe('buffer bounds and back-pressure (§11.4)', () => {
  it('refuses a 257th unread chunk with 429 stream_buffer_full until the reader catches up', async () => {
    const { relay, owner, client, s } = await inFlight();
    for (let first = 0; first < STREAM_LIMITS.bufferMaxChunks; first += 32) expect((await appendChunks(relay.url, owner, wireChunks(first, 32, false, 8))).status).toBe(200);
    const full = await appendChunks(relay.url, owner, [wireChunk(256, false, 8)]);
    expect(full.status).toBe(429);
    expect(full.headers.get('retry-after')).toBe('1');
    expect(full.body.error).toMatchObject({ code: 'stream_buffer_full', retry_after_ms: 100, next_sequence: 256 });
    // The reader acknowledges 0..9: ten chunks fit again, an eleventh does not.
    await readChunks(relay.url, client.publicKey, s.requestId, 9);
    expect((await appendChunks(relay.url, owner, wireChunks(256, 10, false, 8))).body).toMatchObject({ next_sequence: 266, buffered_chunks: 256 });
    expect((await appendChunks(relay.url, owner, [wireChunk(266, false, 8)])).status).toBe(429);
  });

  it('refuses more than 1 MiB of unread ciphertext per request', async () => {
    const { relay, owner, client, s } = await inFlight();
    const size = STREAM_LIMITS.maxChunkCiphertextChars;
    const fits = Math.floor(STREAM_LIMITS.bufferMaxBytes / size); // 42 chunks
    // 32 chunks of the largest ciphertext fit in one append body.
    expect((await appendChunks(relay.url, owner, wireChunks(0, 32, false, size))).status).toBe(200);
    expect((await appendChunks(relay.url, owner, wireChunks(32, fits - 32, false, size))).body).toMatchObject({ buffered_bytes: fits * size });
    const full = await appendChunks(relay.url, owner, [wireChunk(fits, false, size)]);
    expect(full.status).toBe(429);
    expect(full.body.error).toMatchObject({ code: 'stream_buffer_full' });
    await readChunks(relay.url, client.publicKey, s.requestId, 0);
    expect((await appendChunks(relay.url, owner, [wireChunk(fits, false, size)])).status).toBe(200);
  });

  it('refuses appends past the relay-wide total (--stream-buffer-total-mb) and accepts them once readers catch up', async () => {
    const ctx = await setup({ streamBufferTotalMb: 1 });
    const size = STREAM_LIMITS.maxChunkCiphertextChars;
    const owners: StreamOwner[] = [];
    for (let i = 0; i < 2; i++) {
      const s = await ctx.client.submit(ctx.node.publicKey, `q${i}`);
      expect((await ctx.node.poll()).status).toBe(200);
      owners.push({ serverPublicKey: ctx.node.publicKey, credential: ctx.node.credential, clientPublicKey: ctx.client.publicKey, requestId: s.requestId });
    }
    expect((await appendChunks(ctx.relay.url, owners[0]!, wireChunks(0, 32, false, size))).status).toBe(200); // 768 KiB
    const refused = await appendChunks(ctx.relay.url, owners[1]!, wireChunks(0, 12, false, size)); // + 288 KiB > 1 MiB
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'stream_buffer_full', retry_after_ms: 1000, next_sequence: 0 });
    expect(await ctx.relay.store.streamBufferedBytes()).toBe(32 * size);
    await readChunks(ctx.relay.url, ctx.client.publicKey, owners[0]!.requestId, 31);
    expect((await appendChunks(ctx.relay.url, owners[1]!, wireChunks(0, 12, false, size))).status).toBe(200);
  });

  it('a vanished reader: the buffer fills, the node is held off, and the request ending frees it all', async () => {
    const { relay, owner, client, s } = await inFlight({ requestDeadlineSeconds: 1.5 });
    for (let first = 0; first < STREAM_LIMITS.bufferMaxChunks; first += 32) await appendChunks(relay.url, owner, wireChunks(first, 32, false, 100));
    expect((await appendChunks(relay.url, owner, [wireChunk(256)])).status).toBe(429);
    expect(await relay.store.streamBufferedBytes()).toBe(256 * 100);
    await new Promise((r) => setTimeout(r, 1600));
    await relay.sweep();
    expect(await relay.store.streamBufferedBytes()).toBe(0);
    const late = await appendChunks(relay.url, owner, [wireChunk(256)]);
    expect(late.status).toBe(410);
    // A reader coming back learns the stream ended without its final chunk.
    expect((await readChunks(relay.url, client.publicKey, s.requestId, -1)).body).toEqual({ chunks: [], next_sequence: 256, state: 'expired', done: true });
  });

  it('cancel mid-stream: the chunks go, the node gets 410, a reader hears done (cancelled)', async () => {
    const { relay, owner, client, s } = await inFlight();
    await appendChunks(relay.url, owner, wireChunks(0, 5));
    const waiting = readChunks(relay.url, client.publicKey, s.requestId, 4, 5);
    await new Promise((r) => setTimeout(r, 100));
    expect((await client.cancel(s)).status).toBe(200);
    const heard = await waiting;
    expect(heard.body).toEqual({ chunks: [], next_sequence: 5, state: 'cancelled', done: true });
    expect(await relay.store.streamBufferedBytes()).toBe(0);
    const after = await appendChunks(relay.url, owner, [wireChunk(5)]);
    expect(after.status).toBe(410);
    expect(after.body).toEqual({ error: { message: 'Stream request is not active for this owner', code: 410 } });
  });

  it('the answer delivered drops what is left; the stream position lives on with the outcome, then the relay is empty', async () => {
    const { relay, owner, node, work, client, s } = await inFlight({ terminalTtlSeconds: 0.3, pollWaitSeconds: 0.05 });
    await appendChunks(relay.url, owner, [wireChunk(0), wireChunk(1, true)]);
    expect((await node.answer(work, 'done', { server_public_key: node.publicKey, control_credential: node.credential })).status).toBe(200);
    expect((await readChunks(relay.url, client.publicKey, s.requestId, -1)).body).toMatchObject({ state: 'completed', done: false, next_sequence: 2 });
    expect((await client.retrieve(s.requestId)).status).toBe(200);
    expect(await relay.store.streamBufferedBytes()).toBe(0);
    expect((await readChunks(relay.url, client.publicKey, s.requestId, -1)).body).toEqual({ chunks: [], next_sequence: 2, state: 'completed', done: true });
    await new Promise((r) => setTimeout(r, 400));
    await relay.sweep();
    const counts = await relay.store.entryCounts();
    expect({ records: counts.records, lists: counts.lists }).toEqual({ records: 1, lists: 0 }); // the node's registration
  });
});

describe('long-poll read (§11.5)', () => {
  it('holds while nothing is there and answers the moment a chunk is appended', async () => {
    const { relay, owner, client, s } = await inFlight();
    const started = Date.now();
    const waiting = readChunks(relay.url, client.publicKey, s.requestId, -1, 5);
    await new Promise((r) => setTimeout(r, 150));
    await appendChunks(relay.url, owner, [wireChunk(0)]);
    const got = await waiting;
    expect(got.body.chunks.map((c) => c.sequence)).toEqual([0]);
    expect(Date.now() - started).toBeLessThan(1000); // woken, not at its 1 s recheck or its 5 s end
  });

  it('answers at most 64 chunks, says done once the final chunk was read, and reads queued requests as queued', async () => {
    const { relay, owner, client, s, node } = await inFlight();
    for (let first = 0; first < 96; first += 32) await appendChunks(relay.url, owner, wireChunks(first, 32, first === 64));
    const first = await readChunks(relay.url, client.publicKey, s.requestId, -1);
    expect(first.body.chunks).toHaveLength(STREAM_LIMITS.maxChunksPerRead);
    expect(first.body).toMatchObject({ next_sequence: 96, done: false });
    const rest = await readChunks(relay.url, client.publicKey, s.requestId, 63);
    expect(rest.body.chunks.map((c) => c.sequence)).toEqual(Array.from({ length: 32 }, (_, i) => 64 + i));
    expect((await readChunks(relay.url, client.publicKey, s.requestId, 95, 5)).body).toEqual({ chunks: [], next_sequence: 96, state: 'in_flight', done: true });
    const queued = await client.submit(node.publicKey, 'waits in the queue');
    expect((await readChunks(relay.url, client.publicKey, queued.requestId, -1, 0)).body).toEqual({ chunks: [], next_sequence: 0, state: 'queued', done: false });
  });

  it('refuses an unknown request with 404 and a body off the schema with 400', async () => {
    const { relay, client } = await setup();
    const unknown = await readChunks(relay.url, client.publicKey, 'nope', -1);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: { message: 'Unknown request_id: nope', code: 404 } });
    for (const body of [{}, { client_public_key: client.publicKey, request_id: 'x', after: -2 }, { client_public_key: client.publicKey, request_id: 'x', after: 0, wait_seconds: 26 }, { client_public_key: client.publicKey, request_id: 'x', after: 0, extra: 1 }]) {
      const r = await call(relay.url, 'POST', '/api/v1/relay/stream/read', body);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ error: { message: 'Invalid stream read', code: 400 } });
    }
    expect((await call(relay.url, 'POST', '/api/v1/relay/stream/events', {})).body).toEqual({ error: { message: 'Invalid stream read', code: 400 } });
    const events = await openEvents(relay.url, { client_public_key: client.publicKey, request_id: 'nope', after: -1 });
    expect(events.status).toBe(404);
  });
});

describe('Server-Sent Events (§11.5)', () => {
  const bodyOf = (client: TestClient, requestId: string, after = -1) => ({ client_public_key: client.publicKey, request_id: requestId, after });

  it('sends each chunk as an event as it is appended, then done, and acknowledges what it wrote', async () => {
    const { relay, owner, client, s } = await inFlight();
    await appendChunks(relay.url, owner, wireChunks(0, 2));
    const sse = await openEvents(relay.url, bodyOf(client, s.requestId));
    expect(sse.status).toBe(200);
    expect(sse.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(sse.headers.get('cache-control')).toBe('no-store');
    await sse.until((e) => e.id === '1');
    await appendChunks(relay.url, owner, [wireChunk(2, true)]);
    const done = await sse.until((e) => e.event === 'done');
    expect(JSON.parse(done.data!)).toEqual({ state: 'in_flight', next_sequence: 3 });
    await sse.ended;
    const chunks = sse.events.filter((e) => e.event === 'chunk');
    expect(chunks.map((e) => e.id)).toEqual(['0', '1', '2']);
    expect(chunks.map((e) => JSON.parse(e.data!).sequence)).toEqual([0, 1, 2]);
    expect(JSON.parse(chunks[2]!.data!).final).toBe(true);
    expect(await relay.store.streamBufferedBytes()).toBe(0); // written = acknowledged
  });

  it('resumes after Last-Event-ID (which wins over after)', async () => {
    const { relay, owner, client, s } = await inFlight();
    await appendChunks(relay.url, owner, wireChunks(0, 4, true));
    const sse = await openEvents(relay.url, bodyOf(client, s.requestId, -1), { 'last-event-id': '1' });
    await sse.ended;
    expect(sse.events.filter((e) => e.event === 'chunk').map((e) => e.id)).toEqual(['2', '3']);
  });

  it('ends with done when the request is cancelled, and at the deadline with done (expired)', async () => {
    const { relay, owner, client, s } = await inFlight({ requestDeadlineSeconds: 1.2 });
    await appendChunks(relay.url, owner, [wireChunk(0)]);
    const sse = await openEvents(relay.url, bodyOf(client, s.requestId));
    await sse.until((e) => e.id === '0');
    const started = Date.now();
    const done = await sse.until((e) => e.event === 'done');
    expect(JSON.parse(done.data!)).toEqual({ state: 'expired', next_sequence: 1 });
    expect(Date.now() - started).toBeLessThan(2000);
    await sse.ended;

    const again = await client.submit(owner.serverPublicKey, 'second');
    expect(again.reply.status).toBe(200);
    const sse2 = await openEvents(relay.url, bodyOf(client, again.requestId));
    await new Promise((r) => setTimeout(r, 100));
    expect((await client.cancel(again)).status).toBe(200);
    expect(JSON.parse((await sse2.until((e) => e.event === 'done')).data!)).toEqual({ state: 'cancelled', next_sequence: 0 });
  });

  it('sends a keep-alive comment while idle', async () => {
    const { relay, client, s } = await inFlight({ streamKeepAliveMs: 100 });
    const sse = await openEvents(relay.url, bodyOf(client, s.requestId));
    // The first goes out with the response head; the next ones while nothing happens.
    const keepAlives = () => sse.events.filter((e) => e.comment === 'keep-alive' && e.event === undefined).length;
    await sse.until(() => keepAlives() >= 3);
    expect(sse.events.every((e) => e.comment === 'keep-alive')).toBe(true);
    sse.close();
  });

  it('a slow reader: chunks stay in the bounded buffer and the node is told to wait', async () => {
    const { relay, owner, client, s } = await inFlight();
    // A reader that never reads its response body: the connection fills, the relay stops taking chunks out.
    const stalled = await fetch(`${relay.url}/api/v1/relay/stream/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bodyOf(client, s.requestId)) });
    expect(stalled.status).toBe(200);
    let next = 0;
    let refused = false;
    for (let i = 0; i < 400 && !refused; i++) {
      const r = await appendChunks(relay.url, owner, wireChunks(next, 32, false, STREAM_LIMITS.maxChunkCiphertextChars));
      if (r.status === 429) refused = true;
      else next = Number(r.body.next_sequence);
    }
    expect(refused).toBe(true);
    expect(await relay.store.streamBufferedBytes()).toBeGreaterThan(0);
    expect(await relay.store.streamBufferedBytes()).toBeLessThanOrEqual(STREAM_LIMITS.bufferMaxBytes);
    await stalled.body?.cancel();
  });

  it('counts as a long poll of its own kind: past the per-sender cap, events get 429 and read answers at once', async () => {
    const { relay, client, s } = await inFlight({ connectionLimits: { maxLongPollsPerSender: 1 } });
    const first = await openEvents(relay.url, bodyOf(client, s.requestId));
    expect(first.status).toBe(200);
    const second = await openEvents(relay.url, bodyOf(client, s.requestId));
    expect(second.status).toBe(429);
    expect(second.errorBody).toMatchObject({ error: { code: 'too_many_long_polls' } });
    const started = Date.now();
    expect((await readChunks(relay.url, client.publicKey, s.requestId, -1, 5)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    // A retrieve is another kind: it still waits its wait_seconds.
    const retrieveStarted = Date.now();
    expect((await client.retrieve(s.requestId, 0.3)).status).toBe(202);
    expect(Date.now() - retrieveStarted).toBeGreaterThanOrEqual(250);
    first.close();
  });
});

describe('metrics (§11)', () => {
  it('counts chunks appended and read and shows the buffered bytes, never keys or ciphertext', async () => {
    const { relay, owner, client, s } = await inFlight();
    const chunks = wireChunks(0, 3, false, 40);
    await appendChunks(relay.url, owner, chunks);
    await readChunks(relay.url, client.publicKey, s.requestId, 0);
    const text = (await call(relay.url, 'GET', '/metrics')).text;
    expect(text).toMatch(/tokenplace_relay_stream_chunks_total\{event="appended"\} 3/);
    expect(text).toMatch(/tokenplace_relay_stream_chunks_total\{event="read"\} 2/);
    expect(text).toMatch(/tokenplace_relay_stream_buffered_bytes 80/);
    for (const secret of [owner.credential, owner.requestId, chunks[1]!.ciphertext]) expect(text).not.toContain(secret);
  });
});
