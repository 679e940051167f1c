// Fixed, safe texts for the encrypted node errors of §2.3.3 / §5.4. Provider text never reaches
// a client: it could echo prompts, keys or internal hosts.
import type { InnerErrorDetails } from '../../src-shared/protocol/inner-envelope';
import type { NodeErrorCode } from '../../src-shared/protocol/error-codes';

const MESSAGES: Record<NodeErrorCode, string> = {
  compute_node_invalid_request: 'The request is not a valid API v1 chat request',
  compute_node_request_too_large: 'Message content exceeds the compute node size limit',
  compute_node_options_unsupported: 'An option of the request is not supported',
  compute_node_model_unsupported: 'Requested model is not available on this compute node',
  compute_node_context_window_exceeded: 'Prompt and output budget exceed the context window of this compute node',
  compute_node_context_tier_unsupported: 'Requested context tier is larger than this compute node supports',
  compute_node_context_admission_unavailable: 'The compute node could not measure the prompt',
  compute_node_yarn_rope_unsupported: 'The compute node runtime cannot serve the 64k context tier',
  compute_node_invalid_model_output: 'The model produced no usable output',
  compute_node_internal_error: 'The compute node failed to process the request',
  compute_node_process_failed: 'The model runtime failed to process the request',
  compute_node_runtime_unavailable: 'The model runtime of this compute node is unavailable',
};

/** Codes after which another attempt (here or on another node) may succeed. */
const RETRYABLE = new Set<NodeErrorCode>([
  'compute_node_runtime_unavailable',
  'compute_node_internal_error',
  'compute_node_context_admission_unavailable',
]);

export function nodeError(
  code: NodeErrorCode,
  requestId: string,
  extra: Omit<Partial<InnerErrorDetails>, 'code' | 'message' | 'request_id'> = {},
): InnerErrorDetails {
  return { code, message: MESSAGES[code], request_id: requestId, retryable: RETRYABLE.has(code), ...extra };
}
