import { afterEach, describe, expect, it } from 'vitest';
import { LAUNCH_SECRET_HEADER } from '../../src-shared/protocol/relay-http';
import { createInProcessRelayHost } from './in-process-hosts';
import { rawCall } from '../../test-support/relay/http';

async function submitStatuses(url: string, count: number, launchSecret: string): Promise<Set<number>> {
  const statuses = new Set<number>();
  for (let i = 0; i < count; i++) {
    const headers = { 'content-type': 'application/json', [LAUNCH_SECRET_HEADER]: launchSecret };
    const r = await fetch(`${url}/api/v1/relay/requests`, { method: 'POST', headers, body: '{}' });
    statuses.add(r.status);
  }
  return statuses;
}

describe('the embedded relay host', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => stop?.());

  it('binds loopback and does not apply the public per-IP budget (60/hour) to the user’s own requests', async () => {
    const host = createInProcessRelayHost();
    stop = () => host.stop();
    const { url } = await host.start();
    expect(new URL(url).hostname).toBe('127.0.0.1');
    expect(await submitStatuses(url, 62, host.launchSecret)).toEqual(new Set([400]));
  });

  it('is the app’s own relay (§12): only its launch secret gets answers, and a restart keeps port and secret', async () => {
    const host = createInProcessRelayHost();
    stop = () => host.stop();
    const { url } = await host.start();
    expect(host.launchSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const withSecret = { [LAUNCH_SECRET_HEADER]: host.launchSecret };
    expect((await rawCall(url, 'GET', '/api/v1/health')).status).toBe(401);
    expect((await rawCall(url, 'GET', '/api/v1/health', withSecret)).status).toBe(200);
    expect(await host.nodeCount()).toBe(0);
    await host.stop();
    expect((await host.start()).url).toBe(url);
    expect((await rawCall(url, 'GET', '/api/v1/health', withSecret)).status).toBe(200);
    expect(createInProcessRelayHost().launchSecret).not.toBe(host.launchSecret);
  });

  it('still rate-limits when the caller asks for the §5.1 budgets', async () => {
    const host = createInProcessRelayHost({ rateLimits: { enabled: true } });
    stop = () => host.stop();
    const { url } = await host.start();
    expect(await submitStatuses(url, 62, host.launchSecret)).toContain(429);
  });
});
