// Two relay processes (here: two relay instances on different ports, each with its own Redis
// connections) sharing one Redis: registrations, queues, responses, tombstones and rate-limit
// counters are shared; long polls wake across instances; terminal races have one winner.
import { describe, expect, it } from 'vitest';
import { startRelay } from './index';
import { TestClient, TestNode } from '../../test-support/relay/actors';
import { call } from '../../test-support/relay/http';
import { useRedisRelays } from '../../test-support/relay/redis-relays';
import { startLocalRedis } from '../../test-support/relay/redis-server';

const env = useRedisRelays();
const pair = env.pair;

describe('Redis state store', () => {
  it('client submits to A, node long-polls B and answers there, client retrieves from A', async () => {
    const { a, b } = await pair();
    const node = await TestNode.create(b.url, { keys: env.nodeKeys });
    expect((await node.register()).status).toBe(200);
    // Discovery on A sees the node registered on B.
    expect((await call<{ server_public_key: string }>(a.url, 'GET', '/api/v1/relay/servers/next')).body.server_public_key).toBe(node.publicKey);
    const client = await TestClient.create(a.url, env.clientKeys);
    const started = Date.now();
    const polling = node.poll(b.url);
    await new Promise((r) => setTimeout(r, 150));
    const s = await client.submit(node.publicKey, 'cross-process question');
    expect(s.reply.status).toBe(200);
    const work = await polling;
    expect(Date.now() - started).toBeLessThan(2000); // woke via pub/sub, not at the 3 s poll end
    expect(node.open(work.body).api_v1_request.messages[0]!.content).toBe('cross-process question');
    const waiting = client.retrieve(s.requestId, 5, a.url);
    await new Promise((r) => setTimeout(r, 100));
    expect((await node.answer(work.body, 'cross-process answer', {}, b.url)).status).toBe(200);
    const got = await waiting;
    expect(got.status).toBe(200);
    expect(client.open(got.body)).toBe('cross-process answer');
    expect((await client.retrieve(s.requestId, undefined, b.url)).status).toBe(404);
  });

  it('response vs cancel on different instances: exactly one winner', async () => {
    const { a, b } = await pair({ pollWaitSeconds: 0.2 });
    const node = await TestNode.create(b.url, { keys: env.nodeKeys });
    await node.register();
    const client = await TestClient.create(a.url, env.clientKeys);
    for (let i = 0; i < 10; i++) {
      const s = await client.submit(node.publicKey, `q${i}`);
      const work = (await node.poll(b.url)).body;
      const [answered, cancelled] = await Promise.all([node.answer(work, 'x', {}, b.url), client.cancel(s)]);
      expect((answered.status === 200) !== (cancelled.status === 200)).toBe(true);
      expect((await client.retrieve(s.requestId)).status).toBe(answered.status === 200 ? 200 : 410);
    }
  });

  it('shares rate-limit counters and tombstones between instances', async () => {
    const { a, b } = await pair({ pollWaitSeconds: 0.2, rateLimits: { enabled: true, publicPerIp: [{ limit: 3, windowSeconds: 60 }] } });
    const node = await TestNode.create(a.url, { keys: env.nodeKeys });
    await node.register();
    const client = await TestClient.create(a.url, env.clientKeys);
    const s = await client.submit(node.publicKey, 'one', a.url);
    expect((await client.submit(node.publicKey, 'two', b.url)).reply.status).toBe(200);
    const work = (await node.poll(a.url)).body;
    expect(work.request_id).toBe(s.requestId);
    // Cancel on B is seen by the node's control call on A.
    expect((await call(b.url, 'POST', '/api/v1/relay/requests/cancel', { client_public_key: client.publicKey, request_id: s.requestId, cancel_token: s.cancelToken })).status).toBe(200);
    expect((await node.control(s.requestId)).body).toMatchObject({ status: 'cancelled' });
    // One submit on A, one submit and one cancel on B: the shared budget of 3 is spent.
    expect((await client.submit(node.publicKey, 'three', a.url)).reply.status).toBe(429);
  });

  it('returns to an empty keyspace after traffic stops and everything expired', async () => {
    const { a, b } = await pair({
      pollWaitSeconds: 0.1,
      leaseSeconds: 1,
      requestDeadlineSeconds: 0.3,
      terminalTtlSeconds: 0.1,
      tombstoneTtlSeconds: 0.1,
      responseTtlSeconds: 0.1,
      rateLimits: { enabled: true, publicPerIp: [{ limit: 100, windowSeconds: 0.2 }], nodePerIp: [{ limit: 100, windowSeconds: 0.2 }] },
    });
    const node = await TestNode.create(b.url, { keys: env.nodeKeys });
    await node.register();
    const client = await TestClient.create(a.url, env.clientKeys);
    const s = await client.submit(node.publicKey, 'q');
    await node.answer((await node.poll(b.url)).body, 'a', {}, b.url);
    expect((await client.retrieve(s.requestId)).status).toBe(200);
    await client.submit(node.publicKey, 'left in queue');
    await client.submit(node.publicKey, 'in flight');
    await node.poll(b.url);
    expect((await a.store.entryCounts()).records).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1300));
    await a.sweep();
    await b.sweep();
    await new Promise((r) => setTimeout(r, 250));
    await a.sweep();
    expect(await a.store.entryCounts()).toEqual({ records: 0, lists: 0, sets: 0, timers: 0, counters: 0, waiters: 0 });
  });
});

