// A small loopback relay that is as strict as the reference relay on the compute-node routes
// (docs/protocol.md §2.4.5–§2.4.9): exact key allowlists, reference answers, relay token check.
// Progress as relay.py keeps it (§2.4.8, §11.6): bodies over 16 KiB are 413, and per request only
// the latest envelope is kept for the client. No stream routes (§11.4: 404, like any unknown
// route). Tests push work items in and inspect what the node posted. Not a product relay.
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { RELAY_SERVER_TOKEN_HEADER } from '../../src-shared/protocol/relay-http';
import { listenOnLoopback } from './fake-openai-server';

/** §2.4.2 allowlist; §2.4.7 accepts the same minus server_public_key. */
const RESPONSE_KEYS = new Set(['client_public_key', 'ciphertext', 'chat_history', 'cipherkey', 'iv', 'request_id', 'protocol', 'version', 'cancel_token']);
/** relay.py's cap on a progress body (§2.4.8). */
const PROGRESS_MAX_BYTES = 16 * 1024;
const PROGRESS_KEYS = ['server_public_key', 'client_public_key', 'request_id', 'control_credential', 'protocol', 'version', 'ciphertext', 'cipherkey', 'iv'].sort().join(',');

export interface StrictRelayCall {
  route: string;
  body: Record<string, unknown>;
  token: string | undefined;
  status: number;
}

export interface StrictReferenceRelay {
  url: string;
  /** Every node call, in order. */
  calls: StrictRelayCall[];
  /** Accepted answers. */
  responses: Record<string, unknown>[];
  /** Accepted progress bodies. */
  progress: Record<string, unknown>[];
  /** What retrieve would hand the client per request: the latest accepted progress envelope. */
  latestProgress: Map<string, Record<string, unknown>>;
  /** Queues a work item for the next poll (given verbatim). */
  enqueue(item: Record<string, unknown>): void;
  /** Marks an in-flight request cancelled (control then answers `cancelled`). */
  cancel(requestId: string): void;
  close(): Promise<void>;
}

export async function startStrictReferenceRelay(opts: { token?: string; v1UnregisterMissing?: boolean; pollWaitSeconds?: number } = {}): Promise<StrictReferenceRelay> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const queue: Record<string, unknown>[] = [];
  const cancelled = new Set<string>();
  const credentials = new Map<string, string>();
  const pollWait = opts.pollWaitSeconds ?? 0.2;
  const state: StrictReferenceRelay = {
    url: '',
    calls: [],
    responses: [],
    progress: [],
    latestProgress: new Map(),
    enqueue: (item) => queue.push(item),
    cancel: (id) => cancelled.add(id),
    close: async () => {
      await app.close();
    },
  };
  const error = (code: number | string, message: string) => ({ error: { message, code } });

  // Records the call, checks the token, then runs the route.
  const route = (path: string, handler: (body: Record<string, unknown>) => Promise<[number, unknown]> | [number, unknown]) =>
    app.post(path, async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const token = req.headers[RELAY_SERVER_TOKEN_HEADER] as string | undefined;
      const [status, json] =
        opts.token !== undefined && token !== opts.token ? [401, error(401, 'Missing or invalid relay server token')] : await handler(body);
      state.calls.push({ route: path, body, token, status });
      return reply.code(status).send(json);
    });

  route('/api/v1/relay/servers/register', (b) => {
    const key = String(b.server_public_key ?? '');
    if (!key) return [400, error(400, 'Invalid public key')];
    const first = !credentials.has(key);
    if (first) credentials.set(key, randomBytes(32).toString('base64url'));
    return [
      200,
      {
        ...(first ? { control_credential: credentials.get(key) } : {}),
        next_ping_in_x_seconds: 30,
        poll_wait_seconds: pollWait,
        relay_capabilities: { encrypted_progress_v1: true },
      },
    ];
  });

  route('/api/v1/relay/servers/poll', async (b) => {
    if (!credentials.has(String(b.server_public_key))) return [404, error(404, 'Server with the specified public key not found')];
    const until = Date.now() + pollWait * 1000;
    while (queue.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    const item = queue.shift();
    return [200, item ?? { message: 'No requests available', next_ping_in_x_seconds: 0, poll_wait_seconds: pollWait }];
  });

  route('/api/v1/relay/servers/control', (b) => {
    if (credentials.get(String(b.server_public_key)) !== b.control_credential) {
      return [403, error(403, 'Missing or invalid relay server control credential')];
    }
    const status = cancelled.has(String(b.request_id)) ? 'cancelled' : 'active';
    return [200, { status, next_poll_seconds: 1, request_deadline_remaining_seconds: 100, request_ttl_seconds: 100 }];
  });

  route('/api/v1/relay/responses', (b) => {
    if (Object.keys(b).some((k) => !RESPONSE_KEYS.has(k))) {
      return [400, error(400, 'Unexpected relay payload fields are forbidden; send ciphertext envelope only')];
    }
    if (cancelled.has(String(b.request_id))) {
      return [410, { error: { message: 'Request is no longer waiting for a response', code: 'cancelled', status: 'cancelled' } }];
    }
    state.responses.push(b);
    return [200, { message: 'Response received and queued for client' }];
  });

  app.addHook('preValidation', async (req, reply) => {
    if (req.url === '/api/v1/relay/progress' && Number(req.headers['content-length'] ?? 0) > PROGRESS_MAX_BYTES) {
      state.calls.push({ route: req.url, body: {}, token: req.headers[RELAY_SERVER_TOKEN_HEADER] as string | undefined, status: 413 });
      return reply.code(413).send(error(413, 'Progress envelope too large'));
    }
  });

  route('/api/v1/relay/progress', (b) => {
    if (Object.keys(b).sort().join(',') !== PROGRESS_KEYS) return [400, error(400, 'Invalid encrypted progress schema')];
    if (credentials.get(String(b.server_public_key)) !== b.control_credential) {
      return [403, error(403, 'Missing or invalid relay server control credential')];
    }
    state.progress.push(b);
    const { server_public_key: _key, control_credential: _credential, ...stored } = b;
    state.latestProgress.set(String(b.request_id), stored);
    return [202, { message: 'Encrypted progress accepted' }];
  });

  const unregister = (b: Record<string, unknown>): [number, unknown] => {
    const key = String(b.server_public_key ?? '');
    if (!credentials.has(key)) return [200, { message: 'Server unregistered', removed: false }];
    if (credentials.get(key) !== b.control_credential) return [403, error(403, 'Missing or invalid relay server control credential')];
    credentials.delete(key);
    return [200, { message: 'Server unregistered', removed: true }];
  };
  if (opts.v1UnregisterMissing) route('/api/v1/relay/servers/unregister', () => [404, error(404, 'Not Found')]);
  else route('/api/v1/relay/servers/unregister', unregister);
  route('/unregister', unregister);

  state.url = await listenOnLoopback(app);
  return state;
}
