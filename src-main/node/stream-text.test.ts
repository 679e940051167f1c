// What of a provider's output a stream may show (§11.2, §2.3.1): never a <think> block, not even
// a tag split across deltas; the streamed text is the answer usableModelOutput would send.
import { describe, expect, it } from 'vitest';
import { usableModelOutput } from './model-output';
import { StreamTextFilter, splitUtf8 } from './stream-text';

/** Feeds `deltas` one by one; returns what went out after each, and the whole streamed text. */
function stream(deltas: string[]) {
  const filter = new StreamTextFilter();
  const out = deltas.map((d) => filter.push(d));
  out.push(filter.end());
  return { out, text: out.join(''), filter };
}

/** Every way of cutting `text` into two deltas, plus one character at a time. */
function cuts(text: string): string[][] {
  const ways = [Array.from(text)];
  for (let i = 1; i < text.length; i++) ways.push([text.slice(0, i), text.slice(i)]);
  return ways;
}

describe('StreamTextFilter', () => {
  it('passes plain text through as it comes (white space waits for the word after it)', () => {
    const { out, text } = stream(['Hello', ' wor', 'ld', ' ']);
    expect(out).toEqual(['Hello', ' wor', 'ld', '', ' ']);
    expect(text).toBe('Hello world ');
  });

  it.each([
    '<think>\nplan\n</think>\n\nParis.',
    'Paris <THINK>secret</Think> is the capital.',
    '<think></think>Answer with a < sign and <b>tags</b>.',
    'No tags at all, a < b and <thin ice>.',
  ])('streams exactly what usableModelOutput keeps, however the deltas are cut: %j', (raw) => {
    const expected = usableModelOutput(raw, { thinkOutput: 'strip' });
    for (const deltas of cuts(raw)) {
      const { text, out } = stream(deltas);
      expect(text).toBe(expected);
      expect(out.join('')).not.toMatch(/think|secret|plan/i);
    }
  });

  it('holds back a partial tag until it is known, and an unclosed block for good', () => {
    const filter = new StreamTextFilter();
    expect(filter.push('Hi <thi')).toBe('Hi');
    expect(filter.push('nk>hidden')).toBe('');
    expect(filter.push(' still hidden')).toBe('');
    expect(filter.end()).toBe('');
    expect(usableModelOutput('Hi <think>hidden still hidden', { thinkOutput: 'strip' })).toBeNull();
  });

  it('shows nothing after a closing tag without an opening one (the answer is refused)', () => {
    const { text } = stream(['fine ', 'then </think> leaked', ' more']);
    expect(text).toBe('fine then');
    expect(usableModelOutput('fine then </think> leaked more', { thinkOutput: 'strip' })).toBeNull();
  });
});

describe('splitUtf8', () => {
  it('keeps text that fits whole and cuts longer text between code points', () => {
    expect(splitUtf8('short', 16)).toEqual(['short']);
    const pieces = splitUtf8('a😀b😀c😀', 5);
    expect(pieces.join('')).toBe('a😀b😀c😀');
    for (const p of pieces) expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(5);
    expect(pieces).toEqual(['a😀', 'b😀', 'c😀']);
  });
});
