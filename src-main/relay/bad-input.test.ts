// Bad input never crashes the relay and never yields a 500: malformed JSON, wrong content types,
// huge bodies, wrong types, unknown routes, slow clients, plus a fast-check fuzz over every
// route's body and headers.
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair } from '../crypto';
import { startRelay, type RunningRelay } from './index';

let relay: RunningRelay;
/** A registered node's wire key (§9.5 refuses anything but a real RSA key). */
let nodeKey = '';
beforeAll(async () => {
  nodeKey = (await generateRsaKeyPair()).publicKeyWire;
  relay = await startRelay({
    pollWaitSeconds: 0,
    maxRetrieveWaitSeconds: 0.05,
    relayTokens: ['tok'],
    rateLimits: { enabled: false },
    bodyLimitBytes: 64 * 1024,
    requestTimeoutMs: 600,
    headersTimeoutMs: 600,
  });
  // A registered node so fuzzed envelopes also reach the deeper code paths.
  const reg = await fetch(`${relay.url}/api/v1/relay/servers/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-relay-server-token': 'tok' },
    body: JSON.stringify({ server_public_key: nodeKey, capabilities: { supported_model_ids: ['m'] } }),
  });
  expect(reg.status).toBe(200);
});
afterAll(async () => relay.close());

const POST_ROUTES = [
  '/api/v1/relay/requests',
  '/api/v1/relay/responses/retrieve',
  '/api/v1/relay/requests/cancel',
  '/api/v1/relay/servers/register',
  '/api/v1/relay/servers/poll',
  '/api/v1/relay/servers/control',
  '/api/v1/relay/responses',
  '/api/v1/relay/progress',
  '/api/v1/relay/servers/unregister',
  '/api/v1/relay/stream/append',
  '/api/v1/relay/stream/read',
  '/api/v1/relay/stream/events',
  '/unregister',
  '/api/v1/chat/completions',
  '/faucet',
  '/stream/retrieve',
];
const GET_ROUTES = ['/api/v1/relay/servers/next', '/api/v1/models', '/api/v1/models/x', '/healthz', '/livez', '/api/v1/health', '/api/v1/meta', '/relay/diagnostics', '/next_server'];
const FIELD_NAMES = [
  'server_public_key', 'client_public_key', 'ciphertext', 'chat_history', 'cipherkey', 'iv', 'request_id', 'protocol', 'version',
  'cancel_token', 'control_credential', 'capabilities', 'proof', 'acknowledge', 'wait_seconds', 'status', 'reason', 'messages', '__proto__', 'constructor',
  'chunks', 'after',
];

/** 503s the protocol defines (§2.4.1, §3.2 relay-blind, full queue): answers, not failures. */
const PROTOCOL_503_CODES = ['no_registered_compute_nodes', 'no_matching_compute_node', 'no_available_capacity', 'relay_chat_completions_unavailable', 'distributed_api_v1_relay_disabled', 'queue_full'];

async function expectJsonError(res: Response, context: string): Promise<void> {
  expect(res.headers.get('content-type') ?? '', context).toMatch(/^application\/json/);
  const body = JSON.parse(await res.text()) as { error?: { code?: unknown } };
  if (res.status >= 400) expect(body, context).toMatchObject({ error: expect.anything() });
  if (res.status === 503) expect(PROTOCOL_503_CODES, context).toContain(body.error?.code);
  else expect(res.status, context).toBeLessThan(500);
}

describe('bad input', () => {
  it('answers malformed JSON, wrong content types, wrong types and unknown routes with JSON errors', async () => {
    const cases: [string, RequestInit, number][] = [
      ['/api/v1/relay/requests', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' }, 400],
      ['/api/v1/relay/requests', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }, 415],
      // Non-strict reference routes answer a wrong content type as missing data.
      ['/api/v1/relay/servers/register', { method: 'POST', headers: { 'content-type': 'text/plain', 'x-relay-server-token': 'tok' }, body: 'hello' }, 400],
      ['/api/v1/relay/requests', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' }, 400],
      ['/api/v1/relay/requests', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' }, 400],
      ['/api/v1/relay/requests', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"__proto__":{"x":1}}' }, 400],
      ['/api/v1/relay/requests', { method: 'POST' }, 400],
      ['/api/v1/relay/responses/retrieve', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"client_public_key":5}' }, 400],
      ['/api/v1/relay/servers/register', { method: 'POST', headers: { 'content-type': 'application/json', 'x-relay-server-token': 'tok' }, body: JSON.stringify({ server_public_key: nodeKey, capabilities: 'x' }) }, 400],
      ['/api/v1/relay/requests', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ciphertext: 'A'.repeat(70 * 1024) }) }, 413],
      ['/nope', { method: 'GET' }, 404],
      ['/api/v1/relay/requests', { method: 'GET' }, 404],
      ['/api/v1/relay/requests', { method: 'DELETE' }, 404],
    ];
    for (const [path, init, status] of cases) {
      const res = await fetch(relay.url + path, init);
      expect(res.status, `${init.method} ${path}`).toBe(status);
      await expectJsonError(res, `${init.method} ${path}`);
      expect(res.headers.get('x-request-id')).toBeTruthy();
    }
  });

  it('answers a slow client with 408 JSON and keeps serving', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(relay.port, '127.0.0.1', () => {
        socket.write('POST /api/v1/relay/requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a"');
      });
      let data = '';
      socket.on('data', (c) => (data += c.toString()));
      socket.on('end', () => resolve(data));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
      setTimeout(() => reject(new Error(`no answer: ${data}`)), 5000).unref();
    });
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(reply).toContain('application/json');
    expect(reply.slice(reply.indexOf('\r\n\r\n') + 4)).toBe('{"error":{"message":"Request timeout","code":408}}');
    expect((await fetch(`${relay.url}/livez`)).status).toBe(200);
  });

  it('fuzz: every route, random bodies and headers: status < 500 and a JSON body', async () => {
    const value = fc.oneof(fc.constantFrom(nodeKey, 'r1', 'tokenplace_api_v1_relay_e2ee'), fc.string({ maxLength: 40 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }));
    const body = fc.oneof(
      fc.dictionary(fc.constantFrom(...FIELD_NAMES), value, { maxKeys: 10 }).map((o) => JSON.stringify(o)),
      fc.json({ maxDepth: 3 }),
      fc.string({ maxLength: 60 }),
    );
    const headerText = fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));
    const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', '');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...POST_ROUTES),
        body,
        contentType,
        fc.option(fc.constantFrom('tok', 'wrong', ''), { nil: undefined }),
        headerText,
        async (path, payload, type, token, requestId) => {
          const headers: Record<string, string> = { 'x-request-id': requestId };
          if (type) headers['content-type'] = type;
          if (token !== undefined) headers['x-relay-server-token'] = token;
          const res = await fetch(relay.url + path, { method: 'POST', headers, body: payload });
          await expectJsonError(res, `POST ${path} ${type} ${payload.slice(0, 80)}`);
        },
      ),
      { numRuns: 250 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...GET_ROUTES), fc.dictionary(fc.constantFrom('model', 'context_tier', 'x'), fc.string({ maxLength: 20 })), async (path, query) => {
        const res = await fetch(`${relay.url}${path}?${new URLSearchParams(query).toString()}`);
        await expectJsonError(res, `GET ${path}`);
      }),
      { numRuns: 60 },
    );
  });
});
