// While a request is generating: ask `servers/control` every next_poll_seconds (§2.4.6); on
// `cancelled`/`expired` report it and acknowledge the tombstone (2 s timeout).
import type { NodeRelayApi } from './relay-api';
import { sleep } from './sleep';

export interface ControlWatchDeps {
  api: NodeRelayApi;
  serverPublicKey: string;
  credential(): string | undefined;
  requestId: string;
  initialIntervalSeconds: number;
  httpTimeoutMs: number;
  ackTimeoutMs: number;
  /** Ends the watch (generation finished). */
  done: AbortSignal;
  onTerminal(status: 'cancelled' | 'expired'): void;
}

export async function watchControl(deps: ControlWatchDeps): Promise<void> {
  let intervalS = deps.initialIntervalSeconds;
  for (;;) {
    await sleep(intervalS * 1000, deps.done);
    if (deps.done.aborted) return;
    const credential = deps.credential();
    if (credential === undefined) continue;
    const body = { server_public_key: deps.serverPublicKey, request_id: deps.requestId, control_credential: credential };
    let res;
    try {
      res = await deps.api.control({ ...body, acknowledge: false }, deps.httpTimeoutMs);
    } catch {
      continue; // relay briefly unreachable: keep generating, the deadline still bounds us
    }
    if (res.status === 'forbidden') continue;
    intervalS = Math.min(10, Math.max(1, res.next_poll_seconds || intervalS));
    if (res.status === 'cancelled' || res.status === 'expired') {
      deps.onTerminal(res.status);
      try {
        await deps.api.control({ ...body, acknowledge: true }, deps.ackTimeoutMs);
      } catch {
        /* the tombstone expires on its own */
      }
      return;
    }
  }
}
