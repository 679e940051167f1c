// The client keys that have spoken aead-v1 to this node (docs/protocol.md §10.6 "no downgrade"):
// once a request from a client key was opened and bound under aead-v1, a reference-CBC request
// under that key is refused before anything is decrypted. Bounded: the oldest keys are forgotten
// first (the client keeps its own rule, so forgetting only removes the node's second line).
import { createHash } from 'node:crypto';

/** How many client keys a node remembers by default. */
export const AEAD_SPEAKERS_LIMIT = 4096;

/** Keys are held as SHA-256 of the trimmed wire key: 32 bytes each, whatever a key's length. */
const digest = (clientKey: string) => createHash('sha256').update(clientKey.trim(), 'utf8').digest('base64');

export class AeadSpeakers {
  private readonly seen = new Map<string, true>();

  constructor(private readonly limit = AEAD_SPEAKERS_LIMIT) {}

  remember(clientKey: string): void {
    const id = digest(clientKey);
    this.seen.delete(id); // re-insert: the most recent speaker is forgotten last
    this.seen.set(id, true);
    if (this.seen.size > this.limit) this.seen.delete(this.seen.keys().next().value!);
  }

  has(clientKey: string): boolean {
    return this.seen.has(digest(clientKey));
  }

  get size(): number {
    return this.seen.size;
  }
}
