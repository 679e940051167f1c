// The "better than the reference" behaviours of the relay (relay-blind, bounded resources,
// ownership, diagnostics), each asserted over real HTTP against an in-memory relay with short timings.
import { describe, expect, it, vi } from 'vitest';
import { startRelay } from './index';
import { TestNode } from '../../test-support/relay/actors';
import { call } from '../../test-support/relay/http';
import { keys, relays, setup, useRelayFixture } from '../../test-support/relay/relay-fixture';

useRelayFixture();

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
    // Everything the relay writes to its state store from here on: every commit (key, record,
    // effects: index members, list items, other records) and every counter hit.
    const commits = vi.spyOn(relay.store, 'commit');
    const hits = vi.spyOn(relay.store, 'hit');
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
    const posted = await node.answer(work.body, answer);
    bodies.push(posted.text);
    const got = await client.retrieve(s.requestId, 1);
    expect(got.status).toBe(200);
    expect(client.open(got.body)).toBe(answer);
    bodies.push(got.text);
    for (const path of ['/healthz', '/relay/diagnostics', '/api/v1/models', '/metrics', '/api/v1/health']) bodies.push((await call(relay.url, 'GET', path)).text);
    const stored = JSON.stringify([...commits.mock.calls, ...hits.mock.calls]);
    expect(stored).toContain(String(work.body.ciphertext)); // the spies do see what the relay keeps
    const everything = [stored, logs.join('\n'), await relay.metrics.registry.metrics(), ...bodies].join('\n');
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
    expect((await client.retrieve(a.requestId)).body).toEqual({ error: { code: 'expired', message: 'Response expired before it was retrieved', reason: 'expired', status: 'expired' } });
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
    expect((await relay.store.entryCounts()).records).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1300));
    await relay.sweep();
    await new Promise((r) => setTimeout(r, 150));
    await relay.sweep();
    expect(await relay.store.entryCounts()).toEqual({ records: 0, lists: 0, sets: 0, timers: 0, counters: 0, waiters: 0 });
    expect((await call(relay.url, 'GET', '/metrics')).text).toContain('tokenplace_relay_state_entries{structure="records"} 0');
  });
});

describe('ownership (§2.6.4 fix)', () => {
  it('only the node holding a request may answer or report progress for it', async () => {
    const { relay, node, client } = await setup();
    const other = await TestNode.create(relay.url, { keys: keys.otherNode });
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
    const node = await TestNode.create(relay.url, { keys: keys.node });
    await node.register({ supported_model_ids: ['Llama-3.2-1B', 'qwen3-8b-instruct'] });
    const list = (await call<{ data: { id: string }[] }>(relay.url, 'GET', '/api/v1/models')).body;
    expect(list.data.map((m) => m.id)).toEqual(['llama-3.2-1b', 'qwen3-8b-instruct']);
    expect((await call(relay.url, 'GET', '/api/v1/models/gpt-3.5-turbo')).body).toMatchObject({ id: 'qwen3-8b-instruct', created: 1707190418 });
  });
});
