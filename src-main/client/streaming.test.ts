// The relay client streams answers (docs/protocol.md §11.7): chunks read from the relay and opened
// strictly in sequence under the request's own key, or snapshots through a relay without the chunk
// routes; every way a relay or thief can tamper with a stream ends it with one clear error and no
// text after the break; the answer must equal the streamed text; stop keeps what was shown.
import { beforeAll, describe, expect, it } from 'vitest';
import { KeyHolder, type RsaKeyPair } from '../crypto';
import { chatThroughFake, type StreamScript, type StreamTamper } from '../../test-support/client/fake-stream-relay';
import { keyPairs } from '../../test-support/client/stack';

const DELTAS = ['Hello', ', ', 'streaming ', 'world', '!'];
let node: RsaKeyPair;
let client: RsaKeyPair;

beforeAll(async () => {
  [node, client] = (await keyPairs(2)) as [RsaKeyPair, RsaKeyPair];
});

const streamed = (script: StreamScript, opts: Parameters<typeof chatThroughFake>[3] = {}) => chatThroughFake(node!, KeyHolder.fromPair(client!), script, opts);

describe('streamed answers (§11.7)', () => {
  it('hands out each chunk as it is authenticated, in order, then the answer that equals them', async () => {
    const { relay, deltas, outcome, shown } = await streamed({ deltas: DELTAS, transport: 'chunks' });
    expect(relay.requests[0]).toMatchObject({ stream: true });
    expect(deltas.map((d) => d.text)).toEqual(DELTAS);
    expect(deltas.every((d) => !d.snapshot)).toBe(true);
    expect('answer' in outcome && outcome.answer).toMatchObject({
      content: shown,
      delivery: 'chunks',
      finishReason: 'stop',
      encryption: { profile: 'aead-v1', authenticated: true },
      firstTextMs: expect.any(Number),
    });
    // Each read acknowledged what came before it (§11.5 after = the last sequence held).
    expect(relay.reads.map((r) => r.after)).toEqual([-1, 0, 1, 2, 3]);
  });

  it('streams also when the caller takes no deltas, and returns the whole answer', async () => {
    const { relay, outcome } = await streamed({ deltas: DELTAS, transport: 'chunks' }, { noDeltas: true });
    expect(relay.requests[0]!.stream).toBe(true);
    expect(relay.reads.length).toBe(DELTAS.length);
    expect('answer' in outcome && outcome.answer).toMatchObject({ content: DELTAS.join(''), delivery: 'chunks' });
  });

  it('retrieves the answer as today when the node does not stream (the stream ends without chunks)', async () => {
    const { deltas, outcome } = await streamed({ deltas: DELTAS, transport: 'none' });
    expect(deltas).toEqual([]);
    expect('answer' in outcome && outcome.answer).toMatchObject({ content: DELTAS.join(''), delivery: 'whole' });
  });

  it('through a relay without chunk routes, shows the snapshots in progress updates (§11.6)', async () => {
    const { relay, deltas, outcome } = await streamed({ deltas: DELTAS, transport: 'snapshots' });
    expect(relay.reads).toEqual([]);
    // Each snapshot is the whole text so far (§11.6).
    expect(deltas.map((d) => d.text)).toEqual(DELTAS.map((_, i) => DELTAS.slice(0, i + 1).join('')));
    expect(deltas.every((d) => d.snapshot)).toBe(true);
    expect('answer' in outcome && outcome.answer).toMatchObject({ content: DELTAS.join(''), delivery: 'snapshots' });
  });

  const breaks: [StreamTamper, string][] = [
    ['reorder', 'chunk 2 before chunk 1'],
    ['drop', 'chunk 1 dropped'],
    ['replay', 'chunk 0 again'],
    ['splice', 'chunk 1 from another request'],
    ['bitflip', 'one bit of chunk 1 flipped'],
    ['false-final', 'chunk 1 claimed final'],
  ];
  for (const [tamper, what] of breaks) {
    it(`a stream with ${what} ends with stream_not_authentic; only chunk 0 was shown`, async () => {
      const { relay, outcome, shown } = await streamed({ deltas: DELTAS, transport: 'chunks', tamper });
      expect('error' in outcome && outcome.error.code).toBe('stream_not_authentic');
      expect(shown).toBe(DELTAS[0]);
      // The node may still be generating: the client stops the request at the relay.
      expect(relay.cancels.length).toBe(1);
    });
  }

  it('an answer that differs from the streamed text ends with stream_not_authentic', async () => {
    const { outcome, shown } = await streamed({ deltas: DELTAS, transport: 'chunks', tamper: 'answer-differs' });
    expect(shown).toBe(DELTAS.join(''));
    expect('error' in outcome && outcome.error.code).toBe('stream_not_authentic');
  });

  it('a stream the relay cut short is completed from the authenticated answer, which must begin with it', async () => {
    // Our relay drops chunks not yet read when it delivers the answer (§11.9); so can a hostile one.
    const { outcome, shown } = await streamed({ deltas: DELTAS, transport: 'chunks', tamper: 'truncate' });
    expect(shown).toBe(DELTAS.join(''));
    expect('answer' in outcome && outcome.answer).toMatchObject({ content: DELTAS.join(''), delivery: 'chunks' });
  });

  it('a node that vanishes mid-stream ends the request with the relay’s word for it, no failover', async () => {
    const { outcome, shown } = await streamed({ deltas: DELTAS, transport: 'chunks', tamper: 'vanish' });
    expect(shown).toBe(DELTAS.slice(0, -1).join(''));
    expect('error' in outcome && outcome.error).toMatchObject({ code: 'cancelled', details: { reason: 'server_unregistered' } });
  });

  it('a caller that can take text back keeps it when there is no other node to start over on', async () => {
    const { outcome, shown, deltas } = await streamed({ deltas: DELTAS, transport: 'chunks', tamper: 'vanish' }, { retractable: true });
    expect('error' in outcome && outcome.error).toMatchObject({ code: 'cancelled', details: { reason: 'server_unregistered' } });
    expect(deltas.some((d) => d.snapshot)).toBe(false);
    expect(shown).toBe(DELTAS.slice(0, -1).join(''));
  });

  it('a request the relay lost mid-stream starts over for a caller that can take text back, on the same node', async () => {
    // A memory relay that restarted knows the request no more (404 request_lost, §6.4): the node is
    // not at fault, so the only node is asked again and the answer streams whole.
    const { relay, outcome, shown, deltas } = await streamed({ deltas: DELTAS, transport: 'chunks', tamper: 'forget-once' }, { retractable: true });
    expect('answer' in outcome && outcome.answer).toMatchObject({ content: DELTAS.join(''), delivery: 'chunks' });
    expect(relay.requests).toHaveLength(2);
    expect(deltas.filter((d) => d.snapshot).map((d) => d.text)).toEqual(['']);
    expect(shown).toBe(DELTAS.join(''));
  });

  it('a request the relay lost mid-stream ends as stream_incomplete for a caller that cannot take text back', async () => {
    const { relay, outcome, shown } = await streamed({ deltas: DELTAS, transport: 'chunks', tamper: 'forget-once' });
    expect('error' in outcome && outcome.error.code).toBe('stream_incomplete');
    expect(relay.requests).toHaveLength(1);
    expect(shown).toBe(DELTAS.slice(0, -1).join(''));
  });

  it('stop mid-stream cancels at the relay and keeps what was shown', async () => {
    const stop = new AbortController();
    const { relay, outcome, shown } = await streamed(
      { deltas: DELTAS, transport: 'chunks' },
      {
        signal: stop.signal,
        onDelta: (d) => {
          if (d.text === ', ') stop.abort();
        },
      },
    );
    expect('error' in outcome && outcome.error.code).toBe('requester_cancelled');
    expect(shown).toBe('Hello, ');
    expect(relay.cancels).toMatchObject([{ reason: 'requester_cancelled' }]);
  });
});
