// Hybrid envelope decryption that costs the same whatever fails (docs/protocol.md §1.9.4), for
// receivers that must accept both wraps (a node serving our clients and browsers, §1.3): both RSA
// unwraps always run, on a worker thread (forge-unwrap-pool.ts), then the symmetric half runs
// with the unwrapped key or, when neither padding opened it, a random one (§1.9.2). Form checks
// (schema, strict base64, sizes) still fail at once: they depend only on what the sender sent.
import type { DecryptOptions } from './envelope-decrypt';
import { checkOptions, openWithKeyText, paddingsOf, readEnvelope } from './envelope-decrypt';
import type { HybridEnvelope } from './envelope-encrypt';
import { parseJsonPlaintext } from './plaintext';
import { DecryptionError } from './errors';
import { sharedUnwrapPool, type RsaUnwrapPool } from './forge-unwrap-pool';
import { privateKeyObject } from './key-objects';
import type { RsaPadding } from './keys';

export interface UniformDecryptOptions extends DecryptOptions {
  /** Worker pool for the unwraps (default: the process-wide one). */
  pool?: RsaUnwrapPool;
}

export interface UniformDecryption {
  plaintext: Buffer;
  /** The wrap that opened the session key (a reply may mirror it, §1.3). */
  padding: RsaPadding;
}

/**
 * decryptEnvelope's contract, asynchronous and uniform: every envelope failure rejects with
 * DecryptionError after the same work; InvalidKeyError for an unusable private key PEM, TypeError
 * for malformed options, UnwrapUnavailableError when the workers cannot take the job (load or
 * shutdown, never the envelope).
 */
export async function decryptEnvelopeUniform(
  env: HybridEnvelope,
  privateKeyPem: string,
  opts: UniformDecryptOptions,
): Promise<UniformDecryption> {
  checkOptions(opts);
  privateKeyObject(privateKeyPem);
  const paddings = paddingsOf(opts.padding);
  let parts;
  try {
    parts = readEnvelope(env, opts);
  } catch {
    throw new DecryptionError();
  }
  const opened = await (opts.pool ?? sharedUnwrapPool()).unwrap(privateKeyPem, parts.wrapped, paddings);
  const index = opened.findIndex((text) => text !== null);
  try {
    const plaintext = openWithKeyText(parts, index < 0 ? null : opened[index]!, opts.associatedData);
    return { plaintext, padding: paddings[index]! };
  } catch {
    throw new DecryptionError();
  }
}

/** decryptEnvelopeUniform, then strict UTF-8 JSON (§1.6); bad text is the same DecryptionError. */
export async function decryptJsonUniform(
  env: HybridEnvelope,
  privateKeyPem: string,
  opts: UniformDecryptOptions,
): Promise<{ value: unknown; padding: RsaPadding }> {
  const { plaintext, padding } = await decryptEnvelopeUniform(env, privateKeyPem, opts);
  return { value: parseJsonPlaintext(plaintext), padding };
}