describe('Redis outage', () => {
  it('answers 503 JSON (never a crash or a 500) when Redis goes away', async () => {
    const own = await startLocalRedis();
    const relay = await startRelay({ redisUrl: own.url, rateLimits: { enabled: false } });
    env.track(relay);
    expect((await call(relay.url, 'GET', '/livez')).status).toBe(200);
    await own.stop();
    const r = await call(relay.url, 'POST', '/api/v1/relay/servers/register', { server_public_key: env.nodeKeys.publicKeyWire });
    expect(r.status).toBe(503);
    expect(r.body).toEqual({ error: { message: 'Relay state store unavailable; try again', code: 503 } });
    expect(r.headers.get('retry-after')).toBe('1');
  });

  it('answers /healthz at once with the store state, and logs which Redis failed and why (no password)', async () => {
    const own = await startLocalRedis(5000, ['--requirepass', 'outage-secret-pw']);
    const logs: string[] = [];
    const relay = env.track(await startRelay({ redisUrl: `redis://:outage-secret-pw@127.0.0.1:${own.port}`, rateLimits: { enabled: false }, log: (l) => logs.push(l) }));
    const up = await call<{ status: string; store: unknown }>(relay.url, 'GET', '/healthz');
    expect(up.status).toBe(200);
    expect(up.body.status).toBe('ok');
    expect(up.body).not.toHaveProperty('store'); // the reference's shape while healthy
    await own.stop();
    const started = Date.now();
    const down = await call<{ status: string; store: { reason: string } }>(relay.url, 'GET', '/healthz');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'unavailable', knownServers: 0, store: { kind: 'redis', state: 'unavailable' } });
    expect(down.body.store.reason).toMatch(/^connection lost \((reconnecting|connecting|connection refused)\)$/);
    expect((await call(relay.url, 'POST', '/api/v1/relay/servers/register', { server_public_key: env.nodeKeys.publicKeyWire })).status).toBe(503);
    const line = logs.find((l) => l.startsWith('error /api/v1/relay/servers/register'));
    expect(line).toMatch(new RegExp(`: Relay state store unavailable \\(Redis redis://127\\.0\\.0\\.1:${own.port}\\): connection (lost|refused)`));
    expect(logs.join('\n')).not.toContain('outage-secret-pw');
  });
});
