// The node's side of a chunk stream (docs/protocol.md §11.3): answer text in, sealed chunks out to
// `POST /api/v1/relay/stream/append`, coalesced — the first delta at once, then at most one append
// per 20 ms, 4 KiB of buffered text at once, text over 16 KiB split — with one append in flight,
// the same chunks again after a 429, a bounded own buffer that holds the provider back, and the
// give-up rules. Sealing is synchronous; nothing waits on a timer before the first append.
import { STREAM_LIMITS, type StreamChunkPlaintext, type StreamWireChunk } from '../../src-shared/protocol/stream';
import type { AppendOutcome } from './relay-api';
import { halve, splitUtf8 } from './stream-text';

export type ChunkSender = (chunks: StreamWireChunk[], signal: AbortSignal) => Promise<AppendOutcome>;
export type ChunkSealer = (sequence: number, final: boolean, plaintext: StreamChunkPlaintext) => StreamWireChunk;

export interface StreamEnd {
  finishReason: string;
  usage?: StreamChunkPlaintext['usage'];
}

export interface ChunkPublisherOptions {
  send: ChunkSender;
  seal: ChunkSealer;
  /** When the request's time is up (same clock as `now`): unreachable past it means give up. */
  deadlineAt: number;
  /** A 410: generation stops as a cancellation does (§6.3). */
  onGone(): void;
  now(): number;
  /** Back-off after an unreachable relay: first and largest delay. */
  retryMinMs?: number;
  retryMaxMs?: number;
  limits?: Partial<PublisherLimits>;
}

/** The §11.3/§11.4 bounds the publisher keeps (tests lower some). */
type PublisherLimits = Record<
  'minAppendIntervalMs' | 'flushTextBytes' | 'bufferMaxBytes' | 'maxChunkTextBytes' | 'maxChunkCiphertextChars' | 'maxChunksPerAppend' | 'maxAppendBodyBytes',
  number
>;

type State = 'open' | 'done' | 'gave-up' | 'stopped';

/** Room kept in an append body for its keys, credential and request id (§11.4), and per chunk for its JSON. */
const BODY_OVERHEAD_BYTES = 65_536;
const CHUNK_OVERHEAD_BYTES = 96;

export class ChunkPublisher {
  private readonly limits: PublisherLimits;
  private state: State = 'open';
  private text = '';
  private textBytes = 0;
  /** Sealed and not yet accepted, in sequence order; an append sends a prefix of them. */
  private sealed: StreamWireChunk[] = [];
  private sealedChars = 0;
  private nextSequence = 0;
  private end: (StreamEnd & { emptyFinal: boolean }) | null = null;
  private finalSealed = false;
  private sending = false;
  private appends = 0;
  private busy = 0;
  private lastAppendAt = Number.NEGATIVE_INFINITY;
  private retryAt = 0;
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new AbortController();
  private drainWaiters: (() => void)[] = [];
  private endWaiters: (() => void)[] = [];

  constructor(private readonly opts: ChunkPublisherOptions) {
    this.limits = { ...STREAM_LIMITS, ...opts.limits };
  }

  /** Whether the stream has begun: text went (or waits to go) out as chunk 0 onwards. */
  get started(): boolean {
    return this.nextSequence > 0 || this.text.length > 0;
  }

  /** Appends made so far, and how many of them the relay refused as busy (429), for reports. */
  get appendCount(): number {
    return this.appends;
  }
  get busyCount(): number {
    return this.busy;
  }

  /** Chunks the relay accepted as the final one's predecessors and the final one. */
  get finished(): boolean {
    return this.state === 'done';
  }

