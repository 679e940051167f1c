// Probes for the uniform-decryption tests: how many PKCS#1 v1.5 decryptions node-forge runs on
// *this* thread, and how often the event loop turns while a promise is pending.
import forge from 'node-forge';
import { vi } from 'vitest';

/**
 * Counts node-forge PKCS#1 v1.5 private decryptions on this thread from now on. It sees keys
 * that forge parses after the call (rsa-unwrap caches parsed keys), so use a fresh key pair.
 */
export function countForgeV15Decrypts(): { count(): number; restore(): void } {
  let calls = 0;
  const original = forge.pki.privateKeyFromPem;
  const spy = vi.spyOn(forge.pki, 'privateKeyFromPem').mockImplementation((pem) => {
    const key = original(pem) as forge.pki.rsa.PrivateKey;
    const decrypt = key.decrypt.bind(key);
    key.decrypt = (data, scheme, schemeOptions) => {
      if (scheme === 'RSAES-PKCS1-V1_5') calls += 1;
      return decrypt(data, scheme, schemeOptions);
    };
    return key;
  });
  return { count: () => calls, restore: () => spy.mockRestore() };
}

/** Event-loop turns (setImmediate hops) that run before `pending` settles. */
export async function loopTurnsWhile<T>(pending: Promise<T> | T): Promise<{ turns: number; value: T }> {
  let turns = 0;
  let settled = false;
  const spin = () => {
    if (settled) return;
    turns += 1;
    setImmediate(spin);
  };
  setImmediate(spin);
  try {
    const value = await pending;
    return { turns, value };
  } finally {
    settled = true;
  }
}
