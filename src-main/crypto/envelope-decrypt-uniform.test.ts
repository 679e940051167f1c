// Uniform decryption (docs/protocol.md §1.9.4): both unwraps always, forge off the event loop,
// the one DecryptionError for every envelope failure, and the worker pool's own contract.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { forgeProbeSet, envelopeWithBadCbcPadding, loopTurnsWhile } from '../../test-support/crypto/side-channel-probes';
import { decryptEnvelope } from './envelope-decrypt';
import { decryptEnvelopeUniform, decryptJsonUniform } from './envelope-decrypt-uniform';
import { encryptEnvelope, type HybridEnvelope } from './envelope-encrypt';
import { encryptJson } from './envelope-json';
import { DecryptionError, InvalidKeyError, UnwrapUnavailableError } from './errors';
import { RsaUnwrapPool } from './forge-unwrap-pool';
import { BUNDLED_WORKER_FILE, SOURCE_WORKER_FILE, locateUnwrapWorker } from './forge-unwrap-worker-file';
import { generateRsaKeyPair, type RsaKeyPair } from './keys';

const LEGACY = { padding: 'legacy-oaep-then-pkcs1v15', requireMode: 'cbc' } as const;
let node: RsaKeyPair;
let stranger: RsaKeyPair;

beforeAll(async () => {
  [node, stranger] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
});
const forgeProbes = forgeProbeSet();
const forgeProbe = () => forgeProbes.start();
afterEach(() => {
  vi.restoreAllMocks();
  forgeProbes.restoreAll();
});

function failures(): Record<string, HybridEnvelope> {
  const valid = encryptJson({ hello: 'world' }, node.publicKeyWire, { padding: 'oaep-sha256' });
  return {
    'random wrap': { ...valid, cipherkey: Buffer.alloc(256, 0x42).toString('base64') },
    'wrapped for another key': encryptJson({ hello: 'world' }, stranger.publicKeyWire, { padding: 'pkcs1v15' }),
    'bad CBC padding': envelopeWithBadCbcPadding(node.publicKeyPem),
    'not JSON': encryptEnvelope('not json', node.publicKeyWire, { padding: 'pkcs1v15' }),
    'GCM where CBC is required': encryptJson({ hello: 'world' }, node.publicKeyWire, { mode: 'gcm' }),
    'non-canonical base64': { ...valid, iv: `${valid.iv}\n` },
  };
}

