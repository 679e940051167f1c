// §11.4–§11.5 stream routes (our relay only): the node appends sealed chunks, the client reads
// them as a long poll or as Server-Sent Events. Chunks are opaque: the relay checks shapes,
// sequences and bounds, never what a chunk holds.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { STREAM_LIMITS, StreamAppendBody, StreamReadBody } from '../../../src-shared/protocol/stream';
import { TooManyLongPollsError } from '../access/access-errors';
import { StreamRejectedError } from '../errors';
import type { RelayContext } from '../state/context';
import { keys, type RequestRecord } from '../state/model';
import { appendChunks } from '../state/stream-append';
import { followStream, readStream, streamTargetOf } from '../state/stream-read';
import { SseSink } from './sse-sink';
import { longPollSignal, requireServerToken } from './route-kit';

const LAST_EVENT_ID = /^\d{1,15}$/;

function readBody(request: FastifyRequest): StreamReadBody {
  const parsed = StreamReadBody.safeParse(request.body);
  if (!parsed.success) throw new StreamRejectedError(400, 'Invalid stream read');
  return parsed.data;
}

export function registerStreamRoutes(app: FastifyInstance, ctx: RelayContext): void {
  // Exempt from the node budgets of §5.1: §11.3 coalescing bounds a stream to ~50 appends a second,
  // and an append is accepted only from the request's holder, within the buffer bounds.
  app.post(
    '/api/v1/relay/stream/append',
    { bodyLimit: STREAM_LIMITS.maxAppendBodyBytes, config: { policy: { limit: 'exempt' } } },
    async (request) => {
      requireServerToken(ctx, request);
      const parsed = StreamAppendBody.safeParse(request.body);
      if (!parsed.success) throw new StreamRejectedError(400, 'Invalid stream append');
      const position = await appendChunks(ctx, parsed.data);
      return { next_sequence: position.next, buffered_chunks: position.bufferedChunks, buffered_bytes: position.bufferedBytes };
    },
  );

  app.post('/api/v1/relay/stream/read', { config: { policy: { cors: true, limit: 'exempt', longPoll: 'stream' } } }, async (request, reply) => {
    const body = readBody(request);
    // A sender holding all its long polls is answered at once, as with wait_seconds 0 (§5.1).
    const waitMs = request.longPollAdmitted ? Math.min(body.wait_seconds ?? 0, ctx.config.maxRetrieveWaitSeconds) * 1000 : 0;
    const target = streamTargetOf(body.client_public_key, body.request_id);
    const step = await readStream(ctx, target, body.after, waitMs, longPollSignal(ctx, reply));
    // The stored chunks are already JSON: the body is assembled around them, not re-serialised.
    reply.type('application/json');
    return `{"chunks":[${step.chunks.join(',')}],"next_sequence":${step.position.next},"state":"${step.state}","done":${step.done}}`;
  });

  app.post('/api/v1/relay/stream/events', { config: { policy: { cors: true, limit: 'exempt', longPoll: 'stream' } } }, async (request, reply) => {
    const body = readBody(request);
    if (!request.longPollAdmitted) throw new TooManyLongPollsError(ctx.config.connectionLimits.maxLongPollsPerSender);
    const target = streamTargetOf(body.client_public_key, body.request_id);
    // Unknown requests are refused before the event stream starts (afterwards only events go out).
    if (!(await ctx.store.get<RequestRecord>(keys.request(target.reqKey)))) throw new StreamRejectedError(404, `Unknown request_id: ${body.request_id}`);
    const lastEventId = request.headers['last-event-id'];
    const after = typeof lastEventId === 'string' && LAST_EVENT_ID.test(lastEventId.trim()) ? Number(lastEventId.trim()) : body.after;
    const signal = longPollSignal(ctx, reply);
    const sink = new SseSink(signal);
    followStream(ctx, target, after, sink, signal)
      .catch(() => undefined) // a store failure ends the response; the client resumes with Last-Event-ID
      .finally(() => sink.end());
    reply.code(200).type('text/event-stream').header('cache-control', 'no-store').header('x-accel-buffering', 'no');
    return reply.send(sink.body);
  });
}
