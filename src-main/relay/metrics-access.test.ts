// /metrics access: the token is compared in constant time (hashed to equal lengths, then
// timingSafeEqual), and a relay that listens beyond loopback refuses to start with an open
// /metrics unless the operator says so (--public-metrics).
import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MetricsTokenRequiredError, startRelay, type RunningRelay } from './index';
import { call } from '../../test-support/relay/http';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const running: RunningRelay[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function relayWith(config: Parameters<typeof startRelay>[0]) {
  const relay = await startRelay({ rateLimits: { enabled: false }, ...config });
  running.push(relay);
  return relay;
}

describe('/metrics token', () => {
  it('is compared in constant time: equal-length digests through timingSafeEqual, whatever was presented', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const relay = await relayWith({ metricsToken: token });
    const compare = vi.mocked(crypto.timingSafeEqual);
    for (const presented of ['x', 'metrics-token-0123456789abcdeX', `${token}-and-more`, '']) {
      compare.mockClear();
      const r = await call(relay.url, 'GET', '/metrics', undefined, { authorization: `Bearer ${presented}` });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: { message: 'Missing or invalid metrics token', code: 401 } });
      expect(compare).toHaveBeenCalledTimes(1);
      const [a, b] = compare.mock.calls[0]! as [Buffer, Buffer];
      expect([a.length, b.length]).toEqual([32, 32]);
    }
    expect((await call(relay.url, 'GET', '/metrics')).status).toBe(401);
    const ok = await call(relay.url, 'GET', '/metrics', undefined, { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('tokenplace_relay_http_requests_total');
  });

  it('is required by default when the relay listens beyond loopback', async () => {
    await expect(startRelay({ host: '0.0.0.0' })).rejects.toThrow(MetricsTokenRequiredError);
    await expect(startRelay({ host: '0.0.0.0' })).rejects.toThrow(
      '/metrics needs a token: the relay listens on 0.0.0.0, which is not a loopback address. ' +
        'Give it one with --metrics-token-file FILE (or TOKENPLACE_RELAY_METRICS_TOKEN), or pass --public-metrics to serve /metrics to anyone on purpose.',
    );
    await expect(startRelay({ host: '::' })).rejects.toThrow(MetricsTokenRequiredError);
    // With a token, or an explicit opt-out, it starts; loopback needs neither.
    const guarded = await relayWith({ host: '0.0.0.0', metricsToken: 'a-long-enough-metrics-token' });
    expect((await call(guarded.url, 'GET', '/metrics')).status).toBe(401);
    const open = await relayWith({ host: '0.0.0.0', publicMetrics: true });
    expect((await call(open.url, 'GET', '/metrics')).status).toBe(200);
    for (const host of ['127.0.0.1', 'localhost', '::1']) {
      const local = await relayWith({ host });
      expect((await call(local.url, 'GET', '/metrics')).status).toBe(200);
    }
  });
});
