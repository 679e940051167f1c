// The node's relay calls over node:http (relay-post.ts) keep the fetch contract NodeRelayApi
// relies on: status and body, redirects followed (by fetch), no answer → RelayUnreachableError
// with its reason, the caller's abort passed through, headers and token sent.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RELAY_SERVER_TOKEN_HEADER } from '../../src-shared/protocol/relay-http';
import { RelayUnreachableError } from './errors';
import { NodeRelayApi } from './relay-api';
import { postJson } from './relay-post';

let server: Server | undefined;

async function serve(handle: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => handle(req, body, res));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

const IDLE = { message: 'No requests available', next_ping_in_x_seconds: 0, poll_wait_seconds: 5 };

describe('postJson', () => {
  it('returns the status and the whole body, and reuses its connection', async () => {
    const ports = new Set<number>();
    const url = await serve((req, body, res) => {
      ports.add(req.socket.remotePort!);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ got: JSON.parse(body), type: req.headers['content-type'] }));
    });
    for (let i = 0; i < 3; i++) {
      const answer = await postJson(`${url}/x`, JSON.stringify({ i }), { 'content-type': 'application/json' }, new AbortController().signal);
      expect(answer.status).toBe(201);
      expect(JSON.parse(answer.text)).toEqual({ got: { i }, type: 'application/json' });
    }
    expect(ports.size).toBe(1);
  });

  it('rejects when the signal aborts before the answer', async () => {
    const url = await serve(() => undefined); // never answers
    const controller = new AbortController();
    const pending = postJson(`${url}/x`, '{}', {}, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});

describe('NodeRelayApi over node:http', () => {
  it('sends the relay token and the configured headers', async () => {
    let seen: IncomingMessage['headers'] = {};
    const url = await serve((req, _body, res) => {
      seen = req.headers;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(IDLE));
    });
    const api = new NodeRelayApi({ relayUrl: url, relayToken: 'tok', headers: { 'x-launch': 'secret' } });
    await expect(api.poll('key', {} as never, 2000)).resolves.toEqual({ kind: 'idle', pollWaitSeconds: 5 });
    expect(seen[RELAY_SERVER_TOKEN_HEADER.toLowerCase()]).toBe('tok');
    expect(seen['x-launch']).toBe('secret');
  });

  it('follows a redirect (by fetch), as before', async () => {
    const url = await serve((req, _body, res) => {
      if (req.url === '/api/v1/relay/servers/poll') res.writeHead(307, { location: '/moved/poll' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...IDLE, poll_wait_seconds: 7 }));
    });
    const api = new NodeRelayApi({ relayUrl: url });
    await expect(api.poll('key', {} as never, 2000)).resolves.toEqual({ kind: 'idle', pollWaitSeconds: 7 });
  });

  it('no answer: unreachable (network) when the connection drops, (timeout) when the time runs out', async () => {
    const url = await serve((req, _body, res) => {
      if (req.url === '/api/v1/relay/servers/poll') req.socket.destroy();
      else setTimeout(() => res.end('{}'), 2000).unref();
    });
    const api = new NodeRelayApi({ relayUrl: url });
    await expect(api.poll('key', {} as never, 2000)).rejects.toEqual(new RelayUnreachableError('/api/v1/relay/servers/poll', 'network'));
    await expect(api.respond({} as never, 100)).rejects.toEqual(new RelayUnreachableError('/api/v1/relay/responses', 'timeout'));
  });

  it("passes the caller's abort through", async () => {
    const url = await serve(() => undefined);
    const api = new NodeRelayApi({ relayUrl: url });
    const controller = new AbortController();
    const pending = api.poll('key', {} as never, 5000, controller.signal);
    const reason = new Error('node stopping');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});
