// Strict decoding and uniform errors (docs/protocol.md §1.3–§1.5, §1.9), encrypt input errors.
import { createCipheriv, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toCryptoManagerEnvelope, toGenericEnvelope, toRelayMessageEnvelope } from '../../src-shared/protocol/envelope';
import { aesCbcEncrypt } from './aes-cbc';
import { aesGcmEncrypt } from './aes-gcm';
import { decodeBase64Strict } from './base64';
import { decryptEnvelope, type DecryptOptions } from './envelope-decrypt';
import { encryptEnvelope, type HybridEnvelope } from './envelope-encrypt';
import { decryptJson, encryptJson } from './envelope-json';
import { EncryptInputError, InvalidKeyError } from './errors';
import { publicKeyObject } from './key-objects';
import { rsaWrap } from './rsa-wrap';
import { expectUniformFailure, loadTokenPlaceVectors } from '../../test-support/crypto/vectors';
import { pemFromWireKey, wireKeyFromPem } from './wire-key';

const { server } = loadTokenPlaceVectors().keys;
const PRIVATE = server.private_key_pem_pkcs8;
const WIRE = server.public_key_wire_b64;
const OAEP: DecryptOptions = { padding: 'oaep-sha256' };

/** Builds an envelope by hand, so the wrapped key text and sizes can be anything. */
function handmade(opts: { keyText: Buffer; aesKey: Buffer; iv: Buffer; plaintext: Buffer; gcm?: boolean }): HybridEnvelope {
  const cipherkey = rsaWrap(publicKeyObject(server.public_key_pem_spki), opts.keyText, 'oaep-sha256').toString('base64');
  if (opts.gcm) {
    const { ciphertext, tag } = aesGcmEncrypt(opts.aesKey, opts.iv, opts.plaintext);
    return { ciphertext: ciphertext.toString('base64'), cipherkey, iv: opts.iv.toString('base64'), tag: tag.toString('base64'), mode: 'GCM' };
  }
  const ciphertext = aesCbcEncrypt(opts.aesKey, opts.iv, opts.plaintext);
  return { ciphertext: ciphertext.toString('base64'), cipherkey, iv: opts.iv.toString('base64') };
}

describe('strict base64', () => {
  it('accepts only canonical padded standard base64', () => {
    expect(decodeBase64Strict('')?.length).toBe(0);
    expect(decodeBase64Strict('QQ==')?.toString()).toBe('A');
    expect(decodeBase64Strict('QUI=')?.toString()).toBe('AB');
    for (const bad of ['QQ', 'QQ=', 'QR==', 'QUJ=', 'Q Q==', 'QQ==\n', ' QQ==', '-_8=', 'QQ==QQ==', '====', 'Q===']) {
      expect(decodeBase64Strict(bad), bad).toBeNull();
    }
  });

  it.each(['ciphertext', 'cipherkey', 'iv', 'tag'] as const)('a non-canonical %s is rejected', (field) => {
    const env = encryptEnvelope('hello', WIRE, { mode: 'gcm' });
    expect(decryptEnvelope(env, PRIVATE, OAEP).toString()).toBe('hello');
    const value = env[field]!;
    const repadded = value.endsWith('=') ? value.replace(/=+$/, '') : `${value}==`;
    for (const mutated of [`${value}\n`, ` ${value}`, repadded, `${value.slice(0, -4)}-_-_`, `${value}*`]) {
      expectUniformFailure(() => decryptEnvelope({ ...env, [field]: mutated }, PRIVATE, OAEP));
    }
  });
});

