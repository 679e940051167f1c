// Inner (encrypted) envelopes of API v1 relay E2EE (docs/protocol.md §2.3).
// Shared by the compute node (validates requests, builds replies/progress) and the client
// (builds requests, validates replies/progress). No Node or DOM imports.
import { z } from 'zod';
import {
  ContextTierSchema,
  MessageRoleSchema,
  ProgressPhaseSchema,
  type AdvertisedE2eeProfile,
  type ContextTier,
} from '../vocabulary';
import { E2EE_PROFILE_LIST_LIMITS, INNER_REQUEST_LIMITS, PROTOCOL_ID, PROTOCOL_VERSION } from './constants';
import type { NodeErrorCode } from './error-codes';
import { utf8ByteLength } from './utf8';

const L = INNER_REQUEST_LIMITS;

// ---------------------------------------------------------------------------------------------
// Common header (§2.3): protocol, version, request_id, client_public_key of the requesting client,
// and optionally the e2ee profiles the sender speaks besides the reference one (§10.6).

/** §10.6 `e2ee_profiles`: names as sent (unknown ones are kept, and ignored); a malformed list counts as none. */
const E2eeProfilesSchema = z
  .array(z.string().max(E2EE_PROFILE_LIST_LIMITS.maxNameChars))
  .max(E2EE_PROFILE_LIST_LIMITS.maxProfiles)
  .optional()
  .catch(undefined);

export const InnerEnvelopeHeaderSchema = z.object({
  protocol: z.literal(PROTOCOL_ID),
  version: z.literal(PROTOCOL_VERSION),
  request_id: z.string().min(1),
  client_public_key: z.string().min(1),
  e2ee_profiles: E2eeProfilesSchema,
});
export type InnerEnvelopeHeader = z.infer<typeof InnerEnvelopeHeaderSchema>;

const AdvertisingSchema = z.object({ e2ee_profiles: E2eeProfilesSchema });

/** Whether a decrypted inner envelope (any kind, unvalidated) lists `profile` in `e2ee_profiles` (§10.6). */
export function advertisesE2eeProfile(inner: unknown, profile: AdvertisedE2eeProfile): boolean {
  const parsed = AdvertisingSchema.safeParse(inner);
  return parsed.success && (parsed.data.e2ee_profiles ?? []).includes(profile);
}

// ---------------------------------------------------------------------------------------------
// Request (§2.3.1)

/** A text block of a list-form message content: exactly `{type, text}`. Images are refused. */
export const InnerContentBlockSchema = z.strictObject({
  type: z.enum(['text', 'input_text']),
  text: z.string().min(1),
});
export type InnerContentBlock = z.infer<typeof InnerContentBlockSchema>;

export const InnerMessageContentSchema = z.union([
  z.string(),
  z.array(InnerContentBlockSchema).min(1).max(L.maxBlocksPerMessage),
]);
export type InnerMessageContent = z.infer<typeof InnerMessageContentSchema>;

/** Keys ⊆ {role, content, name}; content required; name ≤ 128 chars. */
export const InnerMessageSchema = z.strictObject({
  role: MessageRoleSchema,
  content: InnerMessageContentSchema,
  name: z.string().max(L.maxNameChars).optional(),
});
export type InnerMessage = z.infer<typeof InnerMessageSchema>;

export const InnerMessagesSchema = z.array(InnerMessageSchema).min(1).max(L.maxMessages);

/** Options a node accepts (§2.3.1 allowlist). */
export const SUPPORTED_OPTION_KEYS = [
  'max_tokens',
  'temperature',
  'top_p',
  'frequency_penalty',
  'presence_penalty',
  'seed',
  'stop',
  'stream',
] as const;
/** Options that are known but refused with `compute_node_options_unsupported`. */
export const REFUSED_OPTION_KEYS = [
  'tools',
  'tool_choice',
  'functions',
  'function_call',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'n',
  'parallel_tool_calls',
  'response_format',
] as const;

const stopItem = z.string().min(1).max(L.maxStopChars);
const maybe = <T extends z.ZodType>(schema: T) => schema.nullish();

