// §9 on our node against our relay (loopback, memory store): the node proves its key, registers
// verified and speaks for it only with its control_credential; a thief holding the public key
// cannot poll for it, re-register it, answer a challenge for it or displace it; a second process
// with the same key waits until the first lets go (docs/protocol.md §9.8).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../relay';
import { KEY_HELD } from './prove-registration';
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

  it('a second process with the same key waits, in plain words, until the first unregisters, then registers verified', async () => {
    const sameKey = await keys.take();
    const first = await startTestNode(relay.url, { node: { generateKeyPair: async () => sameKey } });
    let second: TestNode | undefined;
    try {
      expect(first.node.status().verified).toBe(true);
      second = await startTestNode(relay.url, { node: { generateKeyPair: async () => sameKey } });
      expect(second.node.status().state).toBe('error'); // waiting, not stopped
      expect(second.node.status().lastError).toBe(KEY_HELD);
      expect(second.node.status().verified).toBeNull();
      await first.node.stop(); // unregisters: the key is free
      await eventually(() => second!.node.status().verified === true, 8000, 'the second process registered verified');
      await eventually(() => second!.node.status().state !== 'error', 3000, 'the node out of its error state');
    } finally {
      await first.node.stop();
      await second?.node.stop();
    }
  });
});
