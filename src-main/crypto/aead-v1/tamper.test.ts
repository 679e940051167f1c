// Every tampering of an aead-v1 envelope fails with the one DecryptionError (docs/protocol.md §10,
// §1.9): single-bit flips of every field, each AAD field changed (request id, purpose, either
// fingerprint, sequence, final flag), a reply sealed for another request, wrong OAEP labels and
// CBC or hybrid-GCM envelopes where aead-v1 is expected.
import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AEAD_V1_VECTORS_FILE, type AeadV1Vector, type AeadV1Vectors } from '../../../test-support/crypto/aead-v1-vectors';
import { oaepSha256EncryptWithSeed } from '../../../test-support/crypto/oaep-fixed-seed';
import { expectUniformFailure } from '../../../test-support/crypto/vectors';
import { encryptEnvelope } from '../envelope-encrypt';
import { DECRYPTION_FAILED_MESSAGE, DecryptionError, EncryptInputError } from '../errors';
import { answerRegistrationChallenge, createRegistrationChallenge } from '../registration-challenge';
import {
  AEAD_V1_NODE_CIPHERKEY,
  envelopeProfile,
  openAeadProgress,
  openAeadReply,
  openAeadRequest,
  openAeadStreamChunk,
  sealAeadProgress,
  sealAeadReply,
  sealAeadRequest,
  sealAeadStreamChunk,
  type AeadV1Envelope,
  type AeadV1Session,
} from '.';
import { REQUEST_KEY_OAEP_LABEL } from './constants';
import { sealAeadRequestWithFixedMaterialForTestsOnly } from './seal-request';

const file = JSON.parse(readFileSync(AEAD_V1_VECTORS_FILE, 'utf8')) as AeadV1Vectors;
const { client, node } = file.keys;
const vector = (id: string): AeadV1Vector => file.vectors.find((v) => v.id === id)!;
const nodeKeys = { privateKeyPem: node.private_key_pem_pkcs8, publicKeyPem: node.public_key_pem_spki };
const receiver = (v: AeadV1Vector, over: Partial<{ requestId: string; clientPublicKey: string }> = {}) => ({
  requestId: over.requestId ?? v.request_id,
  clientPublicKey: over.clientPublicKey ?? client.public_key_wire_b64,
  nodeKeys,
});
const open = (v: AeadV1Vector) => openAeadRequest(v.envelope, receiver(v));
const session1: AeadV1Session = open(vector('request/chat')).session;

/** Every envelope with exactly one bit of `field`'s decoded bytes flipped (or every `stride`-th bit). */
function* bitFlips(env: AeadV1Envelope, field: keyof AeadV1Envelope, stride = 1): Generator<[number, AeadV1Envelope]> {
  const raw = Buffer.from(env[field], 'base64');
  for (let bit = 0; bit < raw.length * 8; bit += stride) {
    const flipped = Buffer.from(raw);
    flipped[bit >> 3]! ^= 1 << (bit & 7);
    yield [bit, { ...env, [field]: flipped.toString('base64') }];
  }
}

/** True when `fn` fails exactly like every decryption failure must (§1.9). */
function failsUniformly(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (err) {
    return err instanceof DecryptionError && err.message === DECRYPTION_FAILED_MESSAGE && err.cause === undefined;
  }
}

/** Flips the bits and returns the ones that did NOT fail uniformly (expected: none), and how many were tried. */
function survivors(env: AeadV1Envelope, field: keyof AeadV1Envelope, openIt: (e: AeadV1Envelope) => unknown, stride = 1) {
  const bad: string[] = [];
  let tried = 0;
  for (const [bit, flipped] of bitFlips(env, field, stride)) {
    tried++;
    if (!failsUniformly(() => openIt(flipped))) bad.push(`${field} bit ${bit}`);
  }
  return { bad, tried };
}

