// Wire of encrypted token streaming (docs/protocol.md §11): what a node appends, what a client
// reads, what a chunk and a snapshot hold once opened, and the bounds every side enforces. One
// schema per body, shared by the relay (validation), our node (building) and our client (parsing).
// Request schemas are strict, response schemas loose (§2.4).
import { z } from 'zod';
import { InnerUsageSchema } from './inner-envelope';
import { utf8ByteLength } from './utf8';
import { MAX_RETRIEVE_WAIT_SECONDS } from './relay-http';

/** `relay_capabilities` flag of a relay that has the chunk routes of §11.4 (register and servers/next). */
export const STREAM_CHUNKS_CAPABILITY = 'stream_chunks_v1';

/** §11.2 the top-level key of an aead-v1 inner request that asks for a streamed answer. */
export const STREAM_REQUEST_KEY = 'stream';

/** The bounds of §11.3–§11.6; every number in one place. */
export const STREAM_LIMITS = Object.freeze({
  /** UTF-8 bytes of `delta` in one chunk (§11.2); the node splits longer text. */
  maxChunkTextBytes: 16_384,
  /** Characters of one chunk's `ciphertext` (base64 of at most 16 KiB of text, its JSON and the tag). */
  maxChunkCiphertextChars: 24_576,
  /** Chunks in one append body (§11.4). */
  maxChunksPerAppend: 32,
  /** Bytes of one append body (§11.4): room for 32 chunks of the largest `ciphertext` and the keys. */
  maxAppendBodyBytes: 819_200,
  /** Unread chunks the relay holds per request (§11.4). */
  bufferMaxChunks: 256,
  /** Unread `ciphertext` characters the relay holds per request (§11.4). */
  bufferMaxBytes: 1_048_576,
  /** Chunks one read answer carries at most (§11.5). */
  maxChunksPerRead: 64,
  /** Longest hold of a long-poll read, as for retrieve (§2.4.3). */
  maxReadWaitSeconds: MAX_RETRIEVE_WAIT_SECONDS,
  /** §11.3 coalescing: at most one append per request per this many ms after the first. */
  minAppendIntervalMs: 20,
  /** §11.3 coalescing: buffered text that is sent at once, whatever the interval. */
  flushTextBytes: 4_096,
  /** §11.6 snapshots: at most one per request per this many ms. */
  snapshotIntervalMs: 1_000,
  /** §11.6 snapshots: a progress body stays at or under the reference relay's 16 KiB cap (§2.4.8). */
  maxSnapshotBodyBytes: 16_384,
  /** §11.5 SSE: a comment line this often keeps idle connections alive. */
  sseKeepAliveMs: 15_000,
});

const nonEmpty = z.string().min(1);
const sequence = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

/** §11.4 one chunk on the wire: the aead-v1 stream envelope of §10.5.4 without its constant `cipherkey`. */
export const StreamWireChunk = z.strictObject({
  sequence,
  final: z.boolean(),
  ciphertext: z.string().min(1).max(STREAM_LIMITS.maxChunkCiphertextChars),
  iv: nonEmpty.max(64),
});
export type StreamWireChunk = z.infer<typeof StreamWireChunk>;

/** §11.4 body of `POST /api/v1/relay/stream/append` (node). */
export const StreamAppendBody = z.strictObject({
  server_public_key: nonEmpty,
  control_credential: nonEmpty,
  client_public_key: nonEmpty,
  request_id: nonEmpty,
  chunks: z.array(StreamWireChunk).min(1).max(STREAM_LIMITS.maxChunksPerAppend),
});
export type StreamAppendBody = z.infer<typeof StreamAppendBody>;

/** §11.4 200 body of an append: where the stream stands after it. */
export const StreamAppendAccepted = z.looseObject({
  next_sequence: sequence,
  buffered_chunks: z.int().min(0),
  buffered_bytes: z.int().min(0),
});
export type StreamAppendAccepted = z.infer<typeof StreamAppendAccepted>;

/** §11.4 what a 429 `stream_buffer_full` or 409 `stream_sequence_conflict` adds to the error body. */
export const StreamAppendRefusal = z.looseObject({
  retry_after_ms: z.int().min(0).optional(),
  next_sequence: sequence.optional(),
});
export type StreamAppendRefusal = z.infer<typeof StreamAppendRefusal>;

/** §11.5 body of `POST /api/v1/relay/stream/read` (long poll) and `…/stream/events` (SSE). */
export const StreamReadBody = z.strictObject({
  client_public_key: nonEmpty,
  request_id: nonEmpty,
  /** The highest sequence the client holds; -1 before the first chunk. */
  after: z.int().min(-1).max(Number.MAX_SAFE_INTEGER),
  wait_seconds: z.number().min(0).max(STREAM_LIMITS.maxReadWaitSeconds).optional(),
});
export type StreamReadBody = z.infer<typeof StreamReadBody>;

/** §11.5 where the request stands, as a stream reader sees it. */
export const StreamRequestState = z.enum(['queued', 'in_flight', 'completed', 'cancelled', 'expired']);
export type StreamRequestState = z.infer<typeof StreamRequestState>;

/** §11.5 200 body of a long-poll read. */
export const StreamReadResponse = z.looseObject({
  chunks: z.array(z.looseObject(StreamWireChunk.shape)).max(STREAM_LIMITS.maxChunksPerRead),
  next_sequence: sequence,
  state: StreamRequestState,
  /** Nothing more will come: the request left `in_flight` and no chunk after `after` is held. */
  done: z.boolean(),
});
export type StreamReadResponse = z.infer<typeof StreamReadResponse>;

/** §11.5 the `data` of an SSE `done` event. */
export const StreamDoneEvent = z.looseObject({ state: StreamRequestState, next_sequence: sequence });
export type StreamDoneEvent = z.infer<typeof StreamDoneEvent>;

/** §11.5 SSE event names. */
export const STREAM_SSE_EVENTS = Object.freeze({ chunk: 'chunk', done: 'done' });

// ---------------------------------------------------------------- opened plaintexts (§11.2, §11.6)

/**
 * §11.2 an opened chunk: `delta` always; `finish_reason` (and optionally `usage`) exactly on the
 * final chunk. Which it must be is the final flag the chunk was opened with (§10.5.4).
 */
export const StreamChunkPlaintext = z.strictObject({
  delta: z.string(),
  finish_reason: z.string().min(1).max(64).optional(),
  usage: InnerUsageSchema.optional(),
});
export type StreamChunkPlaintext = z.infer<typeof StreamChunkPlaintext>;

/** §11.2 parses an opened chunk for the final flag it was opened with; null when it breaks a rule. */
export function parseStreamChunkPlaintext(value: unknown, final: boolean): StreamChunkPlaintext | null {
  const parsed = StreamChunkPlaintext.safeParse(value);
  if (!parsed.success) return null;
  const c = parsed.data;
  if (final !== (c.finish_reason !== undefined)) return null;
  if (!final && (c.usage !== undefined || c.delta.length === 0)) return null;
  if (utf8ByteLength(c.delta) > STREAM_LIMITS.maxChunkTextBytes) return null;
  return c;
}
