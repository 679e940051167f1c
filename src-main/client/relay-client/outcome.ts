// How one attempt on one node ended, as the failover loop sees it.
import type { ChatError } from '../errors';
import type { ChatAnswer } from '../types';

export type AttemptOutcome =
  | { kind: 'answer'; answer: ChatAnswer }
  /**
   * This node failed in a way another node may not (404/410, §5.4 pick-another codes).
   * `afterText`: it had streamed text the caller takes back if the request fails over (§11.7).
   * `relayLost`: the relay no longer knows the request (`request_lost`, a memory relay that
   * restarted): not this node's failure, so it may be chosen again (§6.4).
   */
  | { kind: 'failover'; error: ChatError; afterText?: true; relayLost?: true }
  /** Automatic tier mode: the 8k node's window was too small; retry on 64k-full (§2.5 browser extra). */
  | { kind: 'escalate-tier'; error: ChatError }
  /** The relay did not take the request: away, or it knows no node yet (relay-away.ts). Ask again after a pause. */
  | { kind: 'relay-not-ready'; error: ChatError };
