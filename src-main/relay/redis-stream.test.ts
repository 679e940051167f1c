// §11.9 on the Redis store: a node appends on relay A and the client reads on relay B (one shared
// Redis), woken across processes; one script per append keeps the sequence rules and bounds;
// the stream expires with its request and the store returns to empty.
import { describe, expect, it } from 'vitest';
import { STREAM_LIMITS } from '../../src-shared/protocol/stream';
import type { RelayConfig } from './index';
import { TestClient, TestNode } from '../../test-support/relay/actors';
import { useRedisRelays } from '../../test-support/relay/redis-relays';
import { appendChunks, openEvents, readChunks, wireChunk, wireChunks, type StreamOwner } from '../../test-support/relay/stream';

const env = useRedisRelays();

/** Relays A and B on one Redis, a node holding a request on A, its client on B. */
async function streamAcross(config: RelayConfig = {}) {
  const { a, b } = await env.pair({ pollWaitSeconds: 0.2, ...config });
  const node = await TestNode.create(a.url, { keys: env.nodeKeys });
  expect((await node.register()).status).toBe(200);
  const client = await TestClient.create(b.url, env.clientKeys);
  const s = await client.submit(node.publicKey, 'stream across relays');
  expect((await node.poll()).body.request_id).toBe(s.requestId);
  const owner: StreamOwner = { serverPublicKey: node.publicKey, credential: node.credential, clientPublicKey: client.publicKey, requestId: s.requestId };
  return { a, b, node, client, s, owner };
}

describe('streams on the Redis store', () => {
  it('a node appends on relay A, the client reads on relay B, by long poll and by Server-Sent Events', async () => {
    const { a, b, client, s, owner } = await streamAcross();
    const started = Date.now();
    const waiting = readChunks(b.url, client.publicKey, s.requestId, -1, 5);
    await new Promise((r) => setTimeout(r, 150));
    const first = wireChunk(0);
    expect((await appendChunks(a.url, owner, [first])).body).toEqual({ next_sequence: 1, buffered_chunks: 1, buffered_bytes: 64 });
    const got = await waiting;
    expect(got.body.chunks).toEqual([first]);
    expect(Date.now() - started).toBeLessThan(1000); // woken through pub/sub, not by its recheck

    const sse = await openEvents(b.url, { client_public_key: client.publicKey, request_id: s.requestId, after: 0 });
    await appendChunks(a.url, owner, wireChunks(1, 2));
    await sse.until((e) => e.id === '2');
    await appendChunks(a.url, owner, [wireChunk(3, true)]);
    const done = await sse.until((e) => e.event === 'done');
    expect(JSON.parse(done.data!)).toEqual({ state: 'in_flight', next_sequence: 4 });
    expect(sse.events.filter((e) => e.event === 'chunk').map((e) => e.id)).toEqual(['1', '2', '3']);
    expect(await a.store.streamBufferedBytes()).toBe(0);
  });

  it('keeps the sequence rules and the bounds in one script', async () => {
    const { a, b, client, s, owner } = await streamAcross();
    const batch = wireChunks(0, 3);
    expect((await appendChunks(a.url, owner, batch)).status).toBe(200);
    expect((await appendChunks(b.url, owner, batch)).body).toMatchObject({ next_sequence: 3, buffered_chunks: 3 }); // retry on B
    expect((await appendChunks(a.url, owner, wireChunks(2, 3))).body).toMatchObject({ next_sequence: 5, buffered_chunks: 5 });
    const gap = await appendChunks(a.url, owner, [wireChunk(7)]);
    expect(gap.status).toBe(409);
    expect(gap.body.error).toMatchObject({ code: 'stream_sequence_conflict', next_sequence: 5 });
    for (let next = 5; next < STREAM_LIMITS.bufferMaxChunks; next += 1) expect((await appendChunks(a.url, owner, [wireChunk(next, false, 8)])).status).toBe(200);
    const full = await appendChunks(b.url, owner, [wireChunk(256)]);
    expect(full.status).toBe(429);
    expect(full.body.error).toMatchObject({ code: 'stream_buffer_full', retry_after_ms: 100, next_sequence: 256 });
    const read = await readChunks(b.url, client.publicKey, s.requestId, 99);
    expect(read.body.chunks.map((c) => c.sequence)).toEqual(Array.from({ length: 64 }, (_, i) => 100 + i));
    expect(read.body.chunks[0]).toMatchObject({ sequence: 100, final: false, iv: wireChunk(100).iv });
    expect((await appendChunks(a.url, owner, [wireChunk(256, true)])).body).toMatchObject({ next_sequence: 257, buffered_chunks: 157 });
    expect((await appendChunks(a.url, owner, [wireChunk(257)])).status).toBe(409); // after the final chunk
  });

  it('shares the relay-wide bound between processes', async () => {
    const { a, b, owner, node, client } = await streamAcross({ streamBufferTotalMb: 1 });
    const second = await client.submit(node.publicKey, 'second stream');
    expect((await node.poll()).body.request_id).toBe(second.requestId);
    const size = STREAM_LIMITS.maxChunkCiphertextChars;
    expect((await appendChunks(a.url, owner, wireChunks(0, 32, false, size))).status).toBe(200);
    const refused = await appendChunks(b.url, { ...owner, requestId: second.requestId }, wireChunks(0, 12, false, size));
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ retry_after_ms: 1000 });
    expect(await b.store.streamBufferedBytes()).toBe(32 * size);
  });

  it('expires with its request: the chunks go at the deadline, the position with the outcome, and the store is empty', async () => {
    const { a, b, client, s, owner } = await streamAcross({ requestDeadlineSeconds: 1, terminalTtlSeconds: 0.5, tombstoneTtlSeconds: 0.5 });
    await appendChunks(a.url, owner, wireChunks(0, 10));
    expect(await a.store.streamBufferedBytes()).toBe(640);
    await new Promise((r) => setTimeout(r, 1100));
    await b.sweep();
    expect(await a.store.streamBufferedBytes()).toBe(0);
    expect((await readChunks(b.url, client.publicKey, s.requestId, -1)).body).toEqual({ chunks: [], next_sequence: 10, state: 'expired', done: true });
    expect((await appendChunks(a.url, owner, [wireChunk(10)])).status).toBe(410);
    await new Promise((r) => setTimeout(r, 600));
    const counts = await a.store.entryCounts();
    expect({ records: counts.records, lists: counts.lists }).toEqual({ records: 1, lists: 0 }); // the node's registration
  });
});
