// Issue 11 §5: the relay decides which progress envelopes a client receives, and each one costs the
// client a decryption (RSA private-key work on the reference profile). A relay that answers every
// retrieve at once with a new — or the same — progress envelope must not get unlimited decryptions.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_ID, PROTOCOL_VERSION } from '../../src-shared/protocol/constants';
import { buildInnerProgress } from '../../src-shared/protocol/inner-envelope';
import { KeyHolder, encryptJson, generateRsaKeyPair, type RsaKeyPair } from '../crypto';
import { RelayClient } from './relay-client';
import { FakeReferenceRelay } from '../../test-support/client/fake-reference-relay';
import type { ChatStatus } from './types';
import * as replyDecrypt from './reply-decrypt';

// Every decryption of a reply or progress envelope goes through openReply: count the calls.
vi.mock('./reply-decrypt', async (importOriginal) => {
  const real = await importOriginal<typeof import('./reply-decrypt')>();
  return { ...real, openReply: vi.fn(real.openReply) };
});
const opens = () => vi.mocked(replyDecrypt.openReply).mock.calls.length;

const BASE = 'http://relay.test';
/** Retrieves answered with progress before the answer is handed out. */
const FLOOD_RETRIEVES = 150;
const POLL_MS = 20;
/** What the client may open during `ms` of flood: a burst, then a steady rate (generous: 10 + 4 per second). */
const boundFor = (ms: number) => 10 + Math.ceil((ms / 1000) * 4);

let clientPair: RsaKeyPair;
let nodePair: RsaKeyPair;
beforeAll(async () => {
  [clientPair, nodePair] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
});

/**
 * A reference relay whose first FLOOD_RETRIEVES retrieves answer at once with a 202 carrying progress:
 * a fresh, valid envelope with the next sequence each time (`fresh`) or the same one (`same`).
 */
function floodingRelay(kind: 'fresh' | 'same') {
  const relay = new FakeReferenceRelay({}, [nodePair]);
  let submitted: { requestId: string; clientKey: string } | undefined;
  let floodStart = 0;
  let floodEnd = 0;
  let sequence = 0;
  let retrieves = 0;
  let same: ReturnType<typeof encryptJson> | undefined;
  const progressEnvelope = () => {
    const s = submitted!;
    const seal = () =>
      encryptJson(
        buildInnerProgress({
          requestId: s.requestId,
          clientPublicKey: s.clientKey,
          progress: { sequence: ++sequence, phase: 'generating', total_prompt_tokens: 10, cached_prompt_tokens: 0, processed_prompt_tokens: 10, generated_tokens: sequence, elapsed_ms: sequence },
        }),
        s.clientKey,
        // OAEP, which our client opens natively: decryption is fast, so the flood is not slowed by it
        { padding: 'oaep-sha256', mode: 'cbc' },
      );
    const env = kind === 'same' ? (same ??= seal()) : seal();
    return { client_public_key: s.clientKey, request_id: s.requestId, protocol: PROTOCOL_ID, version: PROTOCOL_VERSION, ...env };
  };
  const fetchImpl: typeof fetch = async (input, init) => {
    const path = new URL(String(input)).pathname;
    if (path === '/api/v1/relay/requests') {
      const body = JSON.parse(String(init?.body)) as { request_id: string; client_public_key: string };
      submitted = { requestId: body.request_id, clientKey: body.client_public_key };
    }
    if (path === '/api/v1/relay/responses/retrieve' && submitted && retrieves < FLOOD_RETRIEVES) {
      if (retrieves++ === 0) floodStart = performance.now();
      floodEnd = performance.now();
      const pending = { status: 'pending', request_deadline_remaining_seconds: 60, request_ttl_seconds: 60, encrypted_progress: progressEnvelope() };
      return new Response(JSON.stringify(pending), { status: 202, headers: { 'content-type': 'application/json' } });
    }
    return relay.fetch(input, init);
  };
  const rc = new RelayClient({ baseUrl: BASE, fetch: fetchImpl, pollIntervalMs: POLL_MS, keys: KeyHolder.fromPair(clientPair) });
  return { relay, rc, retrieves: () => retrieves, floodedFor: () => floodEnd - floodStart };
}

describe('a relay flooding progress (issue 11 §5)', () => {
  it('gets a bounded number of decryptions out of a stream of fresh progress envelopes, and the answer still arrives', async () => {
    const { relay, rc, retrieves, floodedFor } = floodingRelay('fresh');
    await relay.addNode();
    const before = opens();
    const statuses: ChatStatus[] = [];
    const answer = await rc.chat({ messages: [{ role: 'user', content: 'hello' }], onStatus: (s) => statuses.push(s) });
    expect(answer.content).toBe('reference answer to: hello');
    const progressOpens = opens() - before - 1; // the last one opened the answer
    expect(progressOpens).toBeGreaterThan(0);
    expect(progressOpens).toBeLessThanOrEqual(boundFor(floodedFor()));
    expect(statuses.filter((s) => s.type === 'progress').length).toBe(progressOpens);
    // Skipped progress is "nothing new": the client paces its retrieves instead of spinning.
    expect(retrieves()).toBe(FLOOD_RETRIEVES);
    expect(floodedFor()).toBeGreaterThanOrEqual((FLOOD_RETRIEVES - progressOpens - 1) * POLL_MS * 0.9);
  });

  it('opens a repeated envelope only once', async () => {
    const { relay, rc, retrieves } = floodingRelay('same');
    await relay.addNode();
    const before = opens();
    await rc.chat({ messages: [{ role: 'user', content: 'hello' }] });
    expect(retrieves()).toBe(FLOOD_RETRIEVES);
    expect(opens() - before).toBe(2); // one progress envelope, one answer
  });
});