function openNodeMessage(v: AeadV1Vector, env: AeadV1Envelope, session = session1): Buffer {
  if (v.purpose === 'reply') return openAeadReply(session, env);
  if (v.purpose === 'progress') return openAeadProgress(session, env).plaintext;
  return openAeadStreamChunk(session, { sequence: v.sequence!, final: v.final! }, env);
}

describe('aead-v1 tampering: single-bit flips', () => {
  // Each request open costs one RSA decryption, so every bit is flipped where the envelope is
  // small and a spread of bit positions elsewhere; node messages (no RSA) get every bit.
  it.each(['request/utf8-request-id', 'request/empty'])('%s: every bit of ciphertext || tag and iv', (id) => {
    const v = vector(id);
    for (const field of ['ciphertext', 'iv'] as const) {
      const { bad, tried } = survivors(v.envelope, field, (e) => openAeadRequest(e, receiver(v)));
      expect(bad).toEqual([]);
      expect(tried).toBe(Buffer.from(v.envelope[field], 'base64').length * 8);
    }
  });

  it('request/empty: one bit of every byte of the RSA-wrapped K (each bit position in turn)', () => {
    const v = vector('request/empty');
    const { bad, tried } = survivors(v.envelope, 'cipherkey', (e) => openAeadRequest(e, receiver(v)), 9);
    expect(bad).toEqual([]);
    expect(tried).toBe(Math.ceil(2048 / 9));
  });

  it('request/chat: a spread of bits over ciphertext || tag', () => {
    const v = vector('request/chat');
    expect(survivors(v.envelope, 'ciphertext', (e) => openAeadRequest(e, receiver(v)), 61).bad).toEqual([]);
  });

  it.each(file.vectors.filter((v) => v.purpose !== 'request').map((v) => [v.id, v] as const))(
    '%s: every bit of ciphertext || tag, iv and cipherkey',
    (_id, v) => {
      expect(openNodeMessage(v, v.envelope).toString('utf8')).toBe(v.plaintext_utf8);
      for (const field of ['ciphertext', 'iv', 'cipherkey'] as const) {
        const { bad, tried } = survivors(v.envelope, field, (e) => openNodeMessage(v, e));
        expect(bad).toEqual([]);
        expect(tried).toBe(Buffer.from(v.envelope[field], 'base64').length * 8);
      }
    },
  );

  it('a node message with any other cipherkey (an RSA wrap, empty) fails', () => {
    const v = vector('reply/success');
    expectUniformFailure(() => openAeadReply(session1, { ...v.envelope, cipherkey: vector('request/chat').envelope.cipherkey }));
    expectUniformFailure(() => openAeadReply(session1, { ...v.envelope, cipherkey: '' }));
  });
});

