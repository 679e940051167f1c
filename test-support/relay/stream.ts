// Stream actors for the relay's tests and the stream benchmark (§11.4–§11.5): wire chunks of a
// given size (the relay never opens them, so random base64 stands in for sealed ciphertext), a
// node's append, a client's long-poll read and a Server-Sent Events reader that parses events.
import { randomBytes } from 'node:crypto';
import type { StreamWireChunk } from '../../src-shared/protocol/stream';
import { call, type JsonReply } from './http';

/** §11.2 the iv of a chunk: b64(u32(0) ‖ u64(sequence)). */
export function chunkIv(sequence: number): string {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(BigInt(sequence), 4);
  return iv.toString('base64');
}

/** A wire chunk whose `ciphertext` has `chars` base64 characters (a multiple of 4). */
export function wireChunk(sequence: number, final = false, chars = 64): StreamWireChunk {
  return { sequence, final, ciphertext: randomBytes(Math.ceil((chars * 3) / 4)).toString('base64').slice(0, chars), iv: chunkIv(sequence) };
}

/** Consecutive chunks from `first`; the last is final when `final`. */
export function wireChunks(first: number, count: number, final = false, chars = 64): StreamWireChunk[] {
  return Array.from({ length: count }, (_, i) => wireChunk(first + i, final && i === count - 1, chars));
}

/** The outer values a node names a request by, and its own. */
export interface StreamOwner {
  serverPublicKey: string;
  credential: string;
  clientPublicKey: string;
  requestId: string;
}

export function appendChunks(relayUrl: string, owner: StreamOwner, chunks: StreamWireChunk[], headers: Record<string, string> = {}): Promise<JsonReply<Record<string, unknown> & { error?: Record<string, unknown> }>> {
  return call(relayUrl, 'POST', '/api/v1/relay/stream/append', {
    server_public_key: owner.serverPublicKey,
    control_credential: owner.credential,
    client_public_key: owner.clientPublicKey,
    request_id: owner.requestId,
    chunks,
  }, headers);
}

export interface StreamReadReply {
  chunks: StreamWireChunk[];
  next_sequence: number;
  state: string;
  done: boolean;
}

export function readChunks(relayUrl: string, clientPublicKey: string, requestId: string, after: number, waitSeconds?: number): Promise<JsonReply<StreamReadReply>> {
  return call(relayUrl, 'POST', '/api/v1/relay/stream/read', {
    client_public_key: clientPublicKey,
    request_id: requestId,
    after,
    ...(waitSeconds !== undefined && { wait_seconds: waitSeconds }),
  });
}

export interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
  /** A comment line (`: keep-alive`). */
  comment?: string;
}

export interface SseReading {
  status: number;
  headers: Headers;
  /** Events (and comments) in order, as they arrive. */
  events: SseEvent[];
  /** Settles when the response ends (or `close()` is called). */
  ended: Promise<void>;
  /** Resolves once an event satisfies `match`. */
  until(match: (e: SseEvent) => boolean): Promise<SseEvent>;
  close(): void;
  /** Error body of a refused request (status not 200). */
  errorBody?: unknown;
}

/** Opens `…/stream/events` and parses what arrives (loopback tests and the benchmark only). */
export async function openEvents(relayUrl: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<SseReading> {
  const controller = new AbortController();
  const res = await fetch(`${relayUrl}/api/v1/relay/stream/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const waiters: { match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  const push = (e: SseEvent) => {
    events.push(e);
    for (const w of [...waiters]) if (w.match(e)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(e);
    }
  };
  const reading: SseReading = {
    status: res.status,
    headers: res.headers,
    events,
    ended: Promise.resolve(),
    until(match) {
      const seen = events.find(match);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ match, resolve }));
    },
    close: () => controller.abort(),
  };
  if (res.status !== 200) {
    reading.errorBody = JSON.parse(await res.text());
    return reading;
  }
  reading.ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const part of res.body as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(part, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const e: SseEvent = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) e.comment = line.slice(1).trim();
            else {
              const at = line.indexOf(':');
              const field = line.slice(0, at);
              const value = line.slice(at + 1).replace(/^ /, '');
              if (field === 'id' || field === 'event' || field === 'data') e[field] = value;
            }
          }
          push(e);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return reading;
}
