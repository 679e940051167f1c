// Every error code a person can meet, once: the words shown for it and whether trying again may
// help. The wire codes of docs/protocol.md §5.4 keep their names (src-shared/protocol/error-codes);
// each group below is typed by its catalogue, so a new wire code does not compile without words.
import type { ClientSideErrorCode, NodeErrorCode, PickAnotherNodeCode, RelayErrorCode } from '../protocol/error-codes';
import type { LocalEngineErrorCode, ModelLibraryErrorCode } from '../vocabulary/local-models';

export interface ErrorEntry {
  /** Plain words for the user: what happened and, where there is one, what to do. */
  readonly message: string;
  /** Sending the same request again later may succeed without the user changing anything. */
  readonly retryable: boolean;
  /** After this code a client tries another node (§5.4); only the pick-another-node codes have it. */
  readonly pickAnotherNode?: true;
}

/** Encrypted node errors (§2.3.3, §5.4). */
const NODE_ERRORS: Record<NodeErrorCode, ErrorEntry> = {
  compute_node_invalid_request: { message: 'The node rejected the request as invalid.', retryable: false },
  compute_node_request_too_large: { message: 'The conversation is too long for the node (over 512 KiB of text).', retryable: false },
  compute_node_options_unsupported: { message: 'The node does not support one of the requested options.', retryable: false },
  compute_node_model_unsupported: { message: 'The node does not offer the requested model.', retryable: true },
  compute_node_context_window_exceeded: {
    message: 'The conversation does not fit into the node’s context window. Choose a larger context size or shorten the conversation.',
    retryable: false,
  },
  compute_node_context_tier_unsupported: { message: 'The node does not support the requested context size.', retryable: true },
  compute_node_context_admission_unavailable: { message: 'The node could not measure the request size. Try again.', retryable: true },
  compute_node_yarn_rope_unsupported: { message: 'The node cannot run the large context size.', retryable: true },
  compute_node_invalid_model_output: { message: 'The model produced no usable answer.', retryable: true },
  compute_node_internal_error: { message: 'The node failed while answering.', retryable: true },
  compute_node_process_failed: { message: 'The node failed while answering.', retryable: true },
  compute_node_runtime_unavailable: { message: 'The node’s model runtime is not available.', retryable: true },
};

/** Codes of relay-internal clients that user interfaces also map (§5.4). */
const RELAY_CLIENT_ERRORS: Record<ClientSideErrorCode, ErrorEntry> = {
  compute_node_timeout: { message: 'The node took too long to answer.', retryable: true },
  compute_node_request_cancelled: { message: 'The request was cancelled by the node.', retryable: true },
  compute_node_bridge_timeout: { message: 'The node took too long to answer.', retryable: true },
  compute_node_unreachable: { message: 'The node could not be reached.', retryable: true },
  compute_node_bridge_error: { message: 'The node failed while answering.', retryable: true },
  compute_node_invalid_payload: { message: 'The node sent an invalid answer.', retryable: true },
};

/** The "pick another node" codes (§5.4). */
const PICK_ANOTHER_NODE_ERRORS: Record<PickAnotherNodeCode, ErrorEntry> = {
  selected_server_terminal: { message: 'The selected node stopped serving requests.', retryable: true, pickAnotherNode: true },
  selected_server_unavailable: { message: 'The selected node is unavailable.', retryable: true, pickAnotherNode: true },
  selected_server_expired: { message: 'The selected node is no longer registered.', retryable: true, pickAnotherNode: true },
  selected_server_removed: { message: 'The selected node was removed.', retryable: true, pickAnotherNode: true },
  server_unavailable: { message: 'The selected node is unavailable.', retryable: true, pickAnotherNode: true },
  server_expired: { message: 'The selected node is no longer registered.', retryable: true, pickAnotherNode: true },
  server_removed: { message: 'The selected node was removed.', retryable: true, pickAnotherNode: true },
};

