// Unit tests of the node's small pure parts: progress coalescing, output checks, admission,
// relay timing formulas and error texts.
import { describe, expect, it } from 'vitest';
import { toRelayMessageEnvelope } from '../../src-shared/protocol/envelope';
import { validateInnerRequest, type InnerProgressBody } from '../../src-shared/protocol/inner-envelope';
import { PROTOCOL_ID } from '../../src-shared/protocol/constants';
import { admitRequest, estimatePromptTokens } from './admission';
import { ModelCatalogue, loadModelConfigs } from './model-config';
import { usableModelOutput } from './model-output';
import { ProgressPublisher } from './progress-publisher';
import { heartbeatAgeMs, pollTimeoutMs } from './relay-api';
import { nodeError } from './reply-errors';

describe('ProgressPublisher', () => {
  it('sends phase changes at once, coalesces updates within the interval and keeps order', async () => {
    const sent: Omit<InnerProgressBody, 'schema_version'>[] = [];
    let clock = 0;
    const p = new ProgressPublisher(
      async (b) => {
        sent.push(b);
        return 'accepted';
      },
      0,
      50,
      () => clock,
    );
    p.update({ phase: 'preparing', totalPromptTokens: 10 });
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 5));
    clock = 10;
    p.update({ phase: 'generating', totalPromptTokens: 10, generatedTokens: 1 }); // phase change: now
    await new Promise((r) => setTimeout(r, 5));
    for (let i = 2; i <= 5; i++) p.update({ phase: 'generating', totalPromptTokens: 10, generatedTokens: i }); // coalesced
    await new Promise((r) => setTimeout(r, 80));
    await p.close();
    expect(sent.map((s) => [s.sequence, s.phase, s.generated_tokens])).toEqual([
      [1, 'preparing', 0],
      [2, 'generating', 1],
      [3, 'generating', 5],
    ]);
    expect(sent[1]).toMatchObject({ total_prompt_tokens: 10, processed_prompt_tokens: 10, cached_prompt_tokens: 0, elapsed_ms: 10 });
  });

  it('stops for good when the relay says so', async () => {
    let calls = 0;
    const p = new ProgressPublisher(async () => {
      calls += 1;
      return 'stop';
    }, 0, 0);
    p.update({ phase: 'prefill' });
    await new Promise((r) => setTimeout(r, 5));
    p.update({ phase: 'generating' });
    await new Promise((r) => setTimeout(r, 5));
    await p.close();
    expect(calls).toBe(1);
    expect(p.sent).toBe(1);
  });

  it('survives a failing sender', async () => {
    const p = new ProgressPublisher(async () => {
      throw new Error('network');
    }, 0, 0);
    p.update({ phase: 'prefill' });
    await new Promise((r) => setTimeout(r, 5));
    await expect(p.close()).resolves.toBeUndefined();
  });
});

describe('model output check', () => {
  it.each([
    ['Paris.', 'strip', 'Paris.'],
    ['<think>hmm</think>\nParis.', 'strip', 'Paris.'],
    ['<think>hmm</think>Paris.', 'reject', null],
    ['<think>never closed', 'strip', null],
    ['<think>only</think>', 'strip', null],
    ['   ', 'strip', null],
    ['', 'strip', null],
  ] as const)('%j with %s → %j', (input, mode, expected) => {
    expect(usableModelOutput(input, { thinkOutput: mode })).toBe(expected);
  });
});

describe('admission', () => {
  const catalogue = new ModelCatalogue(loadModelConfigs([{ id: 'm', providerModel: 'p', maxOutputTokens: 4000, defaultOutputTokens: 512 }]));
  const request = (api: Record<string, unknown>) => {
    const v = validateInnerRequest(
      { protocol: PROTOCOL_ID, version: 1, request_id: 'r', client_public_key: 'k', api_v1_request: { model: 'm', messages: [{ role: 'user', content: 'abcd' }], ...api } },
      'k',
    );
    if (!v.ok) throw new Error('invalid');
    return v;
  };

  it('computes the output budget like the reference (requested, available, effective)', () => {
    const v = request({ options: { max_tokens: 8192 } });
    const a = admitRequest(v.request, v.contentChars, catalogue);
    const prompt = estimatePromptTokens(4, 1);
    expect(a).toMatchObject({ ok: true, outputBudget: { requested_tokens: 8192, available_tokens: 8192 - prompt, effective_tokens: 4000 } });
    const d = request({});
    expect(admitRequest(d.request, d.contentChars, catalogue)).toMatchObject({ ok: true, outputBudget: { requested_tokens: 512, effective_tokens: 512 } });
  });

  it('refuses unknown models, larger tiers and oversize prompts with diagnostics', () => {
    const bad = request({ model: 'x' });
    expect(admitRequest(bad.request, bad.contentChars, catalogue)).toMatchObject({ ok: false, error: { code: 'compute_node_model_unsupported', request_id: 'r' } });
    const tier = request({ routing: { context_tier: '64k-full' } });
    expect(admitRequest(tier.request, tier.contentChars, catalogue)).toMatchObject({
      ok: false,
      error: { code: 'compute_node_context_tier_unsupported', active_context_tier: '8k-fast', requested_context_tier: '64k-full' },
    });
    const big = request({ messages: [{ role: 'user', content: 'x'.repeat(40_000) }] });
    expect(admitRequest(big.request, big.contentChars, catalogue)).toMatchObject({
      ok: false,
      error: { code: 'compute_node_context_window_exceeded', configured_context_tokens: 8192 },
    });
  });
});

