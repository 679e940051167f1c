// §2.3.4 progress updates: opened with the client key, bound to the request, newer than the last
// one seen; anything else is ignored, never fatal.
import { parseInnerProgress, type InnerProgressBody } from '../../../src-shared/protocol/inner-envelope';
import type { EncryptedProgress } from '../../../src-shared/protocol/relay-http';
import type { RsaKeyPair } from '../../crypto';
import { openReply } from '../reply-decrypt';
import type { ChatStatus } from '../types';

export function openProgress(env: EncryptedProgress, pair: RsaKeyPair, requestId: string, lastSequence: number): InnerProgressBody | null {
  const opened = openReply({ ciphertext: env.ciphertext, cipherkey: env.cipherkey, iv: env.iv }, pair.privateKeyPem);
  return opened ? parseInnerProgress(opened.value, { requestId, clientPublicKey: pair.publicKeyWire, lastSequence }) : null;
}

export function progressStatus(progress: InnerProgressBody, requestId: string, elapsedMs: number): Extract<ChatStatus, { type: 'progress' }> {
  return {
    type: 'progress',
    requestId,
    phase: progress.phase,
    sequence: progress.sequence,
    processedPromptTokens: progress.processed_prompt_tokens,
    totalPromptTokens: progress.total_prompt_tokens,
    cachedPromptTokens: progress.cached_prompt_tokens,
    generatedTokens: progress.generated_tokens,
    nodeElapsedMs: progress.elapsed_ms,
    elapsedMs,
  };
}
