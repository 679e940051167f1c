// The in-process node host runs one node at a time: starts that overlap (the app's launch and the
// relay's address arriving together) leave exactly one node registered, and stop takes it away.
// With the app's node key kept across restarts, a node left running unseen would serve the same
// key as the one the host reports (docs/protocol.md §9.4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type RunningRelay } from '../relay';
import { createInProcessNodeHost } from './in-process-hosts';
import { call } from '../../test-support/relay/http';

describe('in-process node host', () => {
  let relay: RunningRelay;
  beforeAll(async () => {
    relay = await startRelay({ rateLimits: { enabled: false }, pollWaitSeconds: 0.5 });
  });
  afterAll(async () => relay?.close());

  const registered = async () =>
    (await call<{ total_api_v1_registered_compute_nodes: number }>(relay.url, 'GET', '/relay/diagnostics')).body.total_api_v1_registered_compute_nodes;

  it('runs one node when two starts overlap, and none after stop', async () => {
    const host = createInProcessNodeHost({ timings: { retryMinMs: 50, retryMaxMs: 200, stopTimeoutMs: 1000 } });
    const cfg = { provider: 'test' as const, model: 'deterministic-test', relayUrl: relay.url, relayLaunchSecret: 'unused on a standalone relay' };
    try {
      await Promise.all([host.start(cfg), host.start(cfg)]);
      expect(host.status().state).toBe('registered');
      expect(await registered()).toBe(1);
    } finally {
      await host.stop();
    }
    expect(host.status().state).toBe('stopped');
    expect(await registered()).toBe(0);
  });
});
