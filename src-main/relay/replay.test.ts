// Replays the 64 recorded exchanges of the reference relay (fixtures/vectors, api_v1_relay_flow)
// against our relay, in order: same status and same JSON shape. The recorded control credential
// is replaced by ours. Documented deviations (asserted, not skipped) are listed in DEVIATIONS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type RunningRelay } from './index';
import { call } from '../../test-support/relay/http';
import { shapeDiff } from '../../test-support/relay/json-shape';

interface Exchange {
  step: string;
  request: { method: string; path: string; headers?: Record<string, string>; json?: unknown };
  response: { status: number; headers: Record<string, string>; json: unknown };
}

const vectors = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/vectors/token-place-v1-vectors.json'), 'utf8'),
) as { api_v1_relay_flow: { exchanges: Exchange[] } };
const exchanges = vectors.api_v1_relay_flow.exchanges;

/**
 * Where we answer differently on purpose. Status we give and why:
 * - public_key: this relay has no process key (it never decrypts) -> 404 JSON.
 * - chat.plaintext / chat.encrypted / chat.encrypted.undecryptable: the reference runs the model
 *   (or decrypts) in the relay process; ours is relay-blind -> 503 JSON
 *   `relay_chat_completions_unavailable`. Input errors (stream:true, bad base64) keep the 400s.
 */
const DEVIATIONS: Record<string, number> = {
  public_key: 404,
  'chat.plaintext': 503,
  'chat.encrypted': 503,
  'chat.encrypted.undecryptable': 503,
};

/**
 * Keys we add on purpose, with the value they must have: `next_ping_in_x_seconds: 0` in work
 * items (§2.5 pacing quirk); `verified: false` on each diagnostics node (§9: the recorded node
 * registers without proof) and the diagnostics' `held_state` counts (§2.6.1); `available_models`
 * in a no_matching_compute_node answer (§2.4.1); the chunk routes in the register answers and servers/next (§11.1).
 * A path segment `*` is every element of a list.
 */
const STREAM_CHUNKS_ADDED = { path: ['relay_capabilities', 'stream_chunks_v1'], value: true };
const ADDED_KEYS: Record<string, { path: string[]; value: unknown }[]> = {
  'node.register': [STREAM_CHUNKS_ADDED],
  'node.register.heartbeat': [STREAM_CHUNKS_ADDED],
  'next.ok': [{ path: ['relay_capabilities'], value: { encrypted_progress_v1: true, stream_chunks_v1: true } }],
  // §2.4.1 the models live nodes serve, named to the user (issue 15 §4).
  'next.no_match': [{ path: ['error', 'available_models'], value: expect.any(Array) }],
  'node.poll.work': [{ path: ['next_ping_in_x_seconds'], value: 0 }],
  'node.poll.work_3': [{ path: ['next_ping_in_x_seconds'], value: 0 }],
  diagnostics: [
    { path: ['api_v1_registered_compute_nodes', '*', 'verified'], value: false },
    { path: ['registered_compute_nodes', '*', 'verified'], value: false },
    // §2.6.1 what the store holds, counts only.
    {
      path: ['held_state'],
      value: {
        requests: { queued: expect.any(Number), in_flight: expect.any(Number), awaiting_delivery: expect.any(Number) },
        rate_limit_entries: expect.any(Number),
        stream_buffered_bytes: expect.any(Number),
      },
    },
  ],
};

function withoutKey(step: string, body: unknown, path: string[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === '*') {
    expect(Array.isArray(body) && body.length > 0, `${step}: a non-empty list`).toBe(true);
    return (body as unknown[]).map((item) => withoutKey(step, item, rest, value));
  }
  const copy = { ...(body as Record<string, unknown>) };
  if (rest.length > 0) copy[head!] = withoutKey(step, copy[head!], rest, value);
  else {
    expect(copy[head!], `${step} adds ${head}`).toEqual(value);
    delete copy[head!];
  }
  return copy;
}

function withoutAdded(step: string, body: unknown): unknown {
  return (ADDED_KEYS[step] ?? []).reduce((b, added) => withoutKey(step, b, added.path, added.value), body);
}

describe('replay of the recorded reference exchanges', () => {
  let relay: RunningRelay;
  beforeAll(async () => {
    relay = await startRelay({
      relayTokens: ['example-relay-server-token'],
      pollWaitSeconds: 0.1,
      publishNodeKeys: true,
      catalogModels: ['qwen3-8b-instruct'],
      rateLimits: { enabled: false },
    });
  });
  afterAll(async () => relay.close());

  it('has 64 exchanges', () => expect(exchanges).toHaveLength(64));

  it('answers every exchange with the recorded status and JSON shape', async () => {
    const recordedCredential = exchanges.find((e) => e.step === 'node.register')!.response.json as { control_credential: string };
    let ourCredential = '';
    for (const ex of exchanges) {
      const body =
        ex.request.json === undefined
          ? undefined
          : JSON.parse(JSON.stringify(ex.request.json).split(recordedCredential.control_credential).join(ourCredential || 'unset'));
      const reply = await call(relay.url, ex.request.method, ex.request.path, body, ex.request.headers ?? {});
      if (ex.step === 'node.register') ourCredential = (reply.body as { control_credential: string }).control_credential;

      expect(reply.headers.get('content-type'), ex.step).toMatch(/^application\/json/);
      expect(reply.headers.get('x-request-id'), ex.step).toMatch(/^[0-9a-f]{16}$/);
      if (ex.step in DEVIATIONS) {
        expect({ step: ex.step, status: reply.status }).toEqual({ step: ex.step, status: DEVIATIONS[ex.step] });
        expect(reply.body, ex.step).toMatchObject({ error: { message: expect.any(String) } });
        continue;
      }
      expect({ step: ex.step, status: reply.status }).toEqual({ step: ex.step, status: ex.response.status });
      expect({ step: ex.step, diff: shapeDiff(ex.response.json, withoutAdded(ex.step, reply.body)) }).toEqual({ step: ex.step, diff: [] });
      if (ex.response.headers['Access-Control-Allow-Origin'])
        expect(reply.headers.get('access-control-allow-origin'), ex.step).toBe('*');
      if (ex.response.headers['Cache-Control']) expect(reply.headers.get('cache-control'), ex.step).toBe('no-store');
    }
  });
});
