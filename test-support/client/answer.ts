// A finished answer as the client hands it back, for tests that script the client instead of
// running it: every field of ChatAnswer filled with a plausible value; a test passes the fields
// it looks at.
import type { ChatAnswer } from '../../src-main/client';

export function scriptedAnswer(content: string, extra: Partial<ChatAnswer> = {}): ChatAnswer {
  return {
    content,
    finishReason: 'stop',
    usage: { promptTokens: 5, completionTokens: 3, totalTokens: 8 },
    model: 'm',
    contextTier: '8k-fast',
    requestId: '0123456789abcdef0123456789abcdef',
    nodeFingerprint: 'f'.repeat(64),
    relayUrl: 'http://127.0.0.1:1',
    encryption: { profile: 'aead-v1', authenticated: true, symmetric: 'AES-256-GCM', requestWrap: 'oaep-sha256', replyWrap: 'oaep-sha256' },
    timings: { totalMs: 1, findNodeMs: 0, encryptMs: 0, submitMs: 0, waitMs: 0, decryptMs: 0 },
    failovers: 0,
    retrieveMode: 'long-poll',
    ...extra,
  };
}
