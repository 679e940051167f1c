// Issue 11 §1 and §4 on the relay: nobody can poll, answer or re-register as someone else's node,
// and only real node keys get registered (docs/protocol.md §9). Each attack runs over real HTTP
// against the in-memory store and against Redis; the victim is a node that proved its key
// (test-support's ProvingTestNode), the thief knows everything public (the victim's wire key, the
// client key, the request id) but not the victim's private key or control credential.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair, type RsaKeyPair } from '../crypto';
import { startRelay, type RelayConfig, type RunningRelay } from './index';
import { CAPABILITIES, TestClient, TestNode } from '../../test-support/relay/actors';
import { call } from '../../test-support/relay/http';
import { ProvingTestNode } from '../../test-support/relay/proving-node';
import { startLocalRedis, type LocalRedis } from '../../test-support/relay/redis-server';

const keys: { victim: RsaKeyPair; thief: RsaKeyPair; client: RsaKeyPair } = {} as never;
let redis: LocalRedis;
beforeAll(async () => {
  [keys.victim, keys.thief, keys.client, redis] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair(), startLocalRedis()]);
});
afterAll(async () => redis?.stop());
const relays: RunningRelay[] = [];
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.close()));
});

/** The thief: the victim's public key, its own private key (it cannot decrypt the victim's work). */
const impostor = (): RsaKeyPair => ({ ...keys.thief, publicKeyPem: keys.victim.publicKeyPem, publicKeyWire: keys.victim.publicKeyWire });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type ErrorBody = { error?: { code?: unknown; message?: string; reason?: string } };
const codeOf = (body: unknown) => (body as ErrorBody | undefined)?.error?.code;