/**
 * Option values. z.number() already refuses booleans, NaN and ±Infinity ("booleans are not
 * numbers"). `null` is treated like an absent option. `stream` may only be false (§5.5).
 */
export const InnerOptionsSchema = z.strictObject({
  max_tokens: maybe(z.int().min(1).max(L.maxTokens)),
  temperature: maybe(z.number().min(0).max(2)),
  top_p: maybe(z.number().min(0).max(1)),
  frequency_penalty: maybe(z.number().min(-2).max(2)),
  presence_penalty: maybe(z.number().min(-2).max(2)),
  seed: maybe(z.int().min(0).max(2 ** 32 - 1)),
  stop: maybe(z.union([stopItem, z.array(stopItem).max(L.maxStopItems)])),
  stream: maybe(z.literal(false)),
});
export type InnerOptions = z.infer<typeof InnerOptionsSchema>;

export const InnerRoutingSchema = z.object({ context_tier: ContextTierSchema.nullish() });
export type InnerRouting = z.infer<typeof InnerRoutingSchema>;

/** §2.3.6: the value of `api_v1_request.reasoning` that asks our node to keep a model's reasoning. */
export const KEEP_REASONING = 'keep' as const;

/** `api_v1_request`; extra keys are ignored (§2.3.1). */
export const InnerApiV1RequestSchema = z.object({
  model: z.string().min(1),
  messages: InnerMessagesSchema,
  options: InnerOptionsSchema.nullish().transform((o) => o ?? {}),
  routing: InnerRoutingSchema.nullish(),
  /** §2.3.6: `"keep"` asks our node to keep a <think> block; any other value counts as not asking. */
  reasoning: z.literal(KEEP_REASONING).optional().catch(undefined),
});
export type InnerApiV1Request = z.infer<typeof InnerApiV1RequestSchema>;

/**
 * `stream: true` (aead-v1 requests only, §11.1) asks for the answer as chunks or snapshots; any
 * other value counts as not asking.
 */
export const InnerRequestSchema = InnerEnvelopeHeaderSchema.extend({
  api_v1_request: InnerApiV1RequestSchema,
  stream: z.boolean().optional().catch(undefined),
});
export type InnerRequest = z.infer<typeof InnerRequestSchema>;

// ---------------------------------------------------------------------------------------------
// Error body (§2.3.3). `code` and `message` always; the rest are optional diagnostics.

export const InnerErrorSchema = z.looseObject({
  code: z.string().min(1),
  message: z.string(),
  request_id: z.string().optional(),
  type: z.string().optional(),
  internal_reason: z.string().optional(),
  active_context_tier: z.string().optional(),
  requested_context_tier: z.string().nullable().optional(),
  rejected_option: z.string().optional(),
  retryable: z.boolean().optional(),
  configured_context_tokens: z.number().optional(),
  prompt_tokens: z.number().optional(),
  requested_output_tokens: z.number().optional(),
  runtime_healthy: z.boolean().optional(),
  recovery_attempted: z.boolean().optional(),
  recovery_succeeded: z.boolean().optional(),
  message_count: z.number().optional(),
  total_content_chars: z.number().optional(),
  maximum_total_content_chars: z.number().optional(),
  total_content_utf8_bytes: z.number().optional(),
  maximum_total_content_utf8_bytes: z.number().optional(),
});
export type InnerError = z.infer<typeof InnerErrorSchema>;
/** What a node puts in an error reply: a §5.4 node code plus optional diagnostics. */
export type InnerErrorDetails = Omit<InnerError, 'code'> & { code: NodeErrorCode };

/**
 * The one reply a node gives when it cannot decrypt a work item, or the decrypted item is not a
 * bound API v1 envelope (wrong protocol/version, missing request_id, inner client key ≠ outer).
 * Identical for every such failure so it is no oracle (§1.9.3). Sent to the outer client key and
 * outer request_id only; never carries diagnostics.
 */
