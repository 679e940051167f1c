// fixtures/vectors/aead-v1.json (docs/protocol.md §10.8): every byte is reproduced twice — by our
// sealers with the vectors' fixed inputs, and by a second implementation written here from the
// text of §10 with bare node:crypto calls — and every vector opens with our openers.
import { constants, createCipheriv, createHash, hkdfSync, privateDecrypt, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AEAD_V1_VECTORS_FILE, buildAeadV1Vectors, type AeadV1Vector, type AeadV1Vectors } from '../../../test-support/crypto/aead-v1-vectors';
import { oaepSha256EncryptWithSeed } from '../../../test-support/crypto/oaep-fixed-seed';
import { parseStreamChunkPlaintext } from '../../../src-shared/protocol/stream';
import { keyFingerprint } from '../fingerprint';
import { openAeadProgress, openAeadReply, openAeadRequest, openAeadStreamChunk, type AeadV1Session } from '.';

const file = JSON.parse(readFileSync(AEAD_V1_VECTORS_FILE, 'utf8')) as AeadV1Vectors;
const { client, node } = file.keys;
const bytes = (h: string) => Buffer.from(h, 'hex');

// ---- §10 from its text, independent of src-main/crypto/aead-v1
const spec = {
  subkey: (k: Buffer, requestId: string, purpose: string) =>
    Buffer.from(hkdfSync('sha256', k, Buffer.from(requestId, 'utf8'), Buffer.from(`tokenplace aead-v1 ${purpose}`, 'ascii'), 32)),
  aad(v: AeadV1Vector): Buffer {
    const fields: Buffer[] = [
      Buffer.from('tokenplace_api_v1_relay_e2ee/aead-v1', 'ascii'),
      Buffer.from(v.purpose, 'ascii'),
      Buffer.from(v.request_id, 'utf8'),
      createHash('sha256').update(createPublicKey(client.public_key_pem_spki).export({ type: 'spki', format: 'der' })).digest(),
      createHash('sha256').update(createPublicKey(node.public_key_pem_spki).export({ type: 'spki', format: 'der' })).digest(),
    ];
    if (v.purpose === 'progress' || v.purpose === 'stream') {
      const seq = Buffer.alloc(8);
      seq.writeBigUInt64BE(BigInt(v.sequence!));
      fields.push(seq);
    }
    if (v.purpose === 'stream') fields.push(Buffer.from([v.final ? 1 : 0]));
    return Buffer.concat(fields.map((f) => Buffer.concat([Buffer.from([f.length >> 8, f.length & 0xff]), f])));
  },
  seal(key: Buffer, nonce: Buffer, plaintext: Buffer, aad: Buffer): string {
    const c = createCipheriv('aes-256-gcm', key, nonce);
    c.setAAD(aad);
    return Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]).toString('base64');
  },
};

describe('aead-v1 vectors (§10.8)', () => {
  it('has the keys of token-place-v1-vectors.json with their fingerprints', () => {
    for (const k of [client, node]) {
      expect(keyFingerprint(k.public_key_wire_b64)).toBe(k.public_key_spki_der_sha256_hex);
      expect(Buffer.from(k.public_key_wire_b64, 'base64').toString('utf8')).toBe(k.public_key_pem_spki);
    }
    expect(file.vectors.map((v) => v.id)).toEqual([
      'request/chat',
      'request/utf8-request-id',
      'request/empty',
      'reply/success',
      'reply/empty',
      'progress/1',
      'progress/2',
      'stream/0',
      'stream/1',
      'stream/2-final',
    ]);
  });

  it('our sealers rebuild the file byte for byte from its fixed inputs', () => {
    expect(buildAeadV1Vectors()).toEqual(file);
  });

  describe.each(file.vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const k = bytes(v.test_only.request_key_hex);
    const nonce = bytes(v.test_only.nonce_hex);

    it('matches §10 computed independently: subkey, AAD, nonce, ciphertext || tag, cipherkey', () => {
      expect(spec.subkey(k, v.request_id, v.purpose).toString('hex')).toBe(v.subkey_hex);
      const aad = spec.aad(v);
      expect(aad.toString('hex')).toBe(v.associated_data_hex);
      expect(v.envelope.iv).toBe(nonce.toString('base64'));
      if (v.sequence !== undefined) expect(nonce.toString('hex')).toBe(`00000000${v.sequence.toString(16).padStart(16, '0')}`);
      expect(spec.seal(bytes(v.subkey_hex), nonce, Buffer.from(v.plaintext_utf8, 'utf8'), aad)).toBe(v.envelope.ciphertext);
      if (v.purpose === 'request') {
        const wrapped = Buffer.from(v.envelope.cipherkey, 'base64');
        const label = Buffer.from('tokenplace/v1/aead-v1/request-key', 'ascii');
        const unwrapped = privateDecrypt(
          { key: node.private_key_pem_pkcs8, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label },
          wrapped,
        );
        expect(unwrapped.toString('hex')).toBe(v.test_only.request_key_hex);
        const again = oaepSha256EncryptWithSeed(createPublicKey(node.public_key_pem_spki), k, label, bytes(v.test_only.oaep_seed_hex!));
        expect(again.toString('base64')).toBe(v.envelope.cipherkey);
      } else {
        expect(v.envelope.cipherkey).toBe(Buffer.from('aead-v1', 'ascii').toString('base64'));
      }
    });
  });

  it('our openers open every vector to its plaintext', () => {
    const sessions = new Map<string, AeadV1Session>();
    for (const v of file.vectors.filter((x) => x.purpose === 'request')) {
      const opened = openAeadRequest(v.envelope, {
        requestId: v.request_id,
        clientPublicKey: client.public_key_wire_b64,
        nodeKeys: { privateKeyPem: node.private_key_pem_pkcs8, publicKeyPem: node.public_key_pem_spki },
      });
      expect(opened.plaintext.toString('utf8')).toBe(v.plaintext_utf8);
      expect(opened.session.requestKey.toString('hex')).toBe(v.test_only.request_key_hex);
      sessions.set(v.request_id, opened.session);
    }
    for (const v of file.vectors.filter((x) => x.purpose !== 'request')) {
      const session = sessions.get(v.request_id)!;
      const plaintext =
        v.purpose === 'reply'
          ? openAeadReply(session, v.envelope)
          : v.purpose === 'progress'
            ? openAeadProgress(session, v.envelope).plaintext
            : openAeadStreamChunk(session, { sequence: v.sequence!, final: v.final! }, v.envelope);
      expect(plaintext.toString('utf8')).toBe(v.plaintext_utf8);
      if (v.purpose === 'progress') expect(openAeadProgress(session, v.envelope).sequence).toBe(v.sequence);
    }
  });

  it('the stream vectors are the chunk plaintexts of §11.2, the last one final', () => {
    const stream = file.vectors.filter((v) => v.purpose === 'stream');
    expect(stream.map((v) => v.final)).toEqual([false, false, true]);
    const chunks = stream.map((v) => parseStreamChunkPlaintext(JSON.parse(v.plaintext_utf8), v.final!));
    expect(chunks.map((c) => c?.delta).join('')).toBe('Paris.');
    expect(chunks[2]?.finish_reason).toBe('stop');
  });
});
