// The node's chunk stream (§11.3) against a scripted append: coalescing, the first delta at once,
// one append in flight, 429 → the same chunks again, the bounded own buffer holding the provider
// back, give-up and 410, the final chunk, §11.8's error end, splitting long text between code points.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StreamChunkPlaintext, StreamWireChunk } from '../../src-shared/protocol/stream';
import { ChunkPublisher, type ChunkPublisherOptions } from './chunk-publisher';
import type { AppendOutcome } from './relay-api';

/** A "sealed" chunk that carries its plaintext in the clear, so the test can read it back. */
const seal = (sequence: number, final: boolean, plaintext: StreamChunkPlaintext): StreamWireChunk => ({
  sequence,
  final,
  ciphertext: JSON.stringify(plaintext),
  iv: `iv${sequence}`,
});
const opened = (c: StreamWireChunk) => JSON.parse(c.ciphertext) as StreamChunkPlaintext;

interface Harness {
  publisher: ChunkPublisher;
  appends: StreamWireChunk[][];
  /** Chunks the "relay" stored, in order. */
  stored: StreamWireChunk[];
  /** Replies the next appends get (default accepted, at once). */
  script: (AppendOutcome | Promise<AppendOutcome>)[];
  gone: number;
}

function harness(over: Partial<ChunkPublisherOptions> = {}): Harness {
  const h: Harness = { appends: [], stored: [], script: [], gone: 0, publisher: undefined as unknown as ChunkPublisher };
  let inFlight = 0;
  h.publisher = new ChunkPublisher({
    seal,
    send: async (batch) => {
      inFlight += 1;
      expect(inFlight).toBe(1); // one append in flight at a time
      h.appends.push(batch);
      const outcome = await (h.script.shift() ?? { kind: 'accepted' as const });
      inFlight -= 1;
      if (outcome.kind === 'accepted') for (const c of batch) if (!h.stored.some((s) => s.sequence === c.sequence)) h.stored.push(c);
      return outcome;
    },
    deadlineAt: performance.now() + 60_000,
    onGone: () => (h.gone += 1),
    now: () => performance.now(),
    retryMinMs: 5,
    retryMaxMs: 20,
    ...over,
  });
  return h;
}

const text = (chunks: StreamWireChunk[]) => chunks.map((c) => opened(c).delta).join('');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(() => vi.useRealTimers());

