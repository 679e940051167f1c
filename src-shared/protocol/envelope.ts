// Hybrid-envelope wire shapes (docs/protocol.md §1.5). All binary values are standard padded
// base64 *strings*; schemas here only check shape — base64 is validated strictly by the
// decrypting party (the relay treats these values as opaque strings, §1.5 "Decoders").
import { z } from 'zod';

/** Generic encrypt() output: {ciphertext, cipherkey, iv[, tag, mode:"GCM"]}. No tag/mode ⇒ CBC (§1.4). */
export const GenericEnvelopeSchema = z.object({
  ciphertext: z.string(),
  cipherkey: z.string(),
  iv: z.string(),
  tag: z.string().optional(),
  mode: z.literal('GCM').optional(),
});
export type GenericEnvelope = z.infer<typeof GenericEnvelopeSchema>;

/** CryptoManager.encrypt_message output (compute node → relay, legacy routes): CBC only. */
export const CryptoManagerEnvelopeSchema = z.object({
  chat_history: z.string(),
  cipherkey: z.string(),
  iv: z.string(),
});
export type CryptoManagerEnvelope = z.infer<typeof CryptoManagerEnvelopeSchema>;

/** A relay message carries its ciphertext as `ciphertext` or `chat_history` (§1.5): at least one. */
export const hasCiphertext = (v: { ciphertext?: string; chat_history?: string }): boolean =>
  v.ciphertext !== undefined || v.chat_history !== undefined;
export const CIPHERTEXT_REQUIRED_MESSAGE = 'ciphertext or chat_history is required';

/**
 * POST /api/v1/relay/requests and /responses: `ciphertext` or `chat_history` (at least one;
 * if both, `ciphertext` wins), plus `cipherkey`, `iv`. Routing fields are left to the route schema.
 */
export const RelayMessageEnvelopeSchema = z
  .object({
    ciphertext: z.string().optional(),
    chat_history: z.string().optional(),
    cipherkey: z.string(),
    iv: z.string(),
  })
  .refine(hasCiphertext, { message: CIPHERTEXT_REQUIRED_MESSAGE, path: ['ciphertext'] });
export type RelayMessageEnvelope = z.infer<typeof RelayMessageEnvelopeSchema>;

/** POST /api/v1/relay/progress and `encrypted_progress`: exactly {ciphertext, cipherkey, iv}. */
export const ProgressEnvelopeSchema = z.strictObject({
  ciphertext: z.string(),
  cipherkey: z.string(),
  iv: z.string(),
});
export type ProgressEnvelope = z.infer<typeof ProgressEnvelopeSchema>;

/** Relay message → generic envelope; `ciphertext` wins over `chat_history` (§1.5). Always CBC. */
export function toGenericEnvelope(body: RelayMessageEnvelope | CryptoManagerEnvelope): GenericEnvelope {
  const named = body as { ciphertext?: string; chat_history?: string };
  const ciphertext = named.ciphertext ?? named.chat_history;
  if (ciphertext === undefined) throw new TypeError('Envelope has neither ciphertext nor chat_history');
  return { ciphertext, cipherkey: body.cipherkey, iv: body.iv };
}

function assertCbc(env: GenericEnvelope, shape: string): void {
  if (env.tag !== undefined || env.mode !== undefined) {
    throw new TypeError(`${shape} envelopes are CBC-only (§1.4, §1.5)`);
  }
}

/** Generic (CBC) → CryptoManager shape `{chat_history, cipherkey, iv}`. */
export function toCryptoManagerEnvelope(env: GenericEnvelope): CryptoManagerEnvelope {
  assertCbc(env, 'CryptoManager');
  return { chat_history: env.ciphertext, cipherkey: env.cipherkey, iv: env.iv };
}

/** Generic (CBC) → progress shape `{ciphertext, cipherkey, iv}` (no extra keys). */
export function toProgressEnvelope(env: GenericEnvelope): ProgressEnvelope {
  assertCbc(env, 'Progress');
  return { ciphertext: env.ciphertext, cipherkey: env.cipherkey, iv: env.iv };
}

/** Generic (CBC) → relay message carrying both names, as the reference relay echoes them. */
export function toRelayMessageEnvelope(
  env: GenericEnvelope,
): Required<Pick<RelayMessageEnvelope, 'ciphertext' | 'chat_history'>> & RelayMessageEnvelope {
  assertCbc(env, 'API v1 relay');
  return { ciphertext: env.ciphertext, chat_history: env.ciphertext, cipherkey: env.cipherkey, iv: env.iv };
}
