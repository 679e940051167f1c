// Compute-node registry (§2.4.5, §2.4.9, §2.6.2): registration with a once-only control credential,
// heartbeats, unregistration and eviction (queued work cancelled, in-flight work tombstoned).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Capabilities } from '../../../src-shared/protocol/relay-http';
import { ControlCredentialError } from '../errors';
import type { RelayContext } from './context';
import { keys, nodeIdOf, sha256Hex, type NodeRecord } from './model';
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
  /** Only on the first registration of this key (§2.4.5). */
  controlCredential: string | null;
}

export async function registerNode(
  ctx: RelayContext,
  serverPublicKey: string,
  capabilities: Capabilities | null,
): Promise<RegisterResult> {
  const nodeId = nodeIdOf(serverPublicKey);
  const now = ctx.now();
  const fresh = randomBytes(32).toString('base64url');
  const indexed = [{ op: 'setAdd', set: keys.nodeIndex, member: nodeId } as const];
  return mutate<NodeRecord, RegisterResult>(ctx.store, keys.node(nodeId), (cur) => {
    if (cur) {
      return {
        write: { ...cur, capabilities: capabilities ?? cur.capabilities, lastSeenAt: now },
        effects: indexed,
        result: { controlCredential: null },
      };
    }
    const record: NodeRecord = {
      serverPublicKey,
      capabilities,
      credentialDigest: sha256Hex(fresh),
      registeredAt: now,
      lastSeenAt: now,
      pollingUntil: 0,
    };
    return { write: record, effects: indexed, result: { controlCredential: fresh } };
  });
}

/** Poll heartbeat: refresh the lease, mark the node as long-polling until `pollingUntil`. */
export async function touchNode(
  ctx: RelayContext,
  nodeId: string,
  capabilities: Capabilities | null,
  pollingUntil: number,
): Promise<NodeRecord | null> {
  const now = ctx.now();
  return mutate<NodeRecord, NodeRecord | null>(ctx.store, keys.node(nodeId), (cur) => {
    if (!cur) return { keep: true, result: null };
    const next = { ...cur, capabilities: capabilities ?? cur.capabilities, lastSeenAt: now, pollingUntil };
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
  const now = ctx.now();
  return n.lastSeenAt + ctx.config.leaseSeconds * 1000 > now || n.pollingUntil > now;
}
