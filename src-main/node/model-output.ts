// Checks model output before it is sent (§2.3.1: empty or visible <think> output is invalid).
import type { ModelConfig } from './model-config';

const THINK_BLOCK = /<think>[\s\S]*?<\/think>/gi;
/** An opening or closing think tag (also what the streamed text holds back, stream-text.ts). */
export const THINK_TAG = /<\/?think>/i;

/** Returns the text to send, or null when the output is unusable (compute_node_invalid_model_output). */
export function usableModelOutput(content: string, model: Pick<ModelConfig, 'thinkOutput'>): string | null {
  let text = content;
  if (THINK_TAG.test(text)) {
    if (model.thinkOutput === 'reject') return null;
    text = text.replace(THINK_BLOCK, '');
    if (THINK_TAG.test(text)) return null; // unbalanced tag: reasoning would leak
    text = text.trim();
  }
  return text.trim().length > 0 ? text : null;
}
