// §2.3.4 progress updates: opened with the client key (reference-cbc) or with the request's own
// key under aead-v1 (§10.5.3; the sequence comes from the counter nonce and is bound by the AAD),
// bound to the request, newer than the last one seen; anything else is ignored, never fatal. An
// aead-v1 request takes only aead-v1 progress, which may carry a stream snapshot (§11.6).
import { parseInnerAeadProgress, parseInnerProgress, type InnerProgressBody, type InnerStreamSnapshot } from '../../../src-shared/protocol/inner-envelope';
import type { EncryptedProgress } from '../../../src-shared/protocol/relay-http';
import { envelopeProfile, openAeadProgress, parseJsonPlaintext, type AeadV1Session, type RsaKeyPair } from '../../crypto';
import { openReply } from '../reply-decrypt';
import type { ChatStatus } from '../types';

export function openProgress(
  env: EncryptedProgress,
  pair: RsaKeyPair,
  requestId: string,
  lastSequence: number,
  session: AeadV1Session | undefined,
): { progress: InnerProgressBody; snapshot: InnerStreamSnapshot | null } | null {
  const envelope = { ciphertext: env.ciphertext, cipherkey: env.cipherkey, iv: env.iv };
  const expected = { requestId, clientPublicKey: pair.publicKeyWire, lastSequence };
  if (!session) {
    const opened = openReply(envelope, pair.privateKeyPem);
    const progress = opened ? parseInnerProgress(opened.value, expected) : null;
    return progress ? { progress, snapshot: null } : null;
  }
  if (envelopeProfile(envelope) !== 'aead-v1') return null;
  try {
    const { sequence, plaintext } = openAeadProgress(session, envelope);
    const opened = parseInnerAeadProgress(parseJsonPlaintext(plaintext), expected);
    // The nonce's counter is the authenticated sequence; the inner one must agree with it.
    return opened && opened.progress.sequence === sequence ? opened : null;
  } catch {
    return null;
  }
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
