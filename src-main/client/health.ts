// Server health for the server list: reachability, latency, registered node count, models
// (GET /api/v1/health, /healthz, /api/v1/models — §3.1, §3.3). Never throws.
import { z } from 'zod';
import { HealthResponse, ModelList } from '../../src-shared/protocol/relay-http';
import { ChatError, InvalidServerResponseError } from './errors';
import type { JsonResult } from './http';
import type { ServerHealth } from './types';

export type HttpGet = (call: { method: 'GET'; path: string; signal?: AbortSignal }) => Promise<JsonResult>;

/** /healthz: the reference relay lists `registeredServers` and counts `knownServers` (§3.3). */
const Healthz = z.looseObject({
  status: z.string(),
  registeredServers: z.array(z.unknown()).optional(),
  knownServers: z.number().int().nonnegative().optional(),
});

export async function fetchModels(get: HttpGet, signal?: AbortSignal): Promise<string[]> {
  const res = await get({ method: 'GET', path: '/api/v1/models', ...(signal ? { signal } : {}) });
  if (res.status !== 200) throw new ChatError(`http_${res.status}`, { httpStatus: res.status, detail: 'GET /api/v1/models' });
  const list = ModelList.safeParse(res.body);
  if (!list.success) throw new InvalidServerResponseError('invalid_server_response', '/api/v1/models body', res.status);
  return list.data.data.map((m) => m.id);
}

export async function fetchHealth(get: HttpGet, relayUrl: string): Promise<ServerHealth> {
  const checkedAt = Date.now();
  const settle = <T>(p: Promise<T>) => p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
  const [health, healthz, models] = await Promise.all([
    settle(get({ method: 'GET', path: '/api/v1/health' })),
    settle(get({ method: 'GET', path: '/healthz' })),
    settle(fetchModels(get)),
  ]);

  if (!health.ok && !healthz.ok) {
    const err = health.error instanceof ChatError ? health.error : new ChatError('server_unreachable');
    return { state: 'unreachable', relayUrl, models: [], checkedAt, error: { code: err.code, userMessage: err.userMessage } };
  }
  const apiHealth = health.ok && health.value.status === 200 ? HealthResponse.safeParse(health.value.body) : undefined;
  const z2 = healthz.ok ? Healthz.safeParse(healthz.value.body) : undefined;
  const zOk = z2?.success ? z2.data : undefined;
  const nodeCount = zOk?.registeredServers?.length ?? zOk?.knownServers;
  const latencyMs = health.ok ? health.value.elapsedMs : healthz.ok ? healthz.value.elapsedMs : undefined;
  const apiOk = apiHealth?.success === true && apiHealth.data.status === 'ok';
  const relayOk = zOk === undefined || zOk.status === 'ok';
  const state: ServerHealth['state'] = apiOk && relayOk ? 'ok' : 'degraded';

  const result: ServerHealth = { state, relayUrl, models: models.ok ? models.value : [], checkedAt };
  if (latencyMs !== undefined) result.latencyMs = Math.round(latencyMs * 10) / 10;
  if (nodeCount !== undefined) result.nodeCount = nodeCount;
  if (!apiOk && !zOk) {
    const err = health.ok ? new InvalidServerResponseError('invalid_server_response', 'no health route answered like a token.place relay', health.value.status) : health.error;
    if (err instanceof ChatError) result.error = { code: err.code, userMessage: err.userMessage };
  }
  return result;
}
