// Maps SDK/HTTP failures of OpenAI-compatible and Anthropic providers to §5.4 node codes.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { ProviderAbortedError, ProviderError } from '../errors';

/** The fields both official SDKs' APIError classes carry. */
interface SdkLikeError {
  name?: string;
  status?: number;
  message?: string;
  code?: unknown;
  type?: unknown;
  error?: unknown;
}

const CONTEXT_EXCEEDED_PATTERNS = [
  /context[ _-]?length/i,
  /context[ _-]?window/i,
  /context size/i,
  /maximum context/i,
  /prompt is too long/i,
  /too many tokens/i,
  /exceeds? (the )?(available )?context/i,
];

function bodyText(err: SdkLikeError): string {
  const parts: string[] = [];
  if (typeof err.message === 'string') parts.push(err.message);
  if (typeof err.code === 'string') parts.push(err.code);
  if (typeof err.type === 'string') parts.push(err.type);
  try {
    if (err.error !== undefined) parts.push(JSON.stringify(err.error));
  } catch {
    /* unserialisable body: ignore */
  }
  return parts.join(' ');
}

/**
 * Classifies a thrown value. `signal` tells our own aborts (cancel/deadline/stop) apart from
 * SDK timeouts. Only fixed reason tokens leave this function, never provider text.
 */
export function mapProviderError(err: unknown, signal: AbortSignal): ProviderError | ProviderAbortedError {
  if (err instanceof ProviderError || err instanceof ProviderAbortedError) return err;
  if (signal.aborted) return new ProviderAbortedError();
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkLikeError;
  const name = e.name ?? '';
  if (err instanceof OpenAI.APIUserAbortError || err instanceof Anthropic.APIUserAbortError || name === 'AbortError') {
    return new ProviderAbortedError();
  }
  if (
    err instanceof OpenAI.APIConnectionTimeoutError ||
    err instanceof Anthropic.APIConnectionTimeoutError ||
    name === 'TimeoutError'
  ) {
    return new ProviderError('compute_node_runtime_unavailable', 'provider_timeout', true);
  }
  if (typeof e.status !== 'number') {
    return new ProviderError('compute_node_runtime_unavailable', 'provider_unreachable', true);
  }
  const status = e.status;
  const text = bodyText(e);
  if (CONTEXT_EXCEEDED_PATTERNS.some((p) => p.test(text)) && status >= 400 && status < 500) {
    return new ProviderError('compute_node_context_window_exceeded', 'provider_context_exceeded', false, status);
  }
  if (status === 404) return new ProviderError('compute_node_model_unsupported', 'provider_model_not_found', false, status);
  if (status === 401 || status === 403) {
    return new ProviderError('compute_node_runtime_unavailable', 'provider_auth_failed', false, status);
  }
  if (status === 408 || status === 429 || status >= 500) {
    return new ProviderError('compute_node_runtime_unavailable', `provider_http_${status}`, true, status);
  }
  return new ProviderError('compute_node_process_failed', `provider_http_${status}`, false, status);
}
