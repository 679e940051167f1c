// The text of a streamed answer (docs/protocol.md §11.2): what of the provider's output may go out
// as it arrives, and how long text is cut into chunk deltas.
//
// The whole answer passes usableModelOutput (§2.3.1: visible <think>…</think> reasoning is
// stripped or refused), so a stream must never show what that would remove. StreamTextFilter
// holds back a <think> block until it closes (and drops it), a partial tag at the end of what has
// arrived, and trailing white space (a stripped answer is trimmed). What it lets out, joined, is
// the streamed answer's content; whether the answer is usable at all is still usableModelOutput's call.
// A request that keeps reasoning (§2.3.6) lets everything out as it arrives, as usableModelOutput
// keeps it whole: the window shows an open block as "Thinking…".
import { THINK_TAG } from './model-output';

const OPEN_TAG = '<think>';
const CLOSE_TAG = '</think>';

/** Length of the longest end of `text` that begins a think tag (held back until the tag is known). */
function partialTagLength(text: string): number {
  const from = Math.max(0, text.length - CLOSE_TAG.length + 1);
  for (let i = from; i < text.length; i++) {
    if (text[i] !== '<') continue;
    const rest = text.slice(i).toLowerCase();
    if (OPEN_TAG.startsWith(rest) || CLOSE_TAG.startsWith(rest)) return text.length - i;
  }
  return 0;
}

const TRAILING_SPACE = /\s+$/;

export class StreamTextFilter {
  private pending = '';
  private heldSpace = '';
  private inThink = false;
  /** A closing tag without an opening one: the answer is unusable, nothing more goes out. */
  private broken = false;
  private sawTag = false;
  private emitted = '';

  /** `keepReasoning` (§2.3.6): nothing is held back or dropped. */
  constructor(private readonly keepReasoning = false) {}

  /** Everything let out so far. */
  get text(): string {
    return this.emitted;
  }

  /** Takes provider text; returns what may go out now (possibly ''). */
  push(raw: string): string {
    if (this.keepReasoning) {
      this.emitted += raw;
      return raw;
    }
    this.pending += raw;
    return this.drain(false);
  }

  /** The provider finished: returns the rest that may go out. */
  end(): string {
    if (this.keepReasoning) return '';
    return this.drain(true);
  }

  private drain(atEnd: boolean): string {
    let out = '';
    while (!this.broken && this.pending.length > 0) {
      if (this.inThink) {
        const close = this.pending.toLowerCase().indexOf(CLOSE_TAG);
        if (close < 0) {
          // The block's text is dropped anyway; keep only what may begin its closing tag.
          this.pending = this.pending.slice(this.pending.length - partialTagLength(this.pending));
          break;
        }
        this.pending = this.pending.slice(close + CLOSE_TAG.length);
        this.inThink = false;
        continue;
      }
      const tag = THINK_TAG.exec(this.pending);
      if (tag) {
        out += this.pending.slice(0, tag.index);
        this.pending = this.pending.slice(tag.index + tag[0].length);
        this.sawTag = true;
        if (tag[0].length === CLOSE_TAG.length) this.broken = true;
        else this.inThink = true;
        continue;
      }
      const hold = atEnd ? 0 : partialTagLength(this.pending);
      out += this.pending.slice(0, this.pending.length - hold);
      this.pending = this.pending.slice(this.pending.length - hold);
      break;
    }
    return this.release(out, atEnd);
  }

  /** White space waits for the text after it; a stripped answer loses it at both ends. */
  private release(text: string, atEnd: boolean): string {
    let out = this.heldSpace + text;
    if (this.emitted === '' && this.sawTag) out = out.trimStart();
    const space = TRAILING_SPACE.exec(out);
    this.heldSpace = space ? space[0] : '';
    out = space ? out.slice(0, space.index) : out;
    if (atEnd && !this.sawTag) {
      out += this.heldSpace;
      this.heldSpace = '';
    }
    this.emitted += out;
    return out;
  }
}

/** UTF-8 bytes of one UTF-16 code unit run starting at `i` (a lone surrogate counts as U+FFFD, 3). */
function codePointAt(text: string, i: number): { units: number; bytes: number } {
  const c = text.charCodeAt(i);
  if (c < 0x80) return { units: 1, bytes: 1 };
  if (c < 0x800) return { units: 1, bytes: 2 };
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return { units: 2, bytes: 4 };
  }
  return { units: 1, bytes: 3 };
}

/**
 * Cuts text into pieces of at most `maxBytes` UTF-8 bytes, only between code points (never inside
 * a surrogate pair, §11.2). Text that fits is returned as it is.
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return [text];
  const pieces: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; ) {
    const cp = codePointAt(text, i);
    if (bytes + cp.bytes > maxBytes) {
      pieces.push(text.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += cp.bytes;
    i += cp.units;
  }
  if (start < text.length) pieces.push(text.slice(start));
  return pieces;
}

/** Splits text in two halves between code points (a piece whose sealed chunk came out too long). */
export function halve(text: string): [string, string] {
  let mid = Math.floor(text.length / 2);
  const c = text.charCodeAt(mid);
  if (c >= 0xdc00 && c <= 0xdfff && mid > 0) mid -= 1;
  return [text.slice(0, mid), text.slice(mid)];
}
