// Wire schemas of the token.place API v1 relay HTTP routes (/api/v1/relay/*), docs/protocol.md §2.4.
// One schema per body, shared by the relay (validation) and by clients/compute nodes (building
// requests, parsing answers). Request schemas are strict (unknown keys refused, §2.4.2); response
// schemas are loose (extra keys a relay may add are kept, never fatal).
import { z } from 'zod';
import { AdvertisedE2eeProfileSchema, BackendClassSchema, ContextTierSchema } from '../vocabulary';
import { E2EE_PROFILE_LIST_LIMITS, PROTOCOL_ID, PROTOCOL_VERSION } from './constants';
import { CIPHERTEXT_REQUIRED_MESSAGE, hasCiphertext } from './envelope';
import { TERMINAL_REASONS } from './error-codes';
import { ProofChallenge, RegistrationProof } from './registration-proof';

const nonEmpty = z.string().min(1);
const seconds = z.number().nonnegative();
/** The authoritative deadline as relative seconds; both numbers carry the same value (§2.4.2). */
const Deadline = z.object({ request_deadline_remaining_seconds: seconds, request_ttl_seconds: seconds });

/** Field names a relay refuses on envelopes because they would carry plaintext (§2.4.2, §5.5). */
export const PLAINTEXT_FIELD_NAMES = ['messages', 'prompt', 'input', 'content', 'response', 'text'] as const;

/** Header carrying the operator-provisioned compute-node token (§2.2). */
export const RELAY_SERVER_TOKEN_HEADER = 'x-relay-server-token';

/** Header carrying the embedded relay's per-launch secret, held only by the app's client and node (§12). */
export const LAUNCH_SECRET_HEADER = 'x-tokenplace-launch-secret';

/** Longest `wait_seconds` a client may ask `responses/retrieve` to hold (our extension, no polling floor). */
export const MAX_RETRIEVE_WAIT_SECONDS = 25;

// ---------------------------------------------------------------- errors (§2.4, §5.1, §5.4)

/** `{"error": {...}}` — `code` is the HTTP status number or a string code (§2.4). */
export const RelayErrorBody = z.looseObject({
  error: z.looseObject({
    message: z.string(),
    code: z.union([z.number(), z.string()]).optional(),
    status: z.string().optional(),
    reason: z.string().optional(),
    type: z.string().optional(),
  }),
});
export type RelayErrorBody = z.infer<typeof RelayErrorBody>;

// ---------------------------------------------------------------- client routes

/** §2.4.1 query of `GET /api/v1/relay/servers/next`. */
export const NextServerQuery = z.object({
  model: z.string().optional(),
  context_tier: z.string().optional(),
});
export type NextServerQuery = z.infer<typeof NextServerQuery>;

/** §2.4.1 200 body. */
export const NextServerResponse = z.looseObject({
  server_public_key: nonEmpty,
  requested_context_tier: z.string(),
  requested_model: z.string(),
  resolved_model: z.string(),
  selected_context_tier: ContextTierSchema,
  selected_context_window_tokens: z.number().int(),
  selected_model_support: z.array(z.string()),
  selection_policy: z.string(),
  eligible_node_count: z.number().int(),
  eligible_tier_counts: z.record(z.string(), z.number().int()),
  selected_queue_depth: z.number().int(),
  selected_in_flight_count: z.number().int(),
  selected_load_score: z.number(),
  spillover: z.boolean(),
  spillover_reason: z.string().optional(),
  /** §10.6: the chosen node's e2ee profiles besides the reference one; reference relays drop it. */
  e2ee_profiles: z.array(z.string()).optional(),
  /** §11.1: our relay says which read paths it has; reference relays send no such key. */
  relay_capabilities: z.looseObject({ stream_chunks_v1: z.boolean().optional(), encrypted_progress_v1: z.boolean().optional() }).optional().catch(undefined),
});
export type NextServerResponse = z.infer<typeof NextServerResponse>;

