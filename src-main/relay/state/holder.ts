// Who may speak for a dispatched request (§2.4.7, §9.4): answers, progress and lease renewals.
// A request dispatched to a verified registration, or whose key is now held by one, is spoken for
// only with that registration's control_credential. For unverified registrations (reference
// nodes, which send no credential with answers) the rules of §2.4.7 stay: a presented credential
// must be the holding node's, an absent one is accepted.
import type { DispatchHolder, NodeRecord, RequestRecord } from './model';
import { digestMatches } from './nodes';

export type HolderVerdict = 'ok' | 'credential_required' | 'not_owner';

/** `holder` = the node record now registered under the request's node key (null: none). */
export function judgeHolder(r: RequestRecord, holder: NodeRecord | null, credential: unknown): HolderVerdict {
  const dispatchedTo: DispatchHolder | null = r.dispatchedTo ?? null;
  if (credential !== undefined) {
    if (!holder || !digestMatches(credential, holder.credentialDigest)) return 'not_owner';
    // Same registration as the one that took it (a credential names exactly one registration).
    if (dispatchedTo?.verified && dispatchedTo.credentialDigest !== holder.credentialDigest) return 'not_owner';
    return 'ok';
  }
  return dispatchedTo?.verified || holder?.verified ? 'credential_required' : 'ok';
}

/** Why a report on a request (§2.4.8 progress, §11.4 stream chunks) is refused. */
export type ReporterRefusal = 'credential' | 'not_active' | 'expired';

/**
 * §2.4.8, §11.4: only the node holding the request in flight may report on it — its live
 * credential, for a request dispatched to a verified registration that registration's (§9.4) —
 * and only before the deadline; checked in that order. `refuse` throws the route's own error.
 */
export function assertReporter(
  r: RequestRecord | null,
  nodeId: string,
  node: NodeRecord | null,
  credential: string,
  now: number,
  refuse: (why: ReporterRefusal) => never,
): asserts r is RequestRecord {
  if (!node || !digestMatches(credential, node.credentialDigest)) refuse('credential');
  if (!r || r.state !== 'in_flight' || r.nodeId !== nodeId) refuse('not_active');
  if (judgeHolder(r, node, credential) !== 'ok') refuse('credential');
  if (r.deadlineAt <= now) refuse('expired');
}
