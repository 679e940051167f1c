// The streamed text of an answer after one ChatDelta (docs/protocol.md §11.7): a chunk's text
// follows what came before; a snapshot (§11.6) replaces it, and the relay client hands out only
// snapshots that extend the text so far, so what was added is always the tail.
import type { ChatDelta } from './types';

export function textAfterDelta(shown: string, d: ChatDelta): { text: string; added: string } {
  const text = d.snapshot ? d.text : shown + d.text;
  return { text, added: text.startsWith(shown) ? text.slice(shown.length) : text };
}
