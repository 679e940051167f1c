// The relay client reads a stream as Server-Sent Events when the relay offers them (docs/protocol.md
// §11.5), with every check of §11.7 as on the long poll: a tampered, reordered, replayed, spliced or
// falsely final stream ends with stream_not_authentic and nothing after the break is shown. When
// the events route is absent, refused or breaks off, the long poll takes over from the last chunk
// held; a stream/read that keeps answering 429 is given up after a few waits, with a clear error.
import { beforeAll, describe, expect, it } from 'vitest';
import { KeyHolder, type RsaKeyPair } from '../crypto';
import { chatThroughFake, type StreamScript, type StreamTamper } from '../../test-support/client/fake-stream-relay';
import { keyPairs } from '../../test-support/client/stack';

const DELTAS = ['Hello', ', ', 'streaming ', 'world', '!'];
let node: RsaKeyPair;
let clientKeys: KeyHolder;

beforeAll(async () => {
  const [n, c] = (await keyPairs(2)) as [RsaKeyPair, RsaKeyPair];
  node = n;
  clientKeys = KeyHolder.fromPair(c);
});

const streamed = (script: Omit<StreamScript, 'transport'>, opts?: Parameters<typeof chatThroughFake>[3]) =>
  chatThroughFake(node, clientKeys, { transport: 'chunks', ...script }, opts);

describe('streamed answers read as Server-Sent Events (§11.5, §11.7)', () => {
  it('reads the whole stream from one events response, no long poll, and the answer equals it', async () => {
    const { relay, deltas, outcome, shown } = await streamed({ deltas: DELTAS, events: 'serve' });
    expect(deltas.map((d) => d.text)).toEqual(DELTAS);
    expect(relay.eventReads).toEqual([{ after: -1 }]);
    expect(relay.reads).toEqual([]);
    expect('answer' in outcome && outcome.answer).toMatchObject({ content: shown, delivery: 'chunks', finishReason: 'stop' });
  });

  // Every way of breaking a stream the fake relay knows, each caught at chunk 1.
  const tampers: StreamTamper[] = ['reorder', 'drop', 'replay', 'splice', 'bitflip', 'false-final'];
  it.each(tampers)('events tampered by %s end with stream_not_authentic after chunk 0, and a cancel', async (tamper) => {
    const { relay, outcome, shown } = await streamed({ deltas: DELTAS, events: 'serve', tamper });
    expect(['error' in outcome && outcome.error.code, shown, relay.cancels.length]).toEqual(['stream_not_authentic', DELTAS[0], 1]);
  });

  it('events cut short are completed from the authenticated answer', async () => {
    const { outcome, shown } = await streamed({ deltas: DELTAS, events: 'serve', tamper: 'truncate' });
    expect(shown).toBe(DELTAS.join(''));
    expect('answer' in outcome && outcome.answer).toMatchObject({ content: DELTAS.join(''), delivery: 'chunks' });
  });

  it('an answer that differs from the streamed events ends with stream_not_authentic', async () => {
    const { outcome } = await streamed({ deltas: DELTAS, events: 'serve', tamper: 'answer-differs' });
    expect('error' in outcome && outcome.error.code).toBe('stream_not_authentic');
  });

  it('a node that vanishes mid-stream: done without a final chunk, the relay’s word, the partial text kept', async () => {
    const { outcome, shown } = await streamed({ deltas: DELTAS, events: 'serve', tamper: 'vanish' });
    expect(shown).toBe(DELTAS.slice(0, -1).join(''));
    expect('error' in outcome && outcome.error).toMatchObject({ code: 'cancelled', details: { reason: 'server_unregistered' } });
  });

  it('events that break off: the long poll goes on after the last chunk held', async () => {
    const { relay, deltas, outcome } = await streamed({ deltas: DELTAS, events: 'break' });
    expect(deltas.map((d) => d.text)).toEqual(DELTAS);
    expect(relay.eventReads).toEqual([{ after: -1 }]);
    expect(relay.reads[0]).toEqual({ after: 0 });
    expect('answer' in outcome && outcome.answer).toMatchObject({ content: DELTAS.join(''), delivery: 'chunks' });
  });

  it('events refused (429, no free long-poll slot): the long poll reads the stream', async () => {
    const { relay, deltas, outcome } = await streamed({ deltas: DELTAS, events: 'busy' });
    expect(deltas.map((d) => d.text)).toEqual(DELTAS);
    expect(relay.reads.map((r) => r.after)).toEqual([-1, 0, 1, 2, 3]);
    expect('answer' in outcome && outcome.answer).toMatchObject({ content: DELTAS.join('') });
  });

  it('a stream/read answering 429 a few times is waited out as Retry-After says', async () => {
    const started = performance.now();
    const { relay, deltas, outcome } = await streamed({ deltas: DELTAS, busyReads: { count: 2, retryAfterSeconds: 1 } });
    expect(relay.busyAnswered).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1900);
    expect(deltas.map((d) => d.text)).toEqual(DELTAS);
    expect('answer' in outcome && outcome.answer).toMatchObject({ content: DELTAS.join(''), delivery: 'chunks' });
  });

  it('a stream/read that keeps answering 429 is given up after 5 waits: no text, the retrieve loop goes on to the deadline', async () => {
    const { relay, deltas, outcome } = await streamed({ deltas: DELTAS, busyReads: { count: 1000, retryAfterSeconds: 0 } }, { timeoutMs: 3000 });
    // Five 429s waited out, the sixth ends the reader; the answer then comes from retrieve.
    expect(relay.busyAnswered).toBe(6);
    expect(deltas).toEqual([]);
    expect('error' in outcome ? outcome.error.code : 'answered').toBe('client_timeout');
  });
});
