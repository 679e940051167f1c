import { describe, expect, it } from 'vitest';
import { buildInnerProgress, parseInnerAeadProgress, parseInnerProgress } from './inner-envelope';
import { STREAM_LIMITS, StreamAppendBody, StreamReadBody, parseStreamChunkPlaintext } from './stream';

describe('§11.2 chunk plaintexts', () => {
  it('a chunk breaks the rules when its keys do not match its final flag', () => {
    expect(parseStreamChunkPlaintext({ delta: 'a' }, false)).toEqual({ delta: 'a' });
    expect(parseStreamChunkPlaintext({ delta: '', finish_reason: 'stop' }, true)).toEqual({ delta: '', finish_reason: 'stop' });
    expect(parseStreamChunkPlaintext({ delta: 'a' }, true)).toBeNull(); // final without finish_reason
    expect(parseStreamChunkPlaintext({ delta: 'a', finish_reason: 'stop' }, false)).toBeNull();
    expect(parseStreamChunkPlaintext({ delta: 'a', usage: { completion_tokens: 1 } }, false)).toBeNull();
    expect(parseStreamChunkPlaintext({ delta: '' }, false)).toBeNull(); // empty non-final
    expect(parseStreamChunkPlaintext({ delta: 'a', extra: 1 }, false)).toBeNull();
    expect(parseStreamChunkPlaintext('a', false)).toBeNull();
  });

  it('a delta is at most 16,384 UTF-8 bytes', () => {
    const euro = '€'; // 3 bytes
    const fits = euro.repeat(Math.floor(STREAM_LIMITS.maxChunkTextBytes / 3));
    expect(parseStreamChunkPlaintext({ delta: fits }, false)).not.toBeNull();
    expect(parseStreamChunkPlaintext({ delta: fits + euro }, false)).toBeNull();
  });
});

describe('§11.4, §11.5 bodies', () => {
  const chunk = { sequence: 0, final: false, ciphertext: 'AAAA', iv: 'AAAAAAAAAAAAAAAA' };
  const append = { server_public_key: 'n', control_credential: 'c', client_public_key: 'k', request_id: 'r', chunks: [chunk] };

  it('an append carries 1 to 32 chunks and nothing else', () => {
    expect(StreamAppendBody.safeParse(append).success).toBe(true);
    expect(StreamAppendBody.safeParse({ ...append, chunks: [] }).success).toBe(false);
    expect(StreamAppendBody.safeParse({ ...append, chunks: Array(33).fill(chunk) }).success).toBe(false);
    expect(StreamAppendBody.safeParse({ ...append, chunks: [{ ...chunk, cipherkey: 'YWVhZC12MQ==' }] }).success).toBe(false);
    expect(StreamAppendBody.safeParse({ ...append, extra: 1 }).success).toBe(false);
  });

  it('a read starts after -1 and waits at most 25 s', () => {
    const read = { client_public_key: 'k', request_id: 'r', after: -1 };
    expect(StreamReadBody.safeParse(read).success).toBe(true);
    expect(StreamReadBody.safeParse({ ...read, after: -2 }).success).toBe(false);
    expect(StreamReadBody.safeParse({ ...read, wait_seconds: 26 }).success).toBe(false);
  });
});

describe('§11.6 snapshots in aead-v1 progress', () => {
  const progress = {
    sequence: 1,
    phase: 'generating' as const,
    total_prompt_tokens: 3,
    cached_prompt_tokens: 0,
    processed_prompt_tokens: 3,
    generated_tokens: 2,
    elapsed_ms: 10,
  };
  const expected = { requestId: 'r', clientPublicKey: 'k' };

  it('aead-v1 progress may carry the text so far; reference progress keeps its five keys', () => {
    const withSnapshot = buildInnerProgress({ requestId: 'r', clientPublicKey: 'k', progress, snapshot: { text: 'Par' } });
    expect(parseInnerAeadProgress(withSnapshot, expected)).toEqual({ progress: { schema_version: 1, ...progress }, snapshot: { text: 'Par' } });
    expect(parseInnerProgress(withSnapshot, expected)).toBeNull();
    const plain = buildInnerProgress({ requestId: 'r', clientPublicKey: 'k', progress });
    expect(Object.keys(plain)).toHaveLength(5);
    expect(parseInnerAeadProgress(plain, expected)?.snapshot).toBeNull();
    expect(parseInnerAeadProgress({ ...withSnapshot, stream_snapshot: { text: 'x', more: 1 } }, expected)).toBeNull();
  });
});
