// §11.7 the text of a streamed answer as it is authenticated: aead-v1 stream chunks opened strictly
// in sequence with the request's own key and the final flag the wire claims (§11.2), or cumulative
// snapshots from aead-v1 progress (§11.6) that must extend the one before. No text of a chunk is
// handed out before it opened; the first chunk that breaks a rule ends the stream.
import { parseStreamChunkPlaintext, type StreamChunkPlaintext } from '../../../src-shared/protocol/stream';
import { AEAD_V1_NODE_CIPHERKEY, openAeadStreamChunk, parseJsonPlaintext, type AeadV1Session } from '../../crypto';
import type { AnswerDelivery } from '../../../src-shared/vocabulary';
import { StreamBrokenError } from '../errors';

/** How streamed text arrives: our relay's chunk routes, or snapshots in progress updates (§11.6). */
export type StreamTransport = Exclude<AnswerDelivery, 'whole'>;

/** A chunk as the relay hands it out (§11.4 `StreamWireChunk`; loose, checked when opened). */
export interface WireChunk {
  sequence: number;
  final: boolean;
  ciphertext: string;
  iv: string;
}

export class StreamedText {
  text = '';
  /** Chunks opened (chunk transport) or snapshots taken (snapshot transport). */
  parts = 0;
  /** The final chunk arrived (chunk transport only). */
  finished = false;
  finishReason: string | undefined;
  private nextSequence = 0;

  constructor(private readonly session: AeadV1Session) {}

  /** The next chunk of the stream: its delta (possibly '' on the final chunk); throws StreamBrokenError. */
  acceptChunk(chunk: WireChunk): string {
    if (this.finished) throw new StreamBrokenError('stream_not_authentic', 'a chunk after the final one');
    if (chunk.sequence !== this.nextSequence) throw new StreamBrokenError('stream_not_authentic', `chunk ${chunk.sequence} where ${this.nextSequence} was next`);
    let opened: StreamChunkPlaintext | null;
    try {
      const plaintext = openAeadStreamChunk(
        this.session,
        { sequence: this.nextSequence, final: chunk.final === true },
        { ciphertext: chunk.ciphertext, cipherkey: AEAD_V1_NODE_CIPHERKEY, iv: chunk.iv },
      );
      opened = parseStreamChunkPlaintext(parseJsonPlaintext(plaintext), chunk.final === true);
    } catch {
      opened = null;
    }
    if (!opened) throw new StreamBrokenError('stream_not_authentic', `chunk ${chunk.sequence} did not open or broke §11.2`);
    this.nextSequence++;
    this.parts++;
    this.text += opened.delta;
    if (chunk.final) {
      this.finished = true;
      this.finishReason = opened.finish_reason;
    }
    return opened.delta;
  }

  /**
   * §11.7: the authenticated answer arrived before the reader had every chunk (the relay drops
   * unread chunks when it delivers the answer): the answer must begin with the text streamed so
   * far, and its rest is the last delta. Throws StreamBrokenError when it does not.
   */
  acceptAnswerRest(content: string): string {
    if (!content.startsWith(this.text)) throw new StreamBrokenError('stream_not_authentic', 'the answer does not begin with the streamed text');
    const rest = content.slice(this.text.length);
    this.text = content;
    this.finished = true;
    return rest;
  }

  /** §11.6: the new text of a snapshot that extends the text so far; null when it does not (ignored). */
  acceptSnapshot(text: string): string | null {
    if (text.length <= this.text.length || !text.startsWith(this.text)) return null;
    const delta = text.slice(this.text.length);
    this.text = text;
    this.parts++;
    return delta;
  }
}