/** String codes of relay HTTP error bodies (§2.4.1, §5.4). */
const RELAY_ERRORS: Record<RelayErrorCode, ErrorEntry> = {
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
  invalid_public_key: {
    message: 'The relay refused the node’s public key: it must be an RSA key of 2048 to 8192 bits, sent as base64 of its standard PEM text.',
    retryable: false,
  },
  invalid_registration_proof: {
    message: 'The relay did not understand the node’s proof that it holds its key. Update the node or the relay so that both speak the same version.',
    retryable: false,
  },
  registration_proof_failed: {
    message: 'The relay could not confirm that this node holds its private key (the challenge was wrong, expired or already used), so it did not register the node. The node asks for a new challenge on its next try.',
    retryable: true,
  },
  control_credential_required: {
    message:
      'The relay refused the call: this node key was registered by a node that proved it holds the key, and the call did not carry that registration’s credential. If this node restarted, its old registration expires within a minute; then it can register again.',
    retryable: true,
  },
  host_not_allowed: { message: 'The server refused the address it was called by. Use its own address (for the built-in relay: 127.0.0.1).', retryable: false },
  launch_secret_required: {
    message: 'The built-in relay serves only the app that started it, and this connection did not prove it is that app. Restart the app if this keeps happening.',
    retryable: false,
  },
  too_many_long_polls: { message: 'The server is holding as many waiting connections from this address as it allows. Try again shortly.', retryable: true },
  /** §11.4: a node appended faster than its reader reads; it waits `retry_after_ms` and sends the same chunks again. */
  stream_buffer_full: { message: 'The relay is holding as much of this answer as it allows until the reader catches up. The node waits and sends the rest.', retryable: true },
  /** §11.4: an append that does not continue the stream where it stands (a gap, or after the last chunk). */
  stream_sequence_conflict: { message: 'The relay refused part of a streamed answer that did not follow the part before it.', retryable: false },
  /** §2.6.5: the relay is shutting down and takes no new work; another relay, or this one restarted, will. */
  relay_draining: { message: 'The server is restarting and takes no new requests right now. Try again in a few seconds.', retryable: true },
};

/** The built-in GGUF engine (issue 13); the engine's own message may say more. */
const LOCAL_ENGINE_ERRORS: Record<LocalEngineErrorCode, ErrorEntry> = {
  local_engine_model_not_found: { message: 'The model file was not found. Download it again or choose another .gguf file.', retryable: false },
  local_engine_model_invalid: { message: 'This file is not a GGUF model or it is damaged. Download the model again or choose another file.', retryable: false },
  local_engine_model_load_failed: { message: 'The built-in engine could not load this model (its architecture may not be supported yet). Choose another model.', retryable: false },
  local_engine_out_of_memory: {
    message: 'There is not enough memory for this model. Close other programs, choose a smaller model, or lower the context size.',
    retryable: true,
  },
  local_engine_binary_unavailable: {
    message: 'The built-in model engine cannot run on this computer. Reinstall the app, or use an OpenAI-compatible server such as Ollama or LM Studio.',
    retryable: false,
  },
  local_engine_gpu_unavailable: { message: 'The chosen GPU back end is not available on this computer. Choose "auto" or "cpu".', retryable: false },
  local_engine_not_loaded: { message: 'No model is loaded in the built-in engine. Load a .gguf model first.', retryable: true },
  local_engine_context_window_exceeded: {
    message: 'The conversation does not fit into the model’s context window. Shorten the conversation or load the model with a larger context size.',
    retryable: false,
  },
  local_engine_invalid_options: { message: 'A setting of the built-in engine is not valid.', retryable: false },
  local_engine_cancelled: { message: 'The answer was cancelled.', retryable: true },
  local_engine_generation_failed: { message: 'The built-in engine failed while writing the answer. Try again; if it keeps failing, reload the model.', retryable: true },
};

