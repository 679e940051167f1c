// The waiting rules on their own: how long-poll support is learnt (§2.4.3) and the request
// deadline (admission + TTL + grace, only ever shortened). End to end: relay-client.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair, type RsaKeyPair } from '../../crypto';
import { ChatRun } from './chat-run';
import { RequestDeadline } from './deadline';
import { LongPollSupport } from './long-poll';

describe('LongPollSupport', () => {
  it('is learnt from the first retrieve that can tell, and never asked for when disabled', () => {
    const off = new LongPollSupport(0);
    expect(off.mode).toBe('poll');
    expect(off.waitSecondsFor(60_000)).toBe(0);

    const held = new LongPollSupport(20);
    expect(held.mode).toBe('undetermined');
    expect(held.waitSecondsFor(60_000)).toBe(20);
    expect(held.waitSecondsFor(7_900)).toBe(7); // never past the give-up time
    expect(held.sawPending({ askedSeconds: 20, elapsedMs: 5 }, true)).toBe(false); // progress came at once: no verdict, no pause
    expect(held.mode).toBe('undetermined');
    held.sawAnswer({ askedSeconds: 20, elapsedMs: 900 });
    expect(held.mode).toBe('long-poll');

    const reference = new LongPollSupport(20);
    expect(reference.sawPending({ askedSeconds: 20, elapsedMs: 3 }, false)).toBe(true); // answered at once: poll cadence
    expect(reference.mode).toBe('poll');
    expect(reference.waitSecondsFor(60_000)).toBe(0);
  });

  it('pauses after a pending answer that came back at once, whatever the relay claims', () => {
    const lp = new LongPollSupport(20);
    lp.sawAnswer({ askedSeconds: 20, elapsedMs: 1000 });
    expect(lp.sawPending({ askedSeconds: 20, elapsedMs: 1000 }, false)).toBe(false);
    expect(lp.sawPending({ askedSeconds: 20, elapsedMs: 10 }, false)).toBe(true);
    expect(lp.sawPending({ askedSeconds: 0, elapsedMs: 1000 }, false)).toBe(true);
  });

  it('drops wait_seconds once when a strict relay refuses it, and only while undetermined', () => {
    const strict = new LongPollSupport(20);
    expect(strict.refusedWaitSeconds({ askedSeconds: 20, elapsedMs: 5 }, 400)).toBe(true);
    expect(strict.mode).toBe('poll');
    expect(strict.refusedWaitSeconds({ askedSeconds: 0, elapsedMs: 5 }, 400)).toBe(false);
    const known = new LongPollSupport(20);
    known.sawAnswer({ askedSeconds: 20, elapsedMs: 500 });
    expect(known.refusedWaitSeconds({ askedSeconds: 20, elapsedMs: 500 }, 400)).toBe(false);
    expect(new LongPollSupport(20).refusedWaitSeconds({ askedSeconds: 20, elapsedMs: 5 }, 500)).toBe(false);
  });
});

describe('RequestDeadline', () => {
  const settings = { graceMs: 5_000, legacyDeadlineMs: 485_000 };
  let pair: RsaKeyPair;
  beforeAll(async () => {
    pair = await generateRsaKeyPair();
  });
  const run = async (timeoutMs?: number) => new ChatRun({ messages: [], ...(timeoutMs !== undefined ? { timeoutMs } : {}) }, pair);

  it('gives up at admission + TTL + grace, or at the legacy default without a TTL', async () => {
    const r = await run();
    const admittedAt = performance.now();
    expect(new RequestDeadline(r, { admittedAt, requestTtlSeconds: 10 }, settings).giveUpAt()).toBe(admittedAt + 15_000);
    expect(new RequestDeadline(r, { admittedAt, requestTtlSeconds: undefined }, settings).giveUpAt()).toBe(admittedAt + 485_000);
  });

  it('is only ever shortened, and the caller’s own limit wins when earlier', async () => {
    const r = await run();
    const d = new RequestDeadline(r, { admittedAt: performance.now(), requestTtlSeconds: 10 }, settings);
    const before = d.giveUpAt();
    d.shortenTo(60);
    expect(d.giveUpAt()).toBe(before);
    d.shortenTo(1);
    expect(d.giveUpAt()).toBeLessThan(before - 8_000);
    expect(d.relayDeadlineInMs()).toBeLessThanOrEqual(6_000);
    expect(d.pauseMs(500)).toBe(500);

    const short = await run(50);
    const limited = new RequestDeadline(short, { admittedAt: performance.now(), requestTtlSeconds: 10 }, settings);
    expect(limited.giveUpAt()).toBe(short.userDeadline);
    expect(limited.pauseMs(500)).toBeLessThanOrEqual(50);
    expect(short.timedOut(limited.giveUpAt())).toMatchObject({ code: 'client_timeout', message: 'client_timeout: local timeout' });
    expect(short.timedOut(limited.giveUpAt() + 1)).toMatchObject({ message: 'client_timeout: relay deadline (§2.4.3) passed' });
  });
});
