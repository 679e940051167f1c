// Which context tiers the active server can serve right now (§2.4.1): ask `servers/next` for the
// large tier with each offered model; when every answer is 503 `no_matching_compute_node`, no node
// there offers it. Anything else (no node at all, unreachable, an odd answer, no model known) tells
// nothing, so every tier stays on offer. The relay picks a default model when none is named, so a
// probe always names one.
import { RelayErrorBody } from '../../src-shared/protocol/relay-http';
import { CONTEXT_TIER_NAMES, type ContextTier } from '../../src-shared/vocabulary';

const LARGEST: ContextTier = '64k-full';
const MAX_PROBED_MODELS = 8;

async function offersNoLargeTier(baseUrl: string, model: string, fetchImpl: typeof fetch, timeoutMs: number): Promise<boolean> {
  try {
    const query = new URLSearchParams({ context_tier: LARGEST, model });
    const res = await fetchImpl(`${baseUrl.replace(/\/+$/, '')}/api/v1/relay/servers/next?${query}`, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (res.status !== 503) {
      await res.body?.cancel();
      return false;
    }
    const body = RelayErrorBody.safeParse(await res.json());
    return body.success && body.data.error.code === 'no_matching_compute_node';
  } catch {
    return false;
  }
}

export async function servableContextTiers(baseUrl: string | null, models: string[], fetchImpl: typeof fetch, timeoutMs = 2000): Promise<ContextTier[]> {
  const all = [...CONTEXT_TIER_NAMES];
  const probed = models.slice(0, MAX_PROBED_MODELS);
  if (baseUrl === null || probed.length === 0) return all;
  const none = await Promise.all(probed.map((m) => offersNoLargeTier(baseUrl, m, fetchImpl, timeoutMs)));
  return none.every(Boolean) ? all.filter((t) => t !== LARGEST) : all;
}