/** The models folder and its downloads (issue 13); the library's own message may say more. */
const MODEL_LIBRARY_ERRORS: Record<ModelLibraryErrorCode, ErrorEntry> = {
  model_download_invalid_url: { message: 'The download address is not a valid http:// or https:// URL.', retryable: false },
  model_download_invalid_checksum: { message: 'The SHA-256 checksum must be 64 hexadecimal characters.', retryable: false },
  model_download_not_found: { message: 'The server does not have this model file (HTTP 404). Check the address.', retryable: false },
  model_download_http_error: { message: 'The server refused the download. Try again later or check the address.', retryable: true },
  model_download_network_error: { message: 'The download was interrupted by a network problem. Resume it when the connection is back.', retryable: true },
  model_download_timeout: { message: 'The server stopped sending the model. Resume the download to continue where it stopped.', retryable: true },
  model_download_insufficient_space: { message: 'There is not enough free disk space for this model. Free some space and try again.', retryable: false },
  model_download_disk_full: { message: 'The disk became full during the download. Free some space and resume it.', retryable: true },
  model_download_write_failed: { message: 'The model could not be written to the models folder.', retryable: true },
  model_download_range_unsupported: { message: 'This server cannot resume downloads, so the download cannot be paused. Let it finish, or cancel it.', retryable: false },
  model_download_size_mismatch: { message: 'The server offers a file of a different size than this model, so the link points at a different file.', retryable: false },
  model_download_checksum_mismatch: {
    message: 'The downloaded file does not match its SHA-256 checksum, so it was removed. Try again or check the checksum.',
    retryable: true,
  },
  model_download_cancelled: { message: 'The download was cancelled.', retryable: true },
  model_download_in_progress: { message: 'This model is already being downloaded.', retryable: true },
  model_download_locked: { message: 'This model is already being downloaded by another token.place. Let that download finish, then try again.', retryable: true },
  model_file_not_gguf: { message: 'This file is not a GGUF model. Choose a .gguf file.', retryable: false },
  model_file_invalid_name: { message: 'A model file name must end in .gguf and may not contain folders.', retryable: false },
  model_file_not_found: { message: 'The model file was not found in the models folder.', retryable: false },
  model_file_exists: { message: 'A model with this file name is already in the models folder.', retryable: false },
  model_in_use: { message: 'This computer’s node is serving this model. Choose another model for the node, or stop the node, first.', retryable: false },
  model_download_not_running: { message: 'There is no download of this model to pause, resume or cancel.', retryable: false },
};

/** Failures the client itself detects (no wire code exists for them). */
const CLIENT_ERRORS = {
  invalid_server_url: { message: 'The server address is not a valid http:// or https:// URL.', retryable: false },
  server_unreachable: { message: 'The server could not be reached. Check the address and your network connection.', retryable: true },
  server_timeout: { message: 'The server did not answer in time.', retryable: true },
  tls_error: {
    message:
      'A secure (TLS) connection to the server could not be established. Check that the address uses the right scheme (http/https) and that its certificate is valid.',
    retryable: false,
  },
  invalid_server_response: { message: 'The server sent an answer this app does not understand. It may not be a token.place relay.', retryable: false },
  response_too_large: { message: 'The server sent an answer that is too large to accept.', retryable: false },
  invalid_reply: { message: 'The answer could not be decrypted or was not addressed to this request, so it was discarded.', retryable: true },
  /** aead-v1 (§10): an answer that does not prove it came from whoever opened the request was refused; the genuine one did not arrive. */
  answer_not_authentic: {
    message:
      'An answer arrived that did not come from the node your message was encrypted to, so it was not shown. The genuine answer did not arrive in time. Try again; if this keeps happening, someone on this relay is interfering.',
    retryable: true,
  },
  client_timeout: { message: 'No answer arrived before the deadline. The request was cancelled.', retryable: true },
  requester_cancelled: { message: 'The request was stopped.', retryable: true },
  server_switched: { message: 'The request was cancelled because the active server was changed.', retryable: true },
  request_lost: { message: 'The relay no longer knows this request (it may have restarted).', retryable: true },
  /** Answers stored before trust policies: a 'require' pin refused another node key; the client sent nothing. */
  pinned_node_changed: {
    message:
      'The node you pinned for this server is no longer answering with the same key, so nothing was sent. If you trust the new key, trust it in Servers, then choose Retry.',
    retryable: false,
  },
  /** Policy `trusted-only`: the server offered a key not trusted there; the client sent nothing. */
  node_key_not_trusted: {
    message:
      'This server offered a node key you have not trusted, and it is set to use trusted keys only, so nothing was sent. If you trust the new key, trust it in Servers, then choose Retry.',
    retryable: false,
  },
  /** The user answered "Don't send" when asked about a new node key. */
  node_key_declined: { message: 'You chose not to send to that node key, so nothing was sent.', retryable: true },
  /** Policy `ask`, but nobody could be asked (no window): the client sent nothing. */
  node_key_unconfirmed: {
    message: 'This server offered a node key you have not trusted yet, and it could not be confirmed, so nothing was sent. Confirm the key in the app, then try again.',
    retryable: true,
  },
  /** servers/next offered a key that is no RSA public key the client can encrypt to (§1.1, §1.2); nothing was sent to it. */
  node_key_unusable: {
    message: 'The server offered only nodes whose encryption keys this app cannot use, so nothing was sent. Try again later or choose another server.',
    retryable: true,
  },
  context_tier_mismatch: { message: 'The relay offered a node whose context window is smaller than requested.', retryable: true },
  /** §11.7: a chunk that does not open as the next one of this request's stream, or a final answer that differs from the streamed text. */
  stream_not_authentic: {
    message: 'Part of the streamed answer did not come from the node that took this request, or arrived out of order, so the answer was stopped there and nothing more of it is shown. Try again.',
    retryable: true,
  },
  /** §11.7: the relay says the stream is over, but its last chunk was not the final one. */
  stream_incomplete: {
    message: 'The streamed answer ended before the node finished it; what arrived is kept. Try again for the whole answer.',
    retryable: true,
  },
  invalid_chat_request: { message: 'The chat request is not valid.', retryable: false },
  no_node_after_failover: { message: 'Several nodes failed in a row; no working node is available right now.', retryable: true },
  embedded_relay_not_running: { message: 'The built-in relay is not running. Start it or choose another server.', retryable: true },
  invalid_server_profile: { message: 'The server settings are not valid.', retryable: false },
  unknown_server_profile: { message: 'That server is not in the server list.', retryable: false },
} as const satisfies Record<string, ErrorEntry>;

