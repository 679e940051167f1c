// §4: legacy relay routes answer 410 (the reference default). The unguarded stream retrieve keeps
// its reference 200 answer; no stream ever exists here.
import type { FastifyInstance } from 'fastify';
import { RelayHttpError } from '../errors';

const deprecated = (path: string) =>
  new RelayHttpError(410, {
    error: {
      message: `Legacy relay endpoint '${path}' is deprecated. Use API v1 relay E2EE routes.`,
      code: 'legacy_relay_endpoint_deprecated',
      deprecated: true,
    },
  });

export function registerLegacyRoutes(app: FastifyInstance): void {
  const policy = { config: { policy: { limit: 'public' as const } } };
  app.get('/next_server', policy, async () => {
    throw deprecated('/next_server');
  });
  for (const path of ['/faucet', '/sink', '/source', '/retrieve', '/stream/source']) {
    app.post(path, policy, async () => {
      throw deprecated(path);
    });
  }
  app.post('/stream/retrieve', policy, async () => ({ error: 'No active stream for the given public key' }));
  for (const path of ['/relay/api/v1/chat/completions', '/relay/api/v1/source']) {
    app.post(path, policy, async () => {
      throw new RelayHttpError(503, {
        error: {
          code: 'distributed_api_v1_relay_disabled',
          message: 'Distributed relay API v1 chat completions are disabled pending an end-to-end encrypted relay design.',
          type: 'service_unavailable_error',
        },
      });
    });
  }
}
