// HTTP to one relay: JSON calls with the client's size cap, and calls of a chat run that stop on
// the caller's signal and on the run's local deadline (§2.4.3).
import { ChatError } from '../errors';
import { callJson, callStream, type FetchLike, type JsonResult, type StreamCall } from '../http';
import type { ChatRun } from './chat-run';
import type { RelayClientSettings } from './settings';

export interface RelayCall {
  method: 'GET' | 'POST';
  /** Path below the relay's base URL, e.g. `/api/v1/relay/requests`. */
  path: string;
  body?: unknown;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface RunCall {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  timeoutMs?: number;
  /** Give-up time of this call besides the run's own limit (a request's relay deadline). */
  deadline?: number;
}

export class RelayCalls {
  constructor(
    readonly baseUrl: string,
    private readonly fetchImpl: FetchLike,
    private readonly settings: Pick<RelayClientSettings, 'requestTimeoutMs' | 'maxResponseBytes'>,
    /** On every call (the embedded relay's launch secret, §12). */
    private readonly headers: Readonly<Record<string, string>> = {},
  ) {}

  /** One JSON call; the default timeout and size cap are the client's. */
  readonly call = (c: RelayCall): Promise<JsonResult> => {
    const maxBytes = c.maxBytes ?? this.settings.maxResponseBytes;
    return callJson(this.fetchImpl, {
      method: c.method,
      url: `${this.baseUrl}${c.path}`,
      body: c.body,
      headers: { ...this.headers },
      ...(c.signal ? { signal: c.signal } : {}),
      timeoutMs: c.timeoutMs ?? this.settings.requestTimeoutMs,
      ...(maxBytes !== undefined ? { maxBytes } : {}),
    });
  };

  /**
   * A POST of a chat run whose answer is read as it arrives (§11.5 Server-Sent Events): stops on
   * the caller's signal and at `deadline` (and the run's local deadline), body included.
   */
  async streamForRun(run: ChatRun, c: { path: string; body: unknown; deadline: number; accept: string }): Promise<StreamCall> {
    const untilDeadline = Math.min(c.deadline, run.userDeadline) - performance.now();
    if (untilDeadline <= 0) throw run.timedOut(run.userDeadline);
    return callStream(this.fetchImpl, {
      method: 'POST',
      url: `${this.baseUrl}${c.path}`,
      body: c.body,
      headers: { ...this.headers },
      accept: c.accept,
      ...(run.req.signal ? { signal: run.req.signal } : {}),
      timeoutMs: untilDeadline,
    });
  }

  /** One HTTP call of a chat run: stops on the caller's signal, and on the run's local deadline. */
  async forRun(run: ChatRun, c: RunCall): Promise<JsonResult> {
    const localDeadline = Math.min(c.deadline ?? Infinity, run.userDeadline);
    const untilDeadline = localDeadline - performance.now();
    if (untilDeadline <= 0) throw run.timedOut(run.userDeadline);
    const timeoutMs = Math.min(c.timeoutMs ?? this.settings.requestTimeoutMs, untilDeadline);
    try {
      return await this.call({ method: c.method, path: c.path, body: c.body, ...(run.req.signal ? { signal: run.req.signal } : {}), timeoutMs });
    } catch (err) {
      // Our own deadline cut the call short: that is a timeout of the chat, not of the server.
      if (err instanceof ChatError && err.code === 'server_timeout' && performance.now() >= localDeadline - 5) throw run.timedOut(localDeadline);
      throw err;
    }
  }
}
