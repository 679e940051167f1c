// PrivateKeyStore that writes one JSON file per key name, the private key encrypted with
// AES-256-GCM under a key derived from a passphrase with scrypt (random 16-byte salt per save).
//
// File <dir>/<name>.key.json (mode 0600, written atomically: temp file + fsync + rename):
//   { format: "tokenplace-keystore/1", name, kdf: { name: "scrypt", N, r, p, salt: b64(16) },
//     cipher: "aes-256-gcm", iv: b64(12), tag: b64(16), publicKeyPem, ciphertext: b64(PKCS#8 PEM) }
// AAD = JSON of [format, name, kdf, cipher, publicKeyPem], so no header field can be swapped.
import { randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AES_256_KEY_BYTES } from './aes-cbc';
import { GCM_IV_BYTES, GCM_TAG_BYTES, aesGcmDecrypt, aesGcmEncrypt } from './aes-gcm';
import { decodeBase64Strict } from './base64';
import { InvalidKeyError, KeyStoreError, KeyFilePassphraseError } from './errors';
import { assertKeyPair } from './key-holder';
import type { PrivateKeyStore } from './key-store';
import { isValidKeyName } from './key-store';
import type { RsaKeyPair } from './keys';
import { wireKeyFromPem } from './wire-key';

const FORMAT = 'tokenplace-keystore/1';
const CIPHER = 'aes-256-gcm';
/** 2^15 × r 8 → 32 MiB, ~0.1 s per derivation: OWASP-class minimum for interactive use. */
export const DEFAULT_SCRYPT_N = 2 ** 15;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const MIN_SCRYPT_N = 2 ** 10;
const MAX_SCRYPT_N = 2 ** 20;

const KdfSchema = z.strictObject({
  name: z.literal('scrypt'),
  N: z
    .number()
    .int()
    .min(MIN_SCRYPT_N)
    .max(MAX_SCRYPT_N)
    .refine((n) => (n & (n - 1)) === 0, 'N must be a power of two'),
  r: z.number().int().min(1).max(16),
  p: z.number().int().min(1).max(4),
  salt: z.string(),
});

const KeyFileSchema = z.strictObject({
  format: z.literal(FORMAT),
  name: z.string(),
  kdf: KdfSchema,
  cipher: z.literal(CIPHER),
  iv: z.string(),
  tag: z.string(),
  publicKeyPem: z.string(),
  ciphertext: z.string(),
});
type KeyFile = z.infer<typeof KeyFileSchema>;
type Kdf = z.infer<typeof KdfSchema>;

function deriveKey(passphrase: string, kdf: Kdf, salt: Buffer): Promise<Buffer> {
  const options: ScryptOptions = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, AES_256_KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function headerAad(file: Pick<KeyFile, 'format' | 'name' | 'kdf' | 'cipher' | 'publicKeyPem'>): Buffer {
  const kdf = [file.kdf.name, file.kdf.N, file.kdf.r, file.kdf.p, file.kdf.salt];
  return Buffer.from(JSON.stringify([file.format, file.name, kdf, file.cipher, file.publicKeyPem]), 'utf8');
}

export interface PassphraseFileKeyStoreOptions {
  /** scrypt cost (power of two, 2^10..2^20). Default 2^15; tests may lower it. */
  scryptN?: number;
}

export class PassphraseFileKeyStore implements PrivateKeyStore {
  private readonly scryptN: number;

  constructor(
    private readonly dir: string,
    private readonly passphrase: string,
    options: PassphraseFileKeyStoreOptions = {},
  ) {
    if (typeof dir !== 'string' || dir.length === 0) throw new KeyStoreError('Key store directory is required');
    if (typeof passphrase !== 'string' || passphrase.length === 0) {
      throw new KeyStoreError('Key store passphrase must be a non-empty string');
    }
    this.scryptN = options.scryptN ?? DEFAULT_SCRYPT_N;
    if (!KdfSchema.shape.N.safeParse(this.scryptN).success) {
      throw new KeyStoreError('scryptN must be a power of two between 2^10 and 2^20');
    }
  }

  private pathFor(name: string): string {
    if (!isValidKeyName(name)) throw new KeyStoreError(`Invalid key name: ${JSON.stringify(name)}`);
    return join(this.dir, `${name}.key.json`);
  }

  async save(name: string, pair: RsaKeyPair): Promise<void> {
    const path = this.pathFor(name);
    try {
      assertKeyPair(pair);
    } catch (err) {
      if (err instanceof InvalidKeyError) throw new KeyStoreError(`Refusing to save an invalid key pair: ${err.message}`);
      throw err;
    }
    const salt = randomBytes(16);
    const kdf: Kdf = { name: 'scrypt', N: this.scryptN, r: SCRYPT_R, p: SCRYPT_P, salt: salt.toString('base64') };
    const header = { format: FORMAT, name, kdf, cipher: CIPHER, publicKeyPem: pair.publicKeyPem } as const;
    const key = await deriveKey(this.passphrase, kdf, salt);
    const iv = randomBytes(GCM_IV_BYTES);
    const { ciphertext, tag } = aesGcmEncrypt(key, iv, Buffer.from(pair.privateKeyPem, 'utf8'), headerAad(header));
    const file: KeyFile = {
      ...header,
      iv: iv.toString('base64'),
      tag: tag.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
    await this.writeAtomically(path, JSON.stringify(file, null, 2) + '\n');
  }

  async load(name: string): Promise<RsaKeyPair | null> {
    const path = this.pathFor(name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new KeyStoreError(`Cannot read key file for ${name}: ${(err as Error).message}`);
    }
    let file: KeyFile;
    try {
      file = KeyFileSchema.parse(JSON.parse(text));
    } catch {
      throw new KeyStoreError(`Key file for ${name} is malformed`);
    }
    if (file.name !== name) throw new KeyStoreError(`Key file for ${name} was written for another name`);
    const salt = decodeBase64Strict(file.kdf.salt);
    const iv = decodeBase64Strict(file.iv);
    const tag = decodeBase64Strict(file.tag);
    const ciphertext = decodeBase64Strict(file.ciphertext);
    if (!salt || salt.length < 16 || !iv || iv.length !== GCM_IV_BYTES || !tag || tag.length !== GCM_TAG_BYTES || !ciphertext) {
      throw new KeyStoreError(`Key file for ${name} is malformed`);
    }
    const key = await deriveKey(this.passphrase, file.kdf, salt);
    let privateKeyPem: string;
    try {
      privateKeyPem = aesGcmDecrypt(key, iv, ciphertext, tag, headerAad(file)).toString('utf8');
    } catch {
      throw new KeyFilePassphraseError();
    }
    let pair: RsaKeyPair;
    try {
      pair = { privateKeyPem, publicKeyPem: file.publicKeyPem, publicKeyWire: wireKeyFromPem(file.publicKeyPem) };
      assertKeyPair(pair);
    } catch {
      throw new KeyStoreError(`Key file for ${name} holds an inconsistent key pair`);
    }
    return pair;
  }

  private async writeAtomically(path: string, data: string): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
    try {
      const handle = await open(tmp, 'wx', 0o600);
      try {
        await handle.writeFile(data, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await chmod(tmp, 0o600);
      await rename(tmp, path);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw new KeyStoreError(`Cannot write key file: ${(err as Error).message}`);
    }
    // Persist the rename itself (best effort: not every platform can fsync a directory).
    try {
      const dirHandle = await open(this.dir, 'r');
      try {
        await dirHandle.sync();
      } finally {
        await dirHandle.close();
      }
    } catch {
      // ignored
    }
  }
}
