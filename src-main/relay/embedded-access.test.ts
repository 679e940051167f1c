// §12: the embedded relay serves only the app that started it — no CORS, its own loopback Host
// only, and the launch secret on every route — while a standalone relay keeps CORS for browsers.
// Real HTTP against real relays; each refusal here was answered 200 before §12.
import { describe, expect, it } from 'vitest';
import { LAUNCH_SECRET_HEADER } from '../../src-shared/protocol/relay-http';
import { ConfigError, generateLaunchSecret, startRelay, type RunningRelay } from './index';
import { TestClient, TestNode } from '../../test-support/relay/actors';
import { call, rawCall } from '../../test-support/relay/http';
import { keys, relays, useRelayFixture } from '../../test-support/relay/relay-fixture';

useRelayFixture();

async function embeddedRelay(): Promise<{ relay: RunningRelay; secret: string; withSecret: Record<string, string> }> {
  const secret = generateLaunchSecret();
  const relay = await startRelay({ pollWaitSeconds: 0.2, rateLimits: { enabled: false }, embedded: { launchSecret: secret } });
  relays.push(relay);
  return { relay, secret, withSecret: { [LAUNCH_SECRET_HEADER]: secret } };
}

const ROUTES: [string, string, unknown?][] = [
  ['GET', '/api/v1/relay/servers/next'],
  ['POST', '/api/v1/relay/requests', {}],
  ['POST', '/api/v1/relay/responses/retrieve', {}],
  ['POST', '/api/v1/relay/servers/register', {}],
  ['POST', '/api/v1/relay/servers/poll', {}],
  ['GET', '/healthz'],
  ['GET', '/metrics'],
  ['GET', '/api/v1/models'],
  ['GET', '/no/such/route'],
  ['OPTIONS', '/api/v1/relay/servers/next'],
];

describe('embedded relay (§12)', () => {
  it('refuses every route without this launch secret: 401 launch_secret_required, before the body is read', async () => {
    const { relay } = await embeddedRelay();
    const other = generateLaunchSecret();
    for (const [method, path, body] of ROUTES) {
      for (const headers of [{}, { [LAUNCH_SECRET_HEADER]: other }, { [LAUNCH_SECRET_HEADER]: '' }] as Record<string, string>[]) {
        const r = await rawCall(relay.url, method, path, headers, body);
        expect({ method, path, status: r.status, body: r.body }).toEqual({
          method,
          path,
          status: 401,
          body: { error: { message: 'Missing or invalid launch secret: this relay serves only the app that started it', code: 'launch_secret_required' } },
        });
      }
    }
  });

  it('answers only its own Host (127.0.0.1:<port>, localhost:<port>); a rebinding name gets 403 host_not_allowed even with the secret', async () => {
    const { relay, withSecret } = await embeddedRelay();
    for (const host of [`127.0.0.1:${relay.port}`, `localhost:${relay.port}`, `LOCALHOST:${relay.port}`]) {
      expect((await rawCall(relay.url, 'GET', '/api/v1/health', { ...withSecret, host })).status).toBe(200);
    }
    for (const host of [`rebind.example:${relay.port}`, 'rebind.example', `127.0.0.1:${relay.port + 1}`, '127.0.0.1', `localhost.example:${relay.port}`]) {
      const r = await rawCall(relay.url, 'GET', '/api/v1/relay/servers/next', { ...withSecret, host });
      expect({ host, status: r.status, body: r.body }).toEqual({
        host,
        status: 403,
        body: { error: { message: 'Host not allowed: this relay serves only the app that started it', code: 'host_not_allowed' } },
      });
    }
  });

  it('sends no CORS headers and answers no preflight, also to the app itself', async () => {
    const { relay, withSecret } = await embeddedRelay();
    const origin = { origin: 'http://attacker.example' };
    const next = await rawCall(relay.url, 'GET', '/api/v1/health', { ...withSecret, ...origin });
    expect(next.status).toBe(200);
    const preflight = await rawCall(relay.url, 'OPTIONS', '/api/v1/relay/requests', {
      ...withSecret,
      ...origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
    expect(preflight.status).toBe(404);
    for (const r of [next, preflight]) {
      expect(Object.keys(r.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('carries a whole encrypted round trip for a client and node that hold the secret', async () => {
    const { relay, withSecret } = await embeddedRelay();
    const node = await TestNode.create(relay.url, { keys: keys.node, headers: withSecret });
    expect((await node.register()).status).toBe(200);
    const client = await TestClient.create(relay.url, keys.client, withSecret);
    const s = await client.submit(node.publicKey, 'hello');
    expect(s.reply.status).toBe(200);
    const work = await node.poll();
    expect(node.open(work.body).api_v1_request.messages[0]!.content).toBe('hello');
    expect((await node.answer(work.body, 'hi there')).status).toBe(200);
    const got = await client.retrieve(s.requestId, 1);
    expect(client.open(got.body)).toBe('hi there');
    // A node without the secret cannot register next to it, a client without it cannot submit.
    const stranger = await TestNode.create(relay.url, { keys: keys.otherNode });
    expect((await stranger.register()).status).toBe(401);
    expect((await (await TestClient.create(relay.url, keys.client)).submit(node.publicKey, 'x')).reply.status).toBe(401);
  });

  it('listens only on loopback and takes only a well-formed secret', async () => {
    await expect(startRelay({ host: '0.0.0.0', metricsToken: 'm'.repeat(32), embedded: { launchSecret: generateLaunchSecret() } })).rejects.toThrow(
      new ConfigError('an embedded relay listens on a loopback address (127.0.0.1 or ::1), not 0.0.0.0'),
    );
    await expect(startRelay({ embedded: { launchSecret: 'short' } })).rejects.toThrow(/embedded\.launchSecret: must be 32 random bytes in base64url/);
    expect(generateLaunchSecret()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateLaunchSecret()).not.toBe(generateLaunchSecret());
  });
});

describe('standalone relay', () => {
  it('keeps CORS for browser clients such as the token.place web page', async () => {
    const relay = await startRelay({ rateLimits: { enabled: false } });
    relays.push(relay);
    const next = await call(relay.url, 'GET', '/api/v1/health', undefined, { origin: 'https://token.place' });
    expect(next.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await call(relay.url, 'OPTIONS', '/api/v1/relay/requests', undefined, {
      origin: 'https://token.place',
      'access-control-request-method': 'POST',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Content-Type, Accept');
  });
});
