// §2.6.6 a master of the Redis Cluster dies (SIGKILL, no replica) while two relays run on it,
// then comes back empty on its port. While it is down the cluster says cluster_state:fail: the
// relays answer at once, naming the cause, and neither hangs; once it is back they carry on
// without a restart — what lived on the dead master is lost (its nodes register again, its
// requests are gone: a client fails over, §6.4), what lived elsewhere is served as if nothing
// happened.
import { describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/node/harness';
import { TestClient } from '../../test-support/relay/actors';
import { nodesOnTwoMasters } from '../../test-support/relay/cluster-nodes';
import { call } from '../../test-support/relay/http';
import { useRedisRelays } from '../../test-support/relay/redis-relays';
import { startLocalRedisCluster } from '../../test-support/relay/redis-server';

const env = useRedisRelays(() => startLocalRedisCluster(3));

describe('a Redis Cluster master that dies while the relays run', () => {
  it('is named as the cause at once, and once it is back the relays serve again; what it held is lost, the rest is not', async () => {
    const { a, b } = await env.pair({ pollWaitSeconds: 0.3 });
    const placed = await nodesOnTwoMasters(b, env.redis);
    const victim = placed[0]!.master;
    const survivor = placed.find((p) => p.master !== victim)!;
    const lost = placed.filter((p) => p.master === victim);
    const client = await TestClient.create(a.url, env.clientKeys);
    const before = await Promise.all(placed.map((p, i) => client.submit(p.node.publicKey, `before ${i}`)));
    for (const s of before) expect(s.reply.status).toBe(200);

    await env.redis.killMaster(victim);
    const other = env.redis.masters.find((_m, i) => i !== victim)!;
    await eventually(async () => (await env.redis.state(other.port)) === 'fail', 15_000, 'the cluster seeing its master down');

    // Health says what is wrong with the store, in words; a stateful route answers 503 with
    // Retry-After (the client waits, relay-away) instead of hanging.
    for (const relay of [a, b]) {
      const health = await call<{ status: string; store: { kind: string; state: string; reason: string } }>(relay.url, 'GET', '/healthz');
      expect(health.status).toBe(503);
      expect(health.body.status).toBe('unavailable');
      expect(health.body.store.reason).toBe(`Redis Cluster master 127.0.0.1:${env.redis.masters[victim]!.port} unreachable (connection refused)`);
    }
    const during = await client.submit(survivor.node.publicKey, 'during the outage');
    expect(during.reply.status).toBe(503);
    expect(during.reply.headers.get('retry-after')).toBe('1');
    expect(during.reply.body).toMatchObject({ error: { message: 'Relay state store unavailable; try again' } });

    await env.redis.restartMaster(victim);
    await eventually(async () => (await call(a.url, 'GET', '/healthz')).status === 200 && (await call(b.url, 'GET', '/healthz')).status === 200, 15_000, 'both relays healthy again');

    // The surviving master's request is still queued: its node takes it and the answer arrives.
    const kept = before[placed.indexOf(survivor)]!;
    const work = await survivor.node.poll(a.url);
    expect(work.body.request_id).toBe(kept.requestId);
    expect((await survivor.node.answer(work.body, 'kept through the outage', {}, a.url)).status).toBe(200);
    expect(client.open((await client.retrieve(kept.requestId, 2, b.url)).body)).toBe('kept through the outage');

    // The dead master's requests are gone (404: the client fails over), its nodes register again and serve.
    for (const p of lost) {
      expect((await client.retrieve(before[placed.indexOf(p)]!.requestId, undefined, b.url)).status).toBe(404);
      expect((await p.node.register()).status).toBe(200);
      const again = await client.submit(p.node.publicKey, 'after the outage');
      expect(again.reply.status).toBe(200);
      const next = await p.node.poll(b.url);
      expect(p.node.open(next.body).api_v1_request.messages[0]!.content).toBe('after the outage');
      expect((await p.node.answer(next.body, 'served again', {}, b.url)).status).toBe(200);
      expect(client.open((await client.retrieve(again.requestId, 2, a.url)).body)).toBe('served again');
    }
    // The sweeper walks every shard again, the restarted master's included.
    await a.sweep();
    await b.sweep();
  });
});
