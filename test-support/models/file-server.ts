// A loopback HTTP server that serves one file the way model hosts do (Range requests, ETag,
// If-Range), and misbehaves on request: no range support, an error status, slow or stalled
// bodies. It records what each request asked for.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FileServerBehaviour {
  /** Honour `Range: bytes=N-` and say `Accept-Ranges: bytes` (default true). */
  ranges: boolean;
  etag: string;
  /** Answer every request with this status and no file. */
  status?: number;
  /** Bytes per write and pause between writes (default: everything at once). */
  chunkBytes?: number;
  chunkDelayMs?: number;
  /** Stop sending after this many body bytes of a response (the connection stays open). */
  stallAfterBytes?: number;
}

export interface RecordedRequest {
  range?: string;
  ifRange?: string;
  status: number;
  bodyBytes: number;
}

export interface FileServer {
  url: string;
  behaviour: FileServerBehaviour;
  requests: RecordedRequest[];
  /** Replaces the served file (e.g. a new version under a new ETag). */
  setBody(body: Buffer, etag?: string): void;
  close(): Promise<void>;
}

export async function startFileServer(body: Buffer, behaviour: Partial<FileServerBehaviour> = {}): Promise<FileServer> {
  let file = body;
  const state: FileServerBehaviour = { ranges: true, etag: '"v1"', ...behaviour };
  const requests: RecordedRequest[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const record: RecordedRequest = { range: req.headers.range, ifRange: req.headers['if-range'] as string | undefined, status: 0, bodyBytes: 0 };
    requests.push(record);
    if (state.status !== undefined) {
      record.status = state.status;
      res.writeHead(state.status, { 'content-type': 'text/plain' }).end('no');
      return;
    }
    let start = 0;
    const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRangeOk = record.ifRange === undefined || record.ifRange === state.etag;
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream', etag: state.etag };
    if (state.ranges) headers['accept-ranges'] = 'bytes';
    if (state.ranges && match && ifRangeOk) {
      start = Number(match[1]);
      if (start >= file.length) {
        record.status = 416;
        res.writeHead(416, { 'content-range': `bytes */${file.length}` }).end();
        return;
      }
      record.status = 206;
      res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${file.length - 1}/${file.length}`, 'content-length': String(file.length - start) });
    } else {
      record.status = 200;
      res.writeHead(200, { ...headers, 'content-length': String(file.length) });
    }
    const part = file.subarray(start);
    const chunk = state.chunkBytes ?? part.length;
    let closed = false;
    res.on('close', () => (closed = true));
    for (let at = 0; at < part.length && !closed; at += chunk) {
      let piece = part.subarray(at, at + chunk);
      if (state.stallAfterBytes !== undefined && record.bodyBytes + piece.length > state.stallAfterBytes) {
        piece = piece.subarray(0, Math.max(0, state.stallAfterBytes - record.bodyBytes));
        if (piece.length) res.write(piece);
        record.bodyBytes += piece.length;
        return; // stalled: nothing more until the client gives up
      }
      res.write(piece);
      record.bodyBytes += piece.length;
      if (state.chunkDelayMs) await sleep(state.chunkDelayMs);
    }
    res.end();
  }

  const server: Server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/models/tiny-model.gguf`,
    behaviour: state,
    requests,
    setBody(next, etag) {
      file = next;
      if (etag) state.etag = etag;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Deterministic pseudo-random bytes that start with the GGUF magic. */
export function fakeGgufBytes(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  out.write('GGUF', 0, 'latin1');
  return out;
}
