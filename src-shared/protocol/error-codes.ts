// Error code catalogue of token.place API v1 (docs/protocol.md §5.4): the codes as they travel on
// the wire. What a user reads for each of them is in src-shared/errors (the registry).

/** Codes a compute node puts in an encrypted `api_v1_response.error` (§2.3.3, §5.4). */
export const NODE_ERROR_CODES = [
  'compute_node_invalid_request',
  'compute_node_request_too_large',
  'compute_node_options_unsupported',
  'compute_node_model_unsupported',
  'compute_node_context_window_exceeded',
  'compute_node_context_tier_unsupported',
  'compute_node_context_admission_unavailable',
  'compute_node_yarn_rope_unsupported',
  'compute_node_invalid_model_output',
  'compute_node_internal_error',
  'compute_node_process_failed',
  'compute_node_runtime_unavailable',
] as const;
export type NodeErrorCode = (typeof NODE_ERROR_CODES)[number];

/** Codes produced by relay-internal clients that user interfaces also map (§5.4). */
export const CLIENT_SIDE_ERROR_CODES = [
  'compute_node_timeout',
  'compute_node_request_cancelled',
  'compute_node_bridge_timeout',
  'compute_node_unreachable',
  'compute_node_bridge_error',
  'compute_node_invalid_payload',
] as const;
export type ClientSideErrorCode = (typeof CLIENT_SIDE_ERROR_CODES)[number];

/** Codes after which a client should pick another node (§5.4). */
export const PICK_ANOTHER_NODE_CODES = [
  'selected_server_terminal',
  'selected_server_unavailable',
  'selected_server_expired',
  'selected_server_removed',
  'server_unavailable',
  'server_expired',
  'server_removed',
] as const;
export type PickAnotherNodeCode = (typeof PICK_ANOTHER_NODE_CODES)[number];

/** String codes of relay HTTP error bodies (§5.4). Numeric codes equal the HTTP status. */
export const RELAY_ERROR_CODES = [
  'no_registered_compute_nodes',
  'no_matching_compute_node',
  'no_available_capacity',
  'invalid_context_tier',
  'invalid_capabilities',
  'legacy_relay_endpoint_deprecated',
  'distributed_api_v1_relay_disabled',
  'rate_limit_exceeded',
  'cancelled',
  'expired',
  'completed',
  'gone',
  // Node registration and ownership (§9).
  'invalid_public_key',
  'invalid_registration_proof',
  'registration_proof_failed',
  'control_credential_required',
  // §12 (the embedded relay) and §5.1 (long polls per sender)
  'host_not_allowed',
  'launch_secret_required',
  'too_many_long_polls',
  // §11 streaming (our relay only)
  'stream_buffer_full',
  'stream_sequence_conflict',
  // §2.6.5 graceful drain (our relay only)
  'relay_draining',
] as const;
export type RelayErrorCode = (typeof RELAY_ERROR_CODES)[number];

/** Terminal reasons of a request (§2.4.3). */
export const TERMINAL_REASONS = [
  'cancelled',
  'client_timeout',
  'expired',
  'requester_cancelled',
  'requester_gave_up',
  'provider_timeout',
  'pending_request_ttl_exceeded',
  'server_unregistered',
] as const;
export type TerminalReason = (typeof TERMINAL_REASONS)[number];
