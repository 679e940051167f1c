// Property tests (fast-check): round trips for arbitrary Unicode and sizes 0 B..1 MiB, and
// tamper detection: flipping any byte of a GCM envelope is rejected with DecryptionError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptEnvelope } from './envelope-decrypt';
import { encryptEnvelope, type HybridEnvelope } from './envelope-encrypt';
import { decryptJson, encryptJson } from './envelope-json';
import type { RsaPadding, SymmetricMode } from './keys';
import { expectUniformFailure, loadTokenPlaceVectors } from '../../test-support/crypto/vectors';

const { server } = loadTokenPlaceVectors().keys;
const PRIVATE = server.private_key_pem_pkcs8;
const WIRE = server.public_key_wire_b64;
const MiB = 1024 * 1024;

const modeArb = fc.constantFrom<SymmetricMode>('cbc', 'gcm');
// PKCS#1 v1.5 unwrap goes through pure-JS forge (tens of ms) and is covered exhaustively by the
// vector, Wycheproof and cross tests; weight the runs towards OAEP to keep the file fast.
const paddingArb = fc.oneof(
  { weight: 7, arbitrary: fc.constant<RsaPadding>('oaep-sha256') },
  { weight: 1, arbitrary: fc.constant<RsaPadding>('pkcs1v15') },
);

describe('round trips', () => {
  it('arbitrary Unicode strings survive encrypt → decrypt in every mode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), modeArb, paddingArb, (text, mode, padding) => {
        const env = encryptEnvelope(text, WIRE, { mode, padding });
        expect(decryptEnvelope(env, PRIVATE, { padding }).toString('utf8')).toBe(text);
      }),
      { numRuns: 40 },
    );
  });

  it('arbitrary JSON values survive encryptJson → decryptJson', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), modeArb, (value, mode) => {
        const env = encryptJson(value, WIRE, { mode });
        // JSON.stringify normalises -0 to 0; compare through the same normalisation.
        expect(decryptJson(env, PRIVATE, { padding: 'oaep-sha256' })).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 40 },
    );
  });

  it('binary payloads of 0 B..1 MiB survive, including block edges', () => {
    const sizeArb = fc.oneof(
      fc.constantFrom(0, 1, 15, 16, 17, 31, 32, 33, MiB - 1, MiB),
      fc.integer({ min: 0, max: 4096 }),
      fc.integer({ min: 0, max: MiB }),
    );
    // Large buffers are built cheaply: a random 61-byte pattern repeated (odd length, so block
    // boundaries do not line up with the pattern).
    const payloadArb = fc
      .tuple(sizeArb, fc.uint8Array({ minLength: 61, maxLength: 61 }))
      .map(([size, pattern]) => Buffer.alloc(size, pattern));
    fc.assert(
      fc.property(payloadArb, modeArb, paddingArb, (payload, mode, padding) => {
        const aad = mode === 'gcm' ? Buffer.from('size-test') : undefined;
        const env = encryptEnvelope(payload, WIRE, { mode, padding, associatedData: aad });
        const expectedCt = mode === 'gcm' ? payload.length : 16 * (Math.floor(payload.length / 16) + 1);
        expect(Buffer.from(env.ciphertext, 'base64')).toHaveLength(expectedCt);
        expect(decryptEnvelope(env, PRIVATE, { padding, associatedData: aad }).equals(payload)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});

describe('GCM tamper detection', () => {
  type Field = 'ciphertext' | 'tag' | 'iv' | 'cipherkey';
  const fields: Field[] = ['ciphertext', 'tag', 'iv', 'cipherkey'];

  function flip(env: HybridEnvelope, field: Field, index: number, mask: number): HybridEnvelope {
    const bytes = Buffer.from(env[field]!, 'base64');
    bytes[index % bytes.length]! ^= mask;
    return { ...env, [field]: bytes.toString('base64') };
  }

  it('flipping any bit pattern in any byte of ciphertext, tag, iv or cipherkey is rejected', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.constantFrom(...fields),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        paddingArb,
        (plaintext, field, index, mask, padding) => {
          const env = encryptEnvelope(plaintext, WIRE, { mode: 'gcm', padding });
          const tampered = flip(env, field, index, mask);
          expectUniformFailure(() => decryptEnvelope(tampered, PRIVATE, { padding }));
        },
      ),
      { numRuns: 100 },
    );
  });
});