describe('aead-v1 tampering: each associated-data field', () => {
  const chat = vector('request/chat');

  it('request: another request id or client key at the node fails', () => {
    expectUniformFailure(() => openAeadRequest(chat.envelope, receiver(chat, { requestId: `${chat.request_id}0` })));
    expectUniformFailure(() => openAeadRequest(chat.envelope, receiver(chat, { clientPublicKey: node.public_key_wire_b64 })));
    expectUniformFailure(() => openAeadRequest(chat.envelope, receiver(chat, { requestId: '' })));
    expectUniformFailure(() => openAeadRequest(chat.envelope, receiver(chat, { clientPublicKey: 'not a key' })));
  });

  it('request: sealed for another node fingerprint (same wrap) fails', () => {
    const { envelope } = sealAeadRequestWithFixedMaterialForTestsOnly(
      'hello',
      { requestId: 'r-1', clientPublicKey: client.public_key_wire_b64, nodePublicKey: client.public_key_wire_b64 },
      {
        requestKey: Buffer.alloc(32, 7),
        nonce: Buffer.alloc(12, 1),
        wrap: (_key, k) => publicEncrypt({ key: node.public_key_pem_spki, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: REQUEST_KEY_OAEP_LABEL }, k),
      },
    );
    expectUniformFailure(() => openAeadRequest(envelope, { requestId: 'r-1', clientPublicKey: client.public_key_wire_b64, nodeKeys }));
  });

  it('reply, progress and stream: another request id, client fingerprint, node fingerprint or request key fails', () => {
    const other = (over: Partial<AeadV1Session>): AeadV1Session => ({ ...session1, ...over });
    const wrongs = [
      other({ requestId: `${session1.requestId}x` }),
      other({ clientKeyFingerprint: session1.nodeKeyFingerprint }),
      other({ nodeKeyFingerprint: session1.clientKeyFingerprint }),
      other({ requestKey: Buffer.from(session1.requestKey).fill(1, 0, 1) }),
    ];
    for (const v of file.vectors.filter((x) => x.purpose !== 'request')) {
      for (const s of wrongs) expectUniformFailure(() => openNodeMessage(v, v.envelope, s));
    }
  });

  it('purpose: a node message opens only as what it was sealed as', () => {
    const reply = vector('reply/success').envelope;
    const progress = vector('progress/1').envelope;
    const chunk = vector('stream/1').envelope;
    expectUniformFailure(() => openAeadProgress(session1, reply));
    expectUniformFailure(() => openAeadStreamChunk(session1, { sequence: 1, final: false }, progress));
    expectUniformFailure(() => openAeadReply(session1, progress));
    expectUniformFailure(() => openAeadReply(session1, chunk));
    expectUniformFailure(() => openAeadProgress(session1, chunk));
    // The request's own ciphertext is not a reply either, even with the reply's cipherkey.
    const chat = vector('request/chat').envelope;
    expectUniformFailure(() => openAeadReply(session1, { ...chat, cipherkey: AEAD_V1_NODE_CIPHERKEY }));
  });

  it('sequence and final flag of a stream chunk are bound', () => {
    const v = vector('stream/1');
    expectUniformFailure(() => openAeadStreamChunk(session1, { sequence: 2, final: false }, v.envelope));
    expectUniformFailure(() => openAeadStreamChunk(session1, { sequence: 0, final: false }, v.envelope));
    expectUniformFailure(() => openAeadStreamChunk(session1, { sequence: 1, final: true }, v.envelope));
    const last = vector('stream/2-final');
    expectUniformFailure(() => openAeadStreamChunk(session1, { sequence: 2, final: false }, last.envelope));
    expectUniformFailure(() => openAeadStreamChunk(session1, { sequence: -1, final: false }, v.envelope));
    // a chunk re-numbered by rewriting its nonce fails on the tag
    const renumbered = { ...v.envelope, iv: vector('stream/2-final').envelope.iv };
    expectUniformFailure(() => openAeadStreamChunk(session1, { sequence: 2, final: false }, renumbered));
  });

  it('progress: the sequence comes from the counter nonce and is bound; other nonces fail', () => {
    const v = vector('progress/2');
    expect(openAeadProgress(session1, v.envelope).sequence).toBe(2);
    expectUniformFailure(() => openAeadProgress(session1, { ...v.envelope, iv: vector('progress/1').envelope.iv }));
    const prefixed = Buffer.from(v.envelope.iv, 'base64');
    prefixed[0] = 1;
    expectUniformFailure(() => openAeadProgress(session1, { ...v.envelope, iv: prefixed.toString('base64') }));
  });

  it('a reply sealed for another request fails, whether it has another key or only another id', () => {
    const other = open(vector('request/utf8-request-id')).session;
    const foreign = sealAeadReply(other, 'Paris.');
    expect(openAeadReply(other, foreign).toString()).toBe('Paris.');
    expectUniformFailure(() => openAeadReply(session1, foreign));
    const sameKeyOtherId = sealAeadReply({ ...session1, requestId: 'another-request' }, 'Paris.');
    expectUniformFailure(() => openAeadReply(session1, sameKeyOtherId));
    const progress = sealAeadProgress(other, 1, '{}');
    expectUniformFailure(() => openAeadProgress(session1, progress));
    const chunk = sealAeadStreamChunk(other, { sequence: 0, final: true }, 'x');
    expectUniformFailure(() => openAeadStreamChunk(session1, { sequence: 0, final: true }, chunk));
  });
});

