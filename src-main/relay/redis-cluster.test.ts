// §2.6.6 the relay on a 3-master Redis Cluster: detected at start, state spread over the masters
// by node (each transition in one slot), two relays sharing it, the sweeper walking every shard.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_ID, PROTOCOL_VERSION } from '../../src-shared/protocol/constants';
import { runRelayCli } from './cli-run';
import { RedisStateStore, startRelay, type RunningRelay } from './index';
import { SHARD_TAGS } from './store/redis-layout';
import { StoreUnavailableError } from './store/state-store';
import { eventually } from '../../test-support/node/harness';
import { TestClient, TestNode, type Submitted } from '../../test-support/relay/actors';
import { nodesOnTwoMasters as placeOnTwoMasters } from '../../test-support/relay/cluster-nodes';
import { call } from '../../test-support/relay/http';
import { useRedisRelays } from '../../test-support/relay/redis-relays';
import { startClusterNode, startLocalRedisCluster } from '../../test-support/relay/redis-server';
import { appendChunks, readChunks, wireChunk, wireChunks, type StreamOwner } from '../../test-support/relay/stream';

const run = promisify(execFile);
const env = useRedisRelays(() => startLocalRedisCluster(3));

/** Nodes registered on `relay` until their state sits on at least two masters. */
async function nodesOnTwoMasters(relay: RunningRelay): Promise<TestNode[]> {
  return (await placeOnTwoMasters(relay, env.redis, env.nodeKeys)).map((p) => p.node);
}

