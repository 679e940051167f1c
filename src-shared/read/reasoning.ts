// Reasoning in an answer (issue 14, Read; docs/protocol.md §2.3.6): a model may think aloud in a
// <think>…</think> block before it answers. Our node keeps the block when our client asks; the
// window shows it collapsed above the answer, Copy takes the answer alone, and the next prompt
// sends the answer without it (reasoning is the model's scratch paper, not the conversation).
const OPEN = '<think>';
const CLOSE = '</think>';

export interface ReasoningSplit {
  /** The reasoning's text (trimmed); null when the answer has none. '' for an empty block. */
  reasoning: string | null;
  /** The block has not closed (yet): the model is still thinking, or stopped while it was. */
  open: boolean;
  /** What follows the block: the answer proper. */
  answer: string;
}

/** Drops an end of `text` that may be the beginning of `tag` (a tag still arriving in a stream). */
function withoutPartialTag(text: string, tag: string): string {
  const lower = text.toLowerCase();
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (tag.startsWith(lower.slice(text.length - n))) return text.slice(0, text.length - n);
  }
  return text;
}

/**
 * Splits an answer into its leading reasoning and the answer: a leading `<think>` block (closed,
 * or still open while it streams); or, when a chat template opened the block itself, the text
 * before a first `</think>` that no `<think>` precedes. Tags elsewhere are the answer's text.
 */
export function splitReasoning(text: string): ReasoningSplit {
  const start = text.length - text.trimStart().length;
  const lower = text.toLowerCase();
  if (lower.startsWith(OPEN, start)) {
    const from = start + OPEN.length;
    const close = lower.indexOf(CLOSE, from);
    if (close < 0) return { reasoning: withoutPartialTag(text.slice(from), CLOSE).trim(), open: true, answer: '' };
    return { reasoning: text.slice(from, close).trim(), open: false, answer: text.slice(close + CLOSE.length).trimStart() };
  }
  const rest = lower.slice(start);
  if (rest.length > 0 && rest.length < OPEN.length && OPEN.startsWith(rest)) return { reasoning: '', open: true, answer: '' };
  const close = lower.indexOf(CLOSE);
  if (close >= 0 && !lower.slice(0, close).includes(OPEN)) {
    return { reasoning: text.slice(0, close).trim(), open: false, answer: text.slice(close + CLOSE.length).trimStart() };
  }
  return { reasoning: null, open: false, answer: text };
}

/** The answer without its reasoning: what Copy takes and what the next prompt sends. */
export function answerWithoutReasoning(text: string): string {
  const split = splitReasoning(text);
  return split.reasoning === null ? text : split.answer;
}
