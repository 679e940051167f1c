// Streamed answers through our relay (§11.2–§11.5, §11.8): our node appends aead-v1 chunks, a
// reader opens them as the next sequence (test-support/node/stream-reader.ts) while the answer is
// generated. Coalescing, back-pressure from a slow reader, an error mid-stream, a cancel and a node
// that stops mid-stream, and the answer equal to the streamed text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair } from '../crypto';
import type { RunningRelay } from '../relay';
import { KeyPool, TEST_MODEL, startTestNode, startTestRelay, type TestNode } from '../../test-support/node/harness';
import { MiniClient, replyErrorCode, replyText, type SentRequest } from '../../test-support/node/mini-client';
import { readStream, streamedText } from '../../test-support/node/stream-reader';
import type { DeterministicTestProviderConfig } from './providers/deterministic-test';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('streaming through our relay (§11)', () => {
  let relay: RunningRelay;
  let keys: KeyPool;
  let client: MiniClient;
  const nodes: TestNode[] = [];

  beforeAll(async () => {
    relay = await startTestRelay();
    keys = await KeyPool.create(5);
    client = new MiniClient(relay.url, await generateRsaKeyPair());
    client.aead = true;
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.node.stop()));
    await relay?.close();
  });

  async function node(provider: DeterministicTestProviderConfig) {
    const t = await startTestNode(relay.url, { keys, provider });
    nodes.push(t);
    return t;
  }

  type ReadHook = (after: number) => Promise<void> | void;
  const sendTo = (t: TestNode, maxTokens = 2000) =>
    client.send({
      model: TEST_MODEL,
      messages: [{ role: 'user', content: 'stream please' }],
      options: { max_tokens: maxTokens },
      serverPublicKey: t.node.publicKeyWire()!,
      stream: true,
    });
  const readFor = (sent: SentRequest, beforeRead?: ReadHook) =>
    readStream({
      relayUrl: relay.url,
      session: client.sessions.get(sent.requestId)!,
      clientPublicKey: client.keys.publicKeyWire,
      requestId: sent.requestId,
      ...(beforeRead ? { beforeRead } : {}),
    });

  /** Sends a streaming request to `t` and reads its stream while the node answers. */
  async function streamFrom(t: TestNode, opts: { beforeRead?: ReadHook } = {}) {
    const sent = await sendTo(t);
    return { sent, read: await readFor(sent, opts.beforeRead) };
  }

  it('streams a paced answer as it is generated, coalesced, final chunk before the answer, equal to it', async () => {
    const t = await node({ tokensPerSecond: 200, answerTokens: 120, delayMs: 30 });
    const { sent, read } = await streamFrom(t);
    const answer = await client.waitForAnswer(sent.requestId);
    const content = replyText(answer);
    expect(streamedText(read)).toBe(content);
    expect(content.split(' ').filter(Boolean)).toHaveLength(120);
    expect(read.final).toMatchObject({ finish_reason: 'stop', usage: { completion_tokens: 120 } });
    // 120 tokens over ≈ 600 ms: deltas arrive spread out, and far fewer chunks than tokens.
    expect(read.deltas.at(-1)!.at - read.deltas[0]!.at).toBeGreaterThan(300);
    expect(read.chunks).toBeLessThan(120 / 2);
    const report = await t.reportFor(sent.requestId);
    expect(report).toMatchObject({ outcome: 'answered', stream: { transport: 'chunks', completed: true } });
  });

  it('coalesces a provider that produces everything at once into a handful of appends', async () => {
    const t = await node({ answerTokens: 1500 });
    const { sent, read } = await streamFrom(t);
    expect(streamedText(read)).toBe(replyText(await client.waitForAnswer(sent.requestId)));
    const report = await t.reportFor(sent.requestId);
    expect(report.stream!.appends).toBeLessThanOrEqual(5);
    expect(read.deltas[0]!.text).toBe('Test'); // the first delta went out alone, at once (its space waits for the next word)
  });

  it('waits for a slow reader (429, then the same chunks again), losing nothing', async () => {
    // 1,500 words of 1,000 characters: 1.5 MB, more than the relay's 1 MiB buffer per request.
    const word = `${'x'.repeat(999)} `;
    const t = await node({ answer: () => word.repeat(1500).trimEnd() });
    let paused = false;
    const { sent, read } = await streamFrom(t, {
      beforeRead: async (after) => {
        if (after >= 0 && !paused) {
          paused = true;
          await sleep(1500); // the node fills the buffer meanwhile
        }
      },
    });
    const content = replyText(await client.waitForAnswer(sent.requestId));
    expect(content.length).toBe(1500 * 1000 - 1);
    expect(streamedText(read)).toBe(content);
    const report = await t.reportFor(sent.requestId);
    expect(report.stream!.busy).toBeGreaterThan(0);
    expect(report.stream!.completed).toBe(true);
  });

  it('ends a stream whose provider fails mid-way with a final error chunk, then the error answer (§11.8)', async () => {
    const t = await node({ tokensPerSecond: 400, answerTokens: 200, failMidStream: { afterTokens: 40, code: 'compute_node_process_failed' } });
    const { sent, read } = await streamFrom(t);
    expect(read.final).toEqual({ delta: '', finish_reason: 'error' });
    expect(streamedText(read).split(' ').filter(Boolean)).toHaveLength(40);
    expect(replyErrorCode(await client.waitForAnswer(sent.requestId))).toBe('compute_node_process_failed');
  });

  it('stops streaming when the client cancels: the reader hears done without a final chunk', async () => {
    const t = await node({ tokensPerSecond: 50, answerTokens: 500 });
    const sent = await sendTo(t);
    let cancelled = false;
    const read = await readFor(sent, async (after) => {
      if (after >= 2 && !cancelled) {
        cancelled = true;
        expect(await client.cancel(sent)).toBe(200);
      }
    });
    expect(read.final).toBeNull();
    expect(read.state).toBe('cancelled');
    expect(await t.reportFor(sent.requestId)).toMatchObject({ outcome: 'cancelled', stream: { completed: false } });
  });

  it('a node that stops mid-stream leaves the reader with done and no final chunk', async () => {
    const t = await node({ tokensPerSecond: 50, answerTokens: 500 });
    let stopped = false;
    const { read } = await streamFrom(t, {
      beforeRead: async (after) => {
        if (after >= 2 && !stopped) {
          stopped = true;
          await t.node.stop();
        }
      },
    });
    expect(read.final).toBeNull();
    expect(read.chunks).toBeGreaterThan(2);
    expect(['cancelled', 'expired']).toContain(read.state);
  });

  it('does not stream a request that does not ask to', async () => {
    const t = await node({ tokensPerSecond: 200, answerTokens: 20 });
    const sent = await client.send({ model: TEST_MODEL, messages: [{ role: 'user', content: 'whole' }], serverPublicKey: t.node.publicKeyWire()! });
    const answer = await client.waitForAnswer(sent.requestId);
    expect(replyText(answer).split(' ').filter(Boolean)).toHaveLength(20);
    const read = await readStream({ relayUrl: relay.url, session: client.sessions.get(sent.requestId)!, clientPublicKey: client.keys.publicKeyWire, requestId: sent.requestId });
    expect(read.chunks).toBe(0);
    expect((await t.reportFor(sent.requestId)).stream).toBeUndefined();
  });
});
