// One chat() call in progress: the caller's request, the key pair it started with, its clock and
// local deadline, the counters its answer reports, and its status and pause helpers.
import type { RsaKeyPair } from '../../crypto';
import { ChatCancelledError, ChatTimeoutError } from '../errors';
import type { ChatDelta, ChatRequest, ChatStatus } from '../types';

export class ChatRun {
  readonly startedAt = performance.now();
  /** The caller's own limit (`timeoutMs`); the relay deadline rule (§2.4.3) applies besides. */
  readonly userDeadline: number;
  failovers = 0;
  readonly timings = { findNodeMs: 0, encryptMs: 0, submitMs: 0 };

  /** `pair` is a snapshot: a key rotation during this request does not break its reply. */
  constructor(
    readonly req: ChatRequest,
    readonly pair: RsaKeyPair,
  ) {
    this.userDeadline = req.timeoutMs !== undefined ? this.startedAt + req.timeoutMs : Infinity;
  }

  elapsedMs(): number {
    return performance.now() - this.startedAt;
  }

  status(s: ChatStatus): void {
    try {
      this.req.onStatus?.(s);
    } catch {
      // a faulty listener must not break the request
    }
  }

  delta(d: ChatDelta): void {
    try {
      this.req.onDelta?.(d);
    } catch {
      // a faulty listener must not break the request
    }
  }

  /** The timeout to report when `giveUpAt` (the caller's limit or the relay deadline) has passed. */
  timedOut(giveUpAt: number): ChatTimeoutError {
    return new ChatTimeoutError(giveUpAt === this.userDeadline ? 'local timeout' : 'relay deadline (§2.4.3) passed');
  }

  /** Waits `ms`; the caller's signal ends the wait with ChatCancelledError. */
  pause(ms: number): Promise<void> {
    const signal = this.req.signal;
    if (signal?.aborted) return Promise.reject(new ChatCancelledError());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new ChatCancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** What a stopped request reports: a server switch (ChatService) or the caller's own stop. */
export function cancelCode(signal: AbortSignal | undefined): 'requester_cancelled' | 'server_switched' {
  const reason: unknown = signal?.reason;
  return reason instanceof ChatCancelledError && reason.code === 'server_switched' ? 'server_switched' : 'requester_cancelled';
}
