// What the steps of a chat share across the requests of one RelayClient.
import type { RecentFailures } from './choose-node';
import type { E2eeMemory } from './e2ee-memory';
import type { LongPollSupport } from './long-poll';
import type { RelayHistory } from './relay-away';
import type { RelayCalls } from './relay-calls';
import type { RelayClientSettings } from './settings';

export interface ClientContext {
  settings: RelayClientSettings;
  calls: RelayCalls;
  /** Nodes that failed a recent request (declined once by the next choice). */
  recentFailures: RecentFailures;
  /** Learnt from the first retrieves; shared by every later request. */
  longPoll: LongPollSupport;
  /** Node keys known to speak aead-v1 (§10.6), for the lifetime of this client. */
  e2ee: E2eeMemory;
  /** Whether the relay answered before and offered nodes lately: a restart is ridden out (relay-away.ts). */
  relay: RelayHistory;
}
