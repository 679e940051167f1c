// A small reader of our relay's chunk stream (docs/protocol.md §11.5 long poll) for node tests and
// benches before the product client reads streams: it opens each chunk as the next sequence with
// the request's aead-v1 session (openAeadStreamChunk, §11.7) and checks §11.2's plaintext rules.
// Loopback only; any break throws, naming what broke.
import { performance } from 'node:perf_hooks';
import { AEAD_V1_NODE_CIPHERKEY, openAeadStreamChunk, parseJsonPlaintext, type AeadV1Session } from '../../src-main/crypto';
import { StreamReadResponse, parseStreamChunkPlaintext, type StreamChunkPlaintext } from '../../src-shared/protocol/stream';
import { call } from '../relay/http';

export interface ReadStream {
  /** Deltas in order, with when each was opened (performance.now()). */
  deltas: { text: string; at: number }[];
  /** The final chunk's plaintext, or null when the stream ended without one. */
  final: StreamChunkPlaintext | null;
  chunks: number;
  /** Read calls made. */
  reads: number;
  /** The relay's last state. */
  state: string;
}

export interface ReadStreamOptions {
  relayUrl: string;
  session: AeadV1Session;
  clientPublicKey: string;
  requestId: string;
  timeoutMs?: number;
  waitSeconds?: number;
  /** Called before each read (slow-reader tests pause here). */
  beforeRead?: (after: number) => Promise<void> | void;
}

export async function readStream(opts: ReadStreamOptions): Promise<ReadStream> {
  const result: ReadStream = { deltas: [], final: null, chunks: 0, reads: 0, state: 'queued' };
  const until = Date.now() + (opts.timeoutMs ?? 15_000);
  let after = -1;
  while (Date.now() < until) {
    await opts.beforeRead?.(after);
    const res = await call(opts.relayUrl, 'POST', '/api/v1/relay/stream/read', {
      client_public_key: opts.clientPublicKey,
      request_id: opts.requestId,
      after,
      wait_seconds: opts.waitSeconds ?? Math.max(0, Math.min(5, (until - Date.now()) / 1000)),
    });
    result.reads += 1;
    if (res.status !== 200) throw new Error(`stream read ${res.status}: ${JSON.stringify(res.body)}`);
    const read = StreamReadResponse.parse(res.body);
    result.state = read.state;
    for (const chunk of read.chunks) {
      if (chunk.sequence !== after + 1) throw new Error(`chunk ${chunk.sequence} is not the next sequence (${after + 1})`);
      const plain = openAeadStreamChunk(opts.session, { sequence: chunk.sequence, final: chunk.final }, { ...chunk, cipherkey: AEAD_V1_NODE_CIPHERKEY });
      const parsed = parseStreamChunkPlaintext(parseJsonPlaintext(plain), chunk.final);
      if (!parsed) throw new Error(`chunk ${chunk.sequence} breaks the §11.2 plaintext rules`);
      after = chunk.sequence;
      result.chunks += 1;
      if (parsed.delta.length > 0) result.deltas.push({ text: parsed.delta, at: performance.now() });
      if (chunk.final) {
        result.final = parsed;
        return result;
      }
    }
    if (read.done) return result;
  }
  throw new Error(`stream ${opts.requestId} did not end in time`);
}

/** The streamed text. */
export const streamedText = (s: ReadStream) => s.deltas.map((d) => d.text).join('');
