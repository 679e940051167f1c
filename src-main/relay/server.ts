// The relay's HTTP surface (fastify): JSON errors with the right status for every failure
// (never a crash, never a 500), X-Request-Id on every response, CORS on public routes of a
// standalone relay, the embedded relay's access rules (§12), per-sender rate limits and long-poll
// slots before parsing, a connection cap, metrics and a body-free access log.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { checkEmbeddedAccess, ownHostsOf } from './access/embedded-guard';
import { LongPollSlots } from './access/long-poll-slots';
import type { ResolvedRelayConfig } from './config';
import { PayloadTooLargeError, RelayDrainingError, RelayHttpError, StoreFailureError } from './errors';
import type { RelayMetrics } from './metrics';
import { registerClientRoutes } from './routes/client-routes';
import { registerLegacyRoutes } from './routes/legacy-routes';
import { registerNodeRoutes } from './routes/node-routes';
import { admitLongPoll, applyIpRateLimit, routeOf } from './routes/route-kit';
import { registerServiceRoutes } from './routes/service-routes';
import { registerStreamRoutes } from './routes/stream-routes';
import { queueRetryAfterSeconds, type RelayContext } from './state/context';
import { StoreUnavailableError } from './store/state-store';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const CORS_HEADERS = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'Retry-After' };

/**
 * 16 random hex characters per request, cut from a pool of random bytes refilled when used up:
 * one randomBytes call per 512 requests instead of one per request.
 */
const ID_POOL_BYTES = 4096;
let idPool = '';
let idPoolAt = 0;
function randomRequestId(): string {
  if (idPoolAt >= idPool.length) {
    idPool = randomBytes(ID_POOL_BYTES).toString('hex');
    idPoolAt = 0;
  }
  const id = idPool.slice(idPoolAt, idPoolAt + 16);
  idPoolAt += 16;
  return id;
}

function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomRequestId();
}

const FRAMEWORK_MESSAGES: Record<number, string> = {
  400: 'Invalid request data',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  413: 'Request body too large',
  415: 'Content-Type must be application/json',
  431: 'Request headers too large',
};

/**
 * Routes the reference parses strictly (§2.1): a wrong content type is 415 there (its HTML page,
 * JSON here); every other route answers it like missing data, 400 "Invalid request data".
 */
const STRICT_ROUTES = new Set(['/api/v1/relay/requests', '/api/v1/relay/responses', '/api/v1/relay/responses/retrieve']);

/** 413 words of the routes with their own body limit (§2.4.8, §11.4). */
const TOO_LARGE_MESSAGES: Record<string, string> = {
  '/api/v1/relay/progress': 'Progress envelope too large',
  '/api/v1/relay/stream/append': 'Stream append too large',
};

/** Maps any thrown value to a JSON error; unknown failures become 503 (store trouble), not 500. */
function toHttpError(err: unknown, route: string | undefined): RelayHttpError {
  if (err instanceof RelayHttpError) return err;
  let status = (err as FastifyError | undefined)?.statusCode;
  if (status === 415 && !(route && STRICT_ROUTES.has(route)) && route?.startsWith('/api/v1/relay/')) status = 400;
  if (status === 413) return new PayloadTooLargeError(TOO_LARGE_MESSAGES[route ?? ''] ?? undefined);
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new RelayHttpError(status, { error: { message: FRAMEWORK_MESSAGES[status] ?? 'Invalid request data', code: status } });
  }
  return new StoreFailureError();
}

