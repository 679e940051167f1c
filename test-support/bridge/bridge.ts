// The loopback test bridge (TESTS ONLY — lives under test-support/, never imported by src-main/app or the
// renderer, so no production build contains it). It runs a real backend — embedded relay and
// compute node in this process with the deterministic test provider, passphrase SecretStore,
// temp data dir — and serves the IPC contract to a renderer loaded in a normal browser:
//   POST /invoke/:channel   body = request JSON, `Authorization: Bearer <token>`
//                           -> { ok: true, value } | { ok: false, error: { code, message } }
//   GET  /events?token=…    Server-Sent Events, data = { channel, payload }
// Bound to 127.0.0.1 on a free port, a random token per run, CORS only for the renderer origin.
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { EventChannel, EventPayload } from '../../src-shared/ipc/contract';
import type { Backend } from '../../src-main/backend';
import { startRealBackend, type RealBackend, type RealBackendOptions } from '../backend/real-backend';
import { bridgeShimScript } from './shim';

export interface BridgeOptions {
  /** Keeps conversations etc. across bridge runs; a temp dir (deleted on close) when absent. */
  dataDir?: string;
  /** Deterministic test provider settings (delays, failures); `false` leaves the node unconfigured (first-run screen). */
  provider?: RealBackendOptions['testProvider'] | false;
  /** The renderer's origin allowed by CORS (default: origin of TP_RENDERER_URL, else http://127.0.0.1:4173). */
  allowedOrigin?: string;
  port?: number;
  /** More of the backend's dependencies (specs: a models catalogue pointing at a loopback file server). */
  deps?: RealBackendOptions['deps'];
}

export interface Bridge {
  url: string;
  token: string;
  /** Script for page.addInitScript: defines window.tokenplace against this bridge. */
  shimScript: string;
  backend: Backend;
  /** The in-process hosts, for specs that simulate failures (simulateCrash, stop). */
  hosts: Pick<RealBackend, 'relayHost' | 'nodeHost'>;
  /** The backend's secret store (specs that give the app's node a new key remove its stored one). */
  secrets: RealBackend['secrets'];
  dataDir: string;
  close(): Promise<void>;
}

interface SseClient {
  res: ServerResponse;
}

const sha = (s: string) => createHash('sha256').update(s).digest();
const sameToken = (given: string | undefined, token: string) => timingSafeEqual(sha(given ?? ''), sha(token));

function defaultOrigin(): string {
  const fromEnv = process.env.TP_RENDERER_URL;
  return fromEnv ? new URL(fromEnv).origin : 'http://127.0.0.1:4173';
}

export async function startBridge(opts: BridgeOptions = {}): Promise<Bridge> {
  const token = randomBytes(24).toString('base64url');
  const allowedOrigin = opts.allowedOrigin ?? defaultOrigin();
  const clients = new Set<SseClient>();
  let eventId = 0;

  const broadcast = <C extends EventChannel>(channel: C, payload: EventPayload<C>): void => {
    const frame = `id: ${++eventId}\ndata: ${JSON.stringify({ channel, payload })}\n\n`;
    for (const c of clients) c.res.write(frame);
  };

  const real = await startRealBackend({
    ...(opts.dataDir !== undefined && { dataDir: opts.dataDir }),
    ...(opts.provider && { testProvider: opts.provider }),
    configureTestNode: opts.provider !== false,
    onEvent: broadcast,
    ...(opts.deps && { deps: opts.deps }),
  });

  // forceCloseConnections: browsers keep sockets alive and EventSource reconnects at once, which
  // would otherwise hold close() open for as long as the page lives.
  const app = Fastify({ logger: false, bodyLimit: 80 * 1024 * 1024, forceCloseConnections: true });
  let closing: Promise<void> | null = null;
  let port = 0;

  const corsHeaders = (origin: string | undefined): Record<string, string> =>
    origin === allowedOrigin
      ? {
          'access-control-allow-origin': allowedOrigin,
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': 'content-type, authorization',
          'access-control-max-age': '600',
          vary: 'Origin',
        }
      : {};

  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return reply.code(403).send({ error: 'host not allowed' });
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== allowedOrigin) return reply.code(403).send({ error: 'origin not allowed' });
    reply.headers(corsHeaders(origin));
    if (request.method === 'OPTIONS') return reply.code(204).send();
  });

  // Preflight requests are answered by the hook above; this route only makes them match.
  app.options('/*', async (_request, reply) => reply.code(204).send());

  app.post<{ Params: { channel: string } }>('/invoke/:channel', async (request, reply) => {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!sameToken(bearer, token)) return reply.code(401).send({ ok: false, error: { code: 'forbidden', message: 'Bad bridge token.' } });
    return real.backend.invoke(request.params.channel, request.body ?? {});
  });

  app.get<{ Querystring: { token?: string } }>('/events', (request, reply) => {
    if (!sameToken(request.query.token, token)) {
      void reply.code(401).send({ error: 'bad token' });
      return;
    }
    if (closing) {
      void reply.code(503).header('connection', 'close').send({ error: 'closing' });
      return;
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      ...corsHeaders(request.headers.origin),
    });
    res.write(': connected\n\n');
    const client: SseClient = { res };
    clients.add(client);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    keepAlive.unref();
    request.raw.on('close', () => {
      clearInterval(keepAlive);
      clients.delete(client);
    });
  });

  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  port = (app.server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    token,
    shimScript: bridgeShimScript({ url, token }),
    backend: real.backend,
    hosts: { relayHost: real.relayHost, nodeHost: real.nodeHost },
    secrets: real.secrets,
    dataDir: real.dataDir,
    close() {
      closing ??= (async () => {
        for (const c of clients) c.res.end();
        clients.clear();
        await app.close();
        await real.close();
      })();
      return closing;
    },
  };
}
