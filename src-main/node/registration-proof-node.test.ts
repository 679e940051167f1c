// §9 on our node against our relay (loopback, memory store): the node proves its key, registers
// verified and speaks for it only with its control_credential; a thief holding the public key
// cannot poll for it, re-register it, answer a challenge for it or displace it; a node restarted
// with its key after a crash serves again at once, and a second live process with the same key
// takes over while the first waits for it to let go (docs/protocol.md §9.4, §9.8).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../relay';
import { KEY_TAKEN_OVER } from './prove-registration';
import { KeyPool, TEST_MODEL, eventually, startTestNode, startTestRelay, type TestNode } from '../../test-support/node/harness';
import { MiniClient, replyText } from '../../test-support/node/mini-client';
import { call } from '../../test-support/relay/http';

type Sent = { path: string; body: Record<string, unknown> };

/** A fetch that records every JSON body the node sends. */
function recordingFetch(sent: Sent[]): typeof fetch {
  return async (input, init) => {
    const path = new URL(String(input)).pathname;
    if (typeof init?.body === 'string') sent.push({ path, body: JSON.parse(init.body) as Record<string, unknown> });
    return fetch(input, init);
  };
}

const REGISTER = '/api/v1/relay/servers/register';
const POLL = '/api/v1/relay/servers/poll';

async function diagnosticsOf(relayUrl: string, fingerprintPrefix?: string) {
  const res = await call<{ api_v1_registered_compute_nodes: Record<string, unknown>[] }>(relayUrl, 'GET', '/relay/diagnostics');
  return res.body.api_v1_registered_compute_nodes.filter((n) => !fingerprintPrefix || JSON.stringify(n).includes(fingerprintPrefix));
}

describe('registration proof (§9) between our node and our relay', () => {
  let relay: RunningRelay;
  let keys: KeyPool;
  let t: TestNode;
  const sent: Sent[] = [];
  let nodeKey: string;

  beforeAll(async () => {
    keys = await KeyPool.create(6);
    relay = await startTestRelay();
    t = await startTestNode(relay.url, { keys, node: { fetch: recordingFetch(sent) } });
    nodeKey = t.node.publicKeyWire()!;
  });
  afterAll(async () => {
    await t?.node.stop();
    await relay?.close();
  });

  it('asks for a challenge, answers it and registers verified; polls and heartbeats carry the credential', async () => {
    expect(t.node.status().verified).toBe(true);
    const registers = sent.filter((s) => s.path === REGISTER);
    expect(registers[0]!.body.proof).toEqual({ version: 1 });
    expect(registers[0]!.body).not.toHaveProperty('control_credential');
    const answer = registers[1]!.body.proof as Record<string, unknown>;
    expect(Object.keys(answer).sort()).toEqual(['challenge_id', 'response', 'version']);
    expect(Buffer.from(String(answer.response), 'base64')).toHaveLength(32);
    expect((registers[0]!.body.capabilities as Record<string, unknown>).e2ee_profiles).toEqual(['aead-v1']);
    // Heartbeats (lease 2 s on the test relay): no proof, with the credential.
    await eventually(() => sent.filter((s) => s.path === REGISTER).length > 2, 5000, 'a heartbeat');
    const heartbeat = sent.filter((s) => s.path === REGISTER)[2]!.body;
    expect(heartbeat).not.toHaveProperty('proof');
    expect(typeof heartbeat.control_credential).toBe('string');
    await eventually(() => sent.some((s) => s.path === POLL), 3000, 'a poll');
    for (const poll of sent.filter((s) => s.path === POLL)) expect(poll.body.control_credential).toBe(heartbeat.control_credential);
    const listed = await diagnosticsOf(relay.url);
    expect(listed).toHaveLength(1);
    expect(listed[0]!.verified).toBe(true);
    expect(t.node.status().verified).toBe(true);
  });

  it('a thief with the public key cannot poll for it, re-register it, prove it or displace it; the node keeps serving', async () => {
    const thiefPoll = await call<{ error?: { code?: string } }>(relay.url, 'POST', POLL, { server_public_key: nodeKey });
    expect([thiefPoll.status, thiefPoll.body.error?.code]).toEqual([403, 'control_credential_required']);
    const caps = { api_version: 'v1', supported_model_ids: ['other-model'], max_concurrency: 8 };
    const thiefRegister = await call<{ error?: { code?: string } }>(relay.url, 'POST', REGISTER, { server_public_key: nodeKey, capabilities: caps });
    expect([thiefRegister.status, thiefRegister.body.error?.code]).toEqual([403, 'control_credential_required']);
    const asked = await call<{ proof_challenge: { id: string } }>(relay.url, 'POST', REGISTER, { server_public_key: nodeKey, proof: { version: 1 } });
    expect(asked.status).toBe(200);
    const guess = { version: 1, challenge_id: asked.body.proof_challenge.id, response: Buffer.alloc(32, 7).toString('base64') };
    const thiefProof = await call<{ error?: { code?: string } }>(relay.url, 'POST', REGISTER, { server_public_key: nodeKey, capabilities: caps, proof: guess });
    expect([thiefProof.status, thiefProof.body.error?.code]).toEqual([403, 'registration_proof_failed']);

    const client = new MiniClient(relay.url, await keys.take());
    client.aead = true;
    const next = await client.nextServer(TEST_MODEL);
    expect(next.server_public_key).toBe(nodeKey);
    const request = await client.send({ model: TEST_MODEL, messages: [{ role: 'user', content: 'still mine?' }], serverPublicKey: nodeKey });
    const result = await client.waitForAnswer(request.requestId, 8000);
    expect(replyText(result)).toContain('to: still mine?');
    expect(result.kind === 'reply' && result.profile).toBe('aead-v1');
    expect((await diagnosticsOf(relay.url))[0]!.verified).toBe(true);
  });

  it('a second process with the same key takes the registration over; the first waits, in plain words, and takes it back only once the second unregisters', async () => {
    const sameKey = await keys.take();
    const first = await startTestNode(relay.url, { node: { generateKeyPair: async () => sameKey } });
    let second: TestNode | undefined;
    try {
      expect(first.node.status().verified).toBe(true);
      second = await startTestNode(relay.url, { node: { generateKeyPair: async () => sameKey } });
      expect(second.node.status()).toMatchObject({ verified: true, state: 'registered' });
      await eventually(() => first.node.status().lastError === KEY_TAKEN_OVER, 5000, 'the first process told that its key was taken over');
      expect(first.node.status().state).toBe('error'); // waiting, not stopped
      // No tug of war: a second later the second process still holds the key and takes the work.
      await new Promise((r) => setTimeout(r, 1000));
      expect(second.node.status()).toMatchObject({ verified: true, state: 'registered' });
      const client = new MiniClient(relay.url, await keys.take());
      const request = await client.send({ model: TEST_MODEL, messages: [{ role: 'user', content: 'who has the key?' }], serverPublicKey: sameKey.publicKeyWire });
      expect(replyText(await client.waitForAnswer(request.requestId, 8000))).toContain('to: who has the key?');
      expect([first.reports.length, second.reports.length]).toEqual([0, 1]);
      await second.node.stop(); // unregisters: the key is free
      await eventually(() => first.node.status().state === 'registered' && first.node.status().verified === true, 8000, 'the first process registered verified again');
    } finally {
      await first.node.stop();
      await second?.node.stop();
    }
  });
});

