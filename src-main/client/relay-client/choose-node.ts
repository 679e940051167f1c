// §2.4.1 discover a node: ask the relay's servers/next for one that serves the model and tier,
// skipping nodes that already failed this request and, once, nodes that failed a recent one.
import { CONTEXT_TIERS } from '../../../src-shared/protocol/constants';
import { NextServerResponse } from '../../../src-shared/protocol/relay-http';
import { STREAM_CHUNKS_CAPABILITY } from '../../../src-shared/protocol/stream';
import type { ContextTier } from '../../../src-shared/vocabulary';
import { AEAD_V1_PROFILE, keyFingerprint } from '../../crypto';
import { ChatError, InvalidServerResponseError } from '../errors';
import type { ChatRun } from './chat-run';
import type { JsonResult } from '../http';
import { isRelayAway, isRelayNotReady, type RelayHistory } from './relay-away';
import type { RelayCalls } from './relay-calls';
import { relayError } from './relay-error';

export interface ChosenNode {
  serverKey: string;
  fingerprint: string;
  resolvedModel: string;
  /** tier the relay selected (may be larger: spillover) */
  tier: ContextTier;
  /** tier we asked for; goes into the inner request's routing (§2.3.1) */
  requestedTier: ContextTier;
  liveNodes: number;
  /** servers/next listed `aead-v1` in `e2ee_profiles` (§10.6; a reference relay drops the field). */
  advertisesAead: boolean;
  /** servers/next's `relay_capabilities.stream_chunks_v1`: this relay has the chunk routes of §11.4–§11.5. */
  streamChunks: boolean;
}

/**
 * What one choice ends with: a node to try, or a key the relay offered that the client cannot
 * encrypt to (not strict base64 of an RSA SPKI PEM, too small, too large, §1.1–§1.2). The
 * second is treated like a node that failed: the client fails over instead of ending the chat.
 */
export type NodeChoice =
  | { kind: 'node'; node: ChosenNode }
  /** The relay is away or knows no node yet (relay-away.ts): ask again after a pause. */
  | { kind: 'relay-not-ready'; error: ChatError }
  | { kind: 'unusable-key'; serverKey: string; liveNodes: number; error: ChatError };

/** Longest wire key the client parses: far above RSA-4096 (about 1,000 characters), so junk costs nothing. */
export const MAX_NODE_KEY_WIRE_CHARS = 2048;

/** How long a node that failed stays avoided by later requests of this client. */
const RECENT_FAILURE_MS = 60_000;
/** servers/next calls per choice before giving up on finding a node that has not failed. */
const ASKS_PER_CHOICE = 3;

/** Nodes that failed recently (key → until), across the requests of one client. */
export class RecentFailures {
  private readonly until = new Map<string, number>();

  add(serverKey: string): void {
    this.until.set(serverKey, performance.now() + RECENT_FAILURE_MS);
  }

  has(serverKey: string): boolean {
    return this.until.has(serverKey);
  }

  forgetExpired(): void {
    const now = performance.now();
    for (const [key, until] of this.until) if (until <= now) this.until.delete(key);
  }
}

export interface NodeWanted {
  model: string | undefined;
  tier: ContextTier;
  /** Nodes that failed this request. */
  failed: ReadonlySet<string>;
  /** What to report if the relay offers only failed nodes. */
  lastError: ChatError | undefined;
}

/** What a choice reads and updates across the requests of one client. */
export interface ChoiceMemory {
  recent: RecentFailures;
  relay: RelayHistory;
}

export async function chooseNode(calls: RelayCalls, memory: ChoiceMemory, run: ChatRun, wanted: NodeWanted): Promise<NodeChoice> {
  const { recent, relay } = memory;
  // The relay picks (round robin among equals); ask again a few times when it offers a node
  // that already failed for this request. A node that failed a recent request is declined once:
  // if the relay offers it again, it may well be the only one, so it gets another chance.
  const { model, tier, failed } = wanted;
  recent.forgetExpired();
  let declinedRecent = false;
  for (let ask = 0; ask < ASKS_PER_CHOICE; ask++) {
    const query = new URLSearchParams({ context_tier: tier });
    if (model) query.set('model', model);
    const t = performance.now();
    let res: JsonResult;
    try {
      res = await calls.forRun(run, { method: 'GET', path: `/api/v1/relay/servers/next?${query}` });
    } catch (err) {
      if (isRelayAway(err)) return { kind: 'relay-not-ready', error: err };
      throw err;
    } finally {
      run.timings.findNodeMs += performance.now() - t;
    }
    relay.sawAnswer();
    if (res.status !== 200) {
      const err = relayError(res);
      if (isRelayNotReady(err)) return { kind: 'relay-not-ready', error: err };
      throw err;
    }
    const next = NextServerResponse.safeParse(res.body);
    if (!next.success) throw new InvalidServerResponseError('invalid_server_response', 'servers/next body', res.status);
    const n = next.data;
    if (CONTEXT_TIERS[n.selected_context_tier] < CONTEXT_TIERS[tier]) {
      throw new ChatError('context_tier_mismatch', { detail: `asked ${tier}, relay selected ${n.selected_context_tier}` });
    }
    if (failed.has(n.server_public_key)) continue;
    if (!declinedRecent && recent.has(n.server_public_key)) {
      declinedRecent = true;
      continue;
    }
    relay.sawNode();
    const fingerprint = usableKeyFingerprint(n.server_public_key);
    if (fingerprint === null) {
      return { kind: 'unusable-key', serverKey: n.server_public_key, liveNodes: n.eligible_node_count, error: new ChatError('node_key_unusable') };
    }
    return {
      kind: 'node',
      node: {
        serverKey: n.server_public_key,
        fingerprint,
        resolvedModel: n.resolved_model,
        tier: n.selected_context_tier,
        requestedTier: tier,
        liveNodes: n.eligible_node_count,
        advertisesAead: Array.isArray(n.e2ee_profiles) && n.e2ee_profiles.includes(AEAD_V1_PROFILE),
        streamChunks: n.relay_capabilities?.[STREAM_CHUNKS_CAPABILITY] === true,
      },
    };
  }
  throw wanted.lastError ?? new ChatError('no_node_after_failover');
}

/** The key's fingerprint, or null when it is no key the client can encrypt to (§1.1, §1.2). */
function usableKeyFingerprint(serverKey: string): string | null {
  if (serverKey.length > MAX_NODE_KEY_WIRE_CHARS) return null;
  try {
    return keyFingerprint(serverKey);
  } catch {
    return null;
  }
}
