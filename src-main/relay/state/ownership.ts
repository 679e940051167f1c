// The (node, request_id) -> request key index of dispatched requests: /servers/control names no
// client key (§2.4.6), so this is how it finds the request a node holds.
import type { Effect } from '../store/state-store';
import { keys, requestIdHash } from './model';

/** The (node, request_id) -> request index entry of a dispatched request (§2.4.6 control lookups). */
export function ownership(nodeId: string, requestId: string, reqKey: string, ttlMs: number): Effect {
  return { op: 'recordPut', key: keys.owned(nodeId, requestIdHash(requestId)), value: { reqKey }, ttlMs };
}

/** Drops the entry only while it still points at `reqKey` (another client may reuse the request_id). */
export function releaseOwnership(nodeId: string, requestId: string, reqKey: string): Effect {
  return { op: 'recordDeleteIf', key: keys.owned(nodeId, requestIdHash(requestId)), value: { reqKey } };
}
