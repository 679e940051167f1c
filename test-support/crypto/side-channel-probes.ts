// Probes for the uniform-decryption tests and benchmark: how many PKCS#1 v1.5 decryptions
// node-forge runs on *this* thread, how often the event loop turns while a promise is pending, and
// an envelope whose wrap opens but whose CBC padding does not.
import forge from 'node-forge';
import { aesCbcEncrypt } from '../../src-main/crypto/aes-cbc';
import type { HybridEnvelope } from '../../src-main/crypto/envelope-encrypt';
import { publicKeyObject } from '../../src-main/crypto/key-objects';
import type { RsaPadding } from '../../src-main/crypto/keys';
import { rsaWrap } from '../../src-main/crypto/rsa-wrap';
import { sessionKeyToText } from '../../src-main/crypto/session-key';

/** A CBC envelope to `publicKeyPem` whose wrap is valid but whose one block does not unpad (PKCS#7). */
export function envelopeWithBadCbcPadding(publicKeyPem: string, padding: RsaPadding = 'oaep-sha256'): HybridEnvelope {
  const key = Buffer.alloc(32, 7);
  const iv = Buffer.alloc(16, 9);
  const block = Buffer.concat([Buffer.from('{"a":1}'), Buffer.alloc(9, 0x20)]); // ends in 0x20: no valid pad
  const ciphertext = aesCbcEncrypt(key, iv, block).subarray(0, 16); // drop the encoder's own pad block
  const cipherkey = rsaWrap(publicKeyObject(publicKeyPem), sessionKeyToText(key), padding).toString('base64');
  return { ciphertext: ciphertext.toString('base64'), cipherkey, iv: iv.toString('base64') };
}

/**
 * Counts node-forge PKCS#1 v1.5 private decryptions on this thread from now on. It sees keys
 * that forge parses after the call (rsa-unwrap caches parsed keys), so use a fresh key pair.
 */
export function countForgeV15Decrypts(): { count(): number; restore(): void } {
  let calls = 0;
  const original = forge.pki.privateKeyFromPem;
  forge.pki.privateKeyFromPem = (pem) => {
    const key = original(pem) as forge.pki.rsa.PrivateKey;
    const decrypt = key.decrypt.bind(key);
    key.decrypt = (data, scheme, schemeOptions) => {
      if (scheme === 'RSAES-PKCS1-V1_5') calls += 1;
      return decrypt(data, scheme, schemeOptions);
    };
    return key;
  };
  return {
    count: () => calls,
    restore: () => {
      forge.pki.privateKeyFromPem = original;
    },
  };
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

/** Forge probes a test file starts one per test and restores together after each test. */
export function forgeProbeSet(): { start(): { count(): number }; restoreAll(): void } {
  const probes: { restore(): void }[] = [];
  return {
    start() {
      const probe = countForgeV15Decrypts();
      probes.push(probe);
      return probe;
    },
    restoreAll() {
      for (const probe of probes.splice(0)) probe.restore();
    },
  };
}
