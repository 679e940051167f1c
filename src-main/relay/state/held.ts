// What the relay holds (§2.6.1), read from the store itself so that every relay process sharing
// it reports the same: requests queued, in flight (the in-flight lease index, lapsed leases
// included) and answered but not yet retrieved. For /metrics and /relay/diagnostics; counts only.
import type { RelayContext } from './context';
import { keys } from './model';

export interface HeldRequests {
  queued: number;
  in_flight: number;
  awaiting_delivery: number;
}

export async function heldRequests(ctx: RelayContext): Promise<HeldRequests> {
  const { store } = ctx;
  // Every request with a deadline timer is queued, in flight or awaiting delivery (§2.6.3).
  const [open, inFlight, nodeIds] = await Promise.all([store.timerCount(keys.deadlines), store.timerCount(keys.leases), store.setMembers(keys.nodeIndex)]);
  const queued = (await Promise.all(nodeIds.map((id) => store.listLength(keys.queue(id))))).reduce((a, b) => a + b, 0);
  return { queued, in_flight: inFlight, awaiting_delivery: Math.max(0, open - queued - inFlight) };
}
