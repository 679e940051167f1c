import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessRelayHost } from './in-process-hosts';

async function submitStatuses(url: string, count: number): Promise<Set<number>> {
  const statuses = new Set<number>();
  for (let i = 0; i < count; i++) {
    const r = await fetch(`${url}/api/v1/relay/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
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
    expect(await submitStatuses(url, 62)).toEqual(new Set([400]));
  });

  it('still rate-limits when the caller asks for the §5.1 budgets', async () => {
    const host = createInProcessRelayHost({ rateLimits: { enabled: true } });
    stop = () => host.stop();
    const { url } = await host.start();
    expect(await submitStatuses(url, 62)).toContain(429);
  });
});