describe('chunk publisher (§11.3)', () => {
  it('sends the first delta at once, without a timer', () => {
    const h = harness();
    h.publisher.push('Hello');
    expect(h.appends).toHaveLength(1); // synchronously, in push itself
    expect(h.appends[0]!.map(opened)).toEqual([{ delta: 'Hello' }]);
    expect(h.appends[0]![0]).toMatchObject({ sequence: 0, final: false });
  });

  it('coalesces a fast provider into far fewer appends than deltas, sequences without gaps, one final chunk', async () => {
    const h = harness();
    const words = Array.from({ length: 400 }, (_, i) => `w${i} `);
    for (const [i, w] of words.entries()) {
      h.publisher.push(w);
      if (i % 20 === 0) await sleep(2); // 400 deltas over ≈ 40+ ms
    }
    await h.publisher.finish({ finishReason: 'stop', usage: { completion_tokens: 400 } });
    expect(h.appends.length).toBeLessThan(40);
    expect(h.stored.map((c) => c.sequence)).toEqual(h.stored.map((_, i) => i));
    expect(h.stored.filter((c) => c.final)).toHaveLength(1);
    expect(h.stored.at(-1)!.final).toBe(true);
    expect(opened(h.stored.at(-1)!)).toMatchObject({ finish_reason: 'stop', usage: { completion_tokens: 400 } });
    expect(text(h.stored)).toBe(words.join(''));
    expect(h.publisher.finished).toBe(true);
  });

  it('waits 20 ms between appends unless 4 KiB are buffered', async () => {
    vi.useFakeTimers();
    const h = harness({ now: () => Date.now() });
    h.publisher.push('a');
    await vi.advanceTimersByTimeAsync(1);
    h.publisher.push('b');
    await vi.advanceTimersByTimeAsync(15);
    expect(h.appends).toHaveLength(1); // waits for the interval
    await vi.advanceTimersByTimeAsync(5);
    expect(h.appends).toHaveLength(2);
    h.publisher.push('c');
    h.publisher.push('x'.repeat(5000));
    await vi.advanceTimersByTimeAsync(0);
    expect(h.appends).toHaveLength(3); // 4 KiB or more go at once
    expect(h.appends[2]!.map(opened)).toEqual([{ delta: `c${'x'.repeat(5000)}` }]);
  });

  it('after a 429 waits retry_after_ms and sends the same chunks again, losing nothing', async () => {
    const h = harness();
    h.script.push({ kind: 'accepted' }, { kind: 'busy', retryAfterMs: 40 }, { kind: 'busy', retryAfterMs: 10 });
    h.publisher.push('one ');
    await sleep(25);
    h.publisher.push('two ');
    await sleep(25); // second append: 429
    h.publisher.push('three ');
    const startedAt = performance.now();
    await h.publisher.finish({ finishReason: 'stop' });
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(15);
    // The refused append and its retries carry exactly the same chunks.
    expect(h.appends[1]).toEqual(h.appends[2]);
    expect(h.appends[2]).toEqual(h.appends[3]);
    expect(text(h.stored)).toBe('one two three ');
    expect(h.stored.map((c) => c.sequence)).toEqual([0, 1, 2]);
  });

  it('holds the provider back when its own buffer is full, and lets it go once the relay accepts', async () => {
    let release!: (o: AppendOutcome) => void;
    const h = harness({ limits: { bufferMaxBytes: 100 } });
    h.script.push(new Promise<AppendOutcome>((r) => (release = r)));
    h.publisher.push('first'); // in flight until released
    const held = h.publisher.push('y'.repeat(120));
    expect(held).toBeInstanceOf(Promise);
    let resumed = false;
    void (held as Promise<void>).then(() => (resumed = true));
    await sleep(40);
    expect(resumed).toBe(false);
    release({ kind: 'accepted' });
    // Free once the buffered text went out too (its append follows the 20 ms interval).
    await sleep(80);
    expect(resumed).toBe(true);
    await h.publisher.finish({ finishReason: 'stop' });
    expect(text(h.stored)).toBe(`first${'y'.repeat(120)}`);
  });

  it.each([['refused' as const], ['gone' as const]])('stops appending after %s; gone also stops generation', async (kind) => {
    const h = harness();
    h.script.push({ kind });
    h.publisher.push('a');
    await sleep(0);
    h.publisher.push('b');
    await h.publisher.finish({ finishReason: 'stop' });
    expect(h.appends).toHaveLength(1);
    expect(h.gone).toBe(kind === 'gone' ? 1 : 0);
    expect(h.publisher.finished).toBe(false);
  });

  it('retries an unreachable relay with back-off, and gives up when the deadline would pass', async () => {
    const h = harness();
    h.script.push({ kind: 'unreachable' }, { kind: 'unreachable' });
    h.publisher.push('a');
    await h.publisher.finish({ finishReason: 'stop' });
    // Two failures, the same chunk a third time, then the final chunk (empty delta).
    expect(h.appends.map((a) => a.map((c) => c.sequence))).toEqual([[0], [0], [0], [1]]);
    expect(text(h.stored)).toBe('a');
    expect(h.publisher.finished).toBe(true);

    const late = harness({ deadlineAt: performance.now() + 10, retryMinMs: 50 });
    late.script.push({ kind: 'unreachable' });
    late.publisher.push('a');
    await late.publisher.finish({ finishReason: 'stop' });
    expect(late.appends).toHaveLength(1);
    expect(late.publisher.finished).toBe(false);
  });

  it('ends a failed answer with the buffered text, then a final chunk with an empty delta and error (§11.8)', async () => {
    const h = harness();
    h.publisher.push('partial ');
    await sleep(0);
    h.publisher.push('text');
    await h.publisher.fail();
    expect(text(h.stored)).toBe('partial text');
    expect(opened(h.stored.at(-1)!)).toEqual({ delta: '', finish_reason: 'error' });
    expect(h.stored.at(-1)!.final).toBe(true);
  });

  it('sends nothing for an answer that streamed no text', async () => {
    const h = harness();
    await h.publisher.finish({ finishReason: 'stop' });
    await h.publisher.fail();
    expect(h.appends).toHaveLength(0);
  });

  it('stop lets a waiting provider go and appends nothing more', async () => {
    const h = harness({ limits: { bufferMaxBytes: 10 } });
    h.script.push(new Promise<AppendOutcome>(() => undefined)); // never answers
    h.publisher.push('first');
    const held = h.publisher.push('more than ten bytes');
    h.publisher.stop();
    await held;
    await h.publisher.finish({ finishReason: 'stop' });
    expect(h.appends).toHaveLength(1);
  });

  it('splits text over 16 KiB into chunks of one append, never inside a surrogate pair', async () => {
    const h = harness();
    const long = `${'😀'.repeat(5000)}${'é'.repeat(3000)}`; // 20,000 + 6,000 bytes
    h.publisher.push(long);
    await h.publisher.finish({ finishReason: 'length' });
    const first = h.appends[0]!;
    expect(first.length).toBeGreaterThan(1);
    for (const c of h.stored) expect(Buffer.byteLength(opened(c).delta, 'utf8')).toBeLessThanOrEqual(16_384);
    for (const c of h.stored) expect(opened(c).delta).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    expect(text(h.stored)).toBe(long);
  });

  it('splits a chunk again when its sealed form outgrows a chunk (text that JSON escapes)', async () => {
    const h = harness();
    const quotes = '"'.repeat(16_000); // 16,000 bytes of text, 32,000 once escaped
    h.publisher.push(quotes);
    await h.publisher.finish({ finishReason: 'stop' });
    for (const c of h.stored) expect(c.ciphertext.length).toBeLessThanOrEqual(24_576);
    expect(text(h.stored)).toBe(quotes);
  });
});