function writeRawError(socket: Socket, status: number): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error: { message: FRAMEWORK_MESSAGES[status] ?? 'Bad request', code: status } });
  socket.end(
    `HTTP/1.1 ${status} ${status === 408 ? 'Request Timeout' : 'Bad Request'}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${randomBytes(8).toString('hex')}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Routes a draining relay refuses (§2.6.5): new requests, and work for nodes. */
const DRAIN_REFUSED_ROUTES: ReadonlySet<string> = new Set(['/api/v1/relay/servers/next', '/api/v1/relay/requests', '/api/v1/relay/servers/poll']);

export function buildRelayServer(ctx: RelayContext, metrics: RelayMetrics): FastifyInstance {
  const config: ResolvedRelayConfig = ctx.config;
  const { embedded } = config;
  const { maxConnections, maxLongPollsPerSender } = config.connectionLimits;
  const longPolls = new LongPollSlots(maxLongPollsPerSender);
  const app = Fastify({
    logger: false,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: requestIdOf,
    requestIdHeader: false,
    forceCloseConnections: true,
    return503OnClosing: true,
    serverFactory: (handler) => {
      const server = createServer(
        {
          requestTimeout: config.requestTimeoutMs,
          headersTimeout: Math.min(config.headersTimeoutMs, config.requestTimeoutMs),
          // Check slow clients often enough for short test timeouts (Node default: 30 s).
          connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(config.requestTimeoutMs / 4))),
          keepAliveTimeout: 5000,
        },
        handler,
      );
      // §5.1: Node closes every connection past this at once (no request is read from it).
      server.maxConnections = maxConnections;
      server.on('drop', () => metrics.countDroppedConnection());
      return server;
    },
    clientErrorHandler: (err: NodeJS.ErrnoException, socket: Socket) => {
      const code = err.code ?? '';
      if (code === 'ECONNRESET' || code === 'EPIPE') {
        socket.destroy();
        return;
      }
      writeRawError(socket, code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : code === 'HPE_HEADER_OVERFLOW' ? 431 : 400);
    },
  });
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('longPollAdmitted', true);
  app.decorateRequest('relayRoute', null);

  // §12: an embedded relay answers no browser (no CORS at all); a standalone one marks its public routes.
  const corsUrls = new Set<string>();
  if (!embedded) {
    app.addHook('onRoute', (route) => {
      if (route.config?.policy?.cors && route.method !== 'OPTIONS') corsUrls.add(route.url);
    });
  }
  let ownHosts: ReadonlySet<string> | undefined;
  const ownHostsNow = () => (ownHosts ??= ownHostsOf(config.host, (app.server.address() as AddressInfo).port));

  // Callback-style hooks, synchronous unless a rate limit is charged: an async hook costs a
  // promise and a microtask turn per request and hook.
  app.addHook('onRequest', (request, reply, done) => {
    let charging: Promise<void> | undefined;
    try {
      if (embedded) checkEmbeddedAccess(request, embedded.launchSecret, ownHostsNow);
      // §2.6.5 a draining relay takes no new requests and hands out no new work.
      if (ctx.draining?.aborted && DRAIN_REFUSED_ROUTES.has(routeOf(request).url ?? '')) throw new RelayDrainingError(queueRetryAfterSeconds(ctx));
      charging = applyIpRateLimit(ctx, request);
      if (charging === undefined) admitLongPoll(longPolls, maxLongPollsPerSender, request, reply);
    } catch (err) {
      done(err as Error);
      return;
    }
    if (charging === undefined) {
      done();
      return;
    }
    charging.then(
      () => {
        try {
          admitLongPoll(longPolls, maxLongPollsPerSender, request, reply);
        } catch (err) {
          done(err as Error);
          return;
        }
        done();
      },
      (err: Error) => done(err),
    );
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    if (!embedded && routeOf(request).policy?.cors) reply.headers(CORS_HEADERS);
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = routeOf(request).url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.observeHttp(route, request.method, reply.statusCode, seconds);
    config.log?.(`${request.method} ${route} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms`);
    done();
  });

  app.setErrorHandler(async (err, request, reply) => {
    const { url } = routeOf(request);
    const httpError = toHttpError(err, url);
    if (!(err instanceof RelayHttpError) && httpError.status >= 500) config.log?.(`error ${url ?? 'unmatched'}: ${err instanceof StoreUnavailableError ? err.message : ((err as Error)?.name ?? 'unknown')}`);
    // Fastify closes the connection after a 413; a client still sending its body (curl, Node's
    // http) then writes into a reset and never reads the answer. Keeping it open lets Node read and
    // drop the rest of the body (bounded by the request timeout), so the 413 arrives (§5.2).
    if (httpError.status === 413) reply.removeHeader('connection');
    reply.code(httpError.status).headers(httpError.headers).type('application/json');
    return httpError.body;
  });
  app.setNotFoundHandler(async (_request, reply) => {
    reply.code(404).type('application/json');
    return { error: { message: 'Not found', code: 404 } };
  });

  registerClientRoutes(app, ctx);
  registerNodeRoutes(app, ctx);
  registerStreamRoutes(app, ctx);
  registerServiceRoutes(app, ctx, metrics);
  registerLegacyRoutes(app);
  for (const url of [...corsUrls]) {
    app.options(url, { config: { policy: { cors: true, limit: 'exempt' } } }, async (_request, reply) => {
      reply
        .code(204)
        .header('access-control-allow-methods', 'GET, POST, OPTIONS')
        .header('access-control-allow-headers', 'Content-Type, Accept')
        .header('access-control-max-age', '600');
      return reply.send();
    });
  }
  return app;
}
