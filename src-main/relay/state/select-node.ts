// §2.4.1 node discovery: best fit (smallest capable tier), then least loaded, then round-robin.
import { CONTEXT_TIERS, DEFAULT_CONTEXT_TIER, DEFAULT_MODEL_ID, REFERENCE_MODEL_ALIASES } from '../../../src-shared/protocol/constants';
import type { Capabilities, NextServerResponse } from '../../../src-shared/protocol/relay-http';
import type { ContextTier } from '../../../src-shared/vocabulary';
import { NodeSelectionError } from '../errors';
import { queueRetryAfterSeconds, RELAY_CAPABILITIES, type RelayContext } from './context';
import { keys, type NodeRecord } from './model';
import { isFresh, isOffered } from './nodes';

export const SELECTION_POLICY = 'best_fit_smallest_capable_least_loaded_v1';

/** Most model ids a no_matching_compute_node answer lists (`available_models`). */
const MAX_LISTED_MODELS = 64;

export interface NodeView {
  nodeId: string;
  record: NodeRecord;
  capabilities: Capabilities;
  queueDepth: number;
  inFlight: number;
  loadScore: number;
}

/** Live API v1 nodes with their load (also used by /healthz, diagnostics and /api/v1/models). */
export async function liveNodes(ctx: RelayContext): Promise<NodeView[]> {
  const { store } = ctx;
  // Every node's record and load are read at once (they share the round trips on Redis).
  const views = await Promise.all(
    (await store.setMembers(keys.nodeIndex)).map(async (nodeId): Promise<NodeView | null> => {
      const [entry, queueDepth, inFlight] = await Promise.all([
        store.get<NodeRecord>(keys.node(nodeId)),
        store.listLength(keys.queue(nodeId)),
        store.setSize(keys.inFlight(nodeId)),
      ]);
      const record = entry?.value;
      if (!record || !isFresh(ctx, record) || !record.capabilities) return null;
      const loadScore = (queueDepth + inFlight) / record.capabilities.max_concurrency;
      return { nodeId, record, capabilities: record.capabilities, queueDepth, inFlight, loadScore };
    }),
  );
  return views.filter((v): v is NodeView => v !== null);
}

export const resolveModel = (model: string): string => REFERENCE_MODEL_ALIASES[model] ?? model;

let roundRobin = 0;

export async function selectNode(ctx: RelayContext, rawModel: unknown, rawTier: unknown): Promise<NextServerResponse> {
  const requestedTier = typeof rawTier === 'string' && rawTier !== '' ? rawTier : DEFAULT_CONTEXT_TIER;
  if (!(requestedTier in CONTEXT_TIERS))
    throw new NodeSelectionError(400, 'invalid_context_tier', 'Unsupported context_tier');
  const tierTokens = CONTEXT_TIERS[requestedTier as ContextTier];
  const requestedModel = (typeof rawModel === 'string' && rawModel.trim() !== '' ? rawModel : DEFAULT_MODEL_ID).trim().toLowerCase();
  const resolvedModel = resolveModel(requestedModel);

  // A node that stopped polling and renewing is not offered (§2.4.1 liveness window).
  const nodes = (await liveNodes(ctx)).filter((n) => isOffered(ctx, n.record, n.inFlight));
  if (nodes.length === 0)
    throw new NodeSelectionError(503, 'no_registered_compute_nodes', 'No registered compute nodes are available on this relay.');

  const eligible = nodes.filter(
    (n) =>
      CONTEXT_TIERS[n.capabilities.active_context_tier] >= tierTokens &&
      n.capabilities.maximum_total_context_tokens >= tierTokens &&
      (n.capabilities.supported_model_ids.includes(resolvedModel) || n.capabilities.supported_model_ids.includes(requestedModel)),
  );
  const tierCounts = (list: NodeView[]) =>
    list.reduce<Record<string, number>>((acc, n) => {
      acc[n.capabilities.active_context_tier] = (acc[n.capabilities.active_context_tier] ?? 0) + 1;
      return acc;
    }, {});
  const eligibleTierCounts = tierCounts(eligible);
  const extras = {
    selection_policy: SELECTION_POLICY,
    requested_context_tier: requestedTier,
    requested_model: requestedModel,
    eligible_node_count: eligible.length,
    eligible_tier_counts: eligibleTierCounts,
  };
  if (eligible.length === 0) {
    // The operator and the user learn what was asked and what is on offer (§2.4.1).
    const available = [...new Set(nodes.flatMap((n) => n.capabilities.supported_model_ids))].sort().slice(0, MAX_LISTED_MODELS);
    throw new NodeSelectionError(
      503,
      'no_matching_compute_node',
      `Registered compute nodes are available, but none serves model "${requestedModel.slice(0, 128)}" at context tier ${requestedTier}; they serve: ${available.join(', ')}.`,
      { ...extras, available_models: available },
    );
  }
  // Busy is not full: a node whose slots are all taken still queues up to --max-queue-depth
  // requests, served in order (§2.4.1, §5.2); the least loaded one is chosen below.
  const limited = (n: NodeView) => n.queueDepth >= ctx.config.maxQueueDepthPerNode;
  const open = eligible.filter((n) => !limited(n));
  if (open.length === 0) {
    const capped = eligible.filter(limited);
    throw new NodeSelectionError(
      503,
      'no_available_capacity',
      'All matching compute nodes are at capacity; try again later.',
      { ...extras, capacity_limited_node_count: capped.length, capacity_limited_tier_counts: tierCounts(capped) },
      queueRetryAfterSeconds(ctx),
    );
  }
  const smallest = Math.min(...open.map((n) => CONTEXT_TIERS[n.capabilities.active_context_tier]));
  const best = open.filter((n) => CONTEXT_TIERS[n.capabilities.active_context_tier] === smallest);
  const lowest = Math.min(...best.map((n) => n.loadScore));
  const tied = best.filter((n) => n.loadScore === lowest).sort((a, b) => (a.nodeId < b.nodeId ? -1 : 1));
  const chosen = tied[roundRobin++ % tied.length]!;
  const selectedTier = chosen.capabilities.active_context_tier;
  const spillover = CONTEXT_TIERS[selectedTier] > tierTokens;
  return {
    server_public_key: chosen.record.serverPublicKey,
    requested_context_tier: requestedTier,
    requested_model: requestedModel,
    resolved_model: resolvedModel,
    selected_context_tier: selectedTier,
    selected_context_window_tokens: CONTEXT_TIERS[selectedTier],
    selected_model_support: chosen.capabilities.supported_model_ids,
    selection_policy: SELECTION_POLICY,
    eligible_node_count: eligible.length,
    eligible_tier_counts: eligibleTierCounts,
    selected_queue_depth: chosen.queueDepth,
    selected_in_flight_count: chosen.inFlight,
    selected_load_score: chosen.loadScore,
    spillover,
    ...(spillover && { spillover_reason: 'no_smaller_eligible_node_available' }),
    ...(chosen.capabilities.e2ee_profiles && { e2ee_profiles: chosen.capabilities.e2ee_profiles }),
    // §11.1: the client knows before it submits which read path it will use.
    relay_capabilities: RELAY_CAPABILITIES,
  };
}
