import http from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatCancelledError, ChatError, InvalidServerResponseError, ServerUnreachableError, TlsError } from './errors';
import { callJson, callStream } from './http';
import { StreamEvents } from './relay-client/stream-events';
import { RelayClient } from './relay-client';
import { closedLoopbackUrl, serveOnLoopback } from '../../test-support/client/loopback';

// A tiny plain-HTTP server with one behaviour per path.
let server: http.Server;
let base: string;
let closedPortUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    switch (req.url) {
      case '/json':
        res.setHeader('content-type', 'application/json');
        res.end('{"ok":true}');
        return;
      case '/html':
        res.setHeader('content-type', 'text/html');
        res.end('<html>not json</html>');
        return;
      case '/html-404':
        res.statusCode = 404;
        res.end('<html>Not Found</html>');
        return;
      case '/big-declared':
        res.setHeader('content-length', String(64 * 1024));
        res.end(Buffer.alloc(64 * 1024, 0x20));
        return;
      case '/big-chunked':
        // no content-length: the cap must hold while streaming
        for (let i = 0; i < 64; i++) res.write(Buffer.alloc(1024, 0x20));
        res.end();
        return;
      case '/redirect':
        res.statusCode = 301;
        res.setHeader('location', 'https://elsewhere.example/');
        res.end();
        return;
      case '/slow':
        setTimeout(() => res.end('{}'), 2000).unref();
        return;
      default:
        res.statusCode = 404;
        res.end();
    }
  });
  base = await serveOnLoopback(server);
  closedPortUrl = await closedLoopbackUrl();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const get = (url: string, extra: { maxBytes?: number; timeoutMs?: number; signal?: AbortSignal } = {}) =>
  callJson(fetch, { method: 'GET', url, timeoutMs: extra.timeoutMs ?? 2000, ...(extra.maxBytes ? { maxBytes: extra.maxBytes } : {}), ...(extra.signal ? { signal: extra.signal } : {}) });

describe('callJson', () => {
  it('parses JSON answers and measures latency', async () => {
    const r = await get(`${base}/json`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true });
    expect(r.elapsedMs).toBeGreaterThan(0);
  });

  it('rejects a 2xx answer that is not JSON with invalid_server_response', async () => {
    const err = await get(`${base}/html`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidServerResponseError);
    expect((err as ChatError).code).toBe('invalid_server_response');
    expect((err as ChatError).userMessage).toMatch(/does not understand/);
  });

  it('returns non-2xx non-JSON answers with an undefined body (caller maps the status)', async () => {
    const r = await get(`${base}/html-404`);
    expect(r).toMatchObject({ status: 404, body: undefined });
  });

  it('caps declared and streamed bodies', async () => {
    for (const path of ['/big-declared', '/big-chunked']) {
      const err = await get(`${base}${path}`, { maxBytes: 16 * 1024 }).catch((e: unknown) => e);
      expect(err, path).toBeInstanceOf(InvalidServerResponseError);
      expect((err as ChatError).code).toBe('response_too_large');
    }
  });

  it('reports a refused connection as server_unreachable', async () => {
    const err = await get(`${closedPortUrl}/json`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerUnreachableError);
    expect((err as ChatError).code).toBe('server_unreachable');
    expect((err as ChatError).retryable).toBe(true);
  });

  it('reports https to a plain-http port as tls_error', async () => {
    const err = await get(`${base.replace('http:', 'https:')}/json`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TlsError);
    expect((err as ChatError).code).toBe('tls_error');
  });

  it('does not follow redirects and says why', async () => {
    const err = await get(`${base}/redirect`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidServerResponseError);
    expect((err as ChatError).message).toMatch(/redirected/);
  });

  it('times out with server_timeout and cancels with the caller signal', async () => {
    const slow = await get(`${base}/slow`, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect((slow as ChatError).code).toBe('server_timeout');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const stopped = await get(`${base}/slow`, { signal: ac.signal }).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(ChatCancelledError);
  });
});

describe('RelayClient against broken servers (no crash, typed errors)', () => {
  it('refuses bad URLs at construction', () => {
    for (const bad of ['', 'ftp://example.org', 'not a url', 'http://user:pw@example.org', 'http://example.org/?q=1']) {
      expect(() => new RelayClient({ baseUrl: bad }), bad).toThrowError(expect.objectContaining({ code: 'invalid_server_url' }));
    }
  });

  it('health() of an unreachable server says unreachable instead of throwing', async () => {
    const h = await new RelayClient({ baseUrl: closedPortUrl }).health();
    expect(h.state).toBe('unreachable');
    expect(h.error?.code).toBe('server_unreachable');
  });

  it('health() of a non-relay HTTP server is degraded with invalid_server_response', async () => {
    const h = await new RelayClient({ baseUrl: base }).health();
    expect(h.state).toBe('degraded');
    expect(h.error?.code).toBe('invalid_server_response');
    expect(h.models).toEqual([]);
  });

  it('chat() against a non-relay server fails with a typed error', async () => {
    const client = new RelayClient({ baseUrl: base });
    const err = await client.chat({ messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatError);
    expect((err as ChatError).code).toBe('http_404');
  });

  it('chat() with TLS to a plain port fails with tls_error', async () => {
    const client = new RelayClient({ baseUrl: base.replace('http:', 'https:') });
    const err = await client.chat({ messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect((err as ChatError).code).toBe('tls_error');
  });
});

describe('callStream', () => {
  it('the caller’s stop ends an open event stream even after a garbage collection', { timeout: 10_000 }, async () => {
    // An event stream that sends its head and then nothing, as a relay does before the first chunk.
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': open\n\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      setFlagsFromString('--expose_gc');
      const gc = runInNewContext('gc') as () => void;
      const stop = new AbortController();
      const events = new StreamEvents(await callStream(fetch, { method: 'POST', url: `http://127.0.0.1:${port}/events`, body: {}, accept: 'text/event-stream', signal: stop.signal, timeoutMs: 60_000 }));
      const pending = events.next();
      for (let i = 0; i < 5; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 10));
      }
      stop.abort();
      // Ended (the reader then turns to the long poll, which throws the cancel).
      expect(await pending).toBeNull();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
