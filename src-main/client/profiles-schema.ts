// Persisted shape of the server list (plain JSON; relay tokens live in the SecretStore instead).
import { z } from 'zod';
import { FingerprintSchema, KnownNodeSchema, type KnownNode } from '../../src-shared/ipc/contract';
import { ContextTierSchema, ServerKindSchema, TrustPolicySchema } from '../../src-shared/vocabulary';
import { ServerUrlSchema } from './server-url';

export const EMBEDDED_PROFILE_ID = 'embedded';
export const PUBLIC_PROFILE_ID = 'token.place';
export const PUBLIC_RELAY_URL = 'https://token.place';

export const ModelIdSchema = z.string().trim().min(1).max(128);
export const ProfileNameSchema = z.string().trim().min(1).max(80);

export const StoredProfileSchema = z.object({
  id: z.string().min(1).max(64),
  name: ProfileNameSchema,
  kind: ServerKindSchema,
  /** null for the embedded relay: its URL is known only while it runs. */
  url: ServerUrlSchema.nullable(),
  defaultModel: ModelIdSchema.nullable(),
  contextTier: ContextTierSchema.nullable(),
});
export type StoredProfile = z.infer<typeof StoredProfileSchema>;

// The remembered node keys are persisted in the same shape the IPC contract shows them (one schema).
export { FingerprintSchema, KnownNodeSchema, type KnownNode };

/** One server's node keys and how they are trusted (node-book.ts). */
export const NodeBookSchema = z.preprocess(
  fromPinnedBook,
  z.object({
    policy: TrustPolicySchema,
    known: z.array(KnownNodeSchema),
  }),
);
export type NodeBook = z.infer<typeof NodeBookSchema>;

/**
 * Books written before trust policies held one pinned key (`pinned`, `pinMode` 'warn' | 'require'):
 * the pinned key becomes the one confirmed key, 'require' becomes `trusted-only` and 'warn' `ask`.
 */
function fromPinnedBook(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('pinMode' in value)) return value;
  const old = value as { pinned?: unknown; pinMode?: unknown; known?: unknown };
  const known = Array.isArray(old.known) ? (old.known as Record<string, unknown>[]) : [];
  const pinned = typeof old.pinned === 'string' ? old.pinned : null;
  const marked: Record<string, unknown>[] = known.map((n) => ({ ...n, trusted: n.fingerprint === pinned ? 'confirmed' : null }));
  if (pinned !== null && !known.some((n) => n.fingerprint === pinned)) {
    marked.unshift({ fingerprint: pinned, firstSeenAt: 0, lastSeenAt: 0, answers: 0, trusted: 'confirmed' });
  }
  return { policy: old.pinMode === 'require' ? 'trusted-only' : 'ask', known: marked };
}

export const ProfilesStateSchema = z.object({
  version: z.literal(1),
  activeId: z.string(),
  profiles: z.array(StoredProfileSchema),
  nodes: z.record(z.string(), NodeBookSchema),
});
export type ProfilesState = z.infer<typeof ProfilesStateSchema>;

/** What a caller may set when adding or editing a custom server. */
export const ProfileInputSchema = z.object({
  name: ProfileNameSchema,
  url: ServerUrlSchema,
  defaultModel: ModelIdSchema.nullable().optional(),
  contextTier: ContextTierSchema.nullable().optional(),
});
export type ProfileInput = z.input<typeof ProfileInputSchema>;

/** Editing sets any subset of the same fields. */
export const ProfilePatchSchema = ProfileInputSchema.partial();
export type ProfilePatch = z.input<typeof ProfilePatchSchema>;

export function defaultProfilesState(): ProfilesState {
  return {
    version: 1,
    activeId: EMBEDDED_PROFILE_ID,
    profiles: [
      { id: EMBEDDED_PROFILE_ID, name: 'This computer (built-in relay)', kind: 'embedded', url: null, defaultModel: null, contextTier: null },
      { id: PUBLIC_PROFILE_ID, name: 'token.place', kind: 'public', url: PUBLIC_RELAY_URL, defaultModel: null, contextTier: null },
    ],
    nodes: {},
  };
}
