// Error code -> text a user can act on (docs/protocol.md §5.4 plus the client's own failure kinds).
// `retryable` means: sending the same request again later may succeed without the user changing it.

export interface UserMessage {
  message: string;
  retryable: boolean;
}

/** Failure kinds the client itself detects (no wire code exists for them). */
export const CLIENT_ERROR_CODES = [
  'invalid_server_url',
  'server_unreachable',
  'server_timeout',
  'tls_error',
  'invalid_server_response',
  'response_too_large',
  'invalid_reply',
  'client_timeout',
  'requester_cancelled',
  'server_switched',
  'request_lost',
  'pinned_node_changed',
  'context_tier_mismatch',
  'invalid_chat_request',
  'no_node_after_failover',
  'embedded_relay_not_running',
  'unknown_server_profile',
  'invalid_server_profile',
] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

const MESSAGES: Readonly<Record<string, UserMessage>> = {
  // --- client-side failure kinds
  invalid_server_url: { message: 'The server address is not a valid http:// or https:// URL.', retryable: false },
  server_unreachable: { message: 'The server could not be reached. Check the address and your network connection.', retryable: true },
  server_timeout: { message: 'The server did not answer in time.', retryable: true },
  tls_error: { message: 'A secure (TLS) connection to the server could not be established. Check that the address uses the right scheme (http/https) and that its certificate is valid.', retryable: false },
  invalid_server_response: { message: 'The server sent an answer this app does not understand. It may not be a token.place relay.', retryable: false },
  response_too_large: { message: 'The server sent an answer that is too large to accept.', retryable: false },
  invalid_reply: { message: 'The answer could not be decrypted or was not addressed to this request, so it was discarded.', retryable: true },
  client_timeout: { message: 'No answer arrived before the deadline. The request was cancelled.', retryable: true },
  requester_cancelled: { message: 'The request was stopped.', retryable: true },
  server_switched: { message: 'The request was cancelled because the active server was changed.', retryable: true },
  request_lost: { message: 'The relay no longer knows this request (it may have restarted).', retryable: true },
  pinned_node_changed: { message: 'The node you pinned for this server is no longer answering with the same key. Nothing was sent. Unpin it to use another node.', retryable: false },
  context_tier_mismatch: { message: 'The relay offered a node whose context window is smaller than requested.', retryable: true },
  invalid_chat_request: { message: 'The chat request is not valid.', retryable: false },
  no_node_after_failover: { message: 'Several nodes failed in a row; no working node is available right now.', retryable: true },
  embedded_relay_not_running: { message: 'The built-in relay is not running. Start it or choose another server.', retryable: true },
  invalid_server_profile: { message: 'The server settings are not valid.', retryable: false },
  unknown_server_profile: { message: 'That server is not in the server list.', retryable: false },

  // --- relay HTTP codes (§2.4.1, §5.4)
  no_registered_compute_nodes: { message: 'No compute nodes are connected to this server right now.', retryable: true },
  no_matching_compute_node: { message: 'No connected node serves this model and context size.', retryable: true },
  no_available_capacity: { message: 'All matching nodes are busy. Try again shortly.', retryable: true },
  invalid_context_tier: { message: 'The server does not know the requested context size.', retryable: false },
  invalid_capabilities: { message: 'The server rejected the node capabilities.', retryable: false },
  legacy_relay_endpoint_deprecated: { message: 'This server only offers deprecated routes.', retryable: false },
  distributed_api_v1_relay_disabled: { message: 'Relayed chat is disabled on this server.', retryable: false },
  rate_limit_exceeded: { message: 'The server is rate limiting this connection. Wait a while and try again.', retryable: true },
  cancelled: { message: 'The request was cancelled.', retryable: true },
  expired: { message: 'The request expired before a node answered.', retryable: true },
  completed: { message: 'The request was already completed.', retryable: false },
  gone: { message: 'The request is no longer known to the server.', retryable: true },

  // --- encrypted node errors (§2.3.3, §5.4)
  compute_node_invalid_request: { message: 'The node rejected the request as invalid.', retryable: false },
  compute_node_request_too_large: { message: 'The conversation is too long for the node (over 512 KiB of text).', retryable: false },
  compute_node_options_unsupported: { message: 'The node does not support one of the requested options.', retryable: false },
  compute_node_model_unsupported: { message: 'The node does not offer the requested model.', retryable: true },
  compute_node_context_window_exceeded: { message: 'The conversation does not fit into the node’s context window. Choose a larger context size or shorten the conversation.', retryable: false },
  compute_node_context_tier_unsupported: { message: 'The node does not support the requested context size.', retryable: true },
  compute_node_context_admission_unavailable: { message: 'The node could not measure the request size. Try again.', retryable: true },
  compute_node_yarn_rope_unsupported: { message: 'The node cannot run the large context size.', retryable: true },
  compute_node_invalid_model_output: { message: 'The model produced no usable answer.', retryable: true },
  compute_node_internal_error: { message: 'The node failed while answering.', retryable: true },
  compute_node_process_failed: { message: 'The node failed while answering.', retryable: true },
  compute_node_runtime_unavailable: { message: 'The node’s model runtime is not available.', retryable: true },
  compute_node_timeout: { message: 'The node took too long to answer.', retryable: true },
  compute_node_request_cancelled: { message: 'The request was cancelled by the node.', retryable: true },
  compute_node_bridge_timeout: { message: 'The node took too long to answer.', retryable: true },
  compute_node_unreachable: { message: 'The node could not be reached.', retryable: true },
  compute_node_bridge_error: { message: 'The node failed while answering.', retryable: true },
  compute_node_invalid_payload: { message: 'The node sent an invalid answer.', retryable: true },

  // --- "pick another node" codes (§5.4)
  selected_server_terminal: { message: 'The selected node stopped serving requests.', retryable: true },
  selected_server_unavailable: { message: 'The selected node is unavailable.', retryable: true },
  selected_server_expired: { message: 'The selected node is no longer registered.', retryable: true },
  selected_server_removed: { message: 'The selected node was removed.', retryable: true },
  server_unavailable: { message: 'The selected node is unavailable.', retryable: true },
  server_expired: { message: 'The selected node is no longer registered.', retryable: true },
  server_removed: { message: 'The selected node was removed.', retryable: true },
};

