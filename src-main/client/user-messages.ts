// The client's view of the error registry (src-shared/errors): the words and retryable for any
// code it meets, wire codes of docs/protocol.md §5.4 included. The texts live in the registry only.
import { DETAILED_ERROR_WORDS, errorInfoOf, FALLBACK_ERROR_CODES, isRegisteredErrorCode } from '../../src-shared/errors';

const FALLBACKS: ReadonlySet<string> = new Set(FALLBACK_ERROR_CODES);

export interface UserMessage {
  message: string;
  /** Sending the same request again later may succeed without the user changing it. */
  retryable: boolean;
}

/** Longest model id named in a message (ids are at most 128 characters, §2.4.5), and how many are listed. */
const MAX_NAMED_MODEL_CHARS = 128;
const MAX_NAMED_MODELS = 12;

/**
 * User text for a code; `http_<status>` codes and unknown codes get a generic message. With the
 * relay's details (ChatError.details) the words may say more: the model asked for and those
 * offered (§2.4.1), or that an answer expired undelivered (§2.4.3 reason `expired`).
 */
export function userMessageFor(code: string, details?: Readonly<Record<string, unknown>>): UserMessage {
  const { message, retryable } = errorInfoOf(code);
  return { message: detailedMessage(code, details) ?? message, retryable };
}

function detailedMessage(code: string, details: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (code === 'expired' && details?.reason === 'expired') return DETAILED_ERROR_WORDS.answerExpiredUndelivered;
  if (code !== 'no_matching_compute_node') return undefined;
  const model = nameOf(details?.requested_model);
  const tier = nameOf(details?.requested_context_tier);
  if (model === undefined || tier === undefined) return undefined;
  const offered = Array.isArray(details?.available_models) ? details.available_models.map(nameOf).filter((m): m is string => m !== undefined) : [];
  const listed = offered.length > MAX_NAMED_MODELS ? [...offered.slice(0, MAX_NAMED_MODELS), `${offered.length - MAX_NAMED_MODELS} more`] : offered;
  return DETAILED_ERROR_WORDS.noMatchingNode(model, tier, listed, offered.includes(model));
}

const nameOf = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? (v.length > MAX_NAMED_MODEL_CHARS ? `${v.slice(0, MAX_NAMED_MODEL_CHARS)}…` : v) : undefined;

/** True when the registry has words of its own for this code (not a generic fallback). */
export function hasSpecificMessage(code: string): boolean {
  return isRegisteredErrorCode(code) && !FALLBACKS.has(code);
}
