// §2.3.6: a request may ask our node to keep a model's <think> block; without asking (a reference
// client, the CLI, the gateway) the block is removed as §2.3.1 says. Both the whole answer and the
// streamed text, split anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInnerRequest, validateInnerRequest } from '../../src-shared/protocol/inner-envelope';
import type { RunningRelay } from '../relay';
import { KeyPool, TEST_MODEL, startTestNode, startTestRelay, type TestNode } from '../../test-support/node/harness';
import { MiniClient, replyErrorCode, replyText } from '../../test-support/node/mini-client';
import { keepsReasoning, usableModelOutput } from './model-output';
import { StreamTextFilter } from './stream-text';

const strip = { thinkOutput: 'strip' as const };

function request(keep: boolean | unknown) {
  const inner = buildInnerRequest({ requestId: 'r1', clientPublicKey: 'k', model: TEST_MODEL, messages: [{ role: 'user', content: 'hi' }], keepReasoning: keep === true });
  if (keep !== true && keep !== false) (inner.api_v1_request as Record<string, unknown>).reasoning = keep;
  const checked = validateInnerRequest(JSON.parse(JSON.stringify(inner)), 'k');
  if (!checked.ok) throw new Error('request refused');
  return checked.request;
}

describe('keeping reasoning by request (§2.3.6)', () => {
  it('asks with api_v1_request.reasoning = "keep"; any other value counts as not asking, and is never refused', () => {
    expect(request(true).api_v1_request.reasoning).toBe('keep');
    expect(keepsReasoning(request(true), strip)).toBe(true);
    expect(keepsReasoning(request(false), strip)).toBe(false);
    expect(keepsReasoning(request('yes please'), strip)).toBe(false);
    expect(keepsReasoning(request(42), strip)).toBe(false);
    // An operator who refuses reasoning answers still refuses them.
    expect(keepsReasoning(request(true), { thinkOutput: 'reject' })).toBe(false);
  });

  it.each([
    ['<think>plan</think>\n\nParis.', 'Paris.', '<think>plan</think>\n\nParis.'],
    ['<think>\n\n</think>\n\nParis.', 'Paris.', '<think>\n\n</think>\n\nParis.'],
    ['<think>cut off while thinking', null, '<think>cut off while thinking'],
    ['plan opened by the template</think>Paris.', null, 'plan opened by the template</think>Paris.'],
    ['<think></think>', null, null],
    ['  <think> </think>  ', null, null],
    ['No reasoning at all.', 'No reasoning at all.', 'No reasoning at all.'],
  ])('%j: stripped %j, kept %j', (raw, stripped, kept) => {
    expect(usableModelOutput(raw, strip)).toBe(stripped);
    expect(usableModelOutput(raw, strip, true)).toBe(kept);
  });

  it('streams everything at once when keeping, split anywhere, and the streamed text is the answer sent', () => {
    const raw = '<think>\nstep one\n</think>\n\nThe answer is <b>42</b> </thi';
    for (let cut = 1; cut < raw.length; cut++) {
      const filter = new StreamTextFilter(true);
      const out = [filter.push(raw.slice(0, cut)), filter.push(raw.slice(cut)), filter.end()];
      expect(out[0]).toBe(raw.slice(0, cut)); // nothing held back: the window shows "Thinking…"
      expect(out.join('')).toBe(raw);
      expect(filter.text).toBe(usableModelOutput(raw, strip, true));
    }
    // Without asking, the same stream shows no reasoning.
    const stripping = new StreamTextFilter();
    const shown = stripping.push('<think>\nstep one\n</think>\n\nThe answer') + stripping.end();
    expect(shown).toBe('The answer');
  });
});

describe('a node keeps or strips reasoning as the request asks (§2.3.6)', () => {
  let relay: RunningRelay;
  let t: TestNode;
  let client: MiniClient;

  beforeAll(async () => {
    const keys = await KeyPool.create(2);
    relay = await startTestRelay();
    t = await startTestNode(relay.url, { keys, provider: { answer: () => '<think>\nThe user greets me.\n</think>\n\nHello!' } });
    client = new MiniClient(relay.url, await keys.take(), 'oaep-sha256');
  });
  afterAll(async () => {
    await t?.node.stop();
    await relay?.close();
  });

  const ask = async (keepReasoning: boolean) => {
    const inner = buildInnerRequest({ requestId: `keep-${keepReasoning}`, clientPublicKey: client.keys.publicKeyWire, model: TEST_MODEL, messages: [{ role: 'user', content: 'hi' }], keepReasoning });
    await client.submitRaw(t.node.publicKeyWire()!, inner, inner.request_id);
    return client.waitForAnswer(inner.request_id);
  };

  it('keeps the block for a request that asks, strips it for one that does not', async () => {
    expect(replyText(await ask(true))).toBe('<think>\nThe user greets me.\n</think>\n\nHello!');
    expect(replyText(await ask(false))).toBe('Hello!');
  });

  it('still refuses an answer that is nothing but an empty block', async () => {
    const b = await startTestNode(relay.url, { keys: await KeyPool.create(1), provider: { answer: () => '<think>\n</think>' } });
    try {
      const inner = buildInnerRequest({ requestId: 'empty', clientPublicKey: client.keys.publicKeyWire, model: TEST_MODEL, messages: [{ role: 'user', content: 'hi' }], keepReasoning: true });
      await client.submitRaw(b.node.publicKeyWire()!, inner, 'empty');
      expect(replyErrorCode(await client.waitForAnswer('empty'))).toBe('compute_node_invalid_model_output');
    } finally {
      await b.node.stop();
    }
  });
});
