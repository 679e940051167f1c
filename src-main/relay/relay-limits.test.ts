// §5.1 limits against floods from many addresses or many connections, over real HTTP: IPv6
// senders share a budget per /64, the in-memory counter map stays bounded, a sender holds only so
// many long polls, and a relay process only so many connections.
import { describe, expect, it } from 'vitest';
import { startRelay, type RelayConfig } from './index';
import { TestClient, TestNode } from '../../test-support/relay/actors';
import { call } from '../../test-support/relay/http';
import { keys, relays, useRelayFixture } from '../../test-support/relay/relay-fixture';

useRelayFixture();

async function relayWith(config: RelayConfig) {
  const relay = await startRelay({ pollWaitSeconds: 1, ...config });
  relays.push(relay);
  return relay;
}

/** GET /api/v1/models (a public route) as `ip`, through X-Forwarded-For on a --trust-proxy relay. */
const modelsAs = (url: string, ip: string) => call(url, 'GET', '/api/v1/models', undefined, { 'x-forwarded-for': ip });

describe('rate-limit senders (§5.1)', () => {
  it('charges every address of one IPv6 /64 to one budget, and IPv4-mapped IPv6 to its IPv4 address', async () => {
    const relay = await relayWith({ trustProxy: true, rateLimits: { publicPerIp: [{ limit: 3, windowSeconds: 3600 }] } });
    const statuses = [];
    for (const ip of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2:abcd::9']) statuses.push((await modelsAs(relay.url, ip)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // The next /64 has its own budget.
    expect((await modelsAs(relay.url, '2001:db8:1:3::1')).status).toBe(200);
    const v4 = [];
    for (const ip of ['198.51.100.7', '::ffff:198.51.100.7', '::ffff:c633:6407', '198.51.100.7']) v4.push((await modelsAs(relay.url, ip)).status);
    expect(v4).toEqual([200, 200, 200, 429]);
    expect((await modelsAs(relay.url, '198.51.100.8')).status).toBe(200);
  });

  it('keeps at most maxCounters counters however many addresses send, dropping the least recently charged', async () => {
    const relay = await relayWith({ trustProxy: true, rateLimits: { publicPerIp: [{ limit: 2, windowSeconds: 3600 }], maxCounters: 50 } });
    const busy = '203.0.113.1';
    const busyStatuses: number[] = [];
    for (let i = 0; i < 200; i++) {
      expect((await modelsAs(relay.url, `10.${i >> 8}.${i & 255}.1`)).status).toBe(200);
      // A sender that keeps sending stays counted: the flood does not reset its budget.
      if (i % 10 === 0) busyStatuses.push((await modelsAs(relay.url, busy)).status);
    }
    expect(busyStatuses).toEqual([200, 200, ...Array<number>(18).fill(429)]);
    expect((await relay.store.entryCounts()).counters).toBeLessThanOrEqual(50);
  });
});

describe('long polls per sender (§5.1)', () => {
  it('holds at most maxLongPollsPerSender node polls per sender and refuses the rest with 429 too_many_long_polls', async () => {
    const relay = await relayWith({ rateLimits: { enabled: false }, connectionLimits: { maxLongPollsPerSender: 4 } });
    const node = await TestNode.create(relay.url, { keys: keys.node });
    expect((await node.register()).status).toBe(200);
    const started = performance.now();
    const polls = await Promise.all(Array.from({ length: 40 }, async () => ({ reply: await node.poll(), ms: performance.now() - started })));
    const held = polls.filter((p) => p.reply.status === 200);
    const refused = polls.filter((p) => p.reply.status === 429);
    expect({ held: held.length, refused: refused.length }).toEqual({ held: 4, refused: 36 });
    for (const p of held) expect(p.reply.body).toMatchObject({ message: 'No requests available' });
    for (const p of refused) {
      expect(p.reply.body).toEqual({ error: { message: 'Too many open long polls from this address (at most 4); try again shortly', code: 'too_many_long_polls' } });
      expect(p.reply.headers.get('retry-after')).toBe('1');
    }
    // Refusals come at once, not after the wait; the slots are free again afterwards.
    expect(Math.max(...refused.map((p) => p.ms))).toBeLessThan(Math.min(...held.map((p) => p.ms)));
    expect((await node.poll()).status).toBe(200);
  });

  it('answers retrieves past the cap at once (as wait_seconds 0) and never lets clients starve a node poll', async () => {
    const relay = await relayWith({ rateLimits: { enabled: false }, connectionLimits: { maxLongPollsPerSender: 3 } });
    const node = await TestNode.create(relay.url, { keys: keys.node });
    expect((await node.register()).status).toBe(200);
    const client = await TestClient.create(relay.url, keys.client);
    const s = await client.submit(node.publicKey, 'hello');
    const started = performance.now();
    const waits = Array.from({ length: 12 }, async () => {
      const reply = await client.retrieve(s.requestId, 1);
      return { status: reply.status, ms: performance.now() - started };
    });
    // With the client's three slots taken, the node still polls (its own count) and takes the work.
    await new Promise((r) => setTimeout(r, 100));
    const work = await node.poll();
    expect(work.body.request_id).toBe(s.requestId);
    const done = await Promise.all(waits);
    expect(done.every((d) => d.status === 202)).toBe(true);
    const atOnce = done.filter((d) => d.ms < 500).length;
    expect(atOnce).toBe(9);
  });
});

describe('connections per process (§5.1)', () => {
  it('closes connections past maxConnections at once and counts them on /metrics', async () => {
    const relay = await relayWith({ rateLimits: { enabled: false }, connectionLimits: { maxConnections: 6, maxLongPollsPerSender: 100 } });
    const node = await TestNode.create(relay.url, { keys: keys.node });
    expect((await node.register()).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50)); // the register connection is closed or reused
    const held = Array.from({ length: 6 }, () => node.poll().then((r) => r.status, () => 'dropped'));
    await new Promise((r) => setTimeout(r, 200));
    const extra = await node.poll().then((r) => r.status, () => 'dropped');
    expect(extra).toBe('dropped');
    expect(await Promise.all(held)).toEqual([200, 200, 200, 200, 200, 200]);
    await new Promise((r) => setTimeout(r, 50));
    const metrics = await call(relay.url, 'GET', '/metrics');
    expect(metrics.text).toMatch(/^tokenplace_relay_dropped_connections_total [1-9]/m);
  });
});
