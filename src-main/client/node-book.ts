// The node keys of one server (docs/client.md "Node keys and trust"): which keys it offered and
// answered with, which of them the user trusts there, and the server's trust policy. Node keys are
// not authenticated by anyone (§1.9.5), so trust is the user's statement — taken on first use,
// confirmed when asked, or waived for networks of many nodes — and it is checked before a prompt
// is encrypted to a key, never after.
import type { TrustPolicy, TrustSource } from '../../src-shared/vocabulary';
import type { KnownNode, NodeBook } from './profiles-schema';

export const MAX_KNOWN_NODES_PER_SERVER = 256;

/** What the server's book says about an offered key, before anything is sent to it. */
export type TrustVerdict =
  /** Trusted on this server (recorded), or the policy takes any node. */
  | { kind: 'trusted'; source: TrustSource | 'any-node' }
  /** No key is trusted on this server yet: this one is trusted on first use. */
  | { kind: 'first-use' }
  /** Policy `ask`: the user must confirm this key before anything is sent. */
  | { kind: 'ask'; trusted: string[] }
  /** Policy `trusted-only`: refused without asking. */
  | { kind: 'refuse'; trusted: string[] };

export function emptyNodeBook(): NodeBook {
  return { policy: 'ask', known: [] };
}

/** Fingerprints trusted on this server, most recently seen first. */
export function trustedFingerprints(book: NodeBook): string[] {
  return book.known.filter((n) => n.trusted !== null).map((n) => n.fingerprint);
}

export function judgeNode(book: NodeBook, fingerprint: string): TrustVerdict {
  if (book.policy === 'any-node') return { kind: 'trusted', source: 'any-node' };
  const known = book.known.find((n) => n.fingerprint === fingerprint);
  if (known?.trusted) return { kind: 'trusted', source: known.trusted };
  const trusted = trustedFingerprints(book);
  if (trusted.length === 0) return { kind: 'first-use' };
  return book.policy === 'trusted-only' ? { kind: 'refuse', trusted } : { kind: 'ask', trusted };
}

/** Trusts `fingerprint` on this server (first use, or the user confirmed it). */
export function trustNode(book: NodeBook, fingerprint: string, source: TrustSource, now: number): NodeBook {
  return upsert(book, fingerprint, now, (n) => ({ ...n, trusted: source === 'confirmed' ? 'confirmed' : (n.trusted ?? source) }));
}

/** The key stays known, but is no longer trusted here. */
export function untrustNode(book: NodeBook, fingerprint: string): NodeBook {
  return { ...book, known: book.known.map((n) => (n.fingerprint === fingerprint ? { ...n, trusted: null } : n)) };
}

export function withPolicy(book: NodeBook, policy: TrustPolicy): NodeBook {
  return { ...book, policy };
}

/** Whether `fingerprint` is known on this server to speak aead-v1 (§10.6). */
export function speaksAead(book: NodeBook, fingerprint: string): boolean {
  return book.known.some((n) => n.fingerprint === fingerprint && n.e2eeProfiles.includes('aead-v1'));
}

/** `fingerprint` spoke or advertised aead-v1: from now on only aead-v1 to and from it (no downgrade). */
export function learnAead(book: NodeBook, fingerprint: string, now: number): NodeBook {
  return upsert(book, fingerprint, now, (n) => (n.e2eeProfiles.includes('aead-v1') ? n : { ...n, e2eeProfiles: [...n.e2eeProfiles, 'aead-v1'] }));
}

/** Returns a new book with `fingerprint` recorded as having answered at `now`. */
export function recordAnswer(book: NodeBook, fingerprint: string, now: number): NodeBook {
  return upsert(book, fingerprint, now, (n) => ({ ...n, answers: n.answers + 1 }));
}

/** `fingerprint` moved to the front (seen at `now`), changed by `change`; the list stays bounded. */
function upsert(book: NodeBook, fingerprint: string, now: number, change: (n: KnownNode) => KnownNode): NodeBook {
  const existing = book.known.find((n) => n.fingerprint === fingerprint);
  const base: KnownNode = existing ?? { fingerprint, firstSeenAt: now, lastSeenAt: now, answers: 0, trusted: null, e2eeProfiles: [] };
  const updated = change({ ...base, lastSeenAt: now });
  const others = book.known.filter((n) => n.fingerprint !== fingerprint).sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  const known = [updated, ...others];
  while (known.length > MAX_KNOWN_NODES_PER_SERVER) {
    // Untrusted keys go first, least recently seen first; the key just recorded stays.
    const untrusted = known.findLastIndex((n, i) => i > 0 && n.trusted === null);
    known.splice(untrusted > 0 ? untrusted : known.length - 1, 1);
  }
  return { ...book, known };
}