describe('decryptEnvelopeUniform', () => {
  it('opens OAEP and PKCS#1 v1.5 wraps and says which one opened it', async () => {
    for (const padding of ['oaep-sha256', 'pkcs1v15'] as const) {
      const env = encryptJson({ hello: padding }, node.publicKeyWire, { padding });
      await expect(decryptJsonUniform(env, node.privateKeyPem, LEGACY)).resolves.toEqual({ value: { hello: padding }, padding });
      const opened = await decryptEnvelopeUniform(env, node.privateKeyPem, { padding });
      expect(opened).toEqual({ plaintext: decryptEnvelope(env, node.privateKeyPem, { padding }), padding });
    }
  });

  it('accepts only the named padding when one is named', async () => {
    const v15 = encryptJson({ a: 1 }, node.publicKeyWire, { padding: 'pkcs1v15' });
    const oaep = encryptJson({ a: 1 }, node.publicKeyWire, { padding: 'oaep-sha256' });
    await expect(decryptEnvelopeUniform(v15, node.privateKeyPem, { padding: 'oaep-sha256' })).rejects.toBeInstanceOf(DecryptionError);
    await expect(decryptEnvelopeUniform(oaep, node.privateKeyPem, { padding: 'pkcs1v15' })).rejects.toBeInstanceOf(DecryptionError);
  });

  it('keeps GCM with associated data working (same options as decryptEnvelope)', async () => {
    const aad = Buffer.from('bound');
    const env = encryptEnvelope('gcm text', node.publicKeyWire, { mode: 'gcm', associatedData: aad });
    const opened = await decryptEnvelopeUniform(env, node.privateKeyPem, { padding: 'oaep-sha256', associatedData: aad });
    expect(opened.plaintext.toString()).toBe('gcm text');
    await expect(decryptEnvelopeUniform(env, node.privateKeyPem, { padding: 'oaep-sha256' })).rejects.toBeInstanceOf(DecryptionError);
  });

  it('fails every broken envelope with the one DecryptionError and nothing else', async () => {
    for (const [name, env] of Object.entries(failures())) {
      const error = await decryptJsonUniform(env, node.privateKeyPem, LEGACY).then(
        () => new Error(`${name} opened`),
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(DecryptionError);
      expect((error as Error).message, name).toBe('Decryption failed');
      expect((error as Error).cause, name).toBeUndefined();
    }
  });

  it('names an unusable private key and malformed options as such', async () => {
    const env = encryptJson({ a: 1 }, node.publicKeyWire);
    await expect(decryptEnvelopeUniform(env, 'not a pem', LEGACY)).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(decryptEnvelopeUniform(env, node.privateKeyPem, { padding: 'rot13' as never })).rejects.toBeInstanceOf(TypeError);
  });

  it('asks for the same unwraps whatever the envelope holds', async () => {
    const unwrap = vi.spyOn(RsaUnwrapPool.prototype, 'unwrap');
    const envelopes = {
      'valid OAEP': encryptJson({ a: 1 }, node.publicKeyWire, { padding: 'oaep-sha256' }),
      'valid v1.5': encryptJson({ a: 1 }, node.publicKeyWire, { padding: 'pkcs1v15' }),
      ...failures(),
    };
    // Refused by their public form before any key is used:
    for (const byForm of ['non-canonical base64', 'GCM where CBC is required']) delete (envelopes as Record<string, unknown>)[byForm];
    for (const env of Object.values(envelopes)) await decryptJsonUniform(env, node.privateKeyPem, LEGACY).catch(() => undefined);
    expect(unwrap).toHaveBeenCalledTimes(Object.keys(envelopes).length);
    for (const [pem, wrapped, paddings] of unwrap.mock.calls) {
      expect(pem).toBe(node.privateKeyPem);
      expect(wrapped.length).toBe(256);
      expect(paddings).toEqual(['oaep-sha256', 'pkcs1v15']);
    }
  });

  it('runs node-forge on a worker thread: this thread keeps turning and decrypts nothing itself', async () => {
    const fresh = await generateRsaKeyPair();
    const forgeHere = forgeProbe();
    const env = encryptJson({ hello: 'browser' }, fresh.publicKeyWire, { padding: 'pkcs1v15' });
    const { turns, value } = await loopTurnsWhile(decryptJsonUniform(env, fresh.privateKeyPem, LEGACY));
    expect(value).toEqual({ value: { hello: 'browser' }, padding: 'pkcs1v15' });
    expect(forgeHere.count()).toBe(0);
    expect(turns).toBeGreaterThanOrEqual(10);
  });
});

describe('decryptEnvelope legacy mode (synchronous callers)', () => {
  it('runs the PKCS#1 v1.5 unwrap even when OAEP already opened the key', async () => {
    const fresh = await generateRsaKeyPair();
    const forgeHere = forgeProbe();
    const env = encryptJson({ a: 1 }, fresh.publicKeyWire, { padding: 'oaep-sha256' });
    expect(decryptEnvelope(env, fresh.privateKeyPem, LEGACY).toString()).toBe('{"a":1}');
    expect(forgeHere.count()).toBe(1);
  });
});

describe('RsaUnwrapPool', () => {
  const wrapped = () => encryptJson({ a: 1 }, node.publicKeyWire, { padding: 'pkcs1v15' }).cipherkey;

  it('refuses work beyond its queue with UnwrapUnavailableError and serves the rest', async () => {
    const pool = new RsaUnwrapPool({ size: 1, maxQueued: 1 });
    try {
      const bytes = Buffer.from(wrapped(), 'base64');
      const running = pool.unwrap(node.privateKeyPem, bytes, ['pkcs1v15']);
      const waiting = pool.unwrap(node.privateKeyPem, bytes, ['pkcs1v15']);
      await expect(pool.unwrap(node.privateKeyPem, bytes, ['pkcs1v15'])).rejects.toBeInstanceOf(UnwrapUnavailableError);
      for (const result of await Promise.all([running, waiting])) expect(result[0]?.length).toBe(44);
      expect(pool.threads).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('close() rejects what is pending, stops its threads, and a later job starts them again', async () => {
    const pool = new RsaUnwrapPool({ size: 2 });
    const bytes = Buffer.from(wrapped(), 'base64');
    const pending = [1, 2, 3].map(() => pool.unwrap(node.privateKeyPem, bytes, ['oaep-sha256', 'pkcs1v15']).catch((e: unknown) => e));
    await pool.close();
    for (const outcome of await Promise.all(pending)) expect(outcome).toBeInstanceOf(UnwrapUnavailableError);
    expect(pool.threads).toBe(0);
    const [oaep, v15] = await pool.unwrap(node.privateKeyPem, bytes, ['oaep-sha256', 'pkcs1v15']);
    expect(oaep).toBeNull();
    expect(v15?.length).toBe(44);
    await pool.close();
    expect(pool.threads).toBe(0);
  });

  it('a worker that dies fails its job with UnwrapUnavailableError and is replaced', async () => {
    const dying = { code: "require('node:worker_threads').parentPort.on('message', () => process.exit(3));", eval: true };
    const pool = new RsaUnwrapPool({ size: 1, script: dying });
    try {
      const bytes = Buffer.from(wrapped(), 'base64');
      await expect(pool.unwrap(node.privateKeyPem, bytes, ['pkcs1v15'])).rejects.toBeInstanceOf(UnwrapUnavailableError);
      expect(pool.threads).toBe(0);
      await expect(pool.unwrap(node.privateKeyPem, bytes, ['pkcs1v15'])).rejects.toBeInstanceOf(UnwrapUnavailableError);
    } finally {
      await pool.close();
    }
  });

  it('checks its settings', () => {
    expect(() => new RsaUnwrapPool({ size: 0 })).toThrow(RangeError);
    expect(() => new RsaUnwrapPool({ maxQueued: -1 })).toThrow(RangeError);
  });
});

describe('locateUnwrapWorker', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tp-worker-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the bundled entry beside a chunk folder (out/main/chunks → out/main), then beside itself', () => {
    const main = join(dir, 'main');
    mkdirSync(join(main, 'chunks'), { recursive: true });
    writeFileSync(join(main, BUNDLED_WORKER_FILE), '');
    expect(locateUnwrapWorker(join(main, 'chunks'))).toEqual({ code: join(main, BUNDLED_WORKER_FILE), eval: false });
    expect(locateUnwrapWorker(main)).toEqual({ code: join(main, BUNDLED_WORKER_FILE), eval: false });
  });

  it('runs the TypeScript source through tsx when nothing is bundled, and names what is missing otherwise', () => {
    const source = locateUnwrapWorker(__dirname);
    expect(source.eval).toBe(true);
    expect(source.code).toContain(JSON.stringify(join(__dirname, SOURCE_WORKER_FILE)));
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(() => locateUnwrapWorker(empty)).toThrow(/decryption worker script is missing/);
  });
});
