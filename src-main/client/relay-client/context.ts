// What the steps of a chat share across the requests of one RelayClient.
import type { RecentFailures } from './choose-node';
import type { LongPollSupport } from './long-poll';
import type { RelayCalls } from './relay-calls';
import type { RelayClientSettings } from './settings';

export interface ClientContext {
  settings: RelayClientSettings;
  calls: RelayCalls;
  /** Nodes that failed a recent request (declined once by the next choice). */
  recentFailures: RecentFailures;
  /** Learnt from the first retrieves; shared by every later request. */
  longPoll: LongPollSupport;
}
