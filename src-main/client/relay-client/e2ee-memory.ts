// Which node keys speak aead-v1 (docs/protocol.md §10.6), remembered per key fingerprint: once a
// key is known to speak it (it answered under aead-v1, or advertised it inside the encrypted
// channel), every later request to that key is aead-v1 and CBC from or to it is refused (no
// downgrade). The ChatService keeps this with each server's known nodes; a bare RelayClient
// keeps it in memory for its own lifetime.
export interface E2eeMemory {
  speaksAead(fingerprint: string): boolean;
  /** Called once the key has spoken aead-v1 or advertised it. */
  learnAead(fingerprint: string): void;
}

/** Keys remembered for the lifetime of one RelayClient, at most `limit` (oldest forgotten first). */
export class MemoryE2eeMemory implements E2eeMemory {
  private readonly keys = new Set<string>();

  constructor(private readonly limit = 4096) {}

  speaksAead(fingerprint: string): boolean {
    return this.keys.has(fingerprint);
  }

  learnAead(fingerprint: string): void {
    this.keys.delete(fingerprint);
    this.keys.add(fingerprint);
    while (this.keys.size > this.limit) this.keys.delete(this.keys.values().next().value as string);
  }
}

/** The request's own memory when it has one, and always the client's (a key learnt stays learnt). */
export function bothMemories(own: E2eeMemory | undefined, client: E2eeMemory): E2eeMemory {
  if (!own) return client;
  return {
    speaksAead: (fp) => own.speaksAead(fp) || client.speaksAead(fp),
    learnAead: (fp) => {
      client.learnAead(fp);
      own.learnAead(fp);
    },
  };
}