describe('session key text must be canonical base64 of exactly 32 bytes', () => {
  const aesKey = Buffer.alloc(32, 0xfb); // base64 "+/v7…": its url-safe form differs
  const iv = randomBytes(16);
  const plaintext = Buffer.from('payload');

  it('the well-formed handmade envelope opens (control)', () => {
    const env = handmade({ keyText: Buffer.from(aesKey.toString('base64')), aesKey, iv, plaintext });
    expect(decryptEnvelope(env, PRIVATE, OAEP).equals(plaintext)).toBe(true);
  });

  it.each([
    ['raw 32 key bytes instead of their base64 text', aesKey],
    ['base64 text with a trailing newline', Buffer.from(aesKey.toString('base64') + '\n')],
    ['base64 text without padding', Buffer.from(aesKey.toString('base64').replace(/=$/, ''))],
    ['url-safe base64 text', Buffer.from(aesKey.toString('base64url') + '=')],
  ])('%s is rejected', (_name, keyText) => {
    expectUniformFailure(() => decryptEnvelope(handmade({ keyText, aesKey, iv, plaintext }), PRIVATE, OAEP));
  });

  it.each([16, 24, 48])('a %d-byte AES key is rejected', (bytes) => {
    const key = randomBytes(bytes);
    const cbcKey = bytes === 48 ? key.subarray(0, 32) : Buffer.alloc(32); // ciphertext content is irrelevant
    const env = handmade({ keyText: Buffer.from(key.toString('base64')), aesKey: cbcKey, iv, plaintext });
    expectUniformFailure(() => decryptEnvelope(env, PRIVATE, OAEP));
  });
});

describe('mode selection and sizes (§1.4)', () => {
  it('tag without mode selects GCM', () => {
    const { mode: _mode, ...withoutMode } = encryptEnvelope('gcm by tag', WIRE, { mode: 'gcm' });
    expect(decryptEnvelope(withoutMode, PRIVATE, OAEP).toString()).toBe('gcm by tag');
  });

  it('mode GCM without tag, unknown modes, and requireMode mismatches are rejected', () => {
    const gcm = encryptEnvelope('x', WIRE, { mode: 'gcm' });
    const cbc = encryptEnvelope('x', WIRE, { mode: 'cbc' });
    const { tag: _tag, ...noTag } = gcm;
    expectUniformFailure(() => decryptEnvelope(noTag, PRIVATE, OAEP));
    expectUniformFailure(() => decryptEnvelope({ ...cbc, mode: 'CBC' } as unknown as HybridEnvelope, PRIVATE, OAEP));
    expectUniformFailure(() => decryptEnvelope({ ...gcm, mode: 'gcm' } as unknown as HybridEnvelope, PRIVATE, OAEP));
    expectUniformFailure(() => decryptEnvelope(gcm, PRIVATE, { ...OAEP, requireMode: 'cbc' }));
    expectUniformFailure(() => decryptEnvelope(cbc, PRIVATE, { ...OAEP, requireMode: 'gcm' }));
    expect(decryptEnvelope(cbc, PRIVATE, { ...OAEP, requireMode: 'cbc' }).toString()).toBe('x');
    expect(decryptEnvelope(gcm, PRIVATE, { ...OAEP, requireMode: 'gcm' }).toString()).toBe('x');
  });

  it('GCM needs a 12-byte IV and a 16-byte tag; CBC a 16-byte IV; CBC takes no AAD', () => {
    const aesKey = randomBytes(32);
    const keyText = Buffer.from(aesKey.toString('base64'));
    const plaintext = Buffer.from('sizes');
    const iv16 = randomBytes(16);
    const cipher16 = createCipheriv('aes-256-gcm', aesKey, iv16);
    const ct16 = Buffer.concat([cipher16.update(plaintext), cipher16.final()]);
    const gcm16 = {
      ...handmade({ keyText, aesKey, iv: randomBytes(12), plaintext, gcm: true }),
      ciphertext: ct16.toString('base64'),
      iv: iv16.toString('base64'),
      tag: cipher16.getAuthTag().toString('base64'),
    };
    expectUniformFailure(() => decryptEnvelope(gcm16, PRIVATE, OAEP));
    const gcm = handmade({ keyText, aesKey, iv: randomBytes(12), plaintext, gcm: true });
    expect(decryptEnvelope(gcm, PRIVATE, OAEP).equals(plaintext)).toBe(true);
    const shortTag = { ...gcm, tag: Buffer.from(gcm.tag!, 'base64').subarray(0, 12).toString('base64') };
    expectUniformFailure(() => decryptEnvelope(shortTag, PRIVATE, OAEP));
    const cbc = encryptEnvelope('cbc', WIRE);
    expectUniformFailure(() => decryptEnvelope({ ...cbc, iv: randomBytes(12).toString('base64') }, PRIVATE, OAEP));
    expectUniformFailure(() => decryptEnvelope(cbc, PRIVATE, { ...OAEP, associatedData: Buffer.from('aad') }));
    expect(decryptEnvelope(cbc, PRIVATE, { ...OAEP, associatedData: new Uint8Array(0) }).toString()).toBe('cbc');
  });

  it('CBC ciphertext that is empty or not a block multiple is rejected', () => {
    const cbc = encryptEnvelope('sixteen bytes!!!', WIRE);
    const ct = Buffer.from(cbc.ciphertext, 'base64');
    expectUniformFailure(() => decryptEnvelope({ ...cbc, ciphertext: '' }, PRIVATE, OAEP));
    expectUniformFailure(() => decryptEnvelope({ ...cbc, ciphertext: ct.subarray(0, 31).toString('base64') }, PRIVATE, OAEP));
    expectUniformFailure(() => decryptEnvelope({ ...cbc, ciphertext: ct.subarray(0, 16).toString('base64') }, PRIVATE, OAEP));
  });
});