describe('a node restarted with its key (§9.4: a fresh proof replaces the verified registration)', () => {
  let relay: RunningRelay;
  let keys: KeyPool;
  beforeAll(async () => {
    keys = await KeyPool.create(2);
    // A lease far longer than the test: serving again must not wait for the old registration to lapse.
    relay = await startTestRelay({ leaseSeconds: 60 });
  });
  afterAll(async () => relay?.close());

  it('serves again within seconds after a crash that left its registration behind; the old credential is dead', async () => {
    const nodeKey = await keys.take();
    const sent: Sent[] = [];
    const crash = new AbortController();
    // The first process's network: cut at once (open long polls too), as when the process dies.
    const dying: typeof fetch = async (input, init) => {
      if (crash.signal.aborted) throw new Error('this process is gone');
      return recordingFetch(sent)(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, crash.signal]) : crash.signal });
    };
    const first = await startTestNode(relay.url, { node: { generateKeyPair: async () => nodeKey, fetch: dying } });
    let restarted: TestNode | undefined;
    try {
      expect(first.node.status().verified).toBe(true);
      await eventually(() => sent.some((s) => s.path === POLL), 3000, 'a poll of the first process');
      const oldCredential = String(sent.find((s) => s.path === POLL)!.body.control_credential);
      crash.abort(); // no unregister: the relay still holds the verified registration (lease 60 s)
      expect(await diagnosticsOf(relay.url)).toHaveLength(1);

      const startedAt = Date.now();
      restarted = await startTestNode(relay.url, { node: { generateKeyPair: async () => nodeKey } });
      await eventually(() => restarted!.node.status().state === 'registered', 5000, 'the restarted node registered');
      expect(restarted.node.status().verified).toBe(true);
      const client = new MiniClient(relay.url, await keys.take());
      const request = await client.send({ model: TEST_MODEL, messages: [{ role: 'user', content: 'back already?' }], serverPublicKey: nodeKey.publicKeyWire });
      expect(replyText(await client.waitForAnswer(request.requestId, 8000))).toContain('to: back already?');
      expect(Date.now() - startedAt).toBeLessThan(10_000);

      // What the old registration's credential could do, it no longer can.
      const body = { server_public_key: nodeKey.publicKeyWire, capabilities: { api_version: 'v1', supported_model_ids: [TEST_MODEL], max_concurrency: 1 }, control_credential: oldCredential };
      const poll = await call<{ error?: { code?: string } }>(relay.url, 'POST', POLL, body);
      const heartbeat = await call<{ error?: { code?: string } }>(relay.url, 'POST', REGISTER, body);
      const unregister = await call(relay.url, 'POST', '/api/v1/relay/servers/unregister', { server_public_key: nodeKey.publicKeyWire, control_credential: oldCredential });
      expect([poll.status, poll.body.error?.code, heartbeat.status, heartbeat.body.error?.code, unregister.status]).toEqual([
        403,
        'control_credential_required',
        403,
        'control_credential_required',
        403,
      ]);
      expect((await diagnosticsOf(relay.url)).map((n) => n.verified)).toEqual([true]);
      expect(restarted.node.status().state).toBe('registered');
    } finally {
      await first.node.stop();
      await restarted?.node.stop();
    }
  });
});
