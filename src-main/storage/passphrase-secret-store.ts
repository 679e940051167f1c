// A SecretStore sealed with a key derived from a passphrase (scrypt): the fallback when the OS
// offers no secure storage, the headless node's key file, and the implementation used in tests.
// A new store refuses an obviously weak passphrase (passphrase-strength.ts); a store written with
// a cheaper scrypt cost than today's is re-sealed at today's cost when it is next opened.
//
// File (JSON): { format, version, kdf: { name: "scrypt", N, r, p, salt }, verifier, box }
// key = scrypt(passphrase, salt); verifier = HMAC-SHA256(key, "verifier") tells a wrong
// passphrase apart from a modified file (it costs an attacker the same scrypt work as the box);
// box = sealed-box of the JSON map { name: value } with context "secrets".
import { createHmac, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-write';
import { TamperedDataError, WrongPassphraseError } from './errors';
import { assertStrongPassphrase } from './passphrase-strength';
import { readFileIfExists } from './read-if-exists';
import { sealJson, unsealJson } from './sealed-box';
import type { SecretStore } from './secret-store';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}
/** 2^17 × r 8 = 128 MiB and roughly 0.3–0.5 s per derivation on a laptop; tests pass a cheaper cost. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

/** A file's cost is below the target in any parameter: re-seal it at the target. */
function weakerThan(cost: ScryptCost, target: ScryptCost): boolean {
  return cost.N < target.N || cost.r < target.r || cost.p < target.p;
}

const FileSchema = z.object({
  format: z.literal('tokenplace-secrets'),
  version: z.literal(1),
  kdf: z.object({
    name: z.literal('scrypt'),
    N: z.number().int().min(2).max(2 ** 22),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    salt: z.string(),
  }),
  verifier: z.string(),
  box: z.string(),
});
const SecretMapSchema = z.record(z.string(), z.string());

async function deriveKey(passphrase: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return scrypt(passphrase.normalize('NFC'), salt, 32, { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 });
}

function verifierOf(key: Buffer): Buffer {
  return createHmac('sha256', key).update('tokenplace-secrets-verifier').digest();
}

export interface PassphraseSecretStoreOptions {
  cost?: ScryptCost;
}

export class PassphraseSecretStore implements SecretStore {
  readonly kind = 'passphrase' as const;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly key: Buffer,
    private readonly header: Omit<z.infer<typeof FileSchema>, 'box'>,
    private readonly values: Map<string, string>,
  ) {}

  /**
   * Opens the store at `file`, creating it on first use (a weak passphrase is then refused with
   * WeakPassphraseError). A store sealed at a cheaper cost than `opts.cost` (default
   * DEFAULT_SCRYPT_COST) is re-sealed at that cost with a new salt. Throws WrongPassphraseError or
   * TamperedDataError.
   */
  static async open(file: string, passphrase: string, opts: PassphraseSecretStoreOptions = {}): Promise<PassphraseSecretStore> {
    const target = opts.cost ?? DEFAULT_SCRYPT_COST;
    const raw = (await readFileIfExists(file))?.toString('utf8') ?? null;
    if (raw === null) {
      await assertStrongPassphrase(passphrase);
      const store = await PassphraseSecretStore.sealed(file, passphrase, target, new Map());
      await store.persist();
      return store;
    }
    let parsed: z.infer<typeof FileSchema>;
    try {
      parsed = FileSchema.parse(JSON.parse(raw));
    } catch {
      throw new TamperedDataError('secret store');
    }
    const { box, ...header } = parsed;
    const key = await deriveKey(passphrase, Buffer.from(header.kdf.salt, 'base64'), header.kdf);
    const expected = verifierOf(key);
    const stored = Buffer.from(header.verifier, 'base64');
    if (stored.length !== expected.length || !timingSafeEqual(stored, expected)) throw new WrongPassphraseError();
    const map = SecretMapSchema.safeParse(unsealJson(key, 'secrets', Buffer.from(box, 'base64'), 'secret store'));
    if (!map.success) throw new TamperedDataError('secret store');
    const values = new Map(Object.entries(map.data));
    if (!weakerThan(header.kdf, target)) return new PassphraseSecretStore(file, key, header, values);
    const upgraded = await PassphraseSecretStore.sealed(file, passphrase, target, values);
    try {
      await upgraded.persist();
      return upgraded;
    } catch {
      // The file stays as it was (written atomically); the next unlock tries again.
      return new PassphraseSecretStore(file, key, header, values);
    }
  }

  /** A store under a fresh salt at `cost` (not yet written). */
  private static async sealed(file: string, passphrase: string, cost: ScryptCost, values: Map<string, string>): Promise<PassphraseSecretStore> {
    const salt = randomBytes(16);
    const key = await deriveKey(passphrase, salt, cost);
    const header = {
      format: 'tokenplace-secrets' as const,
      version: 1 as const,
      kdf: { name: 'scrypt' as const, N: cost.N, r: cost.r, p: cost.p, salt: salt.toString('base64') },
      verifier: verifierOf(key).toString('base64'),
    };
    return new PassphraseSecretStore(file, key, header, values);
  }

  async get(name: string): Promise<string | null> {
    return this.values.get(name) ?? null;
  }

  async set(name: string, value: string): Promise<void> {
    this.values.set(name, value);
    await this.persist();
  }

  async delete(name: string): Promise<void> {
    if (this.values.delete(name)) await this.persist();
  }

  /** Serialised so concurrent set() calls land in order; each write is atomic. */
  private persist(): Promise<void> {
    const snapshot = Object.fromEntries(this.values);
    const next = this.writing.then(async () => {
      const box = sealJson(this.key, 'secrets', snapshot).toString('base64');
      await writeFileAtomic(this.file, Buffer.from(JSON.stringify({ ...this.header, box }), 'utf8'));
    });
    this.writing = next.catch(() => undefined);
    return next;
  }
}

export function openPassphraseSecretStore(
  file: string,
  passphrase: string,
  opts?: PassphraseSecretStoreOptions,
): Promise<PassphraseSecretStore> {
  return PassphraseSecretStore.open(file, passphrase, opts);
}
