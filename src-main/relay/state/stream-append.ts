// §11.4 append: only the node holding the request in flight may append (its live credential; for a
// request dispatched to a verified registration, that registration's, §9.4), and only before the
// deadline: the checks of §2.4.8 progress, in its order. Then the sequences must continue the
// stream and the buffer bounds hold; chunks, position and wake-up are one atomic commit (§11.9),
// guarded by the request record the checks read, so a cancel or expiry racing the append wins or
// loses as a whole.
import { STREAM_LIMITS, type StreamAppendBody } from '../../../src-shared/protocol/stream';
import { ControlCredentialError, StreamBufferFullError, StreamRejectedError, StreamSequenceConflictError } from '../errors';
import { StoreUnavailableError, type StreamPosition } from '../store/state-store';
import type { RelayContext } from './context';
import { assertReporter, type ReporterRefusal } from './holder';
import { clientHashOf, keys, nodeIdOf, requestKeyOf, type NodeRecord, type RequestRecord } from './model';

/** §11.4 `retry_after_ms` of a 429: one request's reader is a read away; all streams need longer. */
export const STREAM_RETRY_AFTER_MS = Object.freeze({ request: 100, relay: 1000 });

const MAX_ATTEMPTS = 32;

/** Chunks of one append count up by one, and only the last may be final (§11.4). */
function consecutive(chunks: StreamAppendBody['chunks']): boolean {
  const first = chunks[0]!.sequence;
  return chunks.every((c, i) => c.sequence === first + i && (!c.final || i === chunks.length - 1));
}

function refuseAppend(why: ReporterRefusal): never {
  if (why === 'credential') throw new ControlCredentialError();
  throw new StreamRejectedError(410, why === 'expired' ? 'Stream request has expired' : 'Stream request is not active for this owner');
}

export async function appendChunks(ctx: RelayContext, body: StreamAppendBody): Promise<StreamPosition> {
  const { store } = ctx;
  const nodeId = nodeIdOf(body.server_public_key);
  const reqKey = requestKeyOf(clientHashOf(body.client_public_key), body.request_id);
  const stream = keys.stream(reqKey);
  const { chunks } = body;
  // Serialised once, in one key order: readers get these strings verbatim.
  const serialised = chunks.map((c) => JSON.stringify({ sequence: c.sequence, final: c.final, ciphertext: c.ciphertext, iv: c.iv }));
  const sizes = chunks.map((c) => c.ciphertext.length);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    // Independent reads go out together (one round trip on Redis).
    const [node, request] = await Promise.all([
      store.get<NodeRecord>(keys.node(nodeId)),
      store.get<RequestRecord>(keys.request(reqKey)),
    ]);
    const now = ctx.now();
    const r = request?.value ?? null;
    assertReporter(r, nodeId, node?.value ?? null, body.control_credential, now, refuseAppend);
    if (!consecutive(chunks)) {
      const held = await store.streamPosition(stream);
      throw new StreamSequenceConflictError(held.epoch === r.createdAt ? held.position.next : 0);
    }
    const outcome = await store.streamAppend({
      stream,
      epoch: r.createdAt,
      guard: { key: keys.request(reqKey), version: request!.version }, // r is its value: there is one
      firstSequence: chunks[0]!.sequence,
      chunks: serialised,
      sizes,
      finalLast: chunks.at(-1)!.final,
      maxChunks: STREAM_LIMITS.bufferMaxChunks,
      maxBytes: STREAM_LIMITS.bufferMaxBytes,
      totalMaxBytes: ctx.config.streamBufferTotalMb * 1024 * 1024,
      // A safety net only: the stream is dropped with its request (terminate.ts) well before.
      ttlMs: r.deadlineAt - now + (ctx.config.responseTtlSeconds + ctx.config.terminalTtlSeconds) * 1000,
      channel: keys.requestChannel(reqKey),
    });
    switch (outcome.kind) {
      case 'conflict':
        continue; // the request record changed since it was judged: judge it again
      case 'sequence':
        throw new StreamSequenceConflictError(outcome.position.next);
      case 'full':
        throw new StreamBufferFullError(outcome.scope, STREAM_RETRY_AFTER_MS[outcome.scope], outcome.position.next);
      case 'appended':
        if (outcome.stored > 0) ctx.onStreamChunks?.('appended', outcome.stored);
        return outcome.position;
    }
  }
  throw new StoreUnavailableError(new Error('contention on a stream append'));
}
