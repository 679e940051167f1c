// Compute-node registry (§2.4.5, §2.4.9, §2.6.2, §9): registration with a once-only control
// credential, with or without proof of key possession, heartbeats, unregistration and eviction
// (queued work cancelled, in-flight work tombstoned).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Capabilities } from '../../../src-shared/protocol/relay-http';
import { ControlCredentialError, ControlCredentialRequiredError, RegistrationProofFailedError } from '../errors';
import { discardChallenge, type AnsweredChallenge } from './challenge';
import type { RelayContext } from './context';
import { keys, nodeIdOf, sha256Hex, type NodeRecord, type RequestRecord } from './model';
import { mutate } from './mutate';
import { endRequest } from './terminate';

/** Constant-time comparison of a presented secret with a stored SHA-256 hex digest. */
export function digestMatches(presented: unknown, storedDigest: string): boolean {
  if (typeof presented !== 'string' || presented === '' || storedDigest === '') return false;
  const a = Buffer.from(sha256Hex(presented), 'hex');
  const b = Buffer.from(storedDigest, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface RegisterResult {
  /** Only when this call created the registration (§2.4.5, §9.3). */
  controlCredential: string | null;
  /** The registration stands on a proof of key possession (§9). */
  verified: boolean;
}

/**
 * §2.4.5 registration without proof (reference nodes) or heartbeat. A key registered with proof
 * is re-registered only with its control_credential (§9.4); otherwise nothing changes (403).
 */
export async function registerNode(
  ctx: RelayContext,
  serverPublicKey: string,
  capabilities: Capabilities | null,
  credential: unknown,
): Promise<RegisterResult> {
  const nodeId = nodeIdOf(serverPublicKey);
  const now = ctx.now();
  const fresh = randomBytes(32).toString('base64url');
  return mutate<NodeRecord, RegisterResult>(ctx.store, keys.node(nodeId), (cur) => {
    if (cur) {
      if (cur.verified && !digestMatches(credential, cur.credentialDigest)) throw new ControlCredentialRequiredError();
      return { write: heartbeat(cur, capabilities, now), effects: indexed(nodeId), result: { controlCredential: null, verified: cur.verified === true } };
    }
    return { write: newRegistration(serverPublicKey, capabilities, fresh, now, false), effects: indexed(nodeId), result: { controlCredential: fresh, verified: false } };
  });
}

/**
 * §9.3 registration with an answered challenge, consumed in the same commit. With the current
 * registration's control_credential it is a heartbeat; otherwise a new verified registration
 * replaces whatever was registered under the key, verified or not (§9.4: a fresh proof of the
 * private key outranks the credential an earlier proof earned, so a node restarted with its key
 * serves at once), and the replaced registration's in-flight work ends.
 */
export async function registerProvenNode(
  ctx: RelayContext,
  serverPublicKey: string,
  capabilities: Capabilities | null,
  credential: unknown,
  challenge: AnsweredChallenge,
): Promise<RegisterResult> {
  const nodeId = nodeIdOf(serverPublicKey);
  const now = ctx.now();
  const fresh = randomBytes(32).toString('base64url');
  type Outcome = (RegisterResult & { displaced: NodeRecord | null }) | 'challenge_used';
  const consumes = {
    requireRecord: { key: challenge.key, ifMissing: 'challenge_used' as const },
    effects: [...indexed(nodeId), { op: 'recordDeleteIf', key: challenge.key, value: challenge.held.value } as const],
  };
  let outcome: Outcome;
  try {
    outcome = await mutate<NodeRecord, Outcome>(ctx.store, keys.node(nodeId), (cur) => {
      if (cur?.verified && digestMatches(credential, cur.credentialDigest)) {
        return { write: heartbeat(cur, capabilities, now), ...consumes, result: { controlCredential: null, verified: true, displaced: null } };
      }
      const record = newRegistration(serverPublicKey, capabilities, fresh, now, true);
      return { write: record, ...consumes, result: { controlCredential: fresh, verified: true, displaced: cur } };
    });
  } catch (err) {
    await discardChallenge(ctx, challenge).catch(() => undefined); // one try per challenge; the first error is the news
    throw err;
  }
  if (outcome === 'challenge_used') throw new RegistrationProofFailedError();
  if (outcome.displaced) await releaseDisplacedWork(ctx, nodeId, outcome.displaced);
  return { controlCredential: outcome.controlCredential, verified: outcome.verified };
}

const indexed = (nodeId: string) => [{ op: 'setAdd', set: keys.nodeIndex, member: nodeId } as const];

const heartbeat = (cur: NodeRecord, capabilities: Capabilities | null, now: number): NodeRecord => ({
  ...cur,
  capabilities: capabilities ?? cur.capabilities,
  lastSeenAt: now,
});

function newRegistration(serverPublicKey: string, capabilities: Capabilities | null, credential: string, now: number, verified: boolean): NodeRecord {
  return {
    serverPublicKey,
    capabilities,
    credentialDigest: sha256Hex(credential),
    registeredAt: now,
    lastSeenAt: now,
    pollingUntil: 0,
    verified,
  };
}

/**
 * Poll heartbeat: refresh the lease, mark the node as long-polling until `pollingUntil`. A key
 * registered with proof is polled for only with its control_credential (§9.4).
 */
export async function touchNode(
  ctx: RelayContext,
  nodeId: string,
  capabilities: Capabilities | null,
  pollingUntil: number,
  credential: unknown,
): Promise<NodeRecord | null> {
  const now = ctx.now();
  return mutate<NodeRecord, NodeRecord | null>(ctx.store, keys.node(nodeId), (cur) => {
    if (!cur) return { keep: true, result: null };
    if (cur.verified && !digestMatches(credential, cur.credentialDigest)) throw new ControlCredentialRequiredError();
    const next = { ...heartbeat(cur, capabilities, now), pollingUntil };
    return { write: next, result: next };
  });
}

/** §2.4.9: removes the node when the credential matches; false when it was not registered. */
export async function unregisterNode(ctx: RelayContext, serverPublicKey: string, credential: unknown): Promise<boolean> {
  const nodeId = nodeIdOf(serverPublicKey);
  const removed = await mutate<NodeRecord, NodeRecord | null>(ctx.store, keys.node(nodeId), (cur) => {
    if (!cur) return { keep: true, result: null };
    if (!digestMatches(credential, cur.credentialDigest)) throw new ControlCredentialError();
    return { write: null, result: cur };
  });
  if (removed) await releaseNodeWork(ctx, nodeId, removed.credentialDigest);
  else await ctx.store.setRemove(keys.nodeIndex, nodeId);
  return removed !== null;
}

/** Evicts a node whose lease lapsed (sweeper); the record must be unchanged since it was judged stale. */
export async function evictNode(ctx: RelayContext, nodeId: string, isStale: (n: NodeRecord) => boolean): Promise<boolean> {
  const evicted = await mutate<NodeRecord, NodeRecord | null>(ctx.store, keys.node(nodeId), (cur) => {
    if (!cur) return { keep: true, result: null };
    return isStale(cur) ? { write: null, result: cur } : { keep: true, result: null };
  });
  if (evicted) await releaseNodeWork(ctx, nodeId, evicted.credentialDigest);
  return evicted !== null;
}

/**
 * Ends the in-flight work the registration a proven one replaced had taken: its holder can no
 * longer answer it (§9.4), so its clients fail over now (`server_unregistered`) instead of waiting
 * for the deadline. Queued work stays: it is encrypted to this key, whose holder now polls.
 */
async function releaseDisplacedWork(ctx: RelayContext, nodeId: string, displaced: NodeRecord): Promise<void> {
  const takenByDisplaced = (r: RequestRecord) =>
    r.state === 'in_flight' && (displaced.verified ? r.dispatchedTo?.credentialDigest === displaced.credentialDigest : r.dispatchedTo?.verified !== true);
  for (const reqKey of await ctx.store.setMembers(keys.inFlight(nodeId))) {
    await endRequest(ctx, reqKey, 'cancelled', 'server_unregistered', takenByDisplaced, displaced.credentialDigest);
  }
}

/** Cancels queued and in-flight work of a node that left (`server_unregistered`), after tombstoning. */
async function releaseNodeWork(ctx: RelayContext, nodeId: string, credentialDigest: string): Promise<void> {
  const { store } = ctx;
  for (const reqKey of await store.listItems(keys.queue(nodeId))) {
    await endRequest(ctx, reqKey, 'cancelled', 'server_unregistered', undefined, credentialDigest);
  }
  for (const reqKey of await store.setMembers(keys.inFlight(nodeId))) {
    await endRequest(ctx, reqKey, 'cancelled', 'server_unregistered', undefined, credentialDigest);
  }
  // Drain leftovers (entries of records that already ended) so nothing of the node remains.
  while ((await store.popFront(keys.queue(nodeId))) !== null) {
    /* empty */
  }
  for (const m of await store.setMembers(keys.inFlight(nodeId))) await store.setRemove(keys.inFlight(nodeId), m);
  await store.setRemove(keys.nodeIndex, nodeId);
}

/** A node counts as live while its lease runs or while it is long-polling (§2.4.1). */
export function isFresh(ctx: RelayContext, n: NodeRecord): boolean {
  return !isStale(ctx, n, ctx.now());
}

/**
 * §2.4.1 whether servers/next may offer the node: long-polling now, seen within the liveness
 * window, or busy with live in-flight leases (it does not poll then) and within its lease. A node
 * that stopped polling and renewing drops out after the window, long before its lease lapses.
 */
export function isOffered(ctx: RelayContext, n: NodeRecord, liveInFlight: number): boolean {
  const now = ctx.now();
  if (n.pollingUntil > now || n.lastSeenAt + ctx.config.nodeLivenessSeconds * 1000 > now) return true;
  return liveInFlight > 0 && !isStale(ctx, n, now);
}

/**
 * A long poll whose connection closed (the node went away, §2.4.5): the node no longer counts as
 * long-polling, and the closed poll is no sighting of it. Only the poll that set `pollingUntil`
 * clears it.
 */
export async function stopPolling(ctx: RelayContext, nodeId: string, pollingUntil: number): Promise<void> {
  await mutate<NodeRecord, void>(ctx.store, keys.node(nodeId), (cur) =>
    cur && cur.pollingUntil === pollingUntil ? { write: { ...cur, pollingUntil: 0 }, result: undefined } : { keep: true, result: undefined },
  );
}

/** The node's lease lapsed and it is not long-polling (§2.6.1): evicted once it holds no live in-flight lease. */
export function isStale(ctx: RelayContext, n: NodeRecord, now: number): boolean {
  return n.lastSeenAt + ctx.config.leaseSeconds * 1000 <= now && n.pollingUntil <= now;
}