/** Messages for bare HTTP statuses (numeric `error.code` or a body without a code). */
function messageForHttpStatus(status: number): UserMessage {
  if (status === 401 || status === 403) return { message: `The server refused access (HTTP ${status}).`, retryable: false };
  if (status === 404) return { message: 'The server does not offer this route or no longer knows the node (HTTP 404).', retryable: true };
  if (status === 410) return { message: 'The selected node or request is gone (HTTP 410).', retryable: true };
  if (status === 413) return { message: 'The request is too large for the server (HTTP 413).', retryable: false };
  if (status === 429) return MESSAGES.rate_limit_exceeded!;
  if (status >= 500) return { message: `The server had an internal problem (HTTP ${status}). Try again later.`, retryable: true };
  return { message: `The server rejected the request (HTTP ${status}).`, retryable: false };
}

/** User text for a code; `http_<status>` codes and unknown codes get a generic message. */
export function userMessageFor(code: string): UserMessage {
  // Own keys only: a relay or node may send any string as a code, e.g. "toString".
  if (Object.hasOwn(MESSAGES, code)) return MESSAGES[code]!;
  const http = /^http_(\d{3})$/.exec(code);
  if (http) return messageForHttpStatus(Number(http[1]));
  if (code.startsWith('compute_node_')) return { message: 'The node reported an error while answering.', retryable: true };
  return { message: 'The request failed.', retryable: false };
}

export function hasSpecificMessage(code: string): boolean {
  return Object.hasOwn(MESSAGES, code);
}
