// Typed failures of the built-in GGUF engine. Codes are stable names (they join the shared error
// registry); messages are for people: what went wrong and what to do, never engine internals.

export const LOCAL_ENGINE_ERROR_CODES = [
  'local_engine_model_not_found',
  'local_engine_model_invalid',
  'local_engine_model_load_failed',
  'local_engine_out_of_memory',
  'local_engine_binary_unavailable',
  'local_engine_gpu_unavailable',
  'local_engine_not_loaded',
  'local_engine_context_window_exceeded',
  'local_engine_invalid_options',
  'local_engine_cancelled',
  'local_engine_generation_failed',
] as const;
export type LocalEngineErrorCode = (typeof LOCAL_ENGINE_ERROR_CODES)[number];

/** Numbers only: safe to log and to show (never prompt or answer text, never paths of others). */
export interface LocalEngineErrorDetails {
  promptTokens?: number;
  contextSize?: number;
  requestedOutputTokens?: number;
  generatedTokens?: number;
  gpu?: string;
}

export class LocalEngineError extends Error {
  override readonly name = 'LocalEngineError';
  constructor(
    readonly code: LocalEngineErrorCode,
    message: string,
    readonly details: LocalEngineErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function isLocalEngineError(err: unknown, code?: LocalEngineErrorCode): err is LocalEngineError {
  return err instanceof LocalEngineError && (code === undefined || err.code === code);
}