describe('aead-v1 tampering: wrong profile, wrong label, wrong encoding', () => {
  const chat = vector('request/chat');

  it('a CBC or hybrid-GCM envelope where aead-v1 is expected fails', () => {
    const cbcToNode = encryptEnvelope('{"x":1}', node.public_key_wire_b64, { mode: 'cbc', padding: 'oaep-sha256' });
    expect(envelopeProfile(cbcToNode)).toBe('reference-cbc');
    expectUniformFailure(() => openAeadRequest(cbcToNode, receiver(chat)));
    const gcmToNode = encryptEnvelope('{"x":1}', node.public_key_wire_b64, { mode: 'gcm' });
    expectUniformFailure(() => openAeadRequest({ ciphertext: gcmToNode.ciphertext + gcmToNode.tag, cipherkey: gcmToNode.cipherkey, iv: gcmToNode.iv }, receiver(chat)));
    for (const padding of ['oaep-sha256', 'pkcs1v15'] as const) {
      const cbcReply = encryptEnvelope('{"x":1}', client.public_key_wire_b64, { mode: 'cbc', padding });
      expectUniformFailure(() => openAeadReply(session1, cbcReply));
      expectUniformFailure(() => openAeadReply(session1, { ...cbcReply, cipherkey: AEAD_V1_NODE_CIPHERKEY }));
      expectUniformFailure(() => openAeadProgress(session1, cbcReply));
    }
  });

  it('K wrapped without the label, with the registration-challenge label, or with PKCS#1 v1.5 fails; so does a K of another length', () => {
    const nodeKey = createPublicKey(node.public_key_pem_spki);
    const seed = Buffer.alloc(32, 3);
    const k = Buffer.from(chat.test_only.request_key_hex, 'hex');
    const rewrap = (wrapped: Buffer) => openAeadRequest({ ...chat.envelope, cipherkey: wrapped.toString('base64') }, receiver(chat));
    // control: the same K under the right label opens
    expect(rewrap(oaepSha256EncryptWithSeed(nodeKey, k, REQUEST_KEY_OAEP_LABEL, seed)).plaintext.toString()).toBe(chat.plaintext_utf8);
    expectUniformFailure(() => rewrap(oaepSha256EncryptWithSeed(nodeKey, k, Buffer.alloc(0), seed)));
    expectUniformFailure(() => rewrap(oaepSha256EncryptWithSeed(nodeKey, k, Buffer.from('tokenplace/v1/registration-challenge'), seed)));
    expectUniformFailure(() => rewrap(publicEncrypt({ key: nodeKey, padding: constants.RSA_PKCS1_PADDING }, k)));
    expectUniformFailure(() => rewrap(oaepSha256EncryptWithSeed(nodeKey, k.subarray(0, 31), REQUEST_KEY_OAEP_LABEL, seed)));
    expectUniformFailure(() => rewrap(oaepSha256EncryptWithSeed(nodeKey, Buffer.concat([k, Buffer.from([0])]), REQUEST_KEY_OAEP_LABEL, seed)));
  });

  it('a request-key wrap is no registration challenge and a challenge is no request key (§10.1)', () => {
    expectUniformFailure(() => answerRegistrationChallenge(chat.envelope.cipherkey, node.private_key_pem_pkcs8));
    const challenge = createRegistrationChallenge(node.public_key_wire_b64);
    expect(answerRegistrationChallenge(challenge.ciphertext, node.private_key_pem_pkcs8)).toBe(challenge.answer.toString('base64'));
    expectUniformFailure(() => openAeadRequest({ ...chat.envelope, cipherkey: challenge.ciphertext }, receiver(chat)));
    const nodeKey = createPublicKey(node.public_key_pem_spki);
    const label = Buffer.from('tokenplace/v1/registration-challenge');
    for (const size of [0, 16, 31, 33, 64]) {
      const odd = oaepSha256EncryptWithSeed(nodeKey, Buffer.alloc(size, 9), label, Buffer.alloc(32, 4)).toString('base64');
      expectUniformFailure(() => answerRegistrationChallenge(odd, node.private_key_pem_pkcs8));
    }
    expectUniformFailure(() => answerRegistrationChallenge(`${challenge.ciphertext} `, node.private_key_pem_pkcs8));
    expectUniformFailure(() => answerRegistrationChallenge(42, node.private_key_pem_pkcs8));
  });

  it('non-canonical base64, a truncated tag and missing fields fail', () => {
    const reply = vector('reply/success').envelope;
    expectUniformFailure(() => openAeadReply(session1, { ...reply, ciphertext: `${reply.ciphertext}\n` }));
    expectUniformFailure(() => openAeadReply(session1, { ...reply, ciphertext: Buffer.from(reply.ciphertext, 'base64').subarray(0, 15).toString('base64') }));
    expectUniformFailure(() => openAeadReply(session1, { ...reply, ciphertext: Buffer.from(reply.ciphertext, 'base64').subarray(0, -1).toString('base64') }));
    expectUniformFailure(() => openAeadReply(session1, { ...reply, iv: reply.iv.replace(/=*$/, '') + '==' }));
    expectUniformFailure(() => openAeadReply(session1, null));
    expectUniformFailure(() => openAeadReply(session1, { cipherkey: AEAD_V1_NODE_CIPHERKEY }));
    expectUniformFailure(() => openAeadRequest({ ...chat.envelope, iv: 123 }, receiver(chat)));
    expectUniformFailure(() => openAeadRequest('nope', receiver(chat)));
  });
});

