// §11.5 a request's stream read as Server-Sent Events (`POST /api/v1/relay/stream/events`): one
// response for the whole stream, each chunk an event the moment the relay has it, `done` at the
// end. Only the framing is read here; the chunks are checked and opened by the caller (§11.7).
import { STREAM_SSE_EVENTS, StreamDoneEvent, StreamWireChunk, type StreamReadBody, type StreamRequestState } from '../../../src-shared/protocol/stream';
import { z } from 'zod';
import { InvalidServerResponseError, ServerUnreachableError } from '../errors';
import type { StreamCall } from '../http';
import type { WireChunk } from './streamed-text';

export const STREAM_EVENTS_PATH = '/api/v1/relay/stream/events';

/** One event's text at most: a chunk's largest ciphertext (§11.4) with its keys, with room to spare. */
const MAX_EVENT_CHARS = 64 * 1024;

/** Loose as on the long poll (§11.5 `StreamReadResponse`): the chunk is checked when it is opened. */
const EventChunk = z.looseObject(StreamWireChunk.shape);

export type StreamEvent = { kind: 'chunk'; chunk: WireChunk } | { kind: 'done'; state: StreamRequestState };

export type StreamEventsBody = Omit<StreamReadBody, 'wait_seconds'>;

/** The events of one open `events` response, in order, as they arrive. */
export class StreamEvents {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = '';
  private readonly parsed: StreamEvent[] = [];

  constructor(private readonly call: StreamCall) {
    this.reader = call.res.body!.getReader();
    // Stop and the give-up time end the read here, not only through fetch: fetch's own link from
    // the signal to an open body is held weakly, and after a garbage collection an answer kept
    // streaming past Stop (seen under load). A cancelled read ends as done: the reader then falls
    // back to the long poll, which sees the signal and throws its own error.
    call.signal.addEventListener('abort', () => this.close(), { once: true });
  }

  /** Whether the relay answered with an event stream (anything else: not this route, or refused). */
  static accepts(call: StreamCall): boolean {
    const type = call.res.headers.get('content-type') ?? '';
    return call.res.status === 200 && call.res.body !== null && type.toLowerCase().startsWith('text/event-stream');
  }

  /**
   * The events that arrived since the last call (at least one), or null when the response ended
   * or the connection broke first. Throws when the caller stopped or the time is up (the call's
   * own errors), or when the relay sent what is not §11.5.
   */
  async next(): Promise<StreamEvent[] | null> {
    while (this.parsed.length === 0) {
      let part: Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;
      try {
        part = await this.reader.read();
      } catch (err) {
        const failure = this.call.failure(err);
        // The connection broke: the caller reads on by another way. Stopped or timed out: thrown.
        if (failure instanceof ServerUnreachableError && failure.code === 'server_unreachable') return null;
        throw failure;
      }
      if (part.done) return null;
      this.buffer += this.decoder.decode(part.value, { stream: true });
      this.takeEvents();
    }
    return this.parsed.splice(0);
  }

  close(): void {
    void this.reader.cancel().catch(() => undefined);
  }

  private takeEvents(): void {
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event = parseEvent(block);
      if (event) this.parsed.push(event);
    }
    if (this.buffer.length > MAX_EVENT_CHARS) throw new InvalidServerResponseError('response_too_large', `a stream event of more than ${MAX_EVENT_CHARS} characters`, 200);
  }
}

/** One SSE block (`event:` and `data:` lines; comments and `id:` are skipped) → a §11.5 event, or null for one we do not know. */
function parseEvent(block: string): StreamEvent | null {
  let name = 'message';
  const data: string[] = [];
  for (const raw of block.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  }
  if (name !== STREAM_SSE_EVENTS.chunk && name !== STREAM_SSE_EVENTS.done) return null;
  let json: unknown;
  try {
    json = JSON.parse(data.join('\n'));
  } catch {
    json = undefined;
  }
  if (name === STREAM_SSE_EVENTS.chunk) {
    const chunk = EventChunk.safeParse(json);
    if (!chunk.success) throw new InvalidServerResponseError('invalid_server_response', 'stream/events chunk event', 200);
    return { kind: 'chunk', chunk: chunk.data };
  }
  const done = StreamDoneEvent.safeParse(json);
  if (!done.success) throw new InvalidServerResponseError('invalid_server_response', 'stream/events done event', 200);
  return { kind: 'done', state: done.data.state };
}
