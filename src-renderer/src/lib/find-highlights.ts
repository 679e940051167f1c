// Paints find matches in the rendered messages with the CSS Custom Highlight API
// (`::highlight(find-match)`, `::highlight(find-current)` in styles/find.css): no element is
// added to React's DOM, so the message rows stay untouched. Rows of a virtualised list come and
// go while scrolling; the caller paints again when they do.
import { textSpans, type FindMatch } from './find-matches';

export const MATCH_HIGHLIGHT = 'find-match';
export const CURRENT_HIGHLIGHT = 'find-current';
/** Where a message's own text is rendered (not its buttons or answer facts). */
const MESSAGE_TEXT = '.msg__text, .markdown';

export function canHighlight(): boolean {
  return typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight === 'function';
}

/** Highlights every match under `list`; returns the current match's range when its row is rendered. */
export function paintMatches(list: HTMLElement, query: string, current: FindMatch | undefined): Range | undefined {
  if (!canHighlight()) return undefined;
  const all = new Highlight();
  const mark = new Highlight();
  let currentRange: Range | undefined;
  for (const row of list.querySelectorAll<HTMLElement>('[data-message-id]')) {
    const spans = [...row.querySelectorAll(MESSAGE_TEXT)].flatMap((el) => textSpans(el, query));
    const isCurrent = current?.messageId === row.dataset.messageId;
    // The stored text may hold more occurrences than the rendered (e.g. inside a link's address).
    const currentAt = isCurrent && current ? Math.min(current.occurrence, spans.length - 1) : -1;
    spans.forEach((span, i) => {
      const range = row.ownerDocument.createRange();
      range.setStart(span.startNode, span.startOffset);
      range.setEnd(span.endNode, span.endOffset);
      if (i === currentAt) {
        mark.add(range);
        currentRange = range;
      } else all.add(range);
    });
  }
  CSS.highlights.set(MATCH_HIGHLIGHT, all);
  CSS.highlights.set(CURRENT_HIGHLIGHT, mark);
  return currentRange;
}

export function clearMatches(): void {
  if (!canHighlight()) return;
  CSS.highlights.delete(MATCH_HIGHLIGHT);
  CSS.highlights.delete(CURRENT_HIGHLIGHT);
}
