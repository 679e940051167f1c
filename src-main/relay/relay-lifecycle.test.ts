// Relay lifecycle behaviour over real HTTP (in-memory store, short timings): long polls, terminal
// races, rate limits, leases and eviction, and the HTTP surface.
import { describe, expect, it } from 'vitest';
import { startRelay } from './index';
import { CAPABILITIES, TestNode } from '../../test-support/relay/actors';
import { call } from '../../test-support/relay/http';
import { keys, relays, setup, useRelayFixture } from '../../test-support/relay/relay-fixture';

useRelayFixture();

describe('long polls (no polling floor)', () => {
  it('retrieve with wait_seconds returns the moment the node posts', async () => {
    const { node, client } = await setup();
    const s = await client.submit(node.publicKey, 'q');
    const work = (await node.poll()).body;
    const started = Date.now();
    const waiting = client.retrieve(s.requestId, 5);
    await new Promise((r) => setTimeout(r, 150));
    await node.answer(work, 'now');
    const got = await waiting;
    expect(got.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a waiting node poll wakes when a request is submitted', async () => {
    const { node, client } = await setup({ pollWaitSeconds: 5 });
    const started = Date.now();
    const polling = node.poll();
    await new Promise((r) => setTimeout(r, 150));
    await client.submit(node.publicKey, 'q');
    const work = await polling;
    expect(work.body.e2ee_v1).toBe(true);
    expect(work.body.next_ping_in_x_seconds).toBe(0);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('rejects wait_seconds above the bound', async () => {
    const { client } = await setup();
    expect((await client.retrieve('x', 26)).status).toBe(400);
  });
});

describe('terminal races', () => {
  it('response vs cancel: exactly one winner, every time', async () => {
    const { node, client } = await setup();
    for (let i = 0; i < 15; i++) {
      const s = await client.submit(node.publicKey, `q${i}`);
      const work = (await node.poll()).body;
      const [answered, cancelled] = await Promise.all([node.answer(work, 'a'), client.cancel(s)]);
      const responseWon = answered.status === 200;
      const cancelWon = cancelled.status === 200;
      expect(responseWon !== cancelWon).toBe(true);
      const got = await client.retrieve(s.requestId);
      expect(got.status).toBe(responseWon ? 200 : 410);
    }
  });

  it('unregistering a node cancels its queued and in-flight work (server_unregistered)', async () => {
    const { relay, node, client } = await setup();
    const inFlight = await client.submit(node.publicKey, 'a');
    await node.poll();
    const queued = await client.submit(node.publicKey, 'b');
    const r = await call(relay.url, 'POST', '/api/v1/relay/servers/unregister', { server_public_key: node.publicKey, control_credential: node.credential });
    expect(r.body).toEqual({ message: 'Server unregistered', removed: true });
    for (const s of [inFlight, queued]) expect((await client.retrieve(s.requestId)).body).toMatchObject({ error: { code: 'cancelled', reason: 'server_unregistered' } });
    expect((await node.control(inFlight.requestId)).body).toMatchObject({ status: 'cancelled' });
  });
});

describe('rate limits (§5.1)', () => {
  it('limits public routes per IP with 429, Retry-After and the reference body', async () => {
    const { node, client } = await setup({ rateLimits: { enabled: true, publicPerIp: [{ limit: 2, windowSeconds: 3600 }] } });
    expect((await client.submit(node.publicKey, 'a')).reply.status).toBe(200);
    expect((await client.submit(node.publicKey, 'b')).reply.status).toBe(200);
    const limited = (await client.submit(node.publicKey, 'c')).reply;
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect(limited.body).toEqual({
      error: { message: expect.stringMatching(/^Rate limit exceeded: 2 per 1 hour\. Try again in \d+ seconds\.$/), type: 'rate_limit_error', code: 'rate_limit_exceeded', param: null },
    });
    // Exempt routes keep working.
    expect((await client.retrieve('x')).status).toBe(404);
  });

  it('limits node routes per proven identity when a relay token is configured', async () => {
    const relay = await startRelay({ relayTokens: ['t0k'], rateLimits: { enabled: true, nodePerIdentityPerHour: { register: 2 } } });
    relays.push(relay);
    const node = await TestNode.create(relay.url, { keys: keys.node, token: 't0k' });
    expect((await node.register()).status).toBe(200);
    expect((await node.register()).status).toBe(200);
    expect((await node.register()).status).toBe(429);
    const other = await TestNode.create(relay.url, { keys: keys.otherNode, token: 't0k' });
    expect((await other.register()).status).toBe(200);
  });
});

describe('http surface', () => {
  it('echoes a sane X-Request-Id, answers CORS preflights and guards /metrics with a token', async () => {
    const { relay } = await setup({ metricsToken: 'm3trics' });
    const echoed = await fetch(`${relay.url}/livez`, { headers: { 'x-request-id': 'abc-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await fetch(`${relay.url}/livez`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f]{16}$/);
    const pre = await fetch(`${relay.url}/api/v1/relay/requests`, { method: 'OPTIONS', headers: { origin: 'https://x', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    const nodeRoute = await fetch(`${relay.url}/api/v1/relay/servers/poll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(nodeRoute.headers.get('access-control-allow-origin')).toBeNull();
    expect((await call(relay.url, 'GET', '/metrics')).status).toBe(401);
    const metrics = await fetch(`${relay.url}/metrics`, { headers: { authorization: 'Bearer m3trics' } });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('tokenplace_relay_http_requests_total{route="/livez",method="GET",status="200"}');
    expect(text).not.toContain('tokenplace_relay_process_cpu'); // process metrics are opt-in
    const withProcess = await setup({ processMetrics: true });
    expect((await call(withProcess.relay.url, 'GET', '/metrics')).text).toContain('tokenplace_relay_process_cpu');
  });

  it('an abandoned node long poll does not swallow work submitted after the node went away', async () => {
    const { relay, node, client } = await setup({ pollWaitSeconds: 2 });
    const aborter = new AbortController();
    const dropped = fetch(`${relay.url}/api/v1/relay/servers/poll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ server_public_key: node.publicKey }),
      signal: aborter.signal,
    }).catch(() => null);
    await new Promise((r) => setTimeout(r, 100));
    aborter.abort();
    await dropped;
    await new Promise((r) => setTimeout(r, 50));
    const s = await client.submit(node.publicKey, 'q');
    const work = (await node.poll()).body;
    expect(work.request_id).toBe(s.requestId);
  });
});

describe('leases and eviction (§2.6.2)', () => {
  it('evicts a silent node and cancels its queued work; an in-flight lease lapses and control renews it', async () => {
    const { relay, node, client } = await setup({ leaseSeconds: 1, inFlightTtlSeconds: 0.2 });
    const inFlight = await client.submit(node.publicKey, 'a');
    await node.poll();
    const inFlightCount = async () =>
      (await call<{ registeredServers: { in_flight_count: number }[] }>(relay.url, 'GET', '/healthz')).body.registeredServers[0]?.in_flight_count;
    expect(await inFlightCount()).toBe(1);
    await new Promise((r) => setTimeout(r, 250));
    await relay.sweep();
    expect(await inFlightCount()).toBe(0); // lapsed: no longer counted, not terminal
    expect((await node.control(inFlight.requestId)).body).toMatchObject({ status: 'active' });
    expect(await inFlightCount()).toBe(1); // renewed by control
    const queued = await client.submit(node.publicKey, 'b');
    await new Promise((r) => setTimeout(r, 1100));
    await relay.sweep(); // lease of the node passed; its in-flight lease lapsed too
    await relay.sweep();
    expect((await call(relay.url, 'GET', '/api/v1/relay/servers/next')).body).toMatchObject({ error: { code: 'no_registered_compute_nodes' } });
    expect((await client.retrieve(queued.requestId)).body).toMatchObject({ error: { code: 'cancelled', reason: 'server_unregistered' } });
    expect((await node.poll()).status).toBe(404);
  });

  it('a node that stops polling and renewing has its in-flight work ended (server_unregistered) when its lease runs out', async () => {
    const { relay, node, client } = await setup({ leaseSeconds: 1, inFlightTtlSeconds: 0.2 });
    const held = await client.submit(node.publicKey, 'a');
    await node.poll();
    await new Promise((r) => setTimeout(r, 300));
    await relay.sweep(); // the in-flight lease lapsed while the node's lease still runs: nothing ends
    expect((await client.retrieve(held.requestId)).status).toBe(202);
    await new Promise((r) => setTimeout(r, 900));
    await relay.sweep(); // the node's lease ran out: its work ends, then it is evicted
    expect((await client.retrieve(held.requestId)).body).toMatchObject({ error: { code: 'cancelled', reason: 'server_unregistered' } });
    expect((await node.control(held.requestId)).body).toMatchObject({ status: 'cancelled' });
    expect((await node.poll()).status).toBe(404);
  });

  it('a lapsed lease on a live node is looked at again, and ends when that node later dies', async () => {
    const { relay, node, client } = await setup({ leaseSeconds: 1, inFlightTtlSeconds: 0.2 });
    const held = await client.submit(node.publicKey, 'a');
    await node.poll();
    await new Promise((r) => setTimeout(r, 700));
    await relay.sweep(); // lapsed; the node is still within its lease
    expect((await node.register()).status).toBe(200); // heartbeat: the node lives on without renewing
    await new Promise((r) => setTimeout(r, 700));
    await relay.sweep();
    expect((await client.retrieve(held.requestId)).status).toBe(202);
    await new Promise((r) => setTimeout(r, 500));
    await relay.sweep();
    expect((await client.retrieve(held.requestId)).body).toMatchObject({ error: { code: 'cancelled', reason: 'server_unregistered' } });
  });
});

describe('servers/next offers live nodes only (§2.4.1)', () => {
  const next = (url: string) => call<{ server_public_key?: string; error?: { code: string } }>(url, 'GET', '/api/v1/relay/servers/next');
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('a node that neither long-polls nor renews is not offered after the liveness window, though its lease still runs', async () => {
    const { relay, node } = await setup({ nodeLivenessSeconds: 0.3 });
    expect((await next(relay.url)).body.server_public_key).toBe(node.publicKey);
    await sleep(400);
    expect((await next(relay.url)).body).toMatchObject({ error: { code: 'no_registered_compute_nodes' } });
    expect((await node.register()).status).toBe(200); // a heartbeat is a sighting
    expect((await next(relay.url)).body.server_public_key).toBe(node.publicKey);
  });

  it('a long-polling node stays offered; once its poll connection closes it drops out after the window', async () => {
    const { relay, node } = await setup({ nodeLivenessSeconds: 0.3, pollWaitSeconds: 5 });
    const hangUp = new AbortController();
    const polling = fetch(`${relay.url}/api/v1/relay/servers/poll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ server_public_key: node.publicKey }),
      signal: hangUp.signal,
    }).catch(() => 'hung up');
    await sleep(500);
    expect((await next(relay.url)).body.server_public_key).toBe(node.publicKey);
    hangUp.abort(); // a SIGKILLed node's socket closes the same way
    expect(await polling).toBe('hung up');
    await sleep(100);
    // Not polling any more, and the closed poll is no sighting: the window counts from the poll's start.
    expect((await next(relay.url)).body).toMatchObject({ error: { code: 'no_registered_compute_nodes' } });
  });

  it('no_matching_compute_node names the model asked for and lists the models on offer', async () => {
    const { relay } = await setup();
    const r = await call<{ error: Record<string, unknown> }>(relay.url, 'GET', '/api/v1/relay/servers/next?model=No-Such-Model&context_tier=8k-fast');
    expect(r.status).toBe(503);
    expect(r.body.error).toMatchObject({ code: 'no_matching_compute_node', requested_model: 'no-such-model', available_models: ['qwen3-8b-instruct'] });
    expect(r.body.error.message).toBe('Registered compute nodes are available, but none serves model "no-such-model" at context tier 8k-fast; they serve: qwen3-8b-instruct.');
  });

  it('a busy node (live in-flight lease, no poll) stays offered within its lease', async () => {
    const { relay, node, client } = await setup({ nodeLivenessSeconds: 0.3 });
    await client.submit(node.publicKey, 'a');
    expect((await node.poll()).body.request_id).toBeDefined();
    await sleep(400);
    expect((await next(relay.url)).body.server_public_key).toBe(node.publicKey);
  });
});

describe('busy is not full (§2.4.1, §5.2)', () => {
  it('a node whose one slot is taken is still offered and queues; a full queue is 503 with Retry-After', async () => {
    const { relay, node, client } = await setup({ maxQueueDepthPerNode: 2, pollWaitSeconds: 2 });
    expect((await node.register({ ...CAPABILITIES, max_concurrency: 1 })).status).toBe(200);
    await client.submit(node.publicKey, 'running');
    expect((await node.poll()).body.request_id).toBeDefined(); // max_concurrency 1: its slot is taken
    const offered = await call<Record<string, unknown>>(relay.url, 'GET', '/api/v1/relay/servers/next');
    expect(offered.body).toMatchObject({ server_public_key: node.publicKey, selected_in_flight_count: 1, selected_queue_depth: 0 });
    await client.submit(node.publicKey, 'waits 1');
    await client.submit(node.publicKey, 'waits 2');
    const full = await call(relay.url, 'GET', '/api/v1/relay/servers/next');
    expect({ status: full.status, retryAfter: full.headers.get('retry-after'), body: full.body }).toMatchObject({
      status: 503,
      retryAfter: '2',
      body: { error: { code: 'no_available_capacity', capacity_limited_node_count: 1 } },
    });
    const refused = (await client.submit(node.publicKey, 'one too many')).reply;
    expect({ status: refused.status, retryAfter: refused.headers.get('retry-after') }).toEqual({ status: 503, retryAfter: '2' });
  });
});

describe('response vs expiry', () => {
  it('a response racing the deadline has exactly one outcome, seen the same by node and client', async () => {
    const { relay, node, client } = await setup({ requestDeadlineSeconds: 0.15 });
    const outcomes = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const s = await client.submit(node.publicKey, `q${i}`);
      const work = (await node.poll()).body;
      await new Promise((r) => setTimeout(r, 100 + i * 10));
      const [answered] = await Promise.all([node.answer(work, 'a'), relay.sweep()]);
      const got = await client.retrieve(s.requestId);
      outcomes.add(answered.status);
      if (answered.status === 200) expect(got.status).toBe(200);
      else {
        expect(answered.body).toMatchObject({ error: { code: 'expired' } });
        expect(got.body).toMatchObject({ error: { code: 'expired', reason: 'provider_timeout' } });
      }
    }
    expect([...outcomes].every((s) => s === 200 || s === 410)).toBe(true);
  });

  it('retrieve of an overdue request answers 410 expired at once, before any sweep', async () => {
    const { node, client } = await setup({ requestDeadlineSeconds: 0.1, sweepIntervalMs: 60_000 });
    const s = await client.submit(node.publicKey, 'q');
    await new Promise((r) => setTimeout(r, 150));
    expect((await client.retrieve(s.requestId)).body).toMatchObject({ error: { code: 'expired', reason: 'provider_timeout' } });
  });
});