export const GENERIC_UNPROCESSABLE_ERROR: Readonly<{ code: NodeErrorCode; message: string }> = Object.freeze({
  code: 'compute_node_invalid_request',
  message: 'The compute node could not process this request',
});

// ---------------------------------------------------------------------------------------------
// Request validation with the §2.3.1 error codes.

export type InnerRequestValidation =
  | { ok: true; request: InnerRequest; contentUtf8Bytes: number; contentChars: number }
  /** Not a bound API v1 envelope: answer at most with GENERIC_UNPROCESSABLE_ERROR (§1.9.3). */
  | { ok: false; kind: 'unbound' }
  /** Bound but invalid: answer with `error` to `requestId`/`clientPublicKey` (encrypted). */
  | { ok: false; kind: 'rejected'; requestId: string; clientPublicKey: string; error: InnerErrorDetails };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Text of a message content: a string as is, a block list joined with "\n". */
export function messageContentText(content: InnerMessageContent): string {
  return typeof content === 'string' ? content : content.map((b) => b.text).join('\n');
}

function contentSize(messages: readonly InnerMessage[]): { bytes: number; chars: number } {
  let bytes = 0;
  let chars = 0;
  for (const m of messages) {
    const parts = typeof m.content === 'string' ? [m.content] : m.content.map((b) => b.text);
    for (const p of parts) {
      bytes += utf8ByteLength(p);
      chars += p.length;
    }
  }
  return { bytes, chars };
}

/** Describes the first zod issue by path and kind only; never echoes submitted values. */
function describeIssue(prefix: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${prefix} is invalid`;
  const path = issue.path.reduce<string>(
    (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : `${acc}.${String(seg)}`),
    prefix,
  );
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${path} has unsupported keys: ${issue.keys.join(', ')}`;
    case 'too_small':
      return `${path} is too small or too short`;
    case 'too_big':
      return `${path} is too large or too long`;
    case 'invalid_value':
      return `${path} has a value that is not allowed`;
    case 'invalid_type':
      return `${path} must be ${issue.expected}`;
    default:
      return `${path} is invalid`;
  }
}

/**
 * Validates a decrypted inner request exactly as §2.3.1 describes.
 * `outerClientPublicKey` is the relay-supplied `client_public_key` of the work item; the inner
 * value must equal it (after trimming the outer value, §1.2 rule 3).
 */
export function validateInnerRequest(value: unknown, outerClientPublicKey: string): InnerRequestValidation {
  const header = InnerEnvelopeHeaderSchema.safeParse(value);
  if (!header.success || header.data.client_public_key !== outerClientPublicKey.trim()) {
    return { ok: false, kind: 'unbound' };
  }
  const { request_id: requestId, client_public_key: clientPublicKey } = header.data;
  const reject = (code: NodeErrorCode, message: string, extra: Partial<InnerError> = {}): InnerRequestValidation => ({
    ok: false,
    kind: 'rejected',
    requestId,
    clientPublicKey,
    error: { ...extra, code, message, request_id: requestId },
  });

  const api = (value as Record<string, unknown>).api_v1_request;
  if (!isPlainObject(api)) return reject('compute_node_invalid_request', 'api_v1_request must be an object');
  if (typeof api.model !== 'string' || api.model.length === 0) {
    return reject('compute_node_invalid_request', 'api_v1_request.model must be a non-empty string');
  }

  const messages = InnerMessagesSchema.safeParse(api.messages);
  if (!messages.success) return reject('compute_node_invalid_request', describeIssue('messages', messages.error));
  const size = contentSize(messages.data);
  if (size.bytes > L.maxContentUtf8Bytes) {
    return reject('compute_node_request_too_large', 'Message content exceeds the compute node size limit', {
      type: 'validation_error',
      message_count: messages.data.length,
      total_content_chars: size.chars,
      maximum_total_content_chars: L.maxContentChars,
      total_content_utf8_bytes: size.bytes,
      maximum_total_content_utf8_bytes: L.maxContentUtf8Bytes,
    });
  }

  const rawOptions = api.options ?? {};
  if (!isPlainObject(rawOptions)) return reject('compute_node_invalid_request', 'options must be an object');
  const supported: readonly string[] = SUPPORTED_OPTION_KEYS;
  for (const key of Object.keys(rawOptions)) {
    if (!supported.includes(key)) {
      return reject('compute_node_options_unsupported', `Option ${key} is not supported`, { rejected_option: key });
    }
  }
  if (rawOptions.stream === true) {
    return reject('compute_node_options_unsupported', 'Streaming is not supported on API v1 relay requests', {
      rejected_option: 'stream',
    });
  }
  const options = InnerOptionsSchema.safeParse(rawOptions);
  if (!options.success) {
    const key = options.error.issues[0]?.path[0];
    return reject('compute_node_invalid_request', describeIssue('options', options.error), {
      ...(typeof key === 'string' ? { rejected_option: key } : {}),
    });
  }

  const routing = InnerRoutingSchema.nullish().safeParse(api.routing);
  if (!routing.success) return reject('compute_node_invalid_request', describeIssue('routing', routing.error));

  const parsed = InnerRequestSchema.safeParse(value);
  if (!parsed.success) return reject('compute_node_invalid_request', describeIssue('request', parsed.error));
  return { ok: true, request: parsed.data, contentUtf8Bytes: size.bytes, contentChars: size.chars };
}