describe('malformed envelopes, JSON and UTF-8: one error, one message', () => {
  it.each([
    ['null', null],
    ['a string', 'ciphertext'],
    ['an empty object', {}],
    ['missing cipherkey', { ciphertext: 'AAAA', iv: 'AAAA' }],
    ['a number field', { ciphertext: 1, cipherkey: 'AAAA', iv: 'AAAA' }],
  ])('%s', (_name, env) => {
    expectUniformFailure(() => decryptEnvelope(env as unknown as HybridEnvelope, PRIVATE, OAEP));
  });

  it('bad UTF-8 and bad JSON fail exactly like a bad padding', () => {
    expectUniformFailure(() => decryptJson(encryptEnvelope(Buffer.from([0x7b, 0xff, 0x7d]), WIRE), PRIVATE, OAEP));
    expectUniformFailure(() => decryptJson(encryptEnvelope(Buffer.from([0xed, 0xa0, 0x80]), WIRE), PRIVATE, OAEP)); // CESU surrogate
    expectUniformFailure(() => decryptJson(encryptEnvelope('{"a":', WIRE), PRIVATE, OAEP));
    expectUniformFailure(() => decryptJson(encryptEnvelope('\ufeff{}', WIRE), PRIVATE, OAEP));
    expect(decryptJson(encryptEnvelope('{"a": "\\u00e9\\ud83c\\udf0d"}', WIRE), PRIVATE, OAEP)).toEqual({ a: 'é🌍' });
  });

  it('a private key that cannot be parsed is a key error, not a decryption error', () => {
    const env = encryptEnvelope('x', WIRE);
    expect(() => decryptEnvelope(env, '', OAEP)).toThrow(InvalidKeyError);
    expect(() => decryptEnvelope(env, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', OAEP)).toThrow(InvalidKeyError);
    expect(() => decryptEnvelope(env, server.public_key_pem_spki, OAEP)).toThrow(InvalidKeyError);
  });

  it('options without a padding are a programming error (TypeError)', () => {
    const env = encryptEnvelope('x', WIRE);
    expect(() => decryptEnvelope(env, PRIVATE, {} as DecryptOptions)).toThrow(TypeError);
    expect(() => decryptEnvelope(env, PRIVATE, { padding: 'oaep' } as unknown as DecryptOptions)).toThrow(TypeError);
  });
});

describe('encrypt input errors', () => {
  const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it.each([
    ['a number', 42],
    ['null', null],
    ['an object', { text: 'hi' }],
    ['an array', [1, 2]],
    ['a lone surrogate string', 'a\ud800b'],
  ])('plaintext that is %s', (_name, plaintext) => {
    expect(() => encryptEnvelope(plaintext as unknown as string, WIRE)).toThrow(EncryptInputError);
  });

  it.each([
    ['empty', ''],
    ['whitespace', '   '],
    ['not a string', 17],
    ['garbage', 'not a key'],
    ['wire key with inner whitespace', `${WIRE.slice(0, 10)} ${WIRE.slice(10)}`],
    ['malformed PEM', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'],
    ['a private key PEM', PRIVATE],
    ['RSA-1024', rsa1024],
    ['an EC key', ec],
    ['an EC key as wire key', Buffer.from(ec).toString('base64')],
  ])('recipient key that is %s', (_name, key) => {
    expect(() => encryptEnvelope('hi', key as unknown as string)).toThrow(EncryptInputError);
  });

  it('bad options', () => {
    expect(() => encryptEnvelope('hi', WIRE, { mode: 'ecb' as 'cbc' })).toThrow(EncryptInputError);
    expect(() => encryptEnvelope('hi', WIRE, { padding: 'none' as 'pkcs1v15' })).toThrow(EncryptInputError);
    expect(() => encryptEnvelope('hi', WIRE, { associatedData: Buffer.from('x') })).toThrow(EncryptInputError);
    expect(() => encryptEnvelope('hi', WIRE, { mode: 'gcm', associatedData: 'x' as unknown as Uint8Array })).toThrow(
      EncryptInputError,
    );
  });

  it('values without a JSON form', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => encryptJson(undefined, WIRE)).toThrow(EncryptInputError);
    expect(() => encryptJson(() => 1, WIRE)).toThrow(EncryptInputError);
    expect(() => encryptJson(circular, WIRE)).toThrow(EncryptInputError);
    expect(() => encryptJson(10n, WIRE)).toThrow(EncryptInputError);
  });

  it('accepts a raw PEM recipient as well as the wire key (§1.2 rule 4)', () => {
    const env = encryptEnvelope('pem', server.public_key_pem_spki);
    expect(decryptEnvelope(env, PRIVATE, OAEP).toString()).toBe('pem');
  });

  it('produces §1.3/§1.4 sizes: 344-char cipherkey, 16-byte CBC IV, 12-byte GCM IV + 16-byte tag', () => {
    const cbc = encryptEnvelope('x'.repeat(16), WIRE);
    expect(cbc.cipherkey).toHaveLength(344);
    expect(Buffer.from(cbc.iv, 'base64')).toHaveLength(16);
    expect(Buffer.from(cbc.ciphertext, 'base64')).toHaveLength(32);
    expect(Object.keys(cbc).sort()).toEqual(['cipherkey', 'ciphertext', 'iv']);
    const gcm = encryptEnvelope('x'.repeat(16), WIRE, { mode: 'gcm' });
    expect(Buffer.from(gcm.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(gcm.tag!, 'base64')).toHaveLength(16);
    expect(Buffer.from(gcm.ciphertext, 'base64')).toHaveLength(16);
    expect(gcm.mode).toBe('GCM');
  });
});

describe('wire keys (§1.2)', () => {
  it('round-trips the exact PEM text, including a missing trailing newline (browser keys)', () => {
    expect(pemFromWireKey(WIRE)).toBe(server.public_key_pem_spki);
    const browserPem = server.public_key_pem_spki.trimEnd();
    const browserWire = wireKeyFromPem(browserPem);
    expect(browserWire).not.toBe(WIRE); // different identity strings for the same modulus
    expect(pemFromWireKey(browserWire)).toBe(browserPem);
  });

  it('strips outer whitespace only, then decodes strictly', () => {
    expect(pemFromWireKey(` ${WIRE}\n`)).toBe(server.public_key_pem_spki);
    expect(() => pemFromWireKey(`${WIRE.slice(0, 40)}\n${WIRE.slice(40)}`)).toThrow(InvalidKeyError);
    expect(() => pemFromWireKey(WIRE.replace(/=+$/, ''))).toThrow(InvalidKeyError);
    expect(() => pemFromWireKey(Buffer.from('hello').toString('base64'))).toThrow(InvalidKeyError);
    expect(() => pemFromWireKey('')).toThrow(InvalidKeyError);
    expect(() => wireKeyFromPem(PRIVATE)).toThrow(InvalidKeyError);
  });
});

describe('context field names (§1.5)', () => {
  it('a CryptoManager/relay body opens after toGenericEnvelope; ciphertext wins over chat_history', () => {
    const env = encryptEnvelope('{"ok":true}', WIRE);
    const cryptoManagerBody = toCryptoManagerEnvelope(env);
    expectUniformFailure(() => decryptEnvelope(cryptoManagerBody as unknown as HybridEnvelope, PRIVATE, OAEP));
    expect(decryptJson(toGenericEnvelope(cryptoManagerBody), PRIVATE, OAEP)).toEqual({ ok: true });
    const relayBody = { ...toRelayMessageEnvelope(env), chat_history: 'ignored', request_id: 'r1' };
    expect(decryptJson(toGenericEnvelope(relayBody), PRIVATE, { ...OAEP, requireMode: 'cbc' })).toEqual({ ok: true });
  });
});
