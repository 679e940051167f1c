// The client's view of the error registry (src-shared/errors): the words and retryable for any
// code it meets, wire codes of docs/protocol.md §5.4 included. The texts live in the registry only.
import { errorInfoOf, FALLBACK_ERROR_CODES, isRegisteredErrorCode } from '../../src-shared/errors';

const FALLBACKS: ReadonlySet<string> = new Set(FALLBACK_ERROR_CODES);

export interface UserMessage {
  message: string;
  /** Sending the same request again later may succeed without the user changing it. */
  retryable: boolean;
}

/** User text for a code; `http_<status>` codes and unknown codes get a generic message. */
export function userMessageFor(code: string): UserMessage {
  const { message, retryable } = errorInfoOf(code);
  return { message, retryable };
}

/** True when the registry has words of its own for this code (not a generic fallback). */
export function hasSpecificMessage(code: string): boolean {
  return isRegisteredErrorCode(code) && !FALLBACKS.has(code);
}