describe('Redis Cluster store', () => {
  it('hash tags whose slots spread evenly over the 16384 (CLUSTER KEYSLOT)', async () => {
    const slots = await Promise.all(SHARD_TAGS.map(async (tag) => Number((await run('redis-cli', ['-p', String(env.redis.port), 'cluster', 'keyslot', tag])).stdout.trim())));
    slots.forEach((slot, i) => expect(Math.floor(slot / 1024)).toBe(i));
  });

  it('two relays: submit on A, the node polls and answers on B, a third relay that saw none of it delivers each answer; state on at least two masters', async () => {
    const { a, b } = await env.pair({ pollWaitSeconds: 0.5 });
    expect((a.store as RedisStateStore).clustered).toBe(true);
    const nodes = await nodesOnTwoMasters(b);
    const client = await TestClient.create(a.url, env.clientKeys);
    const submitted = await Promise.all(nodes.map((n, i) => client.submit(n.publicKey, `question ${i}`)));
    for (const s of submitted) expect(s.reply.status).toBe(200);
    // Every node's queue holds one request, in its own shard: the masters all hold part of it.
    const perMaster = await env.redis.keysPerMaster(`${a.config.redisKeyPrefix}*`);
    expect(perMaster.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    // A third relay process that saw none of these requests finds each in its shard by asking them all.
    const { a: fresh } = await env.pair({ redisKeyPrefix: a.config.redisKeyPrefix });
    for (const [i, node] of nodes.entries()) {
      const work = await node.poll(b.url);
      expect(work.body.request_id).toBe(submitted[i]!.requestId);
      expect(node.open(work.body).api_v1_request.messages[0]!.content).toBe(`question ${i}`);
      expect((await node.answer(work.body, `answer ${i}`, {}, b.url)).status).toBe(200);
      const got = await client.retrieve(submitted[i]!.requestId, 2, fresh.url);
      expect(got.status).toBe(200);
      expect(client.open(got.body)).toBe(`answer ${i}`);
      expect((await client.retrieve(submitted[i]!.requestId, undefined, a.url)).status).toBe(404); // delivered once
    }
  });

  it('a long poll on B wakes when A enqueues; cancel on B reaches the node control on A; a request id is unique across shards', async () => {
    const { a, b } = await env.pair({ pollWaitSeconds: 3 });
    const nodes = await nodesOnTwoMasters(a);
    const [first, other] = [nodes[0]!, nodes.at(-1)!];
    const client = await TestClient.create(a.url, env.clientKeys);
    const started = Date.now();
    const polling = first.poll(b.url);
    await new Promise((r) => setTimeout(r, 150));
    const s = await client.submit(first.publicKey, 'to be cancelled');
    const work = await polling;
    expect(Date.now() - started).toBeLessThan(2000); // woken by pub/sub across the cluster, not at the poll's end
    expect(work.body.request_id).toBe(s.requestId);
    // The same request id to a node in another shard is still a duplicate.
    const again = await call(b.url, 'POST', '/api/v1/relay/requests', {
      server_public_key: other.publicKey, client_public_key: client.publicKey, request_id: s.requestId,
      protocol: PROTOCOL_ID, version: PROTOCOL_VERSION, ciphertext: 'AAAA', cipherkey: 'AAAA', iv: 'AAAA',
    });
    expect(again.status).toBe(409);
    const cancelled = await call(b.url, 'POST', '/api/v1/relay/requests/cancel', { client_public_key: client.publicKey, request_id: s.requestId, cancel_token: s.cancelToken });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', removed_from_queue: 0 });
    expect((await first.control(s.requestId)).body).toMatchObject({ status: 'cancelled' });
    expect((await client.retrieve(s.requestId, undefined, b.url)).body).toMatchObject({ error: { code: 'cancelled' } });
  });

  it('streams: chunks appended on A are read on B in order, and leave with the request', async () => {
    const { a, b } = await env.pair({ pollWaitSeconds: 0.2 });
    const node = await TestNode.create(a.url, { keys: env.nodeKeys });
    await node.register();
    const client = await TestClient.create(b.url, env.clientKeys);
    const s = await client.submit(node.publicKey, 'stream on the cluster');
    expect((await node.poll()).body.request_id).toBe(s.requestId);
    const owner: StreamOwner = { serverPublicKey: node.publicKey, credential: node.credential, clientPublicKey: client.publicKey, requestId: s.requestId };
    const waiting = readChunks(b.url, client.publicKey, s.requestId, -1, 5);
    await new Promise((r) => setTimeout(r, 150));
    expect((await appendChunks(a.url, owner, wireChunks(0, 3))).body).toMatchObject({ next_sequence: 3, buffered_chunks: 3 });
    expect((await waiting).body.chunks.map((c) => c.sequence)).toEqual([0, 1, 2]);
    expect((await appendChunks(b.url, owner, [wireChunk(3, true)])).body).toMatchObject({ next_sequence: 4 });
    expect((await appendChunks(a.url, owner, [wireChunk(5)])).status).toBe(409);
    const { a: fresh } = await env.pair({ redisKeyPrefix: a.config.redisKeyPrefix }); // knows nothing of this request
    expect((await readChunks(fresh.url, client.publicKey, s.requestId, 2)).body.chunks.map((c) => c.sequence)).toEqual([3]);
    expect(await a.store.streamBufferedBytes()).toBe(64);
    const work = { request_id: s.requestId, client_public_key: client.publicKey } as never;
    expect((await node.answer(work, 'streamed answer', {}, b.url)).status).toBe(200);
    expect((await client.retrieve(s.requestId, undefined, a.url)).status).toBe(200);
    expect(await b.store.streamBufferedBytes()).toBe(0);
  });

  it('the sweeper walks every shard: deadlines expire queued and in-flight requests of nodes on several masters', async () => {
    const { a, b } = await env.pair({ pollWaitSeconds: 0.1, requestDeadlineSeconds: 1.5 });
    const nodes = await nodesOnTwoMasters(a);
    const client = await TestClient.create(a.url, env.clientKeys);
    const queued = await Promise.all(nodes.map((n) => client.submit(n.publicKey, 'never taken')));
    const taken = (await nodes[0]!.poll(b.url)).body.request_id;
    expect(taken).toBe(queued[0]!.requestId); // in flight, never answered
    const expired = async (s: Submitted) => JSON.stringify((await client.retrieve(s.requestId, undefined, a.url)).body).includes('"reason":"provider_timeout"');
    await eventually(async () => {
      await b.sweep();
      return (await Promise.all(queued.map(expired))).every(Boolean);
    }, 10_000, 'every request expired');
    expect(await a.store.entryCounts()).toMatchObject({ timers: 0, lists: 0 }); // every shard's deadline timers and queues emptied
  });

  it('the sweeper evicts silent nodes on every master, cancels their queued work, and the keyspace empties', async () => {
    const { a, b } = await env.pair({ pollWaitSeconds: 0.1, leaseSeconds: 2, terminalTtlSeconds: 3, tombstoneTtlSeconds: 0.2 });
    const nodes = await nodesOnTwoMasters(a);
    const client = await TestClient.create(a.url, env.clientKeys);
    // Seen just now (registering them all took a while), then silent.
    for (const n of nodes) expect((await n.register()).status).toBe(200);
    const queued = await Promise.all(nodes.map((n) => client.submit(n.publicKey, 'left in the queue')));
    for (const s of queued) expect(s.reply.status).toBe(200);
    const cancelled = async (q: Submitted) => JSON.stringify((await client.retrieve(q.requestId, undefined, b.url)).body).includes('"reason":"server_unregistered"');
    await eventually(async () => {
      await a.sweep();
      return (await Promise.all(queued.map(cancelled))).every(Boolean);
    }, 10_000, 'every node evicted and its queued work cancelled');
    expect((await call(b.url, 'GET', '/api/v1/relay/servers/next')).body).toMatchObject({ error: { code: 'no_registered_compute_nodes' } });
    expect((await nodes[0]!.poll(b.url)).status).toBe(404);
    await eventually(async () => {
      await b.sweep();
      const counts = await a.store.entryCounts();
      return Object.values(counts).every((n) => n === 0);
    }, 10_000, 'an empty keyspace');
  });
});

describe('an unhealthy cluster', () => {
  it('refuses to start on a cluster that does not serve every slot, saying so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tp-redis-lone-'));
    const lone = await startClusterNode(dir); // cluster-enabled, no slots assigned
    try {
      const failure = await startRelay({ redisUrl: `redis://127.0.0.1:${lone.port}`, rateLimits: { enabled: false } }).then(
        (relay) => env.track(relay) && null,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect((failure as Error).message).toBe(
        `Relay state store unavailable (Redis Cluster redis://127.0.0.1:${lone.port}): Redis Cluster not ready: cluster_state fail, 0 of 16384 slots assigned, 0 served`,
      );
      // The program says it in an operator's words, and what to do.
      const stderr: string[] = [];
      const code = await runRelayCli({
        argv: ['--port', '0', '--quiet', '--redis', `redis://127.0.0.1:${lone.port}`],
        env: {},
        stdout: { write: () => undefined },
        stderr: { write: (line: string) => stderr.push(line) },
        signal: new AbortController().signal,
      });
      expect(code).toBe(1);
      expect(stderr.join('')).toBe(
        `tokenplace-relay: could not start: the Redis Cluster at 127.0.0.1:${lone.port} is not ready (cluster_state fail, 0 of 16384 slots assigned, 0 served); ` +
          `fix it (redis-cli --cluster check 127.0.0.1:${lone.port}) or point --redis at a healthy cluster\n`,
      );
    } finally {
      await lone.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
