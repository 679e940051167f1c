// The code a person (and the renderer) sees for any failure, and its words. Relay and node codes
// arrive as any string: a registered one is itself, a bare HTTP status is `http_<status>`, and an
// unknown one is shown as `unknown_node_error` (a `compute_node_…` code) or `request_failed`.
import { ERROR_REGISTRY, type ErrorEntry, type RegisteredErrorCode } from './registry';

/** A relay error without a §5.4 string code: its HTTP status (§2.4, §5.4 "numeric codes"). */
export type HttpStatusErrorCode = `http_${number}`;
export type ErrorCode = RegisteredErrorCode | HttpStatusErrorCode;

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  pickAnotherNode: boolean;
}

const HTTP_STATUS_CODE = /^http_([1-5]\d\d)$/;

export function isRegisteredErrorCode(code: string): code is RegisteredErrorCode {
  // Own keys only: a relay or node may send any string as a code, e.g. "toString".
  return Object.hasOwn(ERROR_REGISTRY, code);
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (isRegisteredErrorCode(code) || HTTP_STATUS_CODE.test(code));
}

export function httpStatusErrorCode(status: number): HttpStatusErrorCode {
  return `http_${status}`;
}

/** The code under which a relay, node or client code is shown. */
export function errorCodeOf(code: string): ErrorCode {
  if (isErrorCode(code)) return code;
  return code.startsWith('compute_node_') ? 'unknown_node_error' : 'request_failed';
}

/** Words for a bare HTTP status (a numeric `error.code`, or a body without a code). */
function httpStatusEntry(status: number): ErrorEntry {
  if (status === 401 || status === 403) return { message: `The server refused access (HTTP ${status}).`, retryable: false };
  if (status === 404) return { message: 'The server does not offer this route or no longer knows the node (HTTP 404).', retryable: true };
  if (status === 410) return { message: 'The selected node or request is gone (HTTP 410).', retryable: true };
  if (status === 413) return { message: 'The request is too large for the server (HTTP 413).', retryable: false };
  if (status === 429) return ERROR_REGISTRY.rate_limit_exceeded;
  if (status >= 500) return { message: `The server had an internal problem (HTTP ${status}). Try again later.`, retryable: true };
  return { message: `The server rejected the request (HTTP ${status}).`, retryable: false };
}

/** The code shown for `code`, with its words, whether retrying may help and whether to pick another node. */
export function errorInfoOf(code: string): ErrorInfo {
  const shown = errorCodeOf(code);
  const http = HTTP_STATUS_CODE.exec(shown);
  const entry = http ? httpStatusEntry(Number(http[1])) : ERROR_REGISTRY[shown as RegisteredErrorCode];
  return { code: shown, message: entry.message, retryable: entry.retryable, pickAnotherNode: entry.pickAnotherNode === true };
}
