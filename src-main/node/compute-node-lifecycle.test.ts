// Node lifecycle against our relay: cancel mid-generation, deadline expiry, heartbeats during a
// long inference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../relay';
import { KeyPool, TEST_MODEL, eventually, startTestNode, startTestRelay } from '../../test-support/node/harness';
import { MiniClient, nextServerStatus, replyText } from '../../test-support/node/mini-client';

const ask = (text: string) => [{ role: 'user' as const, content: text }];
const longText = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');

describe('compute node lifecycle', () => {
  let keys: KeyPool;
  let relay: RunningRelay;
  let client: MiniClient;

  beforeAll(async () => {
    keys = await KeyPool.create(4);
    relay = await startTestRelay();
    client = new MiniClient(relay.url, await keys.take());
  });
  afterAll(() => relay?.close());

  it('aborts the provider when the client cancels mid-generation, and posts nothing', async () => {
    const t = await startTestNode(relay.url, { keys, provider: { tokenDelayMs: 30 } });
    try {
      const sent = await client.send({ model: TEST_MODEL, messages: ask(longText) });
      await eventually(() => t.provider.stats.inFlight === 1, 3000, 'generation started');
      expect(await client.cancel(sent)).toBe(200);
      const report = await t.reportFor(sent.requestId, 5000);
      expect(report.outcome).toBe('cancelled');
      expect(t.provider.stats.aborted).toBe(1);
      const result = await client.waitForAnswer(sent.requestId, 2000);
      expect(result).toMatchObject({ kind: 'terminal', status: 410, code: 'cancelled' });
      // The node is free again.
      const again = await client.send({ model: TEST_MODEL, messages: ask('after cancel'), serverPublicKey: t.node.publicKeyWire()! });
      expect(replyText(await client.waitForAnswer(again.requestId))).toContain('after cancel');
    } finally {
      await t.node.stop();
    }
  });

  it('stops generating at the relay deadline and posts nothing', async () => {
    const shortRelay = await startTestRelay({ requestDeadlineSeconds: 1 });
    const t = await startTestNode(shortRelay.url, { keys, provider: { delayMs: 5000 } });
    try {
      const c = new MiniClient(shortRelay.url, client.keys);
      const sent = await c.send({ model: TEST_MODEL, messages: ask('slow') });
      const report = await t.reportFor(sent.requestId, 4000);
      expect(report.outcome).toBe('expired');
      expect(report.timings.totalMs).toBeLessThan(2500);
      expect(t.provider.stats.aborted).toBe(1);
      const result = await c.waitForAnswer(sent.requestId, 3000);
      expect(result).toMatchObject({ kind: 'terminal', status: 410, code: 'expired' });
    } finally {
      await t.node.stop();
      await shortRelay.close();
    }
  });

  it('keeps its registration alive (heartbeats) through an inference longer than the lease', async () => {
    const t = await startTestNode(relay.url, { keys, provider: { delayMs: 3000 } });
    try {
      const sent = await client.send({ model: TEST_MODEL, messages: ask('long one') });
      await eventually(() => t.provider.stats.inFlight === 1, 3000, 'generation started');
      await new Promise((r) => setTimeout(r, 2500)); // > lease (2 s)
      // Busy but alive: the relay still offers it (a request would queue behind this one), not a missing node.
      expect(await nextServerStatus(relay.url, TEST_MODEL)).toEqual({ status: 200 });
      expect(replyText(await client.waitForAnswer(sent.requestId, 5000))).toContain('long one');
      expect(t.node.status().lastError).toBeNull();
    } finally {
      await t.node.stop();
    }
  });

});
