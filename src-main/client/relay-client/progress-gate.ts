// §2.3.4 progress costs the client a decryption each (an RSA private-key operation on the
// reference profile), and which envelopes arrive is the relay's choice. So per attempt the client
// opens at most a burst of PROGRESS_BURST, refilled at PROGRESS_PER_SECOND, PROGRESS_MAX_OPENS in
// all, and never the same envelope twice in a row; everything else is ignored like progress that
// fails to open (no reaction, §2.3.4). Our node sends about one update a second (§2.4.8).
import type { EncryptedProgress } from '../../../src-shared/protocol/relay-http';

export const PROGRESS_BURST = 8;
export const PROGRESS_PER_SECOND = 2;
export const PROGRESS_MAX_OPENS = 1024;

export class ProgressGate {
  private tokens = PROGRESS_BURST;
  private refilledAt = performance.now();
  private opens = 0;
  private last: string | undefined;

  /** Whether to open `env`; counts it when so. */
  admit(env: EncryptedProgress): boolean {
    const key = `${env.cipherkey}.${env.iv}.${env.ciphertext}`;
    if (key === this.last) return false;
    this.last = key;
    const now = performance.now();
    this.tokens = Math.min(PROGRESS_BURST, this.tokens + ((now - this.refilledAt) / 1000) * PROGRESS_PER_SECOND);
    this.refilledAt = now;
    if (this.tokens < 1 || this.opens >= PROGRESS_MAX_OPENS) return false;
    this.tokens -= 1;
    this.opens += 1;
    return true;
  }
}
