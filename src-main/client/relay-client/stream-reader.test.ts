// The stream reader on its own (docs/protocol.md §11.5): what it does with 429s from stream/read —
// wait as Retry-After says a bounded number of times and only within the deadline, then end with
// the relay's error — so a relay that keeps refusing never holds a reader forever.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair, type RsaKeyPair } from '../../crypto';
import { ChatRun } from './chat-run';
import { RequestDeadline } from './deadline';
import { RelayCalls } from './relay-calls';
import { resolveSettings } from './settings';
import { MAX_STREAM_READ_BUSY_RETRIES, StreamReader } from './stream-reader';

let pair: RsaKeyPair;
beforeAll(async () => {
  pair = await generateRsaKeyPair();
});

/** A relay whose stream/events is absent and whose stream/read always answers 429 with `retryAfter`. */
function busyRelay(retryAfter: string) {
  const paths: string[] = [];
  const fetchImpl: typeof fetch = (input) => {
    const path = new URL(String(input)).pathname;
    paths.push(path);
    if (path.endsWith('/stream/events')) return Promise.resolve(new Response('{"message":"Route not found"}', { status: 404 }));
    return Promise.resolve(new Response(JSON.stringify({ error: { message: 'Too many requests; slow down', code: 'rate_limit_exceeded' } }), { status: 429, headers: { 'content-type': 'application/json', 'retry-after': retryAfter } }));
  };
  return { paths, fetchImpl };
}

function readerFor(fetchImpl: typeof fetch, ttlSeconds: number) {
  const settings = resolveSettings({ baseUrl: 'http://relay.test', graceMs: 0 });
  const run = new ChatRun({ messages: [{ role: 'user', content: 'hi' }] }, pair);
  const deadline = new RequestDeadline(run, { admittedAt: performance.now(), requestTtlSeconds: ttlSeconds }, settings);
  return new StreamReader(new RelayCalls('http://relay.test', fetchImpl, settings), settings, run, { requestId: 'r1', clientPublicKey: pair.publicKeyWire, deadline });
}

describe('StreamReader and a relay that keeps answering 429 (§11.5)', () => {
  it(`waits out ${MAX_STREAM_READ_BUSY_RETRIES} refusals, then ends with the relay's error`, async () => {
    const relay = busyRelay('0');
    const err = await readerFor(relay.fetchImpl, 60).next(-1).then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'rate_limit_exceeded', httpStatus: 429 });
    expect(relay.paths.filter((p) => p.endsWith('/stream/read'))).toHaveLength(MAX_STREAM_READ_BUSY_RETRIES + 1);
  });

  it('gives up at once when Retry-After reaches past the deadline', async () => {
    const relay = busyRelay('30');
    const started = performance.now();
    const err = await readerFor(relay.fetchImpl, 5).next(-1).then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'rate_limit_exceeded' });
    expect(relay.paths.filter((p) => p.endsWith('/stream/read'))).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
