// JSON over HTTP with a body-size cap, a per-call timeout and typed network errors.
import { ChatCancelledError, InvalidServerResponseError, ServerUnreachableError, TlsError } from './errors';

export type FetchLike = typeof fetch;

export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface JsonCall {
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
  /** Caller's stop signal: aborting it rejects with ChatCancelledError. */
  signal?: AbortSignal;
  timeoutMs: number;
  maxBytes?: number;
  headers?: Record<string, string>;
}

export interface JsonResult {
  status: number;
  /** Parsed JSON; `undefined` when a non-2xx answer had no JSON body (e.g. an HTML error page). */
  body: unknown;
  elapsedMs: number;
  /** A `Retry-After` header in seconds (§5.1), as milliseconds; absent when none or not a number of seconds. */
  retryAfterMs?: number;
}

const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|EPROTO$|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_(GET|VERIFY)_|ERR_OSSL_)/;

function causeCodes(err: unknown): string[] {
  const codes: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 5; depth++) {
    const c = cur as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof c.code === 'string') codes.push(c.code);
    if (Array.isArray(c.errors)) for (const sub of c.errors) codes.push(...causeCodes(sub));
    cur = c.cause;
  }
  return codes;
}

/** Maps a fetch rejection to a typed error (TLS vs unreachable); never leaks request data. */
export function classifyFetchFailure(err: unknown, url: string): Error {
  const codes = causeCodes(err);
  const tls = codes.find((c) => TLS_CODE.test(c));
  const host = safeHost(url);
  // Redirects are not followed (a POST must not silently move); say so instead of "unreachable".
  if (/redirect/i.test(String((err as { cause?: { message?: unknown } })?.cause?.message ?? ''))) {
    return new InvalidServerResponseError('invalid_server_response', `${host} redirected; use the final address of the relay`);
  }
  if (tls) return new TlsError(`${tls} talking to ${host}`, err);
  return new ServerUnreachableError('server_unreachable', `${codes[0] ?? 'fetch failed'} talking to ${host}`, err);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}

async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new InvalidServerResponseError('response_too_large', `declared ${declared} bytes > ${maxBytes}`, res.status);
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new InvalidServerResponseError('response_too_large', `more than ${maxBytes} bytes`, res.status);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export async function callJson(fetchImpl: FetchLike, call: JsonCall): Promise<JsonResult> {
  if (call.signal?.aborted) throw new ChatCancelledError();
  // AbortSignal.timeout needs a positive integer.
  const timeout = AbortSignal.timeout(Math.max(1, Math.ceil(call.timeoutMs)));
  const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  const started = performance.now();
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetchImpl(call.url, {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal,
      redirect: 'error',
    });
  } catch (err) {
    throw networkError(err, call, timeout);
  }
  let raw: Buffer;
  try {
    raw = await readCapped(res, call.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
  } catch (err) {
    if (err instanceof InvalidServerResponseError) throw err;
    throw networkError(err, call, timeout);
  }
  const elapsedMs = performance.now() - started;
  const ok = res.status >= 200 && res.status < 300;
  let body: unknown;
  try {
    body = raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8'));
  } catch {
    body = undefined;
  }
  if (ok && body === undefined) {
    throw new InvalidServerResponseError('invalid_server_response', `HTTP ${res.status} without a JSON body from ${safeHost(call.url)}`, res.status);
  }
  const retryAfterMs = retryAfterMsOf(res.headers.get('retry-after'));
  return { status: res.status, body, elapsedMs, ...(retryAfterMs !== undefined && { retryAfterMs }) };
}

/** `Retry-After: <seconds>` as milliseconds (the HTTP-date form is not used by relays, §5.1). */
export function retryAfterMsOf(header: string | null): number | undefined {
  if (header === null || !/^\s*\d{1,6}\s*$/.test(header)) return undefined;
  return Number(header.trim()) * 1000;
}

/** A call whose body is read as it arrives (Server-Sent Events, §11.5): the response once its head came. */
export interface StreamCall {
  res: Response;
  /**
   * The call's own signal (the caller's, or its time running out). Held here for as long as the
   * body is read: a signal made by AbortSignal.any() is held only weakly by the signals it follows,
   * so once nothing else referred to it a garbage collection could drop it, and the caller's Stop
   * would no longer end a stream already open (seen under load: an answer kept streaming after Stop).
   */
  signal: AbortSignal;
  /** The typed error for a failure while reading the body (cancelled, timed out, unreachable). */
  failure(err: unknown): Error;
}

/** POSTs JSON and hands back the response unread; `timeoutMs` bounds the whole call, body included. */
export async function callStream(fetchImpl: FetchLike, call: Omit<JsonCall, 'maxBytes'> & { accept: string }): Promise<StreamCall> {
  if (call.signal?.aborted) throw new ChatCancelledError();
  const timeout = AbortSignal.timeout(Math.max(1, Math.ceil(call.timeoutMs)));
  const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  const failure = (err: unknown) => networkError(err, call, timeout);
  try {
    const res = await fetchImpl(call.url, {
      method: call.method,
      headers: { ...call.headers, accept: call.accept, 'content-type': 'application/json' },
      body: JSON.stringify(call.body),
      signal,
      redirect: 'error',
    });
    return { res, failure, signal };
  } catch (err) {
    throw failure(err);
  }
}

function networkError(err: unknown, call: Pick<JsonCall, 'signal' | 'url' | 'timeoutMs'>, timeout: AbortSignal): Error {
  if (call.signal?.aborted) return new ChatCancelledError();
  if (timeout.aborted) return new ServerUnreachableError('server_timeout', `no answer from ${safeHost(call.url)} within ${call.timeoutMs} ms`, err);
  return classifyFetchFailure(err, call.url);
}
