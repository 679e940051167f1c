// Service routes of §3.1 and §3.3: health, liveness, models built from live nodes, meta/version,
// metrics, diagnostics (node keys only when publishNodeKeys), and the fail-closed chat stubs.
import { crc32 } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { MetricsTokenError } from '../access/access-errors';
import { bearerTokenOf, secretMatches } from '../access/secret-match';
import { NotFoundError, RelayHttpError } from '../errors';
import type { RelayMetrics } from '../metrics';
import { queueRetryAfterSeconds, type RelayContext } from '../state/context';
import { heldRequests } from '../state/held';
import { liveNodes, resolveModel, type NodeView } from '../state/select-node';
import { probeStore } from '../store/health-probe';
import { isJsonObject } from './envelope-guard';
import packageJson from '../../../package.json';

/** `/healthz` answers within this even while the store hangs (§2.6.1: the store's state, not a timeout). */
const HEALTHZ_STORE_WAIT_MS = 800;

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function modelObject(id: string) {
  // §3.1: deterministic pseudo-timestamp 1,700,000,000 + CRC32(id) mod 31,536,000.
  const created = 1_700_000_000 + (crc32(id) % 31_536_000);
  return {
    id,
    object: 'model',
    created,
    owned_by: id.startsWith('qwen') ? 'Qwen' : 'token.place',
    permission: [
      {
        id: `modelperm-${id}`,
        object: 'model_permission',
        created,
        allow_create_engine: false,
        allow_sampling: true,
        allow_logprobs: true,
        allow_search_indices: false,
        allow_view: true,
        allow_fine_tuning: false,
        organization: '*',
        group: null,
        is_blocking: false,
      },
    ],
    root: id,
    parent: null,
  };
}

