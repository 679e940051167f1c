import { describe, expect, it } from 'vitest';
import {
  GENERIC_UNPROCESSABLE_ERROR,
  buildInnerErrorResponse,
  buildInnerProgress,
  buildInnerRequest,
  buildInnerSuccessResponse,
  effectiveOptions,
  messageContentText,
  parseInnerProgress,
  parseInnerResponse,
  validateInnerRequest,
} from './inner-envelope';
import { PROTOCOL_ID } from './constants';
import { utf8ByteLength } from './utf8';

const KEY = 'LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KTUlJQklqQU5C';
const OTHER_KEY = 'LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KWFhY';

function request(api: Record<string, unknown> = {}, top: Record<string, unknown> = {}) {
  return {
    protocol: PROTOCOL_ID,
    version: 1,
    request_id: 'req-1',
    client_public_key: KEY,
    api_v1_request: {
      model: 'qwen3-8b-instruct',
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
      options: { max_tokens: 8192 },
      routing: { context_tier: '8k-fast' },
      ...api,
    },
    ...top,
  };
}

function rejectedCode(value: unknown) {
  const r = validateInnerRequest(value, KEY);
  if (r.ok || r.kind !== 'rejected') throw new Error(`expected rejected, got ${JSON.stringify(r)}`);
  return r.error;
}

