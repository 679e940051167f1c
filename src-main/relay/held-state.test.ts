// The relay reports what it holds (§2.6.1): requests by state and rate-limit entries on /metrics
// and /relay/diagnostics, read from the store — so a lapsed in-flight lease still counts, and two
// relays sharing Redis report the same numbers.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair, type RsaKeyPair } from '../crypto';
import { startRelay, type RelayConfig, type RunningRelay } from './index';
import { TestClient, TestNode } from '../../test-support/relay/actors';
import { call } from '../../test-support/relay/http';
import { startLocalRedis, type LocalRedis } from '../../test-support/relay/redis-server';

let redis: LocalRedis;
let nodeKeys: RsaKeyPair;
let clientKeys: RsaKeyPair;
beforeAll(async () => {
  [redis, nodeKeys, clientKeys] = await Promise.all([startLocalRedis(), generateRsaKeyPair(), generateRsaKeyPair()]);
});
afterAll(async () => {
  await redis?.stop();
});
const relays: RunningRelay[] = [];
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.close()));
});

interface Diagnostics {
  held_state: { requests: { queued: number; in_flight: number; awaiting_delivery: number }; rate_limit_entries: number };
}
const held = async (relay: RunningRelay) => (await call<Diagnostics>(relay.url, 'GET', '/relay/diagnostics')).body.held_state;
async function heldMetric(relay: RunningRelay): Promise<Record<string, number>> {
  const text = await (await fetch(`${relay.url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^tokenplace_relay_held_requests\{state="(\w+)"\} (\d+)$/gm)) out[m[1]!] = Number(m[2]);
  const counters = /^tokenplace_relay_state_entries\{structure="counters"\} (\d+)$/m.exec(text);
  out.rate_limit_entries = Number(counters?.[1]);
  return out;
}

const stores: [string, () => RelayConfig][] = [
  ['memory', () => ({})],
  ['redis', () => ({ redisUrl: redis.url, redisKeyPrefix: `held:${randomBytes(4).toString('hex')}:` })],
];

describe.each(stores)('what the relay holds (%s store)', (_name, storeConfig) => {
  it('counts queued, in-flight (lapsed leases too) and undelivered answers, and the rate-limit entries', async () => {
    const config: RelayConfig = { ...storeConfig(), pollWaitSeconds: 0.2, inFlightTtlSeconds: 0.2, rateLimits: { enabled: true, publicPerIp: [{ limit: 100, windowSeconds: 3600 }] } };
    const a = await startRelay(config);
    const b = await startRelay(config); // a second process on the same store (memory: a separate one)
    relays.push(a, b);
    const node = await TestNode.create(a.url, { keys: nodeKeys });
    await node.register();
    const client = await TestClient.create(a.url, clientKeys);
    expect(await held(a)).toEqual({ requests: { queued: 0, in_flight: 0, awaiting_delivery: 0 }, rate_limit_entries: 1, stream_buffered_bytes: 0 }); // the node's register

    const running = await client.submit(node.publicKey, 'running');
    await node.poll();
    const answered = await client.submit(node.publicKey, 'answered');
    await node.answer((await node.poll()).body, 'here');
    await client.submit(node.publicKey, 'waiting');
    await new Promise((r) => setTimeout(r, 300));
    await a.sweep(); // the in-flight lease of "running" lapsed: it no longer counts against capacity, but it is held
    const expected = { queued: 1, in_flight: 1, awaiting_delivery: 1 };
    expect((await held(a)).requests).toEqual(expected);
    expect((await held(a)).rate_limit_entries).toBeGreaterThan(1); // node routes and public submits
    const metric = await heldMetric(a);
    expect(metric).toMatchObject(expected);
    expect(metric.rate_limit_entries).toBe((await held(a)).rate_limit_entries);
    if (_name === 'redis') expect((await held(b)).requests).toEqual(expected); // the same from the other relay
    else expect((await held(b)).requests).toEqual({ queued: 0, in_flight: 0, awaiting_delivery: 0 });

    expect((await client.retrieve(answered.requestId)).status).toBe(200);
    expect((await held(a)).requests).toEqual({ queued: 1, in_flight: 1, awaiting_delivery: 0 });
    expect(running.requestId).toBeDefined();
  });
});
