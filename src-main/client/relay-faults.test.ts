// The client under relay faults (issue 15 §1): a busy relay is waited on in line (Retry-After,
// "queued"), a relay that restarts while the client waits — or before its request is admitted —
// is ridden out with back-off, and a client that gives up cancels at the relay. Against the in-process reference-style relay.
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

  it('after the relay answered once, rides out its restart before the next request is admitted (finding a node, submitting)', async () => {
    let outageEnds = Infinity;
    const { relay, client, times } = faultyRelay((path) => (performance.now() < outageEnds && path !== RETRIEVE ? refused() : 'pass'));
    await relay.addNode();
    outageEnds = 0;
    const c = client();
    expect((await c.chat({ messages: hello })).content).toBe('reference answer to: hello');
    // The relay goes away for 1.5 s, just as the next chat starts.
    outageEnds = performance.now() + 1500;
    const answer = await c.chat({ messages: hello });
    expect(answer.content).toBe('reference answer to: hello');
    expect(answer.failovers).toBe(0);
    const asks = times.filter((t) => t.path === '/api/v1/relay/servers/next');
    expect(asks.length).toBeGreaterThan(3);
    expect(asks.at(-1)!.at).toBeGreaterThanOrEqual(outageEnds - 5);
  });

  it('a submit refused by a restarting relay (5xx) is sent again once it is back, as one request', async () => {
    const { relay, client } = faultyRelay((path, n) =>
      path === '/api/v1/relay/requests' && n <= 2 ? new Response(JSON.stringify({ error: { message: 'store gone', code: 'store_unavailable' } }), { status: 503 }) : 'pass',
    );
    await relay.addNode();
    const answer = await client().chat({ messages: hello });
    expect(answer.content).toBe('reference answer to: hello');
    expect(answer.failovers).toBe(0);
  });

  it('a relay never reached fails at once: a mistyped address is said without a wait', async () => {
    const { client } = faultyRelay(() => refused());
    const started = performance.now();
    const err = await client().chat({ messages: hello }).catch((e: unknown) => e);
    expect((err as ChatError).code).toBe('server_unreachable');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a relay that had nodes a moment ago and has none now (they re-register after its restart) is asked again briefly', async () => {
    const { relay, client } = faultyRelay(() => 'pass');
    await relay.addNode();
    const c = client();
    await c.chat({ messages: hello });
    const node = relay.nodes.splice(0, 1)[0]!;
    setTimeout(() => relay.nodes.push(node), 400);
    expect((await c.chat({ messages: hello })).content).toBe('reference answer to: hello');
  });

  it('a relay that never had a node says so at once, and after a few asks when its nodes do not come back', async () => {
    const { relay, client, times } = faultyRelay(() => 'pass');
    const fresh = await client().chat({ messages: hello }).catch((e: unknown) => e);
    expect((fresh as ChatError).code).toBe('no_registered_compute_nodes');
    expect(times.filter((t) => t.path === '/api/v1/relay/servers/next')).toHaveLength(1);
    await relay.addNode();
    const c = client();
    await c.chat({ messages: hello });
    relay.nodes.length = 0;
    const before = times.length;
    const gone = await c.chat({ messages: hello }).catch((e: unknown) => e);
    expect((gone as ChatError).code).toBe('no_registered_compute_nodes');
    expect(times.slice(before).filter((t) => t.path === '/api/v1/relay/servers/next')).toHaveLength(5); // 1 + 4 asks again
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