describe('validateInnerRequest', () => {
  it('accepts the reference request (§2.3.1) and reports its size', () => {
    const r = validateInnerRequest(request(), `  ${KEY}\n`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.request.api_v1_request.model).toBe('qwen3-8b-instruct');
    expect(r.request.api_v1_request.routing?.context_tier).toBe('8k-fast');
    expect(r.contentUtf8Bytes).toBe('You are a helpful assistant.'.length + 'What is the capital of France?'.length);
  });

  it('ignores extra keys of api_v1_request and defaults options to {}', () => {
    const r = validateInnerRequest(request({ options: undefined, routing: null, extra: 1 }), KEY);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.request.api_v1_request.options).toEqual({});
  });

  it.each([
    ['wrong protocol', request({}, { protocol: 'other' })],
    ['wrong version', request({}, { version: 2 })],
    ['version as string', request({}, { version: '1' })],
    ['missing request_id', request({}, { request_id: '' })],
    ['inner key differs from outer', request({}, { client_public_key: OTHER_KEY })],
    ['not an object', 'hello'],
    ['array', [1, 2]],
    ['null', null],
  ])('treats %s as unbound (generic answer only)', (_name, value) => {
    expect(validateInnerRequest(value, KEY)).toEqual({ ok: false, kind: 'unbound' });
  });

  it.each([
    ['no api_v1_request', request({}, { api_v1_request: undefined })],
    ['empty model', request({ model: '' })],
    ['model not a string', request({ model: 5 })],
    ['messages not a list', request({ messages: 'hi' })],
    ['no messages', request({ messages: [] })],
    ['65 messages', request({ messages: Array.from({ length: 65 }, () => ({ role: 'user', content: 'x' })) })],
    ['bad role', request({ messages: [{ role: 'tool', content: 'x' }] })],
    ['extra message key', request({ messages: [{ role: 'user', content: 'x', tool_call_id: 'a' }] })],
    ['missing content', request({ messages: [{ role: 'user' }] })],
    ['long name', request({ messages: [{ role: 'user', content: 'x', name: 'n'.repeat(129) }] })],
    ['image block', request({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: 'x' }] }] })],
    ['empty block text', request({ messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] })],
    ['empty block list', request({ messages: [{ role: 'user', content: [] }] })],
    ['33 blocks', request({ messages: [{ role: 'user', content: Array.from({ length: 33 }, () => ({ type: 'text', text: 'a' })) }] })],
    ['max_tokens 0', request({ options: { max_tokens: 0 } })],
    ['max_tokens 8193', request({ options: { max_tokens: 8193 } })],
    ['max_tokens fractional', request({ options: { max_tokens: 1.5 } })],
    ['temperature boolean', request({ options: { temperature: true } })],
    ['temperature 2.1', request({ options: { temperature: 2.1 } })],
    ['top_p 1.5', request({ options: { top_p: 1.5 } })],
    ['presence_penalty -3', request({ options: { presence_penalty: -3 } })],
    ['seed negative', request({ options: { seed: -1 } })],
    ['seed 2^32', request({ options: { seed: 2 ** 32 } })],
    ['17 stops', request({ options: { stop: Array.from({ length: 17 }, () => 'x') } })],
    ['empty stop', request({ options: { stop: '' } })],
    ['long stop', request({ options: { stop: ['s'.repeat(257)] } })],
    ['stream as string', request({ options: { stream: 'no' } })],
    ['options not an object', request({ options: [1] })],
    ['unknown tier', request({ routing: { context_tier: '128k' } })],
    ['routing not an object', request({ routing: 'x' })],
  ])('rejects %s with compute_node_invalid_request', (_name, value) => {
    const err = rejectedCode(value);
    expect(err.code).toBe('compute_node_invalid_request');
    expect(err.request_id).toBe('req-1');
  });

  it.each(['tools', 'tool_choice', 'functions', 'function_call', 'logit_bias', 'logprobs', 'top_logprobs', 'n', 'parallel_tool_calls', 'response_format', 'made_up'])(
    'refuses option %s with compute_node_options_unsupported',
    (key) => {
      const err = rejectedCode(request({ options: { [key]: 1 } }));
      expect(err.code).toBe('compute_node_options_unsupported');
      expect(err.rejected_option).toBe(key);
    },
  );

  it('refuses stream:true as unsupported but accepts stream:false', () => {
    expect(rejectedCode(request({ options: { stream: true } })).code).toBe('compute_node_options_unsupported');
    expect(validateInnerRequest(request({ options: { stream: false } }), KEY).ok).toBe(true);
  });

  it('accepts every option at its bounds and block contents', () => {
    const atBounds = [
      { max_tokens: 1, temperature: 0, top_p: 0, frequency_penalty: -2, presence_penalty: -2, seed: 0, stop: 'x' },
      { max_tokens: 8192, temperature: 2, top_p: 1, frequency_penalty: 2, presence_penalty: 2, seed: 2 ** 32 - 1, stop: Array.from({ length: 16 }, () => 's'.repeat(256)), stream: false },
    ];
    for (const options of atBounds) {
      const r = validateInnerRequest(
        request({
          messages: [{ role: 'user', name: 'n'.repeat(128), content: [{ type: 'text', text: 'a' }, { type: 'input_text', text: 'b' }] }],
          options,
        }),
        KEY,
      );
      expect(r.ok).toBe(true);
    }
  });

  it('counts UTF-8 bytes for the size limit and reports diagnostics', () => {
    const emoji = '😀'.repeat(131_073); // 4 bytes each → 524,292 bytes, 262,146 UTF-16 chars
    const err = rejectedCode(request({ messages: [{ role: 'user', content: emoji }] }));
    expect(err.code).toBe('compute_node_request_too_large');
    expect(err.total_content_utf8_bytes).toBe(524_292);
    expect(err.maximum_total_content_utf8_bytes).toBe(524_288);
    expect(err.type).toBe('validation_error');
    expect(err.message).not.toContain('😀');
    const exact = validateInnerRequest(request({ messages: [{ role: 'user', content: 'a'.repeat(524_288) }] }), KEY);
    expect(exact.ok).toBe(true);
  });

  it('never echoes submitted content in error messages', () => {
    const err = rejectedCode(request({ messages: [{ role: 'secret-role-value', content: 'secret prompt' }] }));
    expect(err.message).not.toContain('secret');
  });

  it('drops null options in effectiveOptions', () => {
    const r = validateInnerRequest(request({ options: { temperature: null, top_p: 0.5, stream: false } }), KEY);
    expect(r.ok).toBe(true);
    if (r.ok) expect(effectiveOptions(r.request.api_v1_request.options)).toEqual({ top_p: 0.5 });
  });
});