/** The §2.3.1 option values without `null` entries and without `stream` (always false). */
export interface EffectiveOptions {
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  seed?: number;
  stop?: string | string[];
}

/** Options with `null` entries dropped: what a provider should actually apply. */
export function effectiveOptions(options: InnerOptions): EffectiveOptions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (v !== null && v !== undefined && k !== 'stream') out[k] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Success / error responses (§2.3.2, §2.3.3)

export const InnerUsageSchema = z.looseObject({
  prompt_tokens: z.int().min(0).optional(),
  completion_tokens: z.int().min(0).optional(),
  total_tokens: z.int().min(0).optional(),
});
export type InnerUsage = z.infer<typeof InnerUsageSchema>;

export const InnerOutputBudgetSchema = z.looseObject({
  requested_tokens: z.int().min(0).optional(),
  available_tokens: z.int().min(0).optional(),
  effective_tokens: z.int().min(0).optional(),
});
export type InnerOutputBudget = z.infer<typeof InnerOutputBudgetSchema>;

/** Assistant message with non-empty `content` or non-empty `tool_calls`. */
export const InnerAssistantMessageSchema = z
  .looseObject({
    role: z.literal('assistant'),
    content: z.string().nullish(),
    tool_calls: z.array(z.unknown()).optional(),
  })
  .refine((m) => (typeof m.content === 'string' && m.content.length > 0) || (m.tool_calls?.length ?? 0) > 0, {
    message: 'assistant message needs non-empty content or tool_calls',
  });
export type InnerAssistantMessage = z.infer<typeof InnerAssistantMessageSchema>;

export const InnerSuccessBodySchema = z.looseObject({
  message: InnerAssistantMessageSchema,
  finish_reason: z.string().nullish(),
  usage: InnerUsageSchema.nullish(),
  output_budget: InnerOutputBudgetSchema.nullish(),
});
export const InnerErrorBodySchema = z.looseObject({ error: InnerErrorSchema });

export const InnerSuccessResponseSchema = InnerEnvelopeHeaderSchema.extend({ api_v1_response: InnerSuccessBodySchema });
export type InnerSuccessResponse = z.infer<typeof InnerSuccessResponseSchema>;
export const InnerErrorResponseSchema = InnerEnvelopeHeaderSchema.extend({ api_v1_response: InnerErrorBodySchema });
export type InnerErrorResponse = z.infer<typeof InnerErrorResponseSchema>;
export type InnerResponse = InnerSuccessResponse | InnerErrorResponse;

export type InnerResponseParse =
  | { ok: true; kind: 'message'; response: InnerSuccessResponse }
  | { ok: true; kind: 'error'; response: InnerErrorResponse; error: InnerError }
  /** Not a valid reply bound to this request and client (treat as an invalid payload). */
  | { ok: false; reason: 'schema' | 'binding' };

