// Issue 11 §4: a relay (a reference one, or a dishonest one) offers in servers/next a node key the
// client cannot encrypt to. The client must treat it like a failed node and fail over to another
// one, not end the chat with invalid_server_response; offered only such keys, it says so.
import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { KeyHolder, generateRsaKeyPair, keyFingerprint, type RsaKeyPair } from '../crypto';
import { RelayClient } from './relay-client';
import { FakeReferenceRelay } from '../../test-support/client/fake-reference-relay';
import type { ChatStatus } from './types';

const BASE = 'http://relay.test';
const hello = [{ role: 'user' as const, content: 'hello' }];
const wire = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

let clientPair: RsaKeyPair;
let nodePair: RsaKeyPair;
beforeAll(async () => {
  [clientPair, nodePair] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
});

const spki = (type: 'rsa' | 'ec', bits = 2048) =>
  (type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: bits }) : generateKeyPairSync('ec', { namedCurve: 'P-256' })).publicKey
    .export({ type: 'spki', format: 'pem' })
    .toString();

/** Each kind of key a relay might hand out that no client can use. */
function unusableKeys(): Record<string, string> {
  return {
    'not base64': 'this is not a key!',
    'base64 of text that is no PEM': Buffer.from('hello world').toString('base64'),
    'an EC key': wire(spki('ec')),
    'RSA-1024 (too small)': wire(spki('rsa', 1024)),
    '1.9 MB of junk': 'A'.repeat(1_900_000),
  };
}

/**
 * The fake reference relay with one good node, whose servers/next hands out `junk` instead for the
 * first `junkOffers` answers (and counts it among the eligible nodes, as a relay would).
 */
function relayOffering(junk: string, junkOffers: number) {
  const relay = new FakeReferenceRelay({}, [nodePair]);
  let offers = 0;
  const fetchImpl: typeof fetch = async (input, init) => {
    const res = await relay.fetch(input, init);
    if (!String(input).includes('/api/v1/relay/servers/next') || res.status !== 200 || offers++ >= junkOffers) return res;
    const body = (await res.json()) as Record<string, unknown>;
    return new Response(JSON.stringify({ ...body, server_public_key: junk, eligible_node_count: 2 }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { relay, rc: new RelayClient({ baseUrl: BASE, fetch: fetchImpl, pollIntervalMs: 10, keys: KeyHolder.fromPair(clientPair) }) };
}

describe('a node key the client cannot use (issue 11 §4)', () => {
  for (const [kind, junk] of Object.entries(unusableKeys())) {
    it(`fails over past ${kind} to a usable node`, async () => {
      const { relay, rc } = relayOffering(junk, 1);
      await relay.addNode();
      const statuses: ChatStatus[] = [];
      const answer = await rc.chat({ messages: hello, onStatus: (s) => statuses.push(s) });
      expect(answer.content).toBe('reference answer to: hello');
      expect(answer.nodeFingerprint).toBe(keyFingerprint(nodePair.publicKeyWire));
      expect(answer.failovers).toBe(1);
      const failover = statuses.find((s) => s.type === 'failover');
      expect(failover).toMatchObject({ reason: 'node_key_unusable', failovers: 1 });
      expect(failover).not.toHaveProperty('failedNodeFingerprint');
      expect(relay.calls.filter((c) => c === '/api/v1/relay/requests')).toHaveLength(1);
    });
  }

  it('offered only unusable keys, ends with node_key_unusable in plain words and sends nothing', async () => {
    const { relay, rc } = relayOffering('A'.repeat(1_900_000), Infinity);
    await relay.addNode();
    const err = await rc.chat({ messages: hello }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'node_key_unusable', retryable: true, userMessage: expect.stringMatching(/cannot use, so nothing was sent/) });
    expect(relay.calls.filter((c) => c === '/api/v1/relay/requests')).toEqual([]);
  });
});
