// Checks model output before it is sent (§2.3.1: empty or visible <think> output is invalid;
// §2.3.6: a request may ask to keep the reasoning).
import { KEEP_REASONING, type InnerRequest } from '../../src-shared/protocol/inner-envelope';
import type { ModelConfig } from './model-config';

const THINK_BLOCK = /<think>[\s\S]*?<\/think>/gi;
const THINK_TAGS = /<\/?think>/gi;
/** An opening or closing think tag (also what the streamed text holds back, stream-text.ts). */
export const THINK_TAG = /<\/?think>/i;

/**
 * §2.3.6: the request asks to keep reasoning and the model's operator strips it (rather than
 * refusing such answers): the output then goes out as the model wrote it.
 */
export function keepsReasoning(request: InnerRequest, model: Pick<ModelConfig, 'thinkOutput'>): boolean {
  return request.api_v1_request.reasoning === KEEP_REASONING && model.thinkOutput === 'strip';
}

/**
 * Returns the text to send, or null when the output is unusable (compute_node_invalid_model_output).
 * `keep` (§2.3.6): the text as it is, tags and all, when anything but tags and white space is in it.
 */
export function usableModelOutput(content: string, model: Pick<ModelConfig, 'thinkOutput'>, keep = false): string | null {
  if (keep) return content.replace(THINK_TAGS, '').trim().length > 0 ? content : null;
  let text = content;
  if (THINK_TAG.test(text)) {
    if (model.thinkOutput === 'reject') return null;
    text = text.replace(THINK_BLOCK, '');
    if (THINK_TAG.test(text)) return null; // unbalanced tag: reasoning would leak
    text = text.trim();
  }
  return text.trim().length > 0 ? text : null;
}
