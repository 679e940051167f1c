// Which context tiers the active server can serve right now (§2.4.1): ask `servers/next` for the
// large tier with each offered model; when every answer is 503 `no_matching_compute_node`, no node
// there offers it. Anything else (no node at all, unreachable, an odd or oversized answer, no
// model known) tells nothing, so every tier stays on offer. The relay picks a default model when
// none is named, so a probe always names one. The probes go through the client's HTTP layer
// (callJson: no redirects, a size cap, typed network errors).
import { RelayErrorBody } from '../../src-shared/protocol/relay-http';
import { CONTEXT_TIER_NAMES, type ContextTier } from '../../src-shared/vocabulary';
import { callJson, isChatError, type FetchLike } from '../client';

const LARGEST: ContextTier = '64k-full';
const MAX_PROBED_MODELS = 8;
/** A servers/next answer is one node's key and a few fields; anything far larger is not a relay's. */
const MAX_PROBE_ANSWER_BYTES = 64 * 1024;

interface ProbeOptions {
  timeoutMs?: number;
  /** Sent with each probe (the embedded relay's launch secret, §12). */
  headers?: Readonly<Record<string, string>>;
}

async function offersNoLargeTier(baseUrl: string, model: string, fetchImpl: FetchLike, timeoutMs: number, headers: Readonly<Record<string, string>>): Promise<boolean> {
  const query = new URLSearchParams({ context_tier: LARGEST, model });
  try {
    const res = await callJson(fetchImpl, {
      method: 'GET',
      url: `${baseUrl.replace(/\/+$/, '')}/api/v1/relay/servers/next?${query}`,
      timeoutMs,
      maxBytes: MAX_PROBE_ANSWER_BYTES,
      headers,
    });
    if (res.status !== 503) return false;
    const body = RelayErrorBody.safeParse(res.body);
    return body.success && body.data.error.code === 'no_matching_compute_node';
  } catch (error) {
    if (isChatError(error)) return false;
    throw error;
  }
}

export async function servableContextTiers(
  baseUrl: string | null,
  models: string[],
  fetchImpl: FetchLike,
  { timeoutMs = 2000, headers = {} }: ProbeOptions = {},
): Promise<ContextTier[]> {
  const all = [...CONTEXT_TIER_NAMES];
  const probed = models.slice(0, MAX_PROBED_MODELS);
  if (baseUrl === null || probed.length === 0) return all;
  const none = await Promise.all(probed.map((m) => offersNoLargeTier(baseUrl, m, fetchImpl, timeoutMs, headers)));
  return none.every(Boolean) ? all.filter((t) => t !== LARGEST) : all;
}