describe('aead-v1 round trip with fresh randomness', () => {
  const parties = { requestId: 'a1b2c3', clientPublicKey: client.public_key_wire_b64, nodePublicKey: node.public_key_wire_b64 };

  it('client seals, node opens and answers, client opens; every seal of one request differs', () => {
    const a = sealAeadRequest('{"hi":true}', parties);
    const b = sealAeadRequest('{"hi":true}', parties);
    expect(a.envelope.iv).not.toBe(b.envelope.iv);
    expect(a.session.requestKey.equals(b.session.requestKey)).toBe(false);
    expect(envelopeProfile(a.envelope)).toBe('aead-v1');
    const opened = openAeadRequest(a.envelope, { requestId: 'a1b2c3', clientPublicKey: client.public_key_pem_spki, nodeKeys });
    expect(opened.plaintext.toString()).toBe('{"hi":true}');
    expect(opened.session).toEqual(a.session);
    expect(openAeadReply(a.session, sealAeadReply(opened.session, 'answer')).toString()).toBe('answer');
    expect(openAeadProgress(a.session, sealAeadProgress(opened.session, 7, 'p'))).toEqual({ sequence: 7, plaintext: Buffer.from('p') });
    const chunk = sealAeadStreamChunk(opened.session, { sequence: 3, final: true }, 'end');
    expect(openAeadStreamChunk(a.session, { sequence: 3, final: true }, chunk).toString()).toBe('end');
    // b's session cannot open a's answers
    expectUniformFailure(() => openAeadReply(b.session, sealAeadReply(opened.session, 'answer')));
  });

  it('bad input to a sealer is a clear error, not a DecryptionError', () => {
    expect(() => sealAeadRequest('x', { ...parties, nodePublicKey: 'junk' })).toThrow(EncryptInputError);
    expect(() => sealAeadRequest('x', { ...parties, requestId: '' })).toThrow(EncryptInputError);
    expect(() => sealAeadRequest('\ud800', parties)).toThrow(EncryptInputError);
    expect(() => sealAeadProgress(session1, -1, 'x')).toThrow(RangeError);
    expect(() => sealAeadStreamChunk(session1, { sequence: 1.5, final: false }, 'x')).toThrow(RangeError);
  });
});
