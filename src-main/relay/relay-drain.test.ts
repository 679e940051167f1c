// §2.6.5 graceful drain: the relay bin on SIGTERM says it is draining, refuses new requests and
// node polls with 503 + Retry-After, ends long polls, still takes and hands out the answer under
// way, and exits within its bound.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair, type RsaKeyPair } from '../crypto';
import { TestClient, TestNode } from '../../test-support/relay/actors';
import { call } from '../../test-support/relay/http';
import { spawnRelayProcess, type RelayProcess } from '../../test-support/relay/relay-process';

let nodeKeys: RsaKeyPair;
let clientKeys: RsaKeyPair;
beforeAll(async () => {
  [nodeKeys, clientKeys] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
});
const started: RelayProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.stop()));
});

async function relayWithWorkInFlight(drainSeconds: number) {
  const relay = await spawnRelayProcess(['--quiet', '--no-rate-limits', '--poll-wait-seconds', '5', '--drain-seconds', String(drainSeconds)]);
  started.push(relay);
  const node = await TestNode.create(relay.url, { keys: nodeKeys });
  await node.register();
  const client = await TestClient.create(relay.url, clientKeys);
  const held = await client.submit(node.publicKey, 'under way');
  const work = (await node.poll()).body;
  expect(work.request_id).toBe(held.requestId);
  return { relay, node, client, held, work };
}

describe('graceful drain on SIGTERM (§2.6.5)', () => {
  it('refuses new work, ends long polls, delivers the answer under way, then exits early', async () => {
    const { relay, node, client, held, work } = await relayWithWorkInFlight(20);
    const waitingRetrieve = client.retrieve(held.requestId, 20); // a long poll open when the drain starts
    const pollStarted = Date.now();
    const waitingPoll = node.poll(); // a node long poll open when the drain starts
    await new Promise((r) => setTimeout(r, 200));
    relay.kill('SIGTERM');
    expect((await waitingPoll).status).toBe(200); // the poll returned ("No requests available")
    expect(Date.now() - pollStarted).toBeLessThan(4000); // well before its 5 s wait
    expect((await waitingRetrieve).status).toBe(202);

    const health = await call<{ status: string }>(relay.url, 'GET', '/healthz');
    expect({ status: health.status, body: health.body.status, retryAfter: health.headers.get('retry-after') }).toEqual({ status: 503, body: 'draining', retryAfter: '5' });
    const next = await call<{ error: { code: string } }>(relay.url, 'GET', '/api/v1/relay/servers/next');
    expect({ status: next.status, code: next.body.error.code, retryAfter: next.headers.get('retry-after') }).toEqual({ status: 503, code: 'relay_draining', retryAfter: '5' });
    const submit = (await client.submit(node.publicKey, 'too late')).reply;
    expect({ status: submit.status, retryAfter: submit.headers.get('retry-after') }).toEqual({ status: 503, retryAfter: '5' });
    const poll = await node.poll();
    expect({ status: poll.status, code: (poll.body as { error?: { code?: string } }).error?.code }).toEqual({ status: 503, code: 'relay_draining' }); // the node is told

    const t0 = Date.now();
    expect((await node.answer(work, 'delivered while draining')).status).toBe(200);
    expect((await client.retrieve(held.requestId)).status).toBe(200);
    expect(await relay.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000); // it did not wait out its 20 s bound
  });

  it('exits within its bound when an answer never comes', async () => {
    const { relay } = await relayWithWorkInFlight(1);
    const t0 = Date.now();
    relay.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(Date.now() - t0).toBeLessThan(6000);
  });
});
