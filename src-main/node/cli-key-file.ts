// The headless node's key file (`--key-file`): the node key pair in a passphrase-sealed store
// (storage's PassphraseSecretStore: scrypt, AES-256-GCM, written atomically), so the node keeps
// its identity across restarts (docs/protocol.md §6.5), and the pairs it rotates to are saved as
// it switches. The passphrase comes from a file or the environment (cli-args.ts), never a flag.
import { readFile } from 'node:fs/promises';
import { keyFingerprint } from '../crypto';
import { loadOrCreateNodeKey, openPassphraseSecretStore, saveNodeKey, TamperedDataError, WeakPassphraseError, WrongPassphraseError, type SecretStore } from '../storage';
import type { NodeCliOptions } from './cli-args';
import { keySourceStartingWith, type NodeKeySource } from './key-source';

/** The key file cannot be used; the message says why and what to do. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
}

export interface OpenedKeyFile {
  source: NodeKeySource;
  /** Saves the pair a 'rotated' event names; resolves with a warning line when that failed. */
  saveRotation(fingerprint: string): Promise<string | null>;
  /** One line for the log: which key, new or loaded. */
  describe: string;
}

async function passphraseOf(keyFile: NonNullable<NodeCliOptions['keyFile']>, env: NodeJS.ProcessEnv): Promise<string> {
  const from = keyFile.passphrase;
  let passphrase: string;
  if ('env' in from) {
    passphrase = env[from.env] ?? '';
  } else {
    try {
      passphrase = (await readFile(from.file, 'utf8')).replace(/\r?\n$/, '');
    } catch (err) {
      throw new KeyFileError(`cannot read the passphrase file ${from.file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (passphrase.length === 0) throw new KeyFileError(`the key file's passphrase is empty (${'env' in from ? from.env : from.file})`);
  return passphrase;
}

export async function openKeyFile(keyFile: NonNullable<NodeCliOptions['keyFile']>, env: NodeJS.ProcessEnv, rotateAfterMs?: number): Promise<OpenedKeyFile> {
  const passphrase = await passphraseOf(keyFile, env);
  let store: SecretStore;
  try {
    store = await openPassphraseSecretStore(keyFile.path, passphrase);
  } catch (err) {
    if (err instanceof WrongPassphraseError) throw new KeyFileError(`the passphrase does not open the key file ${keyFile.path}`);
    if (err instanceof WeakPassphraseError) throw new KeyFileError(`${err.message} (it would protect the new key file ${keyFile.path})`);
    if (err instanceof TamperedDataError) throw new KeyFileError(`the key file ${keyFile.path} is damaged or is not a token.place key file`);
    throw new KeyFileError(`cannot open the key file ${keyFile.path}: ${(err as Error).message}`);
  }
  let key;
  try {
    key = await loadOrCreateNodeKey(store, rotateAfterMs ? { rotateAfterMs } : {});
  } catch (err) {
    if (err instanceof TamperedDataError) throw new KeyFileError(`the key file ${keyFile.path} holds no usable node key`);
    throw new KeyFileError(`cannot save the node key in ${keyFile.path}: ${(err as Error).message}`);
  }
  const source = keySourceStartingWith(key.pair);
  const fingerprint = keyFingerprint(key.pair.publicKeyPem).slice(0, 16);
  return {
    source,
    describe: key.fresh ? `new node key ${fingerprint}… saved in ${keyFile.path}` : `node key ${fingerprint}… from ${keyFile.path}`,
    async saveRotation(rotatedTo) {
      const pair = source.rotatedTo(rotatedTo);
      if (!pair) return null;
      try {
        await saveNodeKey(store, { pair, createdAt: Date.now() });
        return null;
      } catch (err) {
        return `could not save the rotated key in ${keyFile.path} (${(err as Error).message}); the next start uses the previous key`;
      }
    },
  };
}
