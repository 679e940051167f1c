// The "better than the reference" behaviours of the relay, each asserted over real HTTP
// against an in-memory relay with short timings.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair, type RsaKeyPair } from '../crypto';
import { startRelay, type RelayConfig, type RunningRelay } from './index';
import { TestClient, TestNode } from './testing/actors';
import { call } from './testing/http';

let nodeKeys: RsaKeyPair;
let otherNodeKeys: RsaKeyPair;
let clientKeys: RsaKeyPair;
let strangerKeys: RsaKeyPair;
beforeAll(async () => {
  [nodeKeys, otherNodeKeys, clientKeys, strangerKeys] = await Promise.all([
    generateRsaKeyPair(),
    generateRsaKeyPair(),
    generateRsaKeyPair(),
    generateRsaKeyPair(),
  ]);
});

const relays: RunningRelay[] = [];
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.close()));
});

async function setup(config: RelayConfig = {}) {
  const logs: string[] = [];
  const relay = await startRelay({ pollWaitSeconds: 0.2, rateLimits: { enabled: false }, log: (l) => logs.push(l), ...config });
  relays.push(relay);
  const node = await TestNode.create(relay.url, { keys: nodeKeys });
  expect((await node.register()).status).toBe(200);
  const client = await TestClient.create(relay.url, clientKeys);
  return { relay, node, client, logs };
}

describe('relay-blind', () => {
  it('refuses plaintext field names and unknown keys on responses as on requests (§2.4.2)', async () => {
    const { relay, node, client } = await setup();
    const s = await client.submit(node.publicKey, 'hello');
    const work = (await node.poll()).body;
    const plain = await node.answer(work, 'x', { content: 'leak' });
    expect(plain.status).toBe(400);
    expect(plain.body).toEqual({ error: { code: 400, message: 'Plaintext relay payload fields are forbidden; send ciphertext envelope only' } });
    const unknown = await node.answer(work, 'x', { tag: 'AAAA' });
    expect(unknown.body).toEqual({ error: { code: 400, message: 'Unexpected relay payload fields are forbidden; send ciphertext envelope only' } });
    const sub = await call(relay.url, 'POST', '/api/v1/relay/requests', { server_public_key: node.publicKey, client_public_key: client.publicKey, prompt: 'p', ciphertext: 'a', cipherkey: 'b', iv: 'c' });
    expect(sub.status).toBe(400);
    expect((await client.retrieve(s.requestId)).status).toBe(202);
  });

  it('never stores, logs, measures or returns the plaintext of a full encrypted round trip', async () => {
    const { relay, node, client, logs } = await setup();
    const question = `SENTINEL-QUESTION-${Math.random().toString(36).slice(2)}`;
    const answer = `SENTINEL-ANSWER-${Math.random().toString(36).slice(2)}`;
    const bodies: string[] = [];
    const s = await client.submit(node.publicKey, question);
    bodies.push(s.reply.text);
    const pending = await client.retrieve(s.requestId);
    bodies.push(pending.text);
    const work = await node.poll();
    bodies.push(work.text);
    expect(node.open(work.body).api_v1_request.messages[0]!.content).toBe(question);
    const prog = await node.progress(work.body);
    expect(prog.status).toBe(202);
    bodies.push(prog.text, (await client.retrieve(s.requestId)).text);
    const state = (await relay.store.dumpForTests()).join('\n');
    const posted = await node.answer(work.body, answer);
    bodies.push(posted.text);
    const stateWithAnswer = (await relay.store.dumpForTests()).join('\n');
    const got = await client.retrieve(s.requestId, 1);
    expect(got.status).toBe(200);
    expect(client.open(got.body)).toBe(answer);
    bodies.push(got.text);
    for (const path of ['/healthz', '/relay/diagnostics', '/api/v1/models', '/metrics', '/api/v1/health']) bodies.push((await call(relay.url, 'GET', path)).text);
    const everything = [state, stateWithAnswer, logs.join('\n'), await relay.metrics.registry.metrics(), ...bodies].join('\n');
    for (const secret of [question, answer, 'SENTINEL']) expect(everything).not.toContain(secret);
    // Logs carry route/status/duration only: no keys or ciphertext.
    expect(logs.join('\n')).not.toContain(client.publicKey.slice(0, 40));
    expect(logs.join('\n')).not.toContain(String(work.body.ciphertext).slice(0, 40));
    expect(logs.every((l) => /^(GET|POST|OPTIONS|HEAD) \S+ \d{3} [\d.]+ms$/.test(l))).toBe(true);
  });
});

