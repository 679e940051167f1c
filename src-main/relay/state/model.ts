// Records the relay keeps (docs/protocol.md §2.6.1) and the store keys they live under.
// Keys are SHA-256 digests of client/node keys and request ids: bounded size, nothing readable.
import { createHash } from 'node:crypto';
import type { Capabilities } from '../../../src-shared/protocol/relay-http';
import type { KeyPlacement } from '../store/state-store';

export type RequestState = 'queued' | 'in_flight' | 'completed' | 'delivered' | 'cancelled' | 'expired';

/** The ciphertext envelope exactly as the relay hands it on (opaque strings, §1.5). */
export interface StoredEnvelope {
  client_public_key: string;
  ciphertext: string;
  cipherkey: string;
  iv: string;
  request_id?: string;
  protocol?: string;
  version?: number;
  cancel_token?: string;
}

export interface StoredProgress {
  client_public_key: string;
  request_id: string;
  protocol: string;
  version: number;
  ciphertext: string;
  cipherkey: string;
  iv: string;
}

export interface RequestRecord {
  state: RequestState;
  /** The client-supplied request id; null for legacy submissions without one. */
  requestId: string | null;
  clientKeyHash: string;
  /** Node the client addressed; the only node that may take, answer or report on it. */
  nodeId: string;
  createdAt: number;
  deadlineAt: number;
  cancelDigest: string | null;
  /** Work envelope; dropped once dispatched. */
  work: StoredEnvelope | null;
  leaseExpiresAt: number | null;
  response: StoredEnvelope | null;
  responseExpiresAt: number | null;
  progress: StoredProgress | null;
  reason: string | null;
  /**
   * The registration that took it (set at dispatch, §9.4): answers, progress and lease renewals
   * must come from it when it was verified. Absent on records written before §9 existed.
   */
  dispatchedTo?: DispatchHolder | null;
}

/** Who a request was dispatched to: its registration's credential digest and whether it was verified. */
export interface DispatchHolder {
  credentialDigest: string;
  verified: boolean;
}

export interface NodeRecord {
  serverPublicKey: string;
  capabilities: Capabilities | null;
  credentialDigest: string;
  registeredAt: number;
  lastSeenAt: number;
  pollingUntil: number;
  /** Registered with a proof of key possession (§9); absent on records written before §9 existed. */
  verified?: boolean;
}

/** §9.2 an open registration challenge: one answer, for one key, before it expires. */
export interface ChallengeRecord {
  nodeId: string;
  /** SHA-256 hex of the 32 plaintext bytes. */
  answerDigest: string;
  expiresAt: number;
}

export interface Tombstone {
  status: 'cancelled' | 'expired';
  reason: string;
  deadlineAt: number;
  credentialDigest: string;
}

export const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/**
 * `sha256Hex(prefix + s)` remembered for the last few hundred `s`: every request names its node
 * and client key several times (submit, poll, answer, retrieve), each a hash of a ~450-character
 * key. Emptied when full (a flood of distinct keys costs what no cache costs).
 */
function rememberedHash(prefix: string, size = 512): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    let hash = seen.get(s);
    if (hash === undefined) {
      hash = sha256Hex(prefix + s);
      if (seen.size >= size) seen.clear();
      seen.set(s, hash);
    }
    return hash;
  };
}

export const nodeIdOf: (serverPublicKey: string) => string = rememberedHash('node\n');
export const clientHashOf: (clientPublicKey: string) => string = rememberedHash('client\n');
export const requestIdHash = (requestId: string): string => sha256Hex(`rid\n${requestId}`);
export const challengeIdHash = (challengeId: string): string => sha256Hex(`challenge\n${challengeId}`);
const requestKeyHash = rememberedHash('req\n', 2048);
/** A request's store key; remembered, as submit, poll, answer, retrieve and every stream step name it. */
export const requestKeyOf = (clientKeyHash: string, requestId: string): string => requestKeyHash(`${clientKeyHash}\n${requestId}`);

/** Store key names (the store adds its own prefix and kind). */
export const keys = {
  request: (reqKey: string) => `req:${reqKey}`,
  node: (nodeId: string) => `node:${nodeId}`,
  nodeIndex: 'nodes',
  queue: (nodeId: string) => `queue:${nodeId}`,
  inFlight: (nodeId: string) => `inflight:${nodeId}`,
  /** (node, request_id) -> request key: /servers/control names no client key (§2.4.6). */
  owned: (nodeId: string, ridHash: string) => `own:${nodeId}:${ridHash}`,
  tombstone: (nodeId: string, ridHash: string) => `tomb:${nodeId}:${ridHash}`,
  /** §9.2 registration challenges by digest of their id. */
  challenge: (challengeHash: string) => `chal:${challengeHash}`,
  /** Legacy submissions without request_id, oldest first, per client key. */
  anonymous: (clientKeyHash: string) => `anon:${clientKeyHash}`,
  /** §11.9 a request's stream (position and unread chunks), under its request key. */
  stream: (reqKey: string) => `stream:${reqKey}`,
  deadlines: 'deadlines',
  leases: 'leases',
  workChannel: (nodeId: string) => `work:${nodeId}`,
  requestChannel: (reqKey: string) => `req:${reqKey}`,
  anonChannel: (clientKeyHash: string) => `anon:${clientKeyHash}`,
};

/**
 * §2.6.6 where each key of `keys` lives on a Redis Cluster: a node's keys with its node id; a
 * request's record and stream with the commit that creates it (the submit, beside its node's
 * queue); the deadline and lease timers, the node index and the anonymous lists once per shard
 * (entries beside what they name). Anything else (a registration challenge) by its own name.
 */
export function keyPlacement(key: string): KeyPlacement {
  const sep = key.indexOf(':');
  const kind = sep < 0 ? key : key.slice(0, sep);
  const rest = sep < 0 ? '' : key.slice(sep + 1);
  const anchor = rest.split(':', 1)[0] ?? rest;
  switch (kind) {
    case 'req':
    case 'stream':
      return { kind: 'placed', anchor };
    case 'node':
    case 'own':
    case 'tomb':
      return { kind: 'anchored', anchor };
    case 'queue':
    case 'inflight':
      return { kind: 'anchored', anchor, members: 'placed' };
    case 'nodes':
      return { kind: 'index', members: 'anchored' };
    case 'deadlines':
    case 'leases':
    case 'anon':
      return { kind: 'index', members: 'placed' };
    default:
      return { kind: 'anchored', anchor: key };
  }
}