describe('provider request mapping', () => {
  it('maps options and merges /no_think into the first system message for Qwen3', async () => {
    const { providerRequest } = await import('./run-provider');
    const cat = new ModelCatalogue(loadModelConfigs([{ id: 'm', providerModel: 'qwen3:8b' }]));
    const v = validateInnerRequest(
      {
        protocol: PROTOCOL_ID,
        version: 1,
        request_id: 'r',
        client_public_key: 'k',
        api_v1_request: {
          model: 'm',
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'input_text', text: 'b' }], name: 'ann' },
          ],
          options: { max_tokens: 50, temperature: 0.2, top_p: 0.5, stop: 'END', seed: 3, presence_penalty: null },
        },
      },
      'k',
    );
    if (!v.ok) throw new Error('invalid');
    const admitted = admitRequest(v.request, v.contentChars, cat);
    if (!admitted.ok) throw new Error('not admitted');
    const req = providerRequest(v.request, admitted, 1000);
    expect(req).toEqual({
      model: 'qwen3:8b',
      messages: [
        { role: 'system', content: '/no_think\nBe brief.' },
        { role: 'user', content: 'a\nb', name: 'ann' },
      ],
      maxTokens: 50,
      temperature: 0.2,
      topP: 0.5,
      stop: ['END'],
      seed: 3,
      timeoutMs: 1000,
    });
  });
});

describe('relay timing formulas (§2.5)', () => {
  it('poll timeout = max(10, wait + 5, 1.25·wait)', () => {
    expect(pollTimeoutMs(10)).toBe(15_000);
    expect(pollTimeoutMs(0.5)).toBe(10_000);
    expect(pollTimeoutMs(40)).toBe(50_000);
  });
  it('heartbeat age = max(min(0.8·lease, lease − 1), 0.5·lease)', () => {
    expect(heartbeatAgeMs(30)).toBe(24_000);
    expect(heartbeatAgeMs(2)).toBe(1_000);
    expect(heartbeatAgeMs(1)).toBe(500);
  });
});

describe('reply errors', () => {
  it('have fixed texts and retryability', () => {
    expect(nodeError('compute_node_runtime_unavailable', 'r')).toMatchObject({ retryable: true, request_id: 'r', message: expect.any(String) });
    expect(nodeError('compute_node_model_unsupported', 'r').retryable).toBe(false);
  });
});

describe('openWorkItem', () => {
  it('opens OAEP and v1.5 requests, mirrors the wrap, and refuses oversize or foreign items alike', async () => {
    const { generateRsaKeyPair, encryptJson } = await import('../crypto');
    const { openWorkItem, MAX_REQUEST_CIPHERTEXT_CHARS } = await import('./open-work-item');
    const node = await generateRsaKeyPair();
    const other = await generateRsaKeyPair();
    const item = (padding: 'oaep-sha256' | 'pkcs1v15', to = node.publicKeyWire) => {
      const env = encryptJson({ hello: 'world' }, to, { padding, mode: 'cbc' });
      return { client_public_key: 'k', ...toRelayMessageEnvelope(env) };
    };
    expect(await openWorkItem(item('oaep-sha256'), node, 'legacy-oaep-then-pkcs1v15', 'mirror')).toEqual({ value: { hello: 'world' }, protection: { profile: 'reference-cbc', padding: 'oaep-sha256' } });
    expect(await openWorkItem(item('pkcs1v15'), node, 'legacy-oaep-then-pkcs1v15', 'mirror')).toEqual({ value: { hello: 'world' }, protection: { profile: 'reference-cbc', padding: 'pkcs1v15' } });
    expect((await openWorkItem(item('pkcs1v15'), node, 'legacy-oaep-then-pkcs1v15', 'pkcs1v15'))?.protection).toEqual({ profile: 'reference-cbc', padding: 'pkcs1v15' });
    expect((await openWorkItem(item('oaep-sha256'), node, 'legacy-oaep-then-pkcs1v15', 'pkcs1v15'))?.protection).toEqual({ profile: 'reference-cbc', padding: 'pkcs1v15' });
    expect(await openWorkItem(item('pkcs1v15'), node, 'oaep-sha256', 'pkcs1v15')).toBeNull();
    expect(await openWorkItem(item('oaep-sha256', other.publicKeyWire), node, 'legacy-oaep-then-pkcs1v15', 'mirror')).toBeNull();
    const huge = { ...item('oaep-sha256'), ciphertext: 'A'.repeat(MAX_REQUEST_CIPHERTEXT_CHARS + 4) };
    expect(await openWorkItem(huge, node, 'legacy-oaep-then-pkcs1v15', 'mirror')).toBeNull();
  });
});