/** The ciphertext triple as it travels on submit/response routes (§1.5): `ciphertext` or `chat_history`. */
const envelopeFields = {
  ciphertext: nonEmpty.optional(),
  chat_history: nonEmpty.optional(),
  cipherkey: nonEmpty,
  iv: nonEmpty,
};
/** Optional §2.4.2 allowlist fields that follow the triple (§2.4.7 accepts the same ones). */
const envelopeMetadataFields = {
  request_id: nonEmpty.optional(),
  protocol: z.string().optional(),
  version: z.number().optional(),
};
const ciphertextMessage = { message: CIPHERTEXT_REQUIRED_MESSAGE };

/** §2.4.2 body of `POST /api/v1/relay/requests` (allowlist; unknown keys refused). */
export const SubmitRequestBody = z
  .strictObject({
    server_public_key: nonEmpty,
    client_public_key: nonEmpty,
    ...envelopeFields,
    ...envelopeMetadataFields,
    cancel_token: nonEmpty.optional(),
  })
  .refine(hasCiphertext, ciphertextMessage);
export type SubmitRequestBody = z.infer<typeof SubmitRequestBody>;

/** §2.4.2 200 body. */
export const SubmitAccepted = z.looseObject({
  message: z.string(),
  ...Deadline.shape,
});
export type SubmitAccepted = z.infer<typeof SubmitAccepted>;

/**
 * §2.4.3 body of `POST /api/v1/relay/responses/retrieve`. `wait_seconds` is our extension: hold
 * the request up to that long and answer the moment the node posts (≤ MAX_RETRIEVE_WAIT_SECONDS).
 */
export const RetrieveBody = z.strictObject({
  client_public_key: nonEmpty,
  request_id: nonEmpty.optional(),
  wait_seconds: z.number().min(0).max(MAX_RETRIEVE_WAIT_SECONDS).optional(),
});
export type RetrieveBody = z.infer<typeof RetrieveBody>;

/** The progress envelope a client receives inside a 202 (§2.4.3, §2.4.8). */
export const EncryptedProgress = z.looseObject({
  client_public_key: z.string(),
  request_id: z.string(),
  protocol: z.string(),
  version: z.number(),
  ciphertext: z.string(),
  cipherkey: z.string(),
  iv: z.string(),
});
export type EncryptedProgress = z.infer<typeof EncryptedProgress>;

/** §2.4.3 202 body. */
export const RetrievePending = z.looseObject({
  status: z.literal('pending'),
  ...Deadline.partial().shape,
  encrypted_progress: EncryptedProgress.optional(),
});
export type RetrievePending = z.infer<typeof RetrievePending>;

/**
 * The stored outer envelope as the relay hands it out (§2.4.3 answer, §2.4.5 work item):
 * `chat_history` and `ciphertext` carry the same value.
 */
const StoredEnvelope = z.looseObject({
  client_public_key: z.string(),
  chat_history: z.string(),
  ciphertext: z.string(),
  cipherkey: z.string(),
  iv: z.string(),
  request_id: z.string().optional(),
  protocol: z.string().optional(),
  version: z.number().optional(),
  cancel_token: z.string().optional(),
});

/** §2.4.3 200 body: the stored outer envelope. */
export const RetrievedResponse = StoredEnvelope;
export type RetrievedResponse = z.infer<typeof RetrievedResponse>;

/** §2.4.4 body of `POST /api/v1/relay/requests/cancel`. `status`/`reason` are free strings, normalised by the relay. */
export const CancelBody = z.strictObject({
  client_public_key: nonEmpty,
  request_id: nonEmpty,
  cancel_token: nonEmpty,
  status: z.string().optional(),
  reason: z.string().optional(),
});
export type CancelBody = z.infer<typeof CancelBody>;

export const CancelStatus = z.enum(['cancelled', 'expired']);
export const TerminalReason = z.enum(TERMINAL_REASONS);