describe('bounded resources', () => {
  it('answers 503 + Retry-After when a node queue is full', async () => {
    const { node, client } = await setup({ maxQueueDepthPerNode: 2 });
    expect((await client.submit(node.publicKey, 'a')).reply.status).toBe(200);
    expect((await client.submit(node.publicKey, 'b')).reply.status).toBe(200);
    const full = (await client.submit(node.publicKey, 'c')).reply;
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(full.body).toMatchObject({ error: { code: 'queue_full', message: expect.any(String) } });
  });

  it('answers 413 with a JSON body above the body limit, and 413 progress above 16 KiB', async () => {
    const { relay, node, client } = await setup({ bodyLimitBytes: 4096 });
    const big = await call(relay.url, 'POST', '/api/v1/relay/requests', { server_public_key: node.publicKey, client_public_key: client.publicKey, ciphertext: 'A'.repeat(8000), cipherkey: 'b', iv: 'c' });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ error: { code: 413, message: 'Request body too large' } });
    const prog = await call(relay.url, 'POST', '/api/v1/relay/progress', { ciphertext: 'A'.repeat(17000) });
    expect(prog.status).toBe(413);
    expect(prog.body).toEqual({ error: { code: 413, message: 'Progress envelope too large' } });
  });

  it('expires undelivered answers (410 expired) and overdue requests (410 provider_timeout + tombstone)', async () => {
    const { relay, node, client } = await setup({ responseTtlSeconds: 0.1, requestDeadlineSeconds: 0.3 });
    const a = await client.submit(node.publicKey, 'a');
    const work = (await node.poll()).body;
    expect((await node.answer(work, 'late')).status).toBe(200);
    const b = await client.submit(node.publicKey, 'b');
    const workB = (await node.poll()).body;
    await new Promise((r) => setTimeout(r, 350));
    await relay.sweep();
    expect((await client.retrieve(a.requestId)).body).toEqual({ error: { code: 'expired', message: 'Request expired', reason: 'expired', status: 'expired' } });
    expect((await client.retrieve(b.requestId)).body).toMatchObject({ error: { code: 'expired', reason: 'provider_timeout' } });
    expect((await node.control(workB.request_id!)).body).toMatchObject({ status: 'expired' });
    expect((await node.answer(workB, 'too late')).status).toBe(410);
  });

  it('returns to an empty store when traffic stops and everything expired', async () => {
    const { relay, node, client } = await setup({
      leaseSeconds: 1,
      requestDeadlineSeconds: 0.3,
      terminalTtlSeconds: 0.1,
      tombstoneTtlSeconds: 0.1,
      responseTtlSeconds: 0.1,
      rateLimits: { enabled: true, publicPerIp: [{ limit: 1000, windowSeconds: 0.2 }], nodePerIp: [{ limit: 1000, windowSeconds: 0.2 }] },
    });
    for (let i = 0; i < 3; i++) {
      const s = await client.submit(node.publicKey, `q${i}`);
      const work = (await node.poll()).body;
      await node.answer(work, `a${i}`);
      expect((await client.retrieve(s.requestId)).status).toBe(200);
    }
    await client.submit(node.publicKey, 'never answered');
    const c = await client.submit(node.publicKey, 'cancelled');
    await client.cancel(c);
    await client.submit(node.publicKey, 'answered, never fetched');
    const w = (await node.poll()).body;
    await node.answer(w, 'x');
    expect((await relay.store.sizes()).records).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1300));
    await relay.sweep();
    await new Promise((r) => setTimeout(r, 150));
    await relay.sweep();
    expect(await relay.store.sizes()).toEqual({ records: 0, lists: 0, sets: 0, timers: 0, counters: 0, waiters: 0 });
  });
});

