// Key pairs for a compute node that starts with a stored pair (its identity across restarts,
// docs/protocol.md §6.5) and whose rotations someone saves: ComputeNodeConfig.generateKeyPair
// hands out the stored pair first, fresh ones after, and remembers those until a 'rotated' event
// names the one the node switched to.
import { generateRsaKeyPair, keyFingerprint, type RsaKeyPair } from '../crypto';

export interface NodeKeySource {
  /** For ComputeNodeConfig.generateKeyPair. */
  generateKeyPair(): Promise<RsaKeyPair>;
  /** The fresh pair with this fingerprint (a 'rotated' event's), once; the others are dropped. */
  rotatedTo(fingerprint: string): RsaKeyPair | undefined;
}

export function keySourceStartingWith(initial: RsaKeyPair, generate: () => Promise<RsaKeyPair> = generateRsaKeyPair): NodeKeySource {
  let first: RsaKeyPair | undefined = initial;
  const fresh = new Map<string, RsaKeyPair>();
  return {
    async generateKeyPair() {
      if (first) {
        const pair = first;
        first = undefined;
        return pair;
      }
      const pair = await generate();
      fresh.set(keyFingerprint(pair.publicKeyPem), pair);
      return pair;
    },
    rotatedTo(fingerprint) {
      const pair = fresh.get(fingerprint);
      fresh.clear();
      return pair;
    },
  };
}
