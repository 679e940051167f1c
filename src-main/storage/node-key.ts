// The compute node's RSA key pair kept in a SecretStore (the OS keychain or a passphrase-sealed
// file), so a node keeps its identity across restarts: the relay knows the same wire key
// (docs/protocol.md §1.8.5), and clients' pins and the relay's verified registration stay valid.
// The pair carries its creation time, so a rotation schedule counts across restarts (§6.5).
import { generateRsaKeyPair, keyPairFromPems, type RsaKeyPair } from '../crypto';
import { z } from 'zod';
import { TamperedDataError } from './errors';
import type { SecretStore } from './secret-store';

export const NODE_KEY_SECRET = 'node.keyPair';

const StoredNodeKeySchema = z.strictObject({
  version: z.literal(1),
  privateKeyPem: z.string().min(1).max(20_000),
  publicKeyPem: z.string().min(1).max(5_000),
  /** Milliseconds since the epoch. */
  createdAt: z.number().int().nonnegative(),
});

export interface NodeKey {
  pair: RsaKeyPair;
  createdAt: number;
}

export interface NodeKeyOptions {
  /** A stored pair at least this old is replaced by a fresh one (the node's rotation interval). */
  rotateAfterMs?: number;
  now?: () => number;
  generate?: () => Promise<RsaKeyPair>;
}

export async function saveNodeKey(secrets: SecretStore, key: NodeKey): Promise<void> {
  const stored: z.infer<typeof StoredNodeKeySchema> = {
    version: 1,
    privateKeyPem: key.pair.privateKeyPem,
    publicKeyPem: key.pair.publicKeyPem,
    createdAt: key.createdAt,
  };
  await secrets.set(NODE_KEY_SECRET, JSON.stringify(stored));
}

/** The stored pair, or null when none is stored. Throws TamperedDataError for one that does not parse. */
export async function loadNodeKey(secrets: SecretStore): Promise<NodeKey | null> {
  const text = await secrets.get(NODE_KEY_SECRET);
  if (text === null) return null;
  try {
    const stored = StoredNodeKeySchema.parse(JSON.parse(text));
    return { pair: keyPairFromPems(stored.privateKeyPem, stored.publicKeyPem), createdAt: stored.createdAt };
  } catch {
    throw new TamperedDataError('node key');
  }
}

/**
 * The node's pair: the stored one, or — when none is stored or it is due for rotation — a fresh
 * one, stored before it is returned (so the next start finds it).
 */
export async function loadOrCreateNodeKey(secrets: SecretStore, opts: NodeKeyOptions = {}): Promise<NodeKey & { fresh: boolean }> {
  const now = opts.now ?? Date.now;
  const stored = await loadNodeKey(secrets);
  const due = stored !== null && opts.rotateAfterMs !== undefined && opts.rotateAfterMs > 0 && now() - stored.createdAt >= opts.rotateAfterMs;
  if (stored && !due) return { ...stored, fresh: false };
  const key = { pair: await (opts.generate ?? generateRsaKeyPair)(), createdAt: now() };
  await saveNodeKey(secrets, key);
  return { ...key, fresh: true };
}
