// Constants of the token.place API v1 relay E2EE protocol (docs/protocol.md §2.1, §5.3, §2.6.2).
import type { ContextTier } from '../vocabulary';

export const PROTOCOL_ID = 'tokenplace_api_v1_relay_e2ee' as const;
export const PROTOCOL_VERSION = 1 as const;

/**
 * Tables looked up by strings that arrive from the wire have no prototype, so `key in table` and
 * `table[key]` see only their own entries: "toString" or "constructor" is no tier and no alias.
 */
function withoutPrototype<T extends object>(entries: T): T {
  return Object.assign(Object.create(null) as T, entries);
}

/** Window sizes of the context tiers in tokens (§5.3); the tier names are in src-shared/vocabulary. */
export const CONTEXT_TIERS = withoutPrototype({
  '8k-fast': 8192,
  '64k-full': 65536,
} as const satisfies Record<ContextTier, number>);
export const DEFAULT_CONTEXT_TIER: ContextTier = '8k-fast';

export const DEFAULT_MODEL_ID = 'qwen3-8b-instruct';

/** Public-catalogue aliases the reference relay resolves to its one model (§5.3). */
export const REFERENCE_MODEL_ALIASES: Readonly<Record<string, string>> = withoutPrototype({
  'llama-3.1-8b-instruct': DEFAULT_MODEL_ID,
  'llama-3-8b-instruct': DEFAULT_MODEL_ID,
  'gpt-3.5-turbo': DEFAULT_MODEL_ID,
  'gpt-5-chat-latest': DEFAULT_MODEL_ID,
});

/** Default time budgets of the reference relay, in seconds (§2.6.2). */
export const REFERENCE_DEFAULTS = {
  leaseSeconds: 30,
  pollWaitSeconds: 10,
  requestDeadlineSeconds: 480,
  clientResponseGraceSeconds: 5,
  terminalRecordTtlSeconds: 300,
  controlTombstoneTtlSeconds: 60,
  maxQueueDepthPerNode: 1024,
  progressBodyLimitBytes: 16 * 1024,
} as const;

/** Node-side limits on the inner request (§2.3.1, §5.2). */
export const INNER_REQUEST_LIMITS = {
  maxMessages: 64,
  maxBlocksPerMessage: 32,
  maxNameChars: 128,
  maxContentUtf8Bytes: 524_288,
  maxContentChars: 131_072,
  maxTokens: 8192,
  maxStopItems: 16,
  maxStopChars: 256,
} as const;

/** §10.6 `e2ee_profiles` lists (capabilities and inner envelopes): at most this many names of at most this many characters. */
export const E2EE_PROFILE_LIST_LIMITS = { maxProfiles: 8, maxNameChars: 32 } as const;