/**
 * Client-side acceptance (§2.3.2): protocol exact, version 1, request_id equal to the one sent,
 * client_public_key equal to our own wire key, and either a message or an error (not both).
 */
export function parseInnerResponse(
  value: unknown,
  expected: { requestId: string; clientPublicKey: string },
): InnerResponseParse {
  const header = InnerEnvelopeHeaderSchema.safeParse(value);
  if (!header.success) return { ok: false, reason: 'schema' };
  if (header.data.request_id !== expected.requestId || header.data.client_public_key !== expected.clientPublicKey) {
    return { ok: false, reason: 'binding' };
  }
  const body = (value as Record<string, unknown>).api_v1_response;
  if (isPlainObject(body) && 'error' in body) {
    if ('message' in body) return { ok: false, reason: 'schema' };
    const parsed = InnerErrorResponseSchema.safeParse(value);
    if (!parsed.success) return { ok: false, reason: 'schema' };
    return { ok: true, kind: 'error', response: parsed.data, error: parsed.data.api_v1_response.error };
  }
  const parsed = InnerSuccessResponseSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: 'schema' };
  return { ok: true, kind: 'message', response: parsed.data };
}

// ---------------------------------------------------------------------------------------------
// Progress (§2.3.4): exactly these keys; invalid updates are ignored, never fatal.


const counter = z.int().min(0);
export const InnerProgressBodySchema = z
  .strictObject({
    schema_version: z.literal(1),
    sequence: z.int().min(1),
    phase: ProgressPhaseSchema,
    total_prompt_tokens: counter,
    cached_prompt_tokens: counter,
    processed_prompt_tokens: counter,
    generated_tokens: counter,
    elapsed_ms: counter,
  })
  .refine(
    (p) =>
      p.total_prompt_tokens === 0 ||
      (p.cached_prompt_tokens <= p.processed_prompt_tokens && p.processed_prompt_tokens <= p.total_prompt_tokens),
    { message: 'cached ≤ processed ≤ total when total > 0' },
  );
export type InnerProgressBody = z.infer<typeof InnerProgressBodySchema>;

/** Progress is exactly the header (without `e2ee_profiles`, §10.6) and its body. */
export const InnerProgressSchema = z.strictObject({
  ...InnerEnvelopeHeaderSchema.omit({ e2ee_profiles: true }).shape,
  api_v1_progress: InnerProgressBodySchema,
});
export type InnerProgress = z.infer<typeof InnerProgressSchema>;

/** §11.6 the answer's text so far, from its start, that an aead-v1 progress update may carry. */
export const InnerStreamSnapshotSchema = z.strictObject({ text: z.string() });
export type InnerStreamSnapshot = z.infer<typeof InnerStreamSnapshotSchema>;

/** aead-v1 progress (§10.5.3): the reference keys of §2.3.4 and, optionally, a snapshot (§11.6). */
export const InnerAeadProgressSchema = InnerProgressSchema.extend({ stream_snapshot: InnerStreamSnapshotSchema.optional() });
export type InnerAeadProgress = z.infer<typeof InnerAeadProgressSchema>;

/** Returns the progress body if valid, bound to this request/client and newer than `lastSequence`; else null. */
export function parseInnerProgress(
  value: unknown,
  expected: { requestId: string; clientPublicKey: string; lastSequence?: number },
): InnerProgressBody | null {
  const parsed = InnerProgressSchema.safeParse(value);
  if (!parsed.success) return null;
  const p = parsed.data;
  if (p.request_id !== expected.requestId || p.client_public_key !== expected.clientPublicKey) return null;
  if (p.api_v1_progress.sequence <= (expected.lastSequence ?? 0)) return null;
  return p.api_v1_progress;
}

