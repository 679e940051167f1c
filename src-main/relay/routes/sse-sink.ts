// §11.5 the Server-Sent Events framing of a stream, written to a response body with back-pressure:
// a write settles only once the connection took it (or went away), so a slow reader leaves its
// chunks in the relay's bounded buffer, never in this process's memory.
import { PassThrough } from 'node:stream';
import { STREAM_SSE_EVENTS, type StreamRequestState } from '../../../src-shared/protocol/stream';
import type { StreamSink } from '../state/stream-read';

export class SseSink implements StreamSink {
  /** The response body (hand it to reply.send). */
  readonly body = new PassThrough();

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.body.destroy(), { once: true });
    // The response head goes out with the first body bytes: a keep-alive comment sends it at once.
    void this.keepAlive();
  }

  chunks(firstSequence: number, chunks: string[]): Promise<void> {
    let text = '';
    for (let i = 0; i < chunks.length; i++) text += `id: ${firstSequence + i}\nevent: ${STREAM_SSE_EVENTS.chunk}\ndata: ${chunks[i]}\n\n`;
    return this.write(text);
  }

  done(state: StreamRequestState, nextSequence: number): Promise<void> {
    return this.write(`event: ${STREAM_SSE_EVENTS.done}\ndata: ${JSON.stringify({ state, next_sequence: nextSequence })}\n\n`);
  }

  keepAlive(): Promise<void> {
    return this.write(': keep-alive\n\n');
  }

  end(): void {
    if (!this.body.destroyed) this.body.end();
  }

  private write(text: string): Promise<void> {
    if (this.body.destroyed || this.signal.aborted) return Promise.resolve();
    if (this.body.write(text)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const settle = () => {
        this.body.off('drain', settle);
        this.body.off('close', settle);
        resolve();
      };
      this.body.once('drain', settle);
      this.body.once('close', settle);
    });
  }
}
