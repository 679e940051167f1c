// Find in the open conversation: where a query occurs in the messages' text (case-insensitive),
// as a flat list of matches (message, occurrence), and the same occurrences located in rendered
// text so they can be highlighted. Counting works on the stored text (an answer's Markdown with
// its syntax taken out, as it reads on screen), so a virtualised list — only rows near the
// viewport exist in the DOM — still gets a complete "n of m".
import type { Message } from '../../../src-shared/ipc/contract';

export interface FindMatch {
  messageId: string;
  /** Which occurrence inside that message (0-based). */
  occurrence: number;
}

/** The longest query searched for; longer text cannot be a useful search. */
export const MAX_FIND_QUERY = 500;

/** Lower case with every offset kept: a character whose lower case is longer (e.g. "İ") stays as it is. */
function fold(text: string): string {
  const lower = text.toLocaleLowerCase();
  if (lower.length === text.length) return lower;
  let kept = '';
  for (const c of text) {
    const l = c.toLocaleLowerCase();
    kept += l.length === c.length ? l : c;
  }
  return kept;
}

/** Start offsets of every non-overlapping occurrence of `needle` (already folded) in `haystack`. */
export function occurrences(haystack: string, needle: string): number[] {
  if (!needle) return [];
  const text = fold(haystack);
  const found: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) found.push(at);
  return found;
}

/** Markdown outside code blocks as it reads: emphasis, link targets, heading, quote, list and table syntax taken out. */
function proseText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1')
    .replace(/<(https?:[^>\s]+)>/g, '$1')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/(\*\*|~~|\*)(?=\S)([^\n]*?\S)\1/g, '$2')
    .replace(/(?<!\w)(__|_)(?=\S)([^\n]*?\S)\1(?!\w)/g, '$2')
    .replace(/^ {0,3}(#{1,6} |> ?|[-*+] (\[[ xX]\] )?|\d+[.)] )/gm, '')
    .replace(/^\|?( *:?-+:? *\|)+ *:?-*:? *$/gm, '')
    .replace(/ *\| */g, ' ')
    .replace(/\\([\\`*_{}[\]()#+\-.!|~<>])/g, '$1');
}

/**
 * An answer's Markdown as it reads once rendered: a fast approximation (no parse), good for
 * counting. Fence lines go; what is between them (code) stays as it is.
 */
export function visibleText(markdown: string): string {
  return markdown
    .split(/^ {0,3}(?:```|~~~).*$/m)
    .map((part, i) => (i % 2 === 1 ? part : proseText(part)))
    .join('');
}

const shown = new Map<string, string>();
const SHOWN_LIMIT = 5000;

/** The text a message shows: a user's as typed, an answer's Markdown as rendered (cached). */
function textOf(m: Message): string {
  if (m.role === 'user') return m.content;
  let text = shown.get(m.content);
  if (text === undefined) {
    text = visibleText(m.content);
    if (shown.size >= SHOWN_LIMIT) shown.delete(shown.keys().next().value as string);
    shown.set(m.content, text);
  }
  return text;
}

export function findMatches(messages: readonly Message[], query: string): FindMatch[] {
  const needle = fold(query.trim()).slice(0, MAX_FIND_QUERY);
  if (!needle) return [];
  const matches: FindMatch[] = [];
  for (const m of messages) {
    const count = occurrences(textOf(m), needle).length;
    for (let occurrence = 0; occurrence < count; occurrence++) matches.push({ messageId: m.id, occurrence });
  }
  return matches;
}

const NOT_MESSAGE_TEXT = 'button, [aria-hidden="true"], .visually-hidden';

/** One stretch of matched text across one or more text nodes. */
export interface TextSpan {
  startNode: Text;
  startOffset: number;
  endNode: Text;
  endOffset: number;
}

/** Where `query` occurs in the text nodes under `root`, also when a match crosses node boundaries (bold, links). */
export function textSpans(root: Node, query: string): TextSpan[] {
  const needle = fold(query.trim()).slice(0, MAX_FIND_QUERY);
  if (!needle) return [];
  const nodes: { node: Text; start: number }[] = [];
  let text = '';
  // Words the page adds around the text (a code block's copy button, hidden labels) are not searched.
  const walker = root.ownerDocument!.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement?.closest(NOT_MESSAGE_TEXT) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    nodes.push({ node: n as Text, start: text.length });
    text += (n as Text).data;
  }
  const locate = (offset: number, end: boolean) => {
    let i = nodes.length - 1;
    while (i > 0 && (end ? nodes[i]!.start >= offset : nodes[i]!.start > offset)) i--;
    return { node: nodes[i]!.node, offset: offset - nodes[i]!.start };
  };
  return occurrences(text, needle).map((at) => {
    const start = locate(at, false);
    const end = locate(at + needle.length, true);
    return { startNode: start.node, startOffset: start.offset, endNode: end.node, endOffset: end.offset };
  });
}