describe.each(['memory', 'redis'] as const)('node ownership (§9), %s store', (store) => {
  async function start(config: RelayConfig = {}) {
    const relay = await startRelay({
      pollWaitSeconds: 0.2,
      rateLimits: { enabled: false },
      ...(store === 'redis' && { redisUrl: redis.url, redisKeyPrefix: `own:${randomBytes(4).toString('hex')}:` }),
      ...config,
    });
    relays.push(relay);
    const victim = await ProvingTestNode.create(relay.url, { keys: keys.victim });
    const thief = await TestNode.create(relay.url, { keys: impostor() });
    const client = await TestClient.create(relay.url, keys.client);
    return { relay, victim, thief, client };
  }

  it('attack: a third party holding 8 polls open as a verified node takes none of its work', async () => {
    const { victim, thief, client } = await start({ pollWaitSeconds: 2 });
    const registered = await victim.register();
    const thiefPolls = Array.from({ length: 8 }, () => thief.poll());
    await sleep(150);
    const submitted: string[] = [];
    for (let i = 0; i < 8; i++) submitted.push((await client.submit(victim.publicKey, `question ${i}`)).requestId);
    const stolen = await Promise.all(thiefPolls);
    expect({
      workItemsTaken: stolen.filter((r) => r.status === 200 && r.body.request_id !== undefined).length,
      refused: stolen.filter((r) => r.status === 403 && codeOf(r.body) === 'control_credential_required').length,
    }).toEqual({ workItemsTaken: 0, refused: 8 });
    const taken: string[] = [];
    for (let i = 0; i < 8; i++) taken.push(String((await victim.poll()).body.request_id));
    expect(taken.sort()).toEqual(submitted.sort());
    expect(registered.body).toMatchObject({ verified: true, control_credential: victim.credential });
  });

  it('attack: a forged answer for a verified node’s request is refused; the client gets the genuine one', async () => {
    const { victim, thief, client } = await start();
    await victim.register();
    const s = await client.submit(victim.publicKey, 'real question');
    const work = (await victim.poll()).body;
    // Everything the forger needs is public: the client key and the request id (routing fields).
    const forged = await thief.answer(work, 'FORGED ANSWER');
    const forgedNamed = await thief.answer(work, 'FORGED ANSWER', { server_public_key: victim.publicKey });
    const forgedCredential = await thief.answer(work, 'FORGED ANSWER', { server_public_key: victim.publicKey, control_credential: 'guessed' });
    expect({ forged: forged.status, forgedNamed: forgedNamed.status, forgedCredential: forgedCredential.status }).toEqual({
      forged: 403,
      forgedNamed: 403,
      forgedCredential: 403,
    });
    expect(codeOf(forged.body)).toBe('control_credential_required');
    expect(forgedCredential.body).toEqual({ error: { code: 403, message: 'Request is not held by this compute node' } });
    expect((await victim.answer(work, 'genuine answer')).status).toBe(200);
    expect(client.open((await client.retrieve(s.requestId)).body)).toBe('genuine answer');
  });

  it('attack: re-registering a verified key with other capabilities cannot take it over', async () => {
    const { relay, victim, thief } = await start();
    await victim.register();
    const decoy = { ...CAPABILITIES, supported_model_ids: ['decoy-model'], max_concurrency: 1 };
    const squat = await thief.register(decoy);
    const squatPoll = await call(relay.url, 'POST', '/api/v1/relay/servers/poll', { server_public_key: victim.publicKey, capabilities: decoy });
    const next = await call<{ server_public_key?: string } & ErrorBody>(relay.url, 'GET', '/api/v1/relay/servers/next?model=qwen3-8b-instruct');
    expect({ squat: squat.status, squatPoll: squatPoll.status, next: next.body.server_public_key === victim.publicKey ? 'the victim' : next.body.error?.code }).toEqual({
      squat: 403,
      squatPoll: 403,
      next: 'the victim',
    });
    expect(codeOf(squat.body)).toBe('control_credential_required');
    // Nor with a proof it cannot produce, nor by unregistering it.
    const asked = await call<{ proof_challenge: { id: string } }>(relay.url, 'POST', '/api/v1/relay/servers/register', { server_public_key: victim.publicKey, proof: { version: 1 } });
    expect(asked.status).toBe(200);
    const guessed = await call(relay.url, 'POST', '/api/v1/relay/servers/register', {
      server_public_key: victim.publicKey,
      capabilities: decoy,
      proof: { version: 1, challenge_id: asked.body.proof_challenge.id, response: randomBytes(32).toString('base64') },
    });
    expect({ status: guessed.status, code: codeOf(guessed.body) }).toEqual({ status: 403, code: 'registration_proof_failed' });
    expect((await call(relay.url, 'POST', '/api/v1/relay/servers/unregister', { server_public_key: victim.publicKey })).status).toBe(403);
    const diagnostics = await call<{ api_v1_registered_compute_nodes: { verified: boolean; capabilities: { supported_model_ids: string[] } }[] }>(relay.url, 'GET', '/relay/diagnostics');
    expect(diagnostics.body.api_v1_registered_compute_nodes).toEqual([
      expect.objectContaining({ verified: true, capabilities: expect.objectContaining({ supported_model_ids: ['qwen3-8b-instruct'] }) }),
    ]);
  });

  it('attack: 20 junk keys of 1.9 MB are refused with 400 invalid_public_key and never stored', async () => {
    const { relay } = await start();
    const before = await relay.store.entryCounts();
    const statuses: unknown[] = [];
    for (let i = 0; i < 20; i++) {
      const junk = `${String(i).padStart(4, 'A')}${'A'.repeat(1_900_000)}`;
      const r = await call(relay.url, 'POST', '/api/v1/relay/servers/register', { server_public_key: junk, capabilities: CAPABILITIES });
      statuses.push(r.status === 400 ? codeOf(r.body) : r.status);
    }
    expect(statuses).toEqual(Array(20).fill('invalid_public_key'));
    const diagnostics = await call<{ total_api_v1_registered_compute_nodes: number }>(relay.url, 'GET', '/relay/diagnostics');
    expect(diagnostics.body.total_api_v1_registered_compute_nodes).toBe(0);
    expect((await relay.store.entryCounts()).records).toBe(before.records);
  });

  it('a proven registration replaces an unverified squatter: its work in flight ends, its polls and answers are refused', async () => {
    const { relay, victim, thief, client } = await start({ pollWaitSeconds: 1 });
    expect((await thief.register()).status).toBe(200); // unverified, as a reference node would be
    const takenBySquatter = await client.submit(victim.publicKey, 'taken by the squatter');
    const stolen = (await thief.poll()).body;
    expect(stolen.request_id).toBe(takenBySquatter.requestId);
    const queued = await client.submit(victim.publicKey, 'still queued');
    const registered = await victim.register();
    expect(registered.body).toMatchObject({ verified: true, control_credential: expect.any(String) });
    expect(victim.credential).not.toBe(thief.credential);
    // The client of the stolen request fails over at once instead of waiting for its deadline.
    expect((await client.retrieve(takenBySquatter.requestId)).body).toMatchObject({ error: { code: 'cancelled', reason: 'server_unregistered' } });
    expect((await thief.answer(stolen, 'FORGED')).status).toBe(410);
    expect(codeOf((await thief.poll()).body)).toBe('control_credential_required');
    expect((await thief.control(takenBySquatter.requestId)).body).toMatchObject({ status: 'cancelled' }); // its own tombstone
    expect((await thief.register()).status).toBe(403);
    // Work that was only queued is the proven node's (it is encrypted to its key).
    const work = (await victim.poll()).body;
    expect(work.request_id).toBe(queued.requestId);
    expect(victim.open(work).api_v1_request.messages[0]!.content).toBe('still queued');
    const diagnostics = await call<{ api_v1_registered_compute_nodes: { verified: boolean }[] }>(relay.url, 'GET', '/relay/diagnostics');
    expect(diagnostics.body.api_v1_registered_compute_nodes.map((n) => n.verified)).toEqual([true]);
  });

  it('a squatter’s long poll that outlives its registration takes no work once the key is proven', async () => {
    const { victim, thief, client } = await start({ pollWaitSeconds: 2 });
    await thief.register();
    const polling = thief.poll();
    await sleep(150);
    await victim.register();
    const s = await client.submit(victim.publicKey, 'after the proof');
    const late = await polling;
    expect({ status: late.status, code: codeOf(late.body), work: late.body.request_id }).toEqual({ status: 403, code: 'control_credential_required', work: undefined });
    expect((await victim.poll()).body.request_id).toBe(s.requestId);
  });

  it('a fresh proof of a verified key (its node restarted) replaces the registration at once: the old credential is dead, what it held ends', async () => {
    const { relay, victim, thief, client } = await start({ pollWaitSeconds: 1 });
    await victim.register();
    const heldByOld = await client.submit(victim.publicKey, 'held by the old run');
    const oldWork = (await victim.poll()).body;
    expect(oldWork.request_id).toBe(heldByOld.requestId);
    const queued = await client.submit(victim.publicKey, 'still queued');
    // The restarted process has the private key but not the old credential.
    const restarted = await ProvingTestNode.create(relay.url, { keys: keys.victim });
    const registered = await restarted.register();
    expect(registered.body).toMatchObject({ verified: true, control_credential: expect.any(String) });
    expect(restarted.credential).not.toBe(victim.credential);
    // The old run cannot answer what it held: its client fails over now, not at the deadline.
    expect((await client.retrieve(heldByOld.requestId)).body).toMatchObject({ error: { code: 'cancelled', reason: 'server_unregistered' } });
    expect((await victim.control(heldByOld.requestId)).body).toMatchObject({ status: 'cancelled' }); // its own tombstone
    // Queued work is the restarted node's; the old credential speaks for none of it.
    const work = (await restarted.poll()).body;
    expect(restarted.open(work).api_v1_request.messages[0]!.content).toBe('still queued');
    const heartbeat = await call(relay.url, 'POST', '/api/v1/relay/servers/register', { server_public_key: victim.publicKey, capabilities: CAPABILITIES, control_credential: victim.credential });
    const oldPoll = await victim.poll();
    const oldAnswer = await victim.answer(work, 'FORGED');
    const oldProgress = await victim.progress(work);
    const oldControl = await victim.control(queued.requestId);
    const oldUnregister = await call(relay.url, 'POST', '/api/v1/relay/servers/unregister', { server_public_key: victim.publicKey, control_credential: victim.credential });
    expect({
      heartbeat: [heartbeat.status, codeOf(heartbeat.body)],
      poll: [oldPoll.status, codeOf(oldPoll.body)],
      answer: oldAnswer.status,
      progress: oldProgress.status,
      control: oldControl.status,
      unregister: oldUnregister.status,
    }).toEqual({ heartbeat: [403, 'control_credential_required'], poll: [403, 'control_credential_required'], answer: 403, progress: 403, control: 403, unregister: 403 });
    // A registration without proof still displaces nothing.
    expect(codeOf((await thief.register()).body)).toBe('control_credential_required');
    expect((await restarted.control(queued.requestId)).body).toMatchObject({ status: 'active' });
    expect((await restarted.answer(work, 'genuine answer')).status).toBe(200);
    expect(client.open((await client.retrieve(queued.requestId)).body)).toBe('genuine answer');
    const diagnostics = await call<{ api_v1_registered_compute_nodes: { verified: boolean }[] }>(relay.url, 'GET', '/relay/diagnostics');
    expect(diagnostics.body.api_v1_registered_compute_nodes.map((n) => n.verified)).toEqual([true]);
  });

  it('a long poll of a verified registration that a fresh proof replaced takes no more work', async () => {
    const { relay, victim, client } = await start({ pollWaitSeconds: 2 });
    await victim.register();
    const polling = victim.poll();
    await sleep(150);
    const restarted = await ProvingTestNode.create(relay.url, { keys: keys.victim });
    await restarted.register();
    const s = await client.submit(victim.publicKey, 'after the restart');
    const late = await polling;
    expect({ status: late.status, code: codeOf(late.body), work: late.body.request_id }).toEqual({ status: 403, code: 'control_credential_required', work: undefined });
    expect((await restarted.poll()).body.request_id).toBe(s.requestId);
  });

  it('after a verified node is evicted, what it held has ended: a new unverified registration of its key cannot answer it', async () => {
    const { relay, victim, thief, client } = await start({ leaseSeconds: 1, inFlightTtlSeconds: 0.2 });
    await victim.register();
    const s = await client.submit(victim.publicKey, 'q');
    const work = (await victim.poll()).body;
    await sleep(1100);
    await relay.sweep(); // the in-flight lease lapsed, then the node's lease: its work ends, it is evicted
    expect((await victim.poll()).status).toBe(404);
    expect((await thief.register()).status).toBe(200); // the key is free again: unverified
    const withoutCredential = await thief.answer(work, 'FORGED');
    const withItsCredential = await thief.answer(work, 'FORGED', { server_public_key: victim.publicKey, control_credential: thief.credential });
    const progress = await thief.progress(work);
    expect({ withoutCredential: codeOf(withoutCredential.body), withItsCredential: withItsCredential.status, progress: progress.status }).toEqual({
      withoutCredential: 'cancelled',
      withItsCredential: 410,
      progress: 410,
    });
    // The client learns at once and fails over, instead of waiting for the deadline.
    expect((await client.retrieve(s.requestId)).body).toMatchObject({ error: { code: 'cancelled', reason: 'server_unregistered' } });
  });

  it('a verified node heartbeats, reports progress, renews and unregisters with its credential only', async () => {
    const { relay, victim, thief, client } = await start();
    await victim.register();
    const credential = victim.credential;
    const heartbeat = (body: Record<string, unknown>) => call(relay.url, 'POST', '/api/v1/relay/servers/register', { server_public_key: victim.publicKey, ...body });
    const bigger = { ...CAPABILITIES, max_concurrency: 8 };
    const beat = await heartbeat({ capabilities: bigger, control_credential: credential });
    expect(beat.body).toEqual({ next_ping_in_x_seconds: 30, poll_wait_seconds: 0.2, relay_capabilities: { encrypted_progress_v1: true, stream_chunks_v1: true }, verified: true });
    expect((await heartbeat({ capabilities: CAPABILITIES, control_credential: 'wrong' })).status).toBe(403);
    // Proving again while registered also needs the credential, and issues none.
    const reproved = await victim.register(bigger);
    expect(reproved.body).toMatchObject({ verified: true });
    expect(reproved.body.control_credential).toBeUndefined();
    expect(victim.credential).toBe(credential);
    const s = await client.submit(victim.publicKey, 'q');
    const work = (await victim.poll()).body;
    expect((await victim.progress(work)).status).toBe(202);
    expect((await thief.progress(work, { control_credential: 'guessed' })).status).toBe(403);
    expect((await victim.control(s.requestId)).body).toMatchObject({ status: 'active' });
    const unregister = (control_credential?: string) => call(relay.url, 'POST', '/api/v1/relay/servers/unregister', { server_public_key: victim.publicKey, control_credential });
    expect((await unregister()).status).toBe(403);
    expect((await unregister(credential)).body).toEqual({ message: 'Server unregistered', removed: true });
  });

  it('unverified (reference) registrations work as before and are marked verified: false', async () => {
    const { relay, client } = await start();
    const reference = await TestNode.create(relay.url, { keys: keys.thief });
    expect((await reference.register()).body).toMatchObject({ control_credential: expect.any(String) });
    expect((await reference.register()).body).not.toHaveProperty('verified');
    const s = await client.submit(reference.publicKey, 'q');
    const work = (await reference.poll()).body; // no credential on poll, no proof on answers
    expect((await reference.answer(work, 'reference answer')).status).toBe(200);
    expect(client.open((await client.retrieve(s.requestId)).body)).toBe('reference answer');
    const diagnostics = await call<{ api_v1_registered_compute_nodes: { verified: boolean }[] }>(relay.url, 'GET', '/relay/diagnostics');
    expect(diagnostics.body.api_v1_registered_compute_nodes.map((n) => n.verified)).toEqual([false]);
  });
});