/** parseInnerProgress for an aead-v1 update, which may carry a §11.6 snapshot (null when none). */
export function parseInnerAeadProgress(
  value: unknown,
  expected: { requestId: string; clientPublicKey: string; lastSequence?: number },
): { progress: InnerProgressBody; snapshot: InnerStreamSnapshot | null } | null {
  const parsed = InnerAeadProgressSchema.safeParse(value);
  if (!parsed.success) return null;
  const { stream_snapshot: snapshot, ...reference } = parsed.data;
  const progress = parseInnerProgress(reference, expected);
  return progress ? { progress, snapshot: snapshot ?? null } : null;
}

// ---------------------------------------------------------------------------------------------
// Builders

const header = (requestId: string, clientPublicKey: string, e2eeProfiles?: readonly AdvertisedE2eeProfile[]): InnerEnvelopeHeader => ({
  protocol: PROTOCOL_ID,
  version: PROTOCOL_VERSION,
  request_id: requestId,
  client_public_key: clientPublicKey,
  ...(e2eeProfiles && e2eeProfiles.length > 0 ? { e2ee_profiles: [...e2eeProfiles] } : {}),
});

/** Profiles a sender advertises in a CBC inner envelope (§10.6); absent or empty = none. */
interface AdvertisingInput {
  e2eeProfiles?: readonly AdvertisedE2eeProfile[];
}

export interface BuildInnerRequestInput extends AdvertisingInput {
  requestId: string;
  clientPublicKey: string;
  model: string;
  messages: InnerMessage[];
  options?: InnerOptions;
  contextTier?: ContextTier | null;
  /** Ask for a streamed answer (§11.1); only ever set on aead-v1 requests. */
  stream?: boolean;
  /** Ask the node to keep a model's reasoning (§2.3.6); only ever set on aead-v1 requests. */
  keepReasoning?: boolean;
}

/** Builds (and validates) the inner request a client encrypts to the node key. Throws ZodError on bad input. */
export function buildInnerRequest(input: BuildInnerRequestInput): InnerRequest {
  return InnerRequestSchema.parse({
    ...header(input.requestId, input.clientPublicKey, input.e2eeProfiles),
    api_v1_request: {
      model: input.model,
      messages: input.messages,
      options: input.options ?? {},
      routing: input.contextTier ? { context_tier: input.contextTier } : null,
      ...(input.keepReasoning ? { reasoning: KEEP_REASONING } : {}),
    },
    ...(input.stream ? { stream: true } : {}),
  });
}

export interface BuildInnerSuccessInput extends AdvertisingInput {
  requestId: string;
  clientPublicKey: string;
  content: string;
  finishReason?: string | null;
  usage?: InnerUsage;
  outputBudget?: InnerOutputBudget;
}

export function buildInnerSuccessResponse(input: BuildInnerSuccessInput): InnerSuccessResponse {
  return InnerSuccessResponseSchema.parse({
    ...header(input.requestId, input.clientPublicKey, input.e2eeProfiles),
    api_v1_response: {
      message: { role: 'assistant', content: input.content },
      ...(input.finishReason ? { finish_reason: input.finishReason } : {}),
      ...(input.usage ? { usage: input.usage } : {}),
      ...(input.outputBudget ? { output_budget: input.outputBudget } : {}),
    },
  });
}

export function buildInnerErrorResponse(
  input: AdvertisingInput & {
    requestId: string;
    clientPublicKey: string;
    error: InnerErrorDetails | InnerError;
  },
): InnerErrorResponse {
  return InnerErrorResponseSchema.parse({
    ...header(input.requestId, input.clientPublicKey, input.e2eeProfiles),
    api_v1_response: { error: input.error },
  });
}

export function buildInnerProgress(input: {
  requestId: string;
  clientPublicKey: string;
  progress: Omit<InnerProgressBody, 'schema_version'>;
  /** §11.6, aead-v1 updates only: the answer's text so far. */
  snapshot?: InnerStreamSnapshot;
}): InnerAeadProgress {
  return InnerAeadProgressSchema.parse({
    ...header(input.requestId, input.clientPublicKey),
    api_v1_progress: { schema_version: 1, ...input.progress },
    ...(input.snapshot ? { stream_snapshot: input.snapshot } : {}),
  });
}