/** §2.4.4 200 body. */
export const CancelResponse = z.looseObject({
  status: CancelStatus,
  request_id: z.string(),
  removed_from_queue: z.number().int(),
});
export type CancelResponse = z.infer<typeof CancelResponse>;

// ---------------------------------------------------------------- compute-node routes

/**
 * §2.4.5 capabilities in canonical form (what our nodes send and what the relay stores after
 * normalising aliases: `context_tier` → `active_context_tier`, `model_ids` → `supported_model_ids`).
 */
export const Capabilities = z.object({
  api_version: z.union([z.literal('v1'), z.literal(1)]),
  supported_model_ids: z.array(z.string().min(1).max(128)).min(1).max(64),
  active_context_tier: ContextTierSchema,
  maximum_total_context_tokens: z.number().int().min(1).max(1_000_000),
  default_output_token_reservation: z.number().int().min(1).max(1_000_000),
  maximum_output_tokens: z.number().int().min(1).max(1_000_000),
  max_concurrency: z.number().int().min(1).max(128),
  backend_class: BackendClassSchema,
  /** §10.6: e2ee profiles the node speaks besides the reference one (absent = none). */
  e2ee_profiles: z.array(AdvertisedE2eeProfileSchema).max(E2EE_PROFILE_LIST_LIMITS.maxProfiles).optional(),
});
export type Capabilities = z.infer<typeof Capabilities>;

/**
 * §2.4.5 body of `POST /api/v1/relay/servers/register`. Capabilities are validated by the relay's
 * own rules (aliases, messages). `proof` asks for or answers a §9 challenge (our nodes only;
 * reference relays ignore it); `control_credential` is required to re-register a key registered
 * with proof (§9.4).
 */
export const RegisterBody = z.strictObject({
  server_public_key: nonEmpty,
  capabilities: z.unknown().optional(),
  proof: RegistrationProof.optional(),
  control_credential: nonEmpty.optional(),
});
export type RegisterBody = {
  server_public_key: string;
  capabilities?: Capabilities | Record<string, unknown> | null;
  proof?: RegistrationProof;
  control_credential?: string;
};

/**
 * §2.4.5 200 body; `control_credential` only when a registration is created. Our relay adds
 * `proof_challenge` (the answer to a proof request, nothing registered yet, §9.2) and
 * `verified: true` on registrations made or kept with proof (§9.3).
 */
export const RegisterResponse = z.looseObject({
  control_credential: z.string().optional(),
  next_ping_in_x_seconds: seconds,
  poll_wait_seconds: seconds,
  /** §2.4.8 progress; §11.4 the chunk routes (our relay only). */
  relay_capabilities: z.looseObject({ encrypted_progress_v1: z.boolean().optional(), stream_chunks_v1: z.boolean().optional() }),
  proof_challenge: ProofChallenge.optional(),
  verified: z.boolean().optional(),
});
export type RegisterResponse = z.infer<typeof RegisterResponse>;

/** §2.4.5 body of `POST /api/v1/relay/servers/poll`; `control_credential` is required for a key registered with proof (§9.4). */
export const PollBody = z.strictObject({
  server_public_key: nonEmpty,
  capabilities: z.unknown().optional(),
  control_credential: nonEmpty.optional(),
});
export type PollBody = { server_public_key: string; capabilities?: Capabilities | Record<string, unknown> | null; control_credential?: string };

/** §2.4.5 poll answer when no work arrived within the long-poll wait. */
export const PollNoWork = z.looseObject({
  message: z.literal('No requests available'),
  next_ping_in_x_seconds: seconds,
  poll_wait_seconds: seconds,
});
export type PollNoWork = z.infer<typeof PollNoWork>;

/**
 * §2.4.5 poll answer carrying work: the stored envelope plus relay metadata. We also put
 * `next_ping_in_x_seconds: 0` so reference nodes poll again at once (§2.5 pacing quirk).
 */