  /** Answer text; a returned promise means the own buffer is full: wait for it (back-pressure). */
  push(text: string): void | Promise<void> {
    if (this.state !== 'open' || this.end || text.length === 0) return;
    this.text += text;
    this.textBytes += Buffer.byteLength(text, 'utf8');
    this.pump();
    if (this.buffered() < this.limits.bufferMaxBytes) return;
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** The provider finished: what is buffered goes with the final chunk; resolves once the relay has it or the stream ended otherwise. */
  finish(end: StreamEnd): Promise<void> {
    return this.close({ ...end, emptyFinal: false });
  }

  /** The provider failed after the stream began (§11.8): the buffered text, then a final chunk with an empty delta and `error`. */
  fail(): Promise<void> {
    return this.close({ finishReason: 'error', emptyFinal: true });
  }

  /** Cancel, expiry, node stop: nothing more is appended; a waiting provider is let go. */
  stop(): void {
    if (this.state === 'open') this.state = 'stopped';
    this.inFlight.abort();
    this.settle();
  }

  private close(end: StreamEnd & { emptyFinal: boolean }): Promise<void> {
    if (this.state !== 'open') return Promise.resolve();
    if (!this.started) {
      // Nothing went out: no stream at all, the answer arrives whole (§11.7).
      this.state = 'done';
      this.settle();
      return Promise.resolve();
    }
    this.end ??= end;
    const ended = new Promise<void>((resolve) => this.endWaiters.push(resolve));
    this.pump();
    return ended;
  }

  private buffered(): number {
    return this.textBytes + this.sealedChars;
  }

  private pump(): void {
    if (this.state !== 'open' || this.sending) return;
    if (this.sealed.length === 0 && this.text.length === 0 && (!this.end || this.finalSealed)) return;
    const now = this.opts.now();
    const urgent = this.appends === 0 || this.end !== null || this.textBytes >= this.limits.flushTextBytes;
    const due = Math.max(urgent ? 0 : this.lastAppendAt + this.limits.minAppendIntervalMs, this.retryAt);
    if (due > now) {
      if (!this.timer) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump();
        }, due - now);
      }
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.appendNext();
  }

  /** Seals the buffered text (and the final chunk once the provider finished) behind what is already sealed. */
  private sealBuffered(): void {
    if (this.sealed.length > 0) return; // a refused append is repeated with the same chunks
    const pieces = this.text.length > 0 ? splitUtf8(this.text, this.limits.maxChunkTextBytes) : [];
    this.text = '';
    this.textBytes = 0;
    const end = this.end;
    const finalDelta = end && !end.emptyFinal && pieces.length > 0 ? pieces.pop()! : '';
    for (const piece of pieces) this.sealPiece(piece, null);
    if (end && !this.finalSealed) {
      this.sealPiece(finalDelta, end);
      this.finalSealed = true;
    }
  }

  /** One chunk, or more when its ciphertext came out longer than a chunk may be (JSON escapes). */
  private sealPiece(delta: string, end: StreamEnd | null): void {
    const plaintext: StreamChunkPlaintext = end
      ? { delta, finish_reason: end.finishReason, ...(end.usage ? { usage: end.usage } : {}) }
      : { delta };
    const chunk = this.opts.seal(this.nextSequence, end !== null, plaintext);
    if (chunk.ciphertext.length > this.limits.maxChunkCiphertextChars && delta.length > 1) {
      const [head, tail] = halve(delta);
      this.sealPiece(head, null);
      this.sealPiece(tail, end);
      return;
    }
    this.nextSequence += 1;
    this.sealed.push(chunk);
    this.sealedChars += chunk.ciphertext.length;
  }

  /** The longest prefix of the sealed chunks one append body holds (§11.4). */
  private batch(): StreamWireChunk[] {
    const out: StreamWireChunk[] = [];
    let bytes = BODY_OVERHEAD_BYTES;
    for (const chunk of this.sealed) {
      bytes += chunk.ciphertext.length + CHUNK_OVERHEAD_BYTES;
      if (out.length > 0 && (out.length >= this.limits.maxChunksPerAppend || bytes > this.limits.maxAppendBodyBytes)) break;
      out.push(chunk);
    }
    return out;
  }

  private async appendNext(): Promise<void> {
    this.sealBuffered();
    const batch = this.batch();
    if (batch.length === 0) return;
    this.sending = true;
    this.appends += 1;
    this.lastAppendAt = this.opts.now();
    let outcome: AppendOutcome;
    try {
      outcome = await this.opts.send(batch, this.inFlight.signal);
    } catch {
      outcome = { kind: 'unreachable' };
    }
    this.sending = false;
    if (this.state !== 'open') return;
    this.handle(outcome, batch);
    this.settle();
    this.pump();
  }

  private handle(outcome: AppendOutcome, batch: StreamWireChunk[]): void {
    const now = this.opts.now();
    switch (outcome.kind) {
      case 'accepted': {
        this.sealed.splice(0, batch.length);
        for (const chunk of batch) this.sealedChars -= chunk.ciphertext.length;
        this.failures = 0;
        this.retryAt = 0;
        if (batch.at(-1)!.final) this.state = 'done';
        return;
      }
      case 'busy':
        this.busy += 1;
        this.retryAt = now + Math.max(1, outcome.retryAfterMs);
        if (this.retryAt > this.opts.deadlineAt) this.giveUp();
        return;
      case 'unreachable': {
        const delay = Math.min(this.opts.retryMaxMs ?? 1000, (this.opts.retryMinMs ?? 50) * 2 ** this.failures);
        this.failures += 1;
        this.retryAt = now + delay;
        if (this.retryAt > this.opts.deadlineAt) this.giveUp();
        return;
      }
      case 'refused':
        this.giveUp();
        return;
      case 'gone':
        this.state = 'stopped';
        this.opts.onGone();
        return;
    }
  }

  /** Stops appending for this request; the answer still carries the whole text (§11.3). */
  private giveUp(): void {
    this.state = 'gave-up';
    this.text = '';
    this.textBytes = 0;
    this.sealed = [];
    this.sealedChars = 0;
  }

  /** Lets a waiting provider go on once there is room, and `finish` return once the stream ended. */
  private settle(): void {
    if (this.state !== 'open' || this.buffered() < this.limits.bufferMaxBytes) {
      for (const resolve of this.drainWaiters.splice(0)) resolve();
    }
    if (this.state !== 'open') {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      for (const resolve of this.endWaiters.splice(0)) resolve();
    }
  }
}
