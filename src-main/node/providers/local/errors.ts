// Typed failures of the built-in GGUF engine. Codes are stable names (they join the shared error
// registry: src-shared/vocabulary declares them, src-shared/errors has their general words);
// messages are for people: what went wrong and what to do, never engine internals.

import { CodedError } from '../../../../src-shared/errors';
import type { LocalEngineErrorCode } from '../../../../src-shared/vocabulary';

export { LOCAL_ENGINE_ERROR_CODES, type LocalEngineErrorCode } from '../../../../src-shared/vocabulary';

/** Numbers only: safe to log and to show (never prompt or answer text, never paths of others). */
export interface LocalEngineErrorDetails {
  promptTokens?: number;
  contextSize?: number;
  requestedOutputTokens?: number;
  generatedTokens?: number;
  gpu?: string;
}

export class LocalEngineError extends CodedError<LocalEngineErrorCode, LocalEngineErrorDetails> {}

export function isLocalEngineError(err: unknown, code?: LocalEngineErrorCode): err is LocalEngineError {
  return err instanceof LocalEngineError && (code === undefined || err.code === code);
}