export const WorkItem = StoredEnvelope.extend({
  e2ee_v1: z.literal(true),
  ...Deadline.shape,
  next_ping_in_x_seconds: seconds.optional(),
});
export type WorkItem = z.infer<typeof WorkItem>;

export const PollResponse = z.union([WorkItem, PollNoWork]);
export type PollResponse = z.infer<typeof PollResponse>;

/** §2.4.6 body of `POST /api/v1/relay/servers/control` (`ack` is an accepted alias of `acknowledge`). */
export const ControlBody = z.strictObject({
  server_public_key: nonEmpty,
  request_id: nonEmpty,
  control_credential: z.string().optional(),
  acknowledge: z.boolean().optional(),
  ack: z.boolean().optional(),
});
export type ControlBody = z.infer<typeof ControlBody>;

export const ControlStatus = z.enum(['active', 'cancelled', 'expired', 'completed/unavailable']);
export type ControlStatus = z.infer<typeof ControlStatus>;

/** §2.4.6 200 body. */
export const ControlResponse = z.looseObject({
  status: ControlStatus,
  next_poll_seconds: seconds,
  ...Deadline.partial().shape,
});
export type ControlResponse = z.infer<typeof ControlResponse>;

/**
 * §2.4.7 body of `POST /api/v1/relay/responses` (allowlist of §2.4.2 minus nothing: reference
 * nodes do not send `server_public_key`; ours may, plus `control_credential`, to prove ownership).
 */
export const NodeResponseBody = z
  .strictObject({
    client_public_key: nonEmpty,
    ...envelopeFields,
    ...envelopeMetadataFields,
    cancel_token: z.string().optional(),
    server_public_key: nonEmpty.optional(),
    control_credential: nonEmpty.optional(),
  })
  .refine(hasCiphertext, ciphertextMessage);
export type NodeResponseBody = z.infer<typeof NodeResponseBody>;

/** §2.4.7 200 body. */
export const NodeResponseAccepted = z.looseObject({ message: z.string() });
export type NodeResponseAccepted = z.infer<typeof NodeResponseAccepted>;

/** §2.4.8 body of `POST /api/v1/relay/progress`: exactly these keys. */
export const ProgressBody = z.strictObject({
  server_public_key: nonEmpty,
  client_public_key: nonEmpty,
  request_id: nonEmpty,
  control_credential: nonEmpty,
  protocol: z.literal(PROTOCOL_ID),
  version: z.literal(PROTOCOL_VERSION),
  ciphertext: nonEmpty,
  cipherkey: nonEmpty,
  iv: nonEmpty,
});
export type ProgressBody = z.infer<typeof ProgressBody>;

/** §2.4.8 202 body. */
export const ProgressAccepted = z.looseObject({ message: z.string() });
export type ProgressAccepted = z.infer<typeof ProgressAccepted>;

/** §2.4.9 body of `POST /api/v1/relay/servers/unregister`. */
export const UnregisterBody = z.strictObject({
  server_public_key: nonEmpty,
  control_credential: z.string().optional(),
});
export type UnregisterBody = z.infer<typeof UnregisterBody>;

/** §2.4.9 200 body. */
export const UnregisterResponse = z.looseObject({ message: z.string(), removed: z.boolean() });
export type UnregisterResponse = z.infer<typeof UnregisterResponse>;

// ---------------------------------------------------------------- service routes (§3.1, §3.3)

export const HealthResponse = z.looseObject({
  status: z.string(),
  version: z.string(),
  service: z.string(),
  timestamp: z.number(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

export const ModelObject = z.looseObject({
  id: z.string(),
  object: z.literal('model'),
  created: z.number(),
  owned_by: z.string(),
});
export const ModelList = z.looseObject({ object: z.literal('list'), data: z.array(ModelObject) });
export type ModelList = z.infer<typeof ModelList>;