/** What a relay or node code this app does not know is shown as (the code itself is kept for logs). */
const FALLBACK_ERRORS = {
  request_failed: { message: 'The request failed.', retryable: false },
  /** A `compute_node_…` code this app does not know. */
  unknown_node_error: { message: 'The node reported an error while answering.', retryable: true },
} as const satisfies Record<string, ErrorEntry>;

/** Failures of the desktop app itself (backend, storage, IPC). */
const APP_ERRORS = {
  /** The request does not match the contract; the error's own text names what is wrong. */
  bad_request: { message: 'The request is not valid.', retryable: false },
  /** Anything unexpected: its own text never leaves the backend. */
  internal: { message: 'Something went wrong inside the app. Please try again.', retryable: true },
  forbidden: { message: 'This request did not come from the app window.', retryable: false },
  locked: { message: 'Enter your passphrase to unlock the app.', retryable: false },
  closed: { message: 'The app is shutting down.', retryable: false },
  busy: { message: 'An answer is still being written in this conversation. Stop it first.', retryable: true },
  not_found: { message: 'That conversation does not exist.', retryable: false },
  nothing_to_regenerate: { message: 'There is no question to answer yet.', retryable: false },
  /** `trust:answer` for a question about a node key that is no longer waiting. */
  confirmation_settled: { message: 'That question about a node key was already answered, or its request was stopped.', retryable: false },
  node_unconfigured: { message: 'Choose a model provider for this computer’s node first.', retryable: false },
  relay_not_running: { message: 'Turn on the built-in relay first: the node serves through it.', retryable: false },
  /** The provider settings lack something; the error's own text says what to enter. */
  node_config: { message: 'The node’s provider settings are incomplete.', retryable: false },
  wrong_passphrase: { message: 'The passphrase is not correct.', retryable: false },
  /** A new passphrase store was refused; the error's own text says why. */
  weak_passphrase: { message: 'This passphrase is too easy to guess. Choose a longer one.', retryable: false },
  wrong_key: { message: 'The stored data was encrypted with a different key.', retryable: false },
  damaged_data: { message: 'The stored data is damaged or was modified and cannot be read.', retryable: false },
  storage_error: { message: 'The app could not read or write its data.', retryable: true },
  /** An answer left pending when the app closed. */
  interrupted: { message: 'The app closed before this answer arrived. Try again.', retryable: true },
  /** The relay ended the request because its node unregistered (stopped or crashed) mid-answer (§2.4.3). */
  node_stopped: {
    message:
      'The compute node stopped before it finished answering, and no other node could take over. Nothing was lost: choose Retry once a node is back online.',
    retryable: true,
  },
  /** Sidebar organisation (folders, pins, drafts): a folder that was deleted meanwhile. */
  folder_not_found: { message: 'That folder does not exist any more. Choose another folder.', retryable: false },
  /** Steer: a preset that was deleted meanwhile. */
  preset_not_found: { message: 'That preset does not exist any more. Choose another one.', retryable: false },
  /** Steer: built-in presets are applied or duplicated, never changed. */
  preset_read_only: { message: 'Built-in presets cannot be changed or deleted. Duplicate it and change the copy.', retryable: false },
  /** Steer (§2.3.5): Continue on an answer that did not stop at its output limit and was not stopped. */
  nothing_to_continue: { message: 'Only the last answer can be continued, once it stopped at its length limit or was stopped.', retryable: false },
} as const satisfies Record<string, ErrorEntry>;

