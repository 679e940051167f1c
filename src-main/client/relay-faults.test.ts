// The client under relay faults (issue 15 §1): a busy relay is waited on in line (Retry-After,
// "queued"), a relay that restarts while the client waits is ridden out with back-off, and a
// client that gives up cancels at the relay. Against the in-process reference-style relay.
import { beforeAll, describe, expect, it } from 'vitest';
import { KeyHolder, generateRsaKeyPair, type RsaKeyPair } from '../crypto';
import { ChatError } from './errors';
import { RelayClient, type RelayClientConfig } from './relay-client';
import { TransientBackoff } from './relay-client/transient-backoff';
import { FakeReferenceRelay } from '../../test-support/client/fake-reference-relay';
import type { ChatStatus } from './types';

const BASE = 'http://relay.test';
const hello = [{ role: 'user' as const, content: 'hello' }];
const RETRIEVE = '/api/v1/relay/responses/retrieve';

let clientPair: RsaKeyPair;
let nodePairs: RsaKeyPair[];
beforeAll(async () => {
  const pairs = await Promise.all(Array.from({ length: 3 }, () => generateRsaKeyPair()));
  clientPair = pairs[0]!;
  nodePairs = pairs.slice(1);
});

/** The fake relay behind a switch: `fault` answers a call instead of the relay while it returns a Response or throws. */
function faultyRelay(fault: (path: string, n: number) => Response | 'pass') {
  const relay = new FakeReferenceRelay({}, nodePairs);
  const seen = new Map<string, number>();
  const times: { path: string; at: number }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const path = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url).pathname;
    const n = (seen.get(path) ?? 0) + 1;
    seen.set(path, n);
    times.push({ path, at: performance.now() });
    const answer = fault(path, n);
    return answer === 'pass' ? relay.fetch(input, init) : answer;
  };
  const client = (over: Partial<RelayClientConfig> = {}) =>
    new RelayClient({ baseUrl: BASE, fetch: fetchImpl, pollIntervalMs: 100, keys: KeyHolder.fromPair(clientPair), ...over });
  return { relay, client, times };
}

const busy = (code: string, retryAfter: string) =>
  new Response(JSON.stringify({ error: { message: 'busy', code } }), { status: 503, headers: { 'content-type': 'application/json', 'retry-after': retryAfter } });
const refused = (): Response => {
  throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
};

describe('busy is not a failure (§2.4.1, §2.4.2)', () => {
  it('waits in line as Retry-After asks when every queue is full, reporting "queued", then is answered', async () => {
    const { relay, client, times } = faultyRelay((path, n) =>
      path === '/api/v1/relay/servers/next' && n === 1 ? busy('no_available_capacity', '1') : path === '/api/v1/relay/requests' && n === 1 ? busy('queue_full', '1') : 'pass',
    );
    await relay.addNode();
    const statuses: ChatStatus[] = [];
    const answer = await client().chat({ messages: hello, onStatus: (s) => statuses.push(s) });
    expect(answer.content).toBe('reference answer to: hello');
    const waits = statuses.filter((s) => s.type === 'queued' && s.requestId === undefined);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toMatchObject({ retryInMs: 1000, deadlineInMs: expect.any(Number) });
    const asks = times.filter((t) => t.path === '/api/v1/relay/servers/next').map((t) => t.at);
    expect(asks[1]! - asks[0]!).toBeGreaterThanOrEqual(990); // Retry-After: 1 honoured
    expect(answer.failovers).toBe(0);
  });

  it('stops waiting in line when the caller’s limit would pass, with the relay’s code', async () => {
    const { relay, client } = faultyRelay((path) => (path === '/api/v1/relay/servers/next' ? busy('no_available_capacity', '1') : 'pass'));
    await relay.addNode();
    const started = performance.now();
    const err = await client().chat({ messages: hello, timeoutMs: 2500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatError);
    expect((err as ChatError).code).toBe('no_available_capacity');
    expect(performance.now() - started).toBeLessThan(2500);
  });
});

describe('a relay restart while the client waits (§2.5.1 step 5)', () => {
  it('rides out 2 s of refused connections on retrieve with back-off and gets the answer', async () => {
    let outageEnds = 0;
    const { relay, client, times } = faultyRelay((path, n) => {
      if (path !== RETRIEVE) return 'pass';
      if (n === 1) outageEnds = performance.now() + 2000;
      return performance.now() < outageEnds ? refused() : 'pass';
    });
    await relay.addNode({ pollsBeforeAnswer: 1 });
    const answer = await client().chat({ messages: hello });
    expect(answer.content).toBe('reference answer to: hello');
    const tries = times.filter((t) => t.path === RETRIEVE).map((t) => t.at);
    const gaps = tries.slice(1).map((at, i) => at - tries[i]!);
    expect(gaps.length).toBeGreaterThan(3);
    expect(Math.max(...gaps.slice(0, 4))).toBeGreaterThan(Math.min(...gaps.slice(0, 2)) * 1.5); // the pauses grow
    expect(relay.cancels).toEqual([]);
  });

  it('gives up after the failures in a row and cancels at the relay (requester_gave_up)', async () => {
    const { relay, client } = faultyRelay((path) => (path === RETRIEVE ? refused() : 'pass'));
    await relay.addNode({ silent: true });
    const err = await client({ maxTransientRetrieveFailures: 2 }).chat({ messages: hello }).catch((e: unknown) => e);
    expect((err as ChatError).code).toBe('server_unreachable');
    expect(relay.cancels).toEqual([expect.objectContaining({ reason: 'requester_gave_up', status: 'cancelled' })]);
  });

  it('backs off from the poll interval, doubling to 5 s, jittered between half and all of it', () => {
    const low = new TransientBackoff({ pollIntervalMs: 500, maxTransientRetrieveFailures: 8 }, () => 0);
    expect(Array.from({ length: 9 }, () => low.nextPauseMs())).toEqual([250, 500, 1000, 2000, 2500, 2500, 2500, 2500, null]);
    const high = new TransientBackoff({ pollIntervalMs: 500, maxTransientRetrieveFailures: 3 }, () => 1);
    expect([high.nextPauseMs(), high.nextPauseMs()]).toEqual([500, 1000]);
    high.reset();
    expect(high.nextPauseMs()).toBe(500);
  });
});
