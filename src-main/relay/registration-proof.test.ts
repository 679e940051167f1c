// The registration proof of docs/protocol.md §9 byte for byte (challenge shape, OAEP label, one
// answer per challenge, for one key, within 30 s, malformed proofs) and the node-key rules of §9.5.
import { constants, generateKeyPairSync, privateDecrypt, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { answerRegistrationChallenge, REGISTRATION_CHALLENGE_OAEP_LABEL } from '../crypto';
import { RegisterBody, RegisterResponse } from '../../src-shared/protocol/relay-http';
import { REGISTRATION_CHALLENGE_LABEL, REGISTRATION_CHALLENGE_TTL_SECONDS } from '../../src-shared/protocol/registration-proof';
import { resolveRelayConfig } from './config';
import { RegistrationProofFailedError } from './errors';
import { checkChallenge, issueChallenge } from './state/challenge';
import type { RelayContext } from './state/context';
import { nodeIdOf } from './state/model';
import { nodePublicKey } from './state/node-key';
import { MemoryStateStore } from './store/memory-store';
import { CAPABILITIES, TestNode } from '../../test-support/relay/actors';
import { call } from '../../test-support/relay/http';
import { answerChallenge, ProvingTestNode } from '../../test-support/relay/proving-node';
import { keys, setup, useRelayFixture } from '../../test-support/relay/relay-fixture';

useRelayFixture();

const REGISTER = '/api/v1/relay/servers/register';
type Challenge = { id: string; ciphertext: string; expires_in_seconds: number };
const codeOf = (body: unknown) => (body as { error?: { code?: unknown } } | undefined)?.error?.code;

async function askChallenge(url: string, wire: string): Promise<Challenge> {
  const asked = await call<{ proof_challenge: Challenge }>(url, 'POST', REGISTER, { server_public_key: wire, capabilities: CAPABILITIES, proof: { version: 1 } });
  expect(asked.status).toBe(200);
  return asked.body.proof_challenge;
}

describe('registration challenge (§9.2, §9.3)', () => {
  it('answers a proof request with a challenge only: 256 bytes of OAEP-SHA256 under the registration label, 30 s, nothing registered', async () => {
    const { relay } = await setup();
    const fresh = await TestNode.create(relay.url, { keys: keys.otherNode });
    const asked = await call<Record<string, unknown>>(relay.url, 'POST', REGISTER, { server_public_key: fresh.publicKey, capabilities: CAPABILITIES, proof: { version: 1 } });
    expect(asked.body).toEqual({
      proof_challenge: { id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), ciphertext: expect.any(String), expires_in_seconds: 30 },
      next_ping_in_x_seconds: 30,
      poll_wait_seconds: 0.2,
      relay_capabilities: { encrypted_progress_v1: true, stream_chunks_v1: true },
    });
    // The shared wire schemas our node builds and reads these with accept them.
    expect(RegisterResponse.safeParse(asked.body).success).toBe(true);
    expect(RegisterBody.safeParse({ server_public_key: fresh.publicKey, proof: { version: 1 } }).success).toBe(true);
    const challenge = asked.body.proof_challenge as Challenge;
    const ciphertext = Buffer.from(challenge.ciphertext, 'base64');
    expect(ciphertext).toHaveLength(256);
    const label = Buffer.from(REGISTRATION_CHALLENGE_LABEL, 'ascii');
    const open = (oaepLabel?: Buffer) => privateDecrypt({ key: keys.otherNode.privateKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel }, ciphertext);
    expect(open(label)).toHaveLength(32);
    // Domain separation: without the label (how request session keys are wrapped) it does not open.
    expect(() => open()).toThrow();
    expect((await fresh.poll()).status).toBe(404);
    const diagnostics = await call<{ total_api_v1_registered_compute_nodes: number }>(relay.url, 'GET', '/relay/diagnostics');
    expect(diagnostics.body.total_api_v1_registered_compute_nodes).toBe(1); // the fixture's unverified node only
  });

  it('a challenge takes one answer: a wrong one uses it up, a right one works once', async () => {
    const { relay } = await setup();
    const wire = keys.otherNode.publicKeyWire;
    const register = (challenge: Challenge, response: string) =>
      call(relay.url, 'POST', REGISTER, { server_public_key: wire, capabilities: CAPABILITIES, proof: { version: 1, challenge_id: challenge.id, response } });
    const first = await askChallenge(relay.url, wire);
    const wrong = await register(first, randomBytes(32).toString('base64'));
    expect({ status: wrong.status, code: codeOf(wrong.body) }).toEqual({ status: 403, code: 'registration_proof_failed' });
    expect((await register(first, answerChallenge(first, keys.otherNode.privateKeyPem))).status).toBe(403);
    const second = await askChallenge(relay.url, wire);
    const right = answerChallenge(second, keys.otherNode.privateKeyPem);
    const ok = await register(second, right);
    expect(ok.body).toMatchObject({ verified: true, control_credential: expect.any(String) });
    expect(RegisterResponse.safeParse(ok.body).success).toBe(true);
    expect(codeOf((await register(second, right)).body)).toBe('registration_proof_failed');
    expect(codeOf((await register({ ...second, id: 'never-issued' }, right)).body)).toBe('registration_proof_failed');
  });

  it("the node's crypto (answerRegistrationChallenge, §10.1) answers the relay's challenge and registers verified", async () => {
    const { relay } = await setup();
    const wire = keys.otherNode.publicKeyWire;
    const challenge = await askChallenge(relay.url, wire);
    const response = answerRegistrationChallenge(challenge.ciphertext, keys.otherNode.privateKeyPem);
    const ok = await call(relay.url, 'POST', REGISTER, { server_public_key: wire, capabilities: CAPABILITIES, proof: { version: 1, challenge_id: challenge.id, response } });
    expect(ok.body).toMatchObject({ verified: true, control_credential: expect.any(String) });
    // One label for both sides: crypto's OAEP label is the wire constant.
    expect(REGISTRATION_CHALLENGE_OAEP_LABEL.toString('ascii')).toBe(REGISTRATION_CHALLENGE_LABEL);
  });

  it('two registrations racing with the same right answer: exactly one wins', async () => {
    const { relay } = await setup();
    for (let i = 0; i < 5; i++) {
      const node = await ProvingTestNode.create(relay.url, { keys: i % 2 ? keys.node : keys.otherNode });
      const challenge = await askChallenge(relay.url, node.publicKey);
      const body = { server_public_key: node.publicKey, proof: { version: 1, challenge_id: challenge.id, response: answerChallenge(challenge, node.keys.privateKeyPem) } };
      const [a, b] = await Promise.all([call(relay.url, 'POST', REGISTER, body), call(relay.url, 'POST', REGISTER, body)]);
      expect([a.status, b.status].sort()).toEqual([200, 403]);
      // Clean up: the winner's credential unregisters it, so the next round proves again.
      const credential = ((a.status === 200 ? a : b).body as { control_credential?: string }).control_credential;
      expect((await call(relay.url, 'POST', '/api/v1/relay/servers/unregister', { server_public_key: node.publicKey, control_credential: credential })).status).toBe(200);
    }
  });

  it('a challenge issued for one key does not register another', async () => {
    const { relay } = await setup();
    const challenge = await askChallenge(relay.url, keys.otherNode.publicKeyWire);
    const proof = { version: 1, challenge_id: challenge.id, response: answerChallenge(challenge, keys.otherNode.privateKeyPem) };
    const other = await call(relay.url, 'POST', REGISTER, { server_public_key: keys.client.publicKeyWire, proof });
    expect(codeOf(other.body)).toBe('registration_proof_failed');
  });

  it('re-proving a verified key: with its credential a heartbeat, without it a new registration (§9.4); either way the challenge is used up', async () => {
    const { relay } = await setup();
    const node = await ProvingTestNode.create(relay.url, { keys: keys.otherNode });
    await node.register();
    const first = node.credential;
    const prove = async () => {
      const challenge = await askChallenge(relay.url, node.publicKey);
      return { version: 1, challenge_id: challenge.id, response: answerChallenge(challenge, node.keys.privateKeyPem) };
    };
    const heartbeatProof = await prove();
    const heartbeat = await call<RegisterResponse>(relay.url, 'POST', REGISTER, { server_public_key: node.publicKey, proof: heartbeatProof, control_credential: first });
    expect(heartbeat.body).toMatchObject({ verified: true });
    expect(heartbeat.body.control_credential).toBeUndefined();
    const restartProof = await prove();
    const restart = await call<RegisterResponse>(relay.url, 'POST', REGISTER, { server_public_key: node.publicKey, proof: restartProof });
    expect(restart.body).toMatchObject({ verified: true, control_credential: expect.any(String) });
    expect(restart.body.control_credential).not.toBe(first);
    const again = await call(relay.url, 'POST', REGISTER, { server_public_key: node.publicKey, proof: restartProof });
    expect(codeOf(again.body)).toBe('registration_proof_failed');
    const oldHeartbeat = await call(relay.url, 'POST', REGISTER, { server_public_key: node.publicKey, control_credential: first });
    expect(codeOf(oldHeartbeat.body)).toBe('control_credential_required');
  });

  it('refuses malformed proofs with 400 invalid_registration_proof saying what to send', async () => {
    const { relay } = await setup();
    const wire = keys.otherNode.publicKeyWire;
    for (const proof of ['yes', 1, null, [], {}, { version: 1, challenge_id: 'x' }, { version: 1, response: 'x' }, { version: 1, challenge_id: '', response: 'x' }, { version: 1, extra: true }]) {
      const r = await call(relay.url, 'POST', REGISTER, { server_public_key: wire, proof });
      expect({ proof, status: r.status, code: codeOf(r.body) }).toEqual({ proof, status: 400, code: 'invalid_registration_proof' });
    }
    const future = await call<{ error: { message: string } }>(relay.url, 'POST', REGISTER, { server_public_key: wire, proof: { version: 2 } });
    expect(future.body.error.message).toBe('proof.version 2 is not supported by this relay; it speaks version 1');
    const shape = await call<{ error: { message: string } }>(relay.url, 'POST', REGISTER, { server_public_key: wire, proof: { version: 1, challenge_id: 'x' } });
    expect(shape.body.error.message).toContain('{"version": 1, "challenge_id": "…", "response": "…"}');
  });

  it('a challenge expires after 30 s (state level, with a clock)', async () => {
    let now = 1_000_000;
    const ctx: RelayContext = {
      store: new MemoryStateStore(() => now),
      config: resolveRelayConfig({}),
      now: () => now,
      onEvent: () => undefined,
      shutdown: new AbortController().signal,
    };
    const key = nodePublicKey(keys.otherNode.publicKeyWire);
    const nodeId = nodeIdOf(keys.otherNode.publicKeyWire);
    const answer = async (challengeIssuedAgo: number) => {
      const challenge = await issueChallenge(ctx, nodeId, key);
      now += challengeIssuedAgo;
      return checkChallenge(ctx, nodeId, { version: 1, challenge_id: challenge.id, response: answerChallenge(challenge, keys.otherNode.privateKeyPem) });
    };
    await expect(answer(REGISTRATION_CHALLENGE_TTL_SECONDS * 1000 - 1)).resolves.toMatchObject({ held: { value: { nodeId } } });
    await expect(answer(REGISTRATION_CHALLENGE_TTL_SECONDS * 1000)).rejects.toBeInstanceOf(RegistrationProofFailedError);
  });
});

