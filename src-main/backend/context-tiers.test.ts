// chat:models offers only the context tiers some node on the active server serves (§2.4.1 probe).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeterministicTestProvider, startComputeNode, type ComputeNode } from '../node';
import { LAUNCH_SECRET_HEADER } from '../../src-shared/protocol/relay-http';
import { servableContextTiers } from './context-tiers';
import { startRealBackend, TEST_MODEL, type RealBackend } from '../../test-support/backend/real-backend';

const reply = (status: number, body: unknown): typeof fetch => async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('servableContextTiers', () => {
  it('drops the large tier only on 503 no_matching_compute_node', async () => {
    const noMatch = reply(503, { error: { message: 'no node', code: 'no_matching_compute_node' } });
    expect(await servableContextTiers('http://relay.test/', ['m1', 'm2'], noMatch)).toEqual(['8k-fast']);
    // No node at all, other failures, unreachable or no URL: not knowable, every tier stays.
    expect(await servableContextTiers('http://relay.test', ['m1'], reply(503, { error: { message: 'none', code: 'no_registered_compute_nodes' } }))).toEqual(['8k-fast', '64k-full']);
    expect(await servableContextTiers('http://relay.test', ['m1'], reply(503, 'not json at all'))).toEqual(['8k-fast', '64k-full']);
    expect(await servableContextTiers('http://relay.test', ['m1'], reply(200, {}))).toEqual(['8k-fast', '64k-full']);
    expect(await servableContextTiers('http://relay.test', ['m1'], async () => Promise.reject(new TypeError('fetch failed')))).toEqual(['8k-fast', '64k-full']);
    expect(await servableContextTiers(null, ['m1'], noMatch)).toEqual(['8k-fast', '64k-full']);
    expect(await servableContextTiers('http://relay.test', [], noMatch)).toEqual(['8k-fast', '64k-full']);
    // The probe goes through the client's HTTP layer: an oversized answer is not believed, and a
    // redirect is not followed.
    const oversized = reply(503, { error: { message: 'x'.repeat(100_000), code: 'no_matching_compute_node' } });
    expect(await servableContextTiers('http://relay.test', ['m1'], oversized)).toEqual(['8k-fast', '64k-full']);
    const redirects: RequestInit[] = [];
    const redirecting: typeof fetch = async (input, init) => {
      redirects.push(init ?? {});
      return noMatch(input, init);
    };
    expect(await servableContextTiers('http://relay.test', ['m1'], redirecting)).toEqual(['8k-fast']);
    expect(redirects.map((r) => r.redirect)).toEqual(['error']);
    // One model with a 64k node is enough; the probe names the model and the large tier.
    const asked: string[] = [];
    const oneHasIt: typeof fetch = async (input) => {
      const url = new URL(String(input));
      asked.push(`${url.pathname}?${url.searchParams}`);
      return url.searchParams.get('model') === 'big'
        ? reply(200, { server_public_key: 'k' })(input)
        : reply(503, { error: { message: 'no node', code: 'no_matching_compute_node' } })(input);
    };
    expect(await servableContextTiers('http://relay.test/base/', ['small', 'big'], oneHasIt)).toEqual(['8k-fast', '64k-full']);
    expect(asked).toEqual([
      '/base/api/v1/relay/servers/next?context_tier=64k-full&model=small',
      '/base/api/v1/relay/servers/next?context_tier=64k-full&model=big',
    ]);
  });
});

describe('chat:models against the real relay', () => {
  let real: RealBackend;
  let bigNode: ComputeNode | undefined;
  const call = (channel: string, request: unknown = {}) => real.backend.handle(channel, request);

  beforeAll(async () => {
    real = await startRealBackend();
  });
  afterAll(async () => {
    await bigNode?.stop();
    await real?.close();
  });

  it('offers 8k only while the only node serves 8k, and 64k once a 64k node attaches', async () => {
    await expect.poll(async () => ((await call('relay:status')) as { nodeCount: number }).nodeCount, { timeout: 5000 }).toBe(1);
    expect(await call('chat:models')).toEqual({ models: [TEST_MODEL], contextTiers: ['8k-fast'] });
    const relayUrl = ((await call('relay:status')) as { url: string }).url;
    bigNode = await startComputeNode({
      relayUrl,
      // The embedded relay serves only holders of its launch secret (§12).
      relayHeaders: { [LAUNCH_SECRET_HEADER]: real.relayHost.launchSecret },
      provider: createDeterministicTestProvider({ models: [TEST_MODEL] }),
      models: [{ id: TEST_MODEL, providerModel: TEST_MODEL, contextTier: '64k-full' }],
      timings: { retryMinMs: 50, retryMaxMs: 500, stopTimeoutMs: 1000 },
    });
    await expect.poll(async () => ((await call('relay:status')) as { nodeCount: number }).nodeCount, { timeout: 5000 }).toBe(2);
    expect(await call('chat:models')).toEqual({ models: [TEST_MODEL], contextTiers: ['8k-fast', '64k-full'] });
  });
});