describe('ownership (§2.6.4 fix)', () => {
  it('only the node holding a request may answer or report progress for it', async () => {
    const { relay, node, client } = await setup();
    const other = await TestNode.create(relay.url, { keys: otherNodeKeys });
    await other.register();
    const queued = await client.submit(node.publicKey, 'q');
    // Not dispatched yet: nobody may answer.
    const early = await other.answer({ client_public_key: client.publicKey, request_id: queued.requestId } as never, 'forged');
    expect(early.status).toBe(403);
    const work = (await node.poll()).body;
    const named = await other.answer(work, 'forged', { server_public_key: other.publicKey });
    expect(named.status).toBe(403);
    const wrongCredential = await other.answer(work, 'forged', { server_public_key: node.publicKey, control_credential: other.credential });
    expect(wrongCredential.status).toBe(403);
    const progress = await other.progress(work);
    expect(progress.body).toEqual({ error: { code: 410, message: 'Progress request is not active for this owner' } });
    const owner = await node.answer(work, 'real', { server_public_key: node.publicKey, control_credential: node.credential });
    expect(owner.status).toBe(200);
    expect(client.open((await client.retrieve(queued.requestId)).body)).toBe('real');
  });

  it('retrieve without request_id never hands out an API v1 answer', async () => {
    const { relay, node, client } = await setup();
    const s = await client.submit(node.publicKey, 'q');
    await node.answer((await node.poll()).body, 'mine');
    const stranger = await call(relay.url, 'POST', '/api/v1/relay/responses/retrieve', { client_public_key: client.publicKey });
    expect(stranger.body).toEqual({ error: { code: 404, message: 'No response available for the given public key' } });
    expect((await client.retrieve(s.requestId)).status).toBe(200);
    void strangerKeys;
  });

  it('legacy id-less submissions are answered and popped by key only among id-less ones', async () => {
    const { relay, node, client } = await setup();
    const env = { server_public_key: node.publicKey, client_public_key: client.publicKey, chat_history: 'Y2lwaGVy', cipherkey: 'a2V5', iv: 'aXY=' };
    expect((await call(relay.url, 'POST', '/api/v1/relay/requests', env)).status).toBe(200);
    const work = (await node.poll()).body;
    expect(work.request_id).toBeUndefined();
    const posted = await call(relay.url, 'POST', '/api/v1/relay/responses', { client_public_key: client.publicKey, chat_history: 'YW5zd2Vy', cipherkey: 'a2V5', iv: 'aXY=' });
    expect(posted.status).toBe(200);
    const got = await call(relay.url, 'POST', '/api/v1/relay/responses/retrieve', { client_public_key: client.publicKey });
    expect(got.body).toMatchObject({ ciphertext: 'YW5zd2Vy', chat_history: 'YW5zd2Vy' });
  });
});

describe('diagnostics', () => {
  it('does not publish node keys unless configured', async () => {
    const { relay, node } = await setup();
    for (const path of ['/healthz', '/relay/diagnostics']) {
      const r = await call(relay.url, 'GET', path);
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(node.publicKey);
      expect(r.text).toContain('qwen3-8b-instruct');
    }
    const open = await setup({ publishNodeKeys: true });
    expect((await call(open.relay.url, 'GET', '/healthz')).text).toContain(open.node.publicKey);
  });

  it('builds /api/v1/models from live nodes only', async () => {
    const relay = await startRelay({ rateLimits: { enabled: false } });
    relays.push(relay);
    expect((await call(relay.url, 'GET', '/api/v1/models')).body).toEqual({ object: 'list', data: [] });
    const node = await TestNode.create(relay.url, { keys: nodeKeys });
    await node.register({ supported_model_ids: ['Llama-3.2-1B', 'qwen3-8b-instruct'] });
    const list = (await call<{ data: { id: string }[] }>(relay.url, 'GET', '/api/v1/models')).body;
    expect(list.data.map((m) => m.id)).toEqual(['llama-3.2-1b', 'qwen3-8b-instruct']);
    expect((await call(relay.url, 'GET', '/api/v1/models/gpt-3.5-turbo')).body).toMatchObject({ id: 'qwen3-8b-instruct', created: 1707190418 });
  });
});

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
    const node = await TestNode.create(relay.url, { keys: nodeKeys, token: 't0k' });
    expect((await node.register()).status).toBe(200);
    expect((await node.register()).status).toBe(200);
    expect((await node.register()).status).toBe(429);
    const other = await TestNode.create(relay.url, { keys: otherNodeKeys, token: 't0k' });
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
    expect(await metrics.text()).toContain('tokenplace_relay_http_requests_total{route="/livez",method="GET",status="200"}');
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
});