describe('node keys at registration (§9.5)', () => {
  const pemOf = (wire: string) => Buffer.from(wire, 'base64').toString('utf8');
  const wireOf = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');
  const rsaPem = (bits: number, publicExponent = 65537) =>
    generateKeyPairSync('rsa', { modulusLength: bits, publicExponent }).publicKey.export({ type: 'spki', format: 'pem' }) as string;

  it('takes canonical base64 of a standard SPKI PEM of RSA 2048–8192 bits, any odd exponent from 3', () => {
    expect(() => nodePublicKey(keys.node.publicKeyWire)).not.toThrow();
    expect(nodePublicKey(wireOf(rsaPem(3072))).asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(nodePublicKey(wireOf(rsaPem(2048, 3))).asymmetricKeyDetails?.publicExponent).toBe(3n);
  });

  it('refuses everything else, naming what is wrong', () => {
    const pem = pemOf(keys.node.publicKeyWire);
    const wire = keys.node.publicKeyWire;
    const ecPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ec = ecPair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const pkcs1 = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    const cases: [string, string, RegExp][] = [
      ['too long', 'A'.repeat(2052), /this one has 2052 characters/],
      ['raw PEM', pem, /not canonical base64/],
      ['base64 with a line break', `${wire.slice(0, 76)}\n${wire.slice(76)}`, /not canonical base64/],
      ['base64 without padding', wire.replace(/=+$/, ''), /not canonical base64/],
      ['a url-safe base64 character', `-${wire.slice(1)}`, /not canonical base64/],
      ['not UTF-8', Buffer.from([0xff, 0xfe, 0xfd, 0xfc]).toString('base64'), /does not decode to a "-----BEGIN PUBLIC KEY-----" PEM/],
      ['text before the PEM', wireOf(`key:\n${pem}`), /does not decode to a "-----BEGIN PUBLIC KEY-----" PEM/],
      ['PKCS#1 public key', wireOf(pkcs1), /does not decode to a "-----BEGIN PUBLIC KEY-----" PEM/],
      ['a private key', wireOf(ecPair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string), /does not decode to a "-----BEGIN PUBLIC KEY-----" PEM/],
      ['broken PEM', wireOf(pem.replace('MIIB', 'MIIC')), /cannot be parsed/],
      ['RSA-1024', wireOf(rsaPem(1024)), /modulus has 1024 bits/],
      ['EC P-256', wireOf(ec), /this is an ec key/],
      ['RSA-PSS', wireOf(pss), /this is an rsa-pss key/],
      ['no final newline', wireOf(pem.trimEnd()), /standard layout/],
      ['CRLF line ends', wireOf(pem.replace(/\n/g, '\r\n')), /standard layout/],
      ['text after the PEM', wireOf(`${pem}more\n`), /standard layout/],
    ];
    for (const [what, candidate, reason] of cases) {
      let message = '';
      try {
        nodePublicKey(candidate);
      } catch (err) {
        message = (err as Error).message;
      }
      expect({ what, message }).toEqual({ what, message: expect.stringMatching(reason) });
      expect(message, what).toMatch(/^server_public_key must be base64 of the PEM text of an RSA public key/);
    }
  });

  it('answers 400 invalid_public_key over HTTP, before anything else about the registration', async () => {
    const { relay } = await setup();
    const r = await call(relay.url, 'POST', REGISTER, { server_public_key: 'not a key', capabilities: 'not capabilities', proof: { version: 1 } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: {
        code: 'invalid_public_key',
        message:
          'server_public_key must be base64 of the PEM text of an RSA public key ("-----BEGIN PUBLIC KEY-----", 2048 to 8192 bits, at most 2048 characters); this one is not canonical base64 (standard alphabet, "=" padding, no whitespace)',
      },
    });
    // A missing key keeps the reference answer.
    expect((await call(relay.url, 'POST', REGISTER, { capabilities: CAPABILITIES })).body).toEqual({ error: { code: 400, message: 'Invalid public key' } });
  });
});