export type ClientErrorCode = keyof typeof CLIENT_ERRORS;
export type FallbackErrorCode = keyof typeof FALLBACK_ERRORS;
export type AppErrorCode = keyof typeof APP_ERRORS;
export type RegisteredErrorCode =
  | NodeErrorCode
  | ClientSideErrorCode
  | PickAnotherNodeCode
  | RelayErrorCode
  | ClientErrorCode
  | FallbackErrorCode
  | AppErrorCode
  | LocalEngineErrorCode
  | ModelLibraryErrorCode;

/** The groups, for checks that no code is in two of them. */
export const ERROR_GROUPS: Readonly<Record<string, Readonly<Record<string, ErrorEntry>>>> = {
  node: NODE_ERRORS,
  relayClient: RELAY_CLIENT_ERRORS,
  pickAnotherNode: PICK_ANOTHER_NODE_ERRORS,
  relay: RELAY_ERRORS,
  client: CLIENT_ERRORS,
  fallback: FALLBACK_ERRORS,
  app: APP_ERRORS,
  localEngine: LOCAL_ENGINE_ERRORS,
  modelLibrary: MODEL_LIBRARY_ERRORS,
};

/**
 * Looked up by strings from the wire, so it has no prototype: "toString" or "constructor" is no
 * code (see isRegisteredErrorCode).
 */
export const ERROR_REGISTRY: Readonly<Record<RegisteredErrorCode, ErrorEntry>> = Object.assign(Object.create(null) as object, {
  ...NODE_ERRORS,
  ...RELAY_CLIENT_ERRORS,
  ...PICK_ANOTHER_NODE_ERRORS,
  ...RELAY_ERRORS,
  ...CLIENT_ERRORS,
  ...FALLBACK_ERRORS,
  ...APP_ERRORS,
  ...LOCAL_ENGINE_ERRORS,
  ...MODEL_LIBRARY_ERRORS,
});

export const CLIENT_ERROR_CODES = Object.keys(CLIENT_ERRORS) as ClientErrorCode[];
export const FALLBACK_ERROR_CODES = Object.keys(FALLBACK_ERRORS) as FallbackErrorCode[];
export const APP_ERROR_CODES = Object.keys(APP_ERRORS) as AppErrorCode[];
export const REGISTERED_ERROR_CODES = Object.keys(ERROR_REGISTRY) as RegisteredErrorCode[];

/**
 * Words that say more than a code's entry when the relay's answer named more (docs/protocol.md
 * §2.4.1 selection extras, §2.4.3 `reason`); the entries above stay the words for the bare code.
 */
export const DETAILED_ERROR_WORDS = {
  /** §2.4.3 reason `expired` of an answer nobody retrieved in time: the node had answered. */
  answerExpiredUndelivered: 'The node answered, but the answer was not collected in time and the server dropped it. Send the message again.',
  /** §2.4.1 `no_matching_compute_node` with the model asked for and the models connected nodes offer. */
  noMatchingNode: (model: string, tier: string, offered: readonly string[], servedAtOtherSize: boolean): string => {
    const asked = servedAtOtherSize ? `No connected node serves ${model} with the ${tier} context size.` : `No connected node serves the model ${model}.`;
    return offered.length === 0 ? asked : `${asked} Connected nodes offer: ${offered.join(', ')}.`;
  },
} as const;
