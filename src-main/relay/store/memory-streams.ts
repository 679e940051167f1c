// The in-memory stream buffers of §11.9: per request a small position and its unread chunks (the
// serialised wire chunks, oldest first), plus the characters all streams hold. Each method runs
// synchronously, so an append or a read is atomic in Node's single thread, and costs what it
// adds or drops, never a rewrite of the whole buffer.
import { EMPTY_STREAM, type StreamAppend, type StreamAppendOutcome, type StreamPosition, type StreamSlice } from './state-store';

interface MemoryStream {
  epoch: number;
  next: number;
  final: boolean;
  /** Unread chunks: `chunks[i]` has sequence `next - chunks.length + i`. */
  chunks: string[];
  sizes: number[];
  bytes: number;
  expiresAt: number;
}

export class MemoryStreams {
  private readonly streams = new Map<string, MemoryStream>();
  private total = 0;

  constructor(private readonly now: () => number) {}

  /** Streams held, and those of them holding unread chunks. */
  counts(): { streams: number; withChunks: number } {
    let withChunks = 0;
    for (const s of this.streams.values()) if (s.chunks.length > 0) withChunks++;
    return { streams: this.streams.size, withChunks };
  }

  get bufferedBytes(): number {
    return this.total;
  }

  /** The caller has checked the guard record (same synchronous step). */
  append(a: StreamAppend): StreamAppendOutcome {
    let s = this.live(a.stream);
    if (s && s.epoch !== a.epoch) {
      this.remove(a.stream, s);
      s = undefined;
    }
    const position = s ? positionOf(s) : { ...EMPTY_STREAM };
    // §11.4: chunks the stream already has are a retry of an accepted append: skipped.
    const skip = Math.max(0, position.next - a.firstSequence);
    if (skip >= a.chunks.length) return { kind: 'appended', stored: 0, position };
    if (a.firstSequence + skip !== position.next || position.final) return { kind: 'sequence', position };
    let adding = 0;
    for (let i = skip; i < a.sizes.length; i++) adding += a.sizes[i]!;
    if (position.bufferedChunks + a.chunks.length - skip > a.maxChunks || position.bufferedBytes + adding > a.maxBytes)
      return { kind: 'full', scope: 'request', position };
    if (this.total + adding > a.totalMaxBytes) return { kind: 'full', scope: 'relay', position };
    if (!s) {
      s = { epoch: a.epoch, next: 0, final: false, chunks: [], sizes: [], bytes: 0, expiresAt: Infinity };
      this.streams.set(a.stream, s);
    }
    for (let i = skip; i < a.chunks.length; i++) {
      s.chunks.push(a.chunks[i]!);
      s.sizes.push(a.sizes[i]!);
    }
    s.next = a.firstSequence + a.chunks.length;
    s.final = a.finalLast;
    s.bytes += adding;
    this.total += adding;
    s.expiresAt = this.now() + a.ttlMs;
    return { kind: 'appended', stored: a.chunks.length - skip, position: positionOf(s) };
  }

  read(stream: string, after: number, max: number): StreamSlice {
    const s = this.live(stream);
    if (!s) return { epoch: null, position: { ...EMPTY_STREAM }, chunks: [] };
    const first = s.next - s.chunks.length;
    const acknowledged = Math.min(s.chunks.length, Math.max(0, after + 1 - first));
    if (acknowledged > 0) {
      s.chunks.splice(0, acknowledged);
      let freed = 0;
      for (const size of s.sizes.splice(0, acknowledged)) freed += size;
      s.bytes -= freed;
      this.total -= freed;
    }
    return { epoch: s.epoch, position: positionOf(s), chunks: s.chunks.slice(0, max) };
  }

  position(stream: string): Omit<StreamSlice, 'chunks'> {
    const s = this.live(stream);
    return s ? { epoch: s.epoch, position: positionOf(s) } : { epoch: null, position: { ...EMPTY_STREAM } };
  }

  /** §11.9: the unread chunks go; the position stays (for readers of the ended request) for `ttlMs`. */
  drop(stream: string, ttlMs: number): void {
    const s = this.live(stream);
    if (!s) return;
    this.total -= s.bytes;
    s.chunks = [];
    s.sizes = [];
    s.bytes = 0;
    s.expiresAt = this.now() + ttlMs;
  }

  purgeExpired(nowMs: number): void {
    for (const [key, s] of this.streams) if (s.expiresAt <= nowMs) this.remove(key, s);
  }

  clear(): void {
    this.streams.clear();
    this.total = 0;
  }

  private live(stream: string): MemoryStream | undefined {
    const s = this.streams.get(stream);
    if (s && s.expiresAt <= this.now()) {
      this.remove(stream, s);
      return undefined;
    }
    return s;
  }

  private remove(stream: string, s: MemoryStream): void {
    this.total -= s.bytes;
    this.streams.delete(stream);
  }
}

function positionOf(s: MemoryStream): StreamPosition {
  return { next: s.next, final: s.final, bufferedChunks: s.chunks.length, bufferedBytes: s.bytes };
}
