// RSA decryption of the wrapped session-key text (docs/protocol.md §1.3).
// OAEP-SHA256 goes through node:crypto. PKCS#1 v1.5 private decryption is refused by Node 20
// (CVE-2023-46809, §1.3 "Consequences"), so that one operation uses node-forge; its decoder
// checks 0x00 0x02, >= 8 non-zero PS bytes and the 0x00 separator.
import { constants, privateDecrypt, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { DecryptionError } from './errors';
import type { RsaPadding } from './keys';

const forgeKeys = new WeakMap<KeyObject, forge.pki.rsa.PrivateKey>();

function forgePrivateKey(key: KeyObject): forge.pki.rsa.PrivateKey {
  let forgeKey = forgeKeys.get(key);
  if (!forgeKey) {
    const pkcs1Pem = key.export({ type: 'pkcs1', format: 'pem' }).toString();
    forgeKey = forge.pki.privateKeyFromPem(pkcs1Pem) as forge.pki.rsa.PrivateKey;
    forgeKeys.set(key, forgeKey);
  }
  return forgeKey;
}

function modulusBytes(key: KeyObject): number {
  return Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
}

/**
 * Decrypts one RSA block. The ciphertext must be exactly the modulus length.
 * Every failure throws DecryptionError. `oaepLabel` exists for Wycheproof cases only;
 * token.place always uses the empty label.
 */
export function rsaUnwrap(
  privateKey: KeyObject,
  ciphertext: Uint8Array,
  padding: RsaPadding,
  oaepLabel?: Uint8Array,
): Buffer {
  if (ciphertext.length === 0 || ciphertext.length !== modulusBytes(privateKey)) throw new DecryptionError();
  try {
    if (padding === 'oaep-sha256') {
      return privateDecrypt(
        {
          key: privateKey,
          padding: constants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: 'sha256',
          ...(oaepLabel && oaepLabel.length > 0 ? { oaepLabel } : {}),
        },
        ciphertext,
      );
    }
    const binary = Buffer.from(ciphertext).toString('binary');
    const message = forgePrivateKey(privateKey).decrypt(binary, 'RSAES-PKCS1-V1_5');
    return Buffer.from(message, 'binary');
  } catch {
    throw new DecryptionError();
  }
}

/**
 * Tries every padding in `paddings` on the same block — all of them, whatever the earlier ones
 * gave, so the work does not depend on which (if any) succeeds (§1.9.4). One entry per padding:
 * the unwrapped bytes, or null.
 */
export function rsaUnwrapEach(privateKey: KeyObject, ciphertext: Uint8Array, paddings: readonly RsaPadding[]): (Buffer | null)[] {
  return paddings.map((padding) => {
    try {
      return rsaUnwrap(privateKey, ciphertext, padding);
    } catch {
      return null;
    }
  });
}