export function registerServiceRoutes(app: FastifyInstance, ctx: RelayContext, metrics: RelayMetrics): void {
  const nodeSummary = (n: NodeView) => ({
    age_seconds: Math.max(0, (ctx.now() - n.record.lastSeenAt) / 1000),
    capabilities: n.capabilities,
    in_flight_count: n.inFlight,
    load_score: n.loadScore,
    max_concurrency: n.capabilities.max_concurrency,
    next_ping_in_x_seconds: ctx.config.leaseSeconds,
    queue_depth: n.queueDepth,
    // §2.6.4 fix: node keys are published only when the operator opts in.
    ...(ctx.config.publishNodeKeys && { server_public_key: n.record.serverPublicKey }),
  });
  const modelIds = async () => {
    const ids = new Set(ctx.config.catalogModels.map((m) => m.toLowerCase()));
    for (const n of await liveNodes(ctx)) for (const id of n.capabilities.supported_model_ids) ids.add(id);
    return [...ids].sort();
  };
  const health = async () => ({ status: 'ok', version: 'v1', service: 'token.place', timestamp: Math.floor(ctx.now() / 1000) });
  const meta = async (_req: unknown, reply: { header(k: string, v: string): unknown }) => {
    reply.header('cache-control', 'no-store');
    return { environment: ctx.config.environment, version: packageJson.version, label: `${ctx.config.environment} ${packageJson.version}` };
  };

  for (const prefix of ['/api/v1', '/v1']) {
    app.get(`${prefix}/health`, { config: { policy: { cors: true, limit: 'exempt' } } }, health);
    app.get(`${prefix}/models`, { config: { policy: { cors: true, limit: 'public' } } }, async () => ({
      object: 'list',
      data: (await modelIds()).map(modelObject),
    }));
    app.get<{ Params: { id: string } }>(`${prefix}/models/:id`, { config: { policy: { cors: true, limit: 'public' } } }, async (request) => {
      const wanted = request.params.id.toLowerCase();
      const ids = await modelIds();
      const id = ids.includes(wanted) ? wanted : ids.includes(resolveModel(wanted)) ? resolveModel(wanted) : null;
      if (id === null)
        throw new RelayHttpError(404, {
          error: { message: `Model '${request.params.id}' not found`, type: 'invalid_request_error', code: 'model_not_found' },
        });
      return modelObject(id);
    });
    // Relay-blind: this relay neither runs models nor decrypts for them (§3.2 would make it see
    // plaintext). Input errors keep the reference's 400s; valid requests get 503.
    app.post(`${prefix}/chat/completions`, { config: { policy: { cors: true, limit: 'public' } } }, async (request) => {
      const body = isJsonObject(request.body) ? request.body : {};
      if (body.stream === true)
        throw new RelayHttpError(400, {
          error: {
            message: 'Streaming is not supported for API v1 chat completions. Use /api/v2/chat/completions for Server-Sent Events.',
            param: 'stream',
            type: 'invalid_request_error',
          },
        });
      if (body.encrypted === true && isJsonObject(body.messages)) {
        for (const field of ['ciphertext', 'cipherkey', 'iv']) {
          const v = body.messages[field];
          if (typeof v !== 'string' || !STRICT_BASE64.test(v))
            throw new RelayHttpError(400, {
              error: { message: `Invalid base64 encoding for ${field}`, type: 'invalid_request_error', param: field, code: 'invalid_request_error' },
            });
        }
      }
      throw new RelayHttpError(503, {
        error: {
          message: 'This relay is relay-blind and does not serve chat completions; use the API v1 relay E2EE routes.',
          type: 'service_unavailable_error',
          code: 'relay_chat_completions_unavailable',
        },
      });
    });
  }
  app.get('/api/v1/meta', { config: { policy: { limit: 'exempt' } } }, meta);
  app.get('/api/v1/version', { config: { policy: { limit: 'exempt' } } }, meta);
  app.get('/livez', { config: { policy: { limit: 'exempt' } } }, async () => ({ status: 'alive' }));

  app.get('/healthz', { config: { policy: { limit: 'exempt' } } }, async (_request, reply) => {
    const probed = await probeStore(ctx.store, () => liveNodes(ctx), HEALTHZ_STORE_WAIT_MS);
    const nodes = probed.ok ? probed.value : [];
    if (!probed.ok) reply.code(503);
    // §2.6.5 a draining relay says so, with 503, so a load balancer stops sending to it.
    const draining = ctx.draining?.aborted === true;
    if (draining) reply.code(503).header('retry-after', String(queueRetryAfterSeconds(ctx)));
    return {
      activeUpstreamServers: [],
      configuredUpstreamServers: [],
      gpuHost: '',
      knownServers: nodes.length,
      registeredServers: nodes.map(nodeSummary),
      relayOnly: true,
      requiredUpstreamServers: [],
      status: !probed.ok ? 'unavailable' : draining ? 'draining' : 'ok',
      // The reference's shape while healthy; while not, what is wrong with the store.
      ...(!probed.ok && { store: { kind: ctx.store.kind, ...probed.health } }),
      upstream: '',
      upstreamHealthRequired: false,
    };
  });

  app.get('/relay/diagnostics', { config: { policy: { limit: 'exempt' } } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    // §9: whether each registration proved it holds its key (reference nodes: false).
    const [live, requests, entries] = await Promise.all([liveNodes(ctx), heldRequests(ctx), ctx.store.entryCounts()]);
    const nodes = live.map((n) => ({ ...nodeSummary(n), verified: n.record.verified === true }));
    return {
      active_upstream_servers: [],
      api_v1_registered_compute_nodes: nodes,
      configured_upstream_servers: [],
      // What the store holds, from the store (ours): the same on every relay process sharing it.
      held_state: { requests, rate_limit_entries: entries.counters, stream_buffered_bytes: await ctx.store.streamBufferedBytes() },
      registered_compute_nodes: nodes,
      relay_only: true,
      required_upstream_servers: [],
      total_api_v1_registered_compute_nodes: nodes.length,
      total_registered_compute_nodes: nodes.length,
      upstream_health_required: false,
    };
  });

  app.get('/metrics', { config: { policy: { limit: 'exempt' } } }, async (request, reply) => {
    const token = ctx.config.metricsToken;
    if (token !== undefined && !secretMatches(bearerTokenOf(request.headers.authorization), token)) throw new MetricsTokenError();
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.get('/api/v1/public-key', async () => {
    throw new NotFoundError('This relay has no process key: it never decrypts (relay-blind)');
  });
}
