// Test-only loader for fixtures/vectors (copied from the shared vector set; tests never read
// outside the repository). Not exported from index.ts.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { HybridEnvelope } from '../../src-main/crypto/envelope-encrypt';
import { DecryptionError, DECRYPTION_FAILED_MESSAGE } from '../../src-main/crypto/errors';

export const VECTORS_DIR = resolve(__dirname, '../../fixtures/vectors');

export interface VectorKey {
  private_key_pem_pkcs8: string;
  public_key_pem_spki: string;
  public_key_wire_b64: string;
  public_key_spki_der_sha256_hex: string;
}

export interface EnvelopeVector {
  id: string;
  symmetric: string;
  rsa_padding: 'OAEP-SHA256' | 'PKCS1v15';
  key: 'server' | 'client';
  plaintext_b64: string;
  plaintext_len: number;
  plaintext_sha256_hex: string;
  plaintext_utf8?: string;
  associated_data_b64?: string;
  envelope: HybridEnvelope;
  test_only: { aes_key_b64: string; iv_b64: string; rsa_plaintext_ascii: string };
}

export interface NegativeOrQuirkVector {
  id: string;
  expect: string;
  envelope: HybridEnvelope;
  [field: string]: unknown;
}

export interface TokenPlaceVectors {
  keys: { server: VectorKey; client: VectorKey };
  vectors: EnvelopeVector[];
  negative_and_quirk_vectors: NegativeOrQuirkVector[];
}

export function loadTokenPlaceVectors(): TokenPlaceVectors {
  return JSON.parse(readFileSync(resolve(VECTORS_DIR, 'token-place-v1-vectors.json'), 'utf8')) as TokenPlaceVectors;
}

export interface WycheproofTest {
  tcId: number;
  comment: string;
  flags: string[];
  result: 'valid' | 'invalid' | 'acceptable';
  [field: string]: unknown;
}

export interface WycheproofGroup {
  tests: WycheproofTest[];
  [field: string]: unknown;
}

export function loadWycheproof(file: string): { algorithm: string; testGroups: WycheproofGroup[] } {
  return JSON.parse(readFileSync(resolve(VECTORS_DIR, 'wycheproof', file), 'utf8')) as {
    algorithm: string;
    testGroups: WycheproofGroup[];
  };
}

/** Asserts the one uniform decryption failure (§1.9): DecryptionError, the fixed message, no cause. */
export function expectUniformFailure(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(DecryptionError);
  expect((caught as Error).message).toBe(DECRYPTION_FAILED_MESSAGE);
  expect((caught as Error).cause).toBeUndefined();
}