describe('builders and response parsing', () => {
  it('builds a request that validates', () => {
    const built = buildInnerRequest({
      requestId: 'r',
      clientPublicKey: KEY,
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      contextTier: '64k-full',
    });
    expect(validateInnerRequest(JSON.parse(JSON.stringify(built)), KEY).ok).toBe(true);
    expect(() => buildInnerRequest({ requestId: 'r', clientPublicKey: KEY, model: 'm', messages: [] })).toThrow();
  });

  it('round-trips a success response with binding checks', () => {
    const resp = buildInnerSuccessResponse({ requestId: 'r', clientPublicKey: KEY, content: 'Paris', finishReason: 'stop', usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
    const parsed = parseInnerResponse(JSON.parse(JSON.stringify(resp)), { requestId: 'r', clientPublicKey: KEY });
    expect(parsed.ok && parsed.kind === 'message' && parsed.response.api_v1_response.message.content).toBe('Paris');
    expect(parseInnerResponse(resp, { requestId: 'other', clientPublicKey: KEY })).toEqual({ ok: false, reason: 'binding' });
    expect(parseInnerResponse(resp, { requestId: 'r', clientPublicKey: OTHER_KEY })).toEqual({ ok: false, reason: 'binding' });
    expect(() => buildInnerSuccessResponse({ requestId: 'r', clientPublicKey: KEY, content: '' })).toThrow();
  });

  it('parses error responses and refuses message+error together', () => {
    const resp = buildInnerErrorResponse({ requestId: 'r', clientPublicKey: KEY, error: { ...GENERIC_UNPROCESSABLE_ERROR } });
    const parsed = parseInnerResponse(resp, { requestId: 'r', clientPublicKey: KEY });
    expect(parsed.ok && parsed.kind === 'error' && parsed.error.code).toBe('compute_node_invalid_request');
    const both = { ...resp, api_v1_response: { ...resp.api_v1_response, message: { role: 'assistant', content: 'x' } } };
    expect(parseInnerResponse(both, { requestId: 'r', clientPublicKey: KEY })).toEqual({ ok: false, reason: 'schema' });
    expect(parseInnerResponse({ ...resp, protocol: 'x' }, { requestId: 'r', clientPublicKey: KEY })).toEqual({ ok: false, reason: 'schema' });
  });

  it('builds progress and ignores invalid or stale progress', () => {
    const progress = { sequence: 2, phase: 'prefill' as const, total_prompt_tokens: 42, cached_prompt_tokens: 0, processed_prompt_tokens: 21, generated_tokens: 0, elapsed_ms: 350 };
    const p = buildInnerProgress({ requestId: 'r', clientPublicKey: KEY, progress });
    expect(Object.keys(p).sort()).toEqual(['api_v1_progress', 'client_public_key', 'protocol', 'request_id', 'version']);
    expect(parseInnerProgress(p, { requestId: 'r', clientPublicKey: KEY, lastSequence: 1 })?.phase).toBe('prefill');
    expect(parseInnerProgress(p, { requestId: 'r', clientPublicKey: KEY, lastSequence: 2 })).toBeNull();
    expect(parseInnerProgress({ ...p, extra: 1 }, { requestId: 'r', clientPublicKey: KEY })).toBeNull();
    const bad = { ...p, api_v1_progress: { ...p.api_v1_progress, processed_prompt_tokens: 50 } };
    expect(parseInnerProgress(bad, { requestId: 'r', clientPublicKey: KEY })).toBeNull();
    expect(() => buildInnerProgress({ requestId: 'r', clientPublicKey: KEY, progress: { ...progress, phase: 'done' as never } })).toThrow();
  });

  it('counts UTF-8 bytes like an encoder', () => {
    for (const t of ['', 'abc', 'é', '€', '😀', 'a\ud800b', '\udc00', 'x\ud83d']) {
      expect(utf8ByteLength(t)).toBe(Buffer.byteLength(t, 'utf8'));
    }
  });

  it('joins block content', () => {
    expect(messageContentText([{ type: 'text', text: 'a' }, { type: 'input_text', text: 'b' }])).toBe('a\nb');
    expect(messageContentText('x')).toBe('x');
  });
});
