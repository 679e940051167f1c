// Where a growing answer can be cut in two for rendering (§11.7 in the window): everything before
// the last blank line that is outside a code fence no longer changes as text arrives, so it is
// parsed once; only the tail after it is parsed again on each frame.

const FENCE = /^ {0,3}(```|~~~)/;

/** Index where the still-growing tail of `text` starts (0: the whole text is the tail). */
export function stableCut(text: string): number {
  let cut = 0;
  let inFence = false;
  let lineStart = 0;
  let previousBlank = false;
  while (lineStart <= text.length) {
    const end = text.indexOf('\n', lineStart);
    const lineEnd = end === -1 ? text.length : end;
    const line = text.slice(lineStart, lineEnd);
    if (end === -1) break; // the last line may still grow: never cut after it
    if (FENCE.test(line)) inFence = !inFence;
    const blank = line.trim() === '';
    // A cut after a blank line that follows text, outside a fence, where the next line does not
    // indent (an indented line may continue a list item across the blank line).
    if (!inFence && blank && !previousBlank) {
      const next = text.slice(end + 1, end + 2);
      if (next !== ' ' && next !== '\t') cut = end + 1;
    }
    previousBlank = blank;
    lineStart = end + 1;
  }
  return cut;
}
