// Node key fingerprints per server. Node keys are ephemeral (§1.1) and nothing authenticates them
// (§1.9.5), so a pin is the user's statement "I trust the node with this key"; a different key
// from the same server is reported, and in `require` mode refused before any prompt is sent.
import type { PinMode } from '../../src-shared/vocabulary';
import type { KnownNode, NodeBook } from './profiles-schema';

export const MAX_KNOWN_NODES_PER_SERVER = 50;

export type PinStatus = 'unpinned' | 'match' | 'changed';

export interface PinCheck {
  status: PinStatus;
  pinnedFingerprint: string | null;
  mode: PinMode;
  /** true when this fingerprint was never seen on this server before */
  firstSeen: boolean;
}

export function emptyNodeBook(): NodeBook {
  return { pinned: null, pinMode: 'warn', known: [] };
}

export function checkPin(book: NodeBook, fingerprint: string): PinCheck {
  const status: PinStatus = book.pinned === null ? 'unpinned' : book.pinned === fingerprint ? 'match' : 'changed';
  return {
    status,
    pinnedFingerprint: book.pinned,
    mode: book.pinMode,
    firstSeen: !book.known.some((n) => n.fingerprint === fingerprint),
  };
}

/** Returns a new book with `fingerprint` recorded as having answered at `now`. */
export function recordAnswer(book: NodeBook, fingerprint: string, now: number): NodeBook {
  const existing = book.known.find((n) => n.fingerprint === fingerprint);
  const updated: KnownNode = existing
    ? { ...existing, lastSeenAt: now, answers: existing.answers + 1 }
    : { fingerprint, firstSeenAt: now, lastSeenAt: now, answers: 1 };
  const others = book.known.filter((n) => n.fingerprint !== fingerprint);
  // Most recent first; the pinned entry is never evicted.
  const known = [updated, ...others.sort((a, b) => b.lastSeenAt - a.lastSeenAt)];
  while (known.length > MAX_KNOWN_NODES_PER_SERVER) {
    const victim = known.findLastIndex((n) => n.fingerprint !== book.pinned);
    if (victim < 0) break;
    known.splice(victim, 1);
  }
  return { ...book, known };
}

export function pin(book: NodeBook, fingerprint: string, mode: PinMode): NodeBook {
  return { ...book, pinned: fingerprint, pinMode: mode };
}

export function unpin(book: NodeBook): NodeBook {
  return { ...book, pinned: null, pinMode: 'warn' };
}
