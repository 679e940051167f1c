// An oversized body gets 413 JSON on every route (§5.2), node routes included, and the client
// can finish sending it: a client that writes its whole body before it reads (curl, Node's http)
// must not have the connection reset under it (issue: a 5 MiB POST to servers/poll got EPIPE).
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type RunningRelay } from './index';

let relay: RunningRelay;
beforeAll(async () => {
  relay = await startRelay({ rateLimits: { enabled: false } });
});
afterAll(async () => relay.close());

const FIVE_MIB = 5 * 1024 * 1024;

/**
 * Sends headers and the first 64 KiB, waits until the relay has answered (it answers 413 as soon
 * as it sees the length), then writes the rest of the body as a client that writes before it
 * reads would, and collects what the relay sent. `error` is set when the connection broke.
 */
function postOversized(path: string, framing: 'content-length' | 'chunked'): Promise<{ reply: string; error: string | null }> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const frame = (b: Buffer) => (framing === 'chunked' ? Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]) : b);
    // Like curl: a FIN from the relay does not stop the upload (half-open), only a reset does.
    const socket = connect({ port: relay.port, host: '127.0.0.1', allowHalfOpen: true });
    let reply = '';
    let error: string | null = null;
    let answered: () => void = () => undefined;
    const gotAnswer = new Promise<void>((r) => (answered = r));
    socket.on('data', (d) => {
      reply += d.toString('latin1');
      answered();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => resolve({ reply, error }));
    socket.on('connect', async () => {
      const length = framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${FIVE_MIB}`;
      socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${length}\r\n\r\n`);
      // chunked: the relay counts the bytes as they come, so send past the limit first
      const before = framing === 'chunked' ? 40 : 1;
      for (let i = 0; i < before; i++) socket.write(frame(chunk));
      await Promise.race([gotAnswer, new Promise((r) => setTimeout(r, 3000))]);
      await new Promise((r) => setTimeout(r, 100)); // the relay has finished its answer by now
      for (let sent = before * chunk.length; sent < FIVE_MIB && !socket.destroyed && error === null; sent += chunk.length) {
        if (!socket.write(frame(chunk))) await new Promise((r) => socket.once('drain', r).once('close', r));
      }
      if (framing === 'chunked' && !socket.destroyed) socket.write('0\r\n\r\n');
      setTimeout(() => socket.end(), 200); // then read what came back and hang up
    });
  });
}

describe('oversized bodies (§5.2)', () => {
  const routes: [string, string][] = [
    ['/api/v1/relay/servers/poll', 'Request body too large'],
    ['/api/v1/relay/servers/register', 'Request body too large'],
    ['/api/v1/relay/responses', 'Request body too large'],
    ['/api/v1/relay/progress', 'Progress envelope too large'],
    ['/api/v1/relay/requests', 'Request body too large'],
  ];
  for (const [path, message] of routes) {
    for (const framing of ['content-length', 'chunked'] as const) {
      it(`${path} (${framing}): 413 JSON, and the client finishes sending without a reset`, async () => {
        const { reply, error } = await postOversized(path, framing);
        expect({ error, status: reply.slice(0, 12) }).toEqual({ error: null, status: 'HTTP/1.1 413' });
        expect(reply).toContain(JSON.stringify({ error: { message, code: 413 } }));
        // The relay keeps serving.
        expect((await fetch(`${relay.url}/livez`)).status).toBe(200);
      });
    }
  }
});
