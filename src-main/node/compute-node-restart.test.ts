// Node restarts against our relay: unregister on stop, restart with a new key, in-flight work on
// stop, re-registration after a relay restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../relay';
import { KeyPool, TEST_MODEL, eventually, startTestNode, startTestRelay } from '../../test-support/node/harness';
import { MiniClient, nextServerStatus, replyText } from '../../test-support/node/mini-client';

const ask = (text: string) => [{ role: 'user' as const, content: text }];

describe('compute node restarts', () => {
  let keys: KeyPool;
  let relay: RunningRelay;
  let client: MiniClient;

  beforeAll(async () => {
    keys = await KeyPool.create(8);
    relay = await startTestRelay();
    client = new MiniClient(relay.url, await keys.take());
  });
  afterAll(() => relay?.close());

  it('unregisters on stop, and a restarted node registers a new key and serves', async () => {
    const first = await startTestNode(relay.url, { keys });
    const firstKey = first.node.publicKeyWire();
    await first.node.stop();
    expect(first.node.status().state).toBe('stopped');
    expect(await nextServerStatus(relay.url, TEST_MODEL)).toEqual({ status: 503, code: 'no_registered_compute_nodes' });

    const second = await startTestNode(relay.url, { keys });
    try {
      expect(second.node.publicKeyWire()).not.toBe(firstKey);
      const sent = await client.send({ model: TEST_MODEL, messages: ask('restarted') });
      expect(sent.serverPublicKey).toBe(second.node.publicKeyWire());
      expect(replyText(await client.waitForAnswer(sent.requestId))).toContain('restarted');
    } finally {
      await second.node.stop();
    }
  });

  it('stop cancels in-flight work at the relay (server_unregistered) instead of leaving clients waiting', async () => {
    const t = await startTestNode(relay.url, { keys, provider: { delayMs: 5000 } });
    const sent = await client.send({ model: TEST_MODEL, messages: ask('interrupted') });
    await eventually(() => t.provider.stats.inFlight === 1, 3000, 'generation started');
    await t.node.stop();
    expect((await t.reportFor(sent.requestId)).outcome).toBe('stopped');
    const result = await client.waitForAnswer(sent.requestId, 2000);
    expect(result).toMatchObject({ kind: 'terminal', status: 410 });
  });

  it('re-registers after a relay restart (404 on poll) and serves again', async () => {
    const own = await startTestRelay();
    const port = own.port;
    const t = await startTestNode(own.url, { keys });
    let restarted: RunningRelay | null = null;
    try {
      const c = new MiniClient(own.url, client.keys);
      const first = await c.send({ model: TEST_MODEL, messages: ask('before') });
      expect(replyText(await c.waitForAnswer(first.requestId))).toContain('before');
      await own.close();
      await eventually(() => t.node.status().state === 'error', 5000, 'node notices the relay is gone');
      restarted = await startTestRelay({ port });
      await eventually(() => t.node.status().state === 'registered', 5000, 'node re-registered');
      const second = await c.send({ model: TEST_MODEL, messages: ask('after relay restart') });
      expect(second.serverPublicKey).toBe(t.node.publicKeyWire());
      expect(replyText(await c.waitForAnswer(second.requestId))).toContain('after relay restart');
    } finally {
      await t.node.stop();
      await restarted?.close();
    }
  });
  it('rotates keys on a schedule and keeps serving under the new key', async () => {
    const t = await startTestNode(relay.url, { keys, node: { keyRotationIntervalMs: 300 } });
    try {
      const first = t.node.publicKeyWire();
      const rotated = new Promise<{ fingerprint: string; previousFingerprint: string }>((resolve) => t.node.on('rotated', resolve));
      const event = await rotated;
      expect(event.fingerprint).not.toBe(event.previousFingerprint);
      expect(t.node.publicKeyWire()).not.toBe(first);
      const sent = await client.send({ model: TEST_MODEL, messages: ask('rotated'), serverPublicKey: t.node.publicKeyWire()! });
      expect(replyText(await client.waitForAnswer(sent.requestId))).toContain('rotated');
    } finally {
      await t.node.stop();
    }
  });
  it('starts while the relay is down, reports the error, and registers once it is up', async () => {
    const probe = await startTestRelay();
    const port = probe.port;
    await probe.close();
    const t = await startTestNode(`http://127.0.0.1:${port}`, { keys });
    let late: RunningRelay | null = null;
    try {
      expect(t.node.status()).toMatchObject({ state: 'error', lastError: expect.stringContaining('unreachable') });
      late = await startTestRelay({ port });
      await eventually(() => t.node.status().state === 'registered', 5000, 'registration after the relay came up');
      const c = new MiniClient(late.url, client.keys);
      const sent = await c.send({ model: TEST_MODEL, messages: ask('late relay') });
      expect(replyText(await c.waitForAnswer(sent.requestId))).toContain('late relay');
    } finally {
      await t.node.stop();
      await late?.close();
    }
  });
});
