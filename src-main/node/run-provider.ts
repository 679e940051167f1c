// Runs an admitted request on the provider and turns the result into an answer or a §5.4 error.
import { effectiveOptions, messageContentText, type InnerErrorDetails, type InnerRequest } from '../../src-shared/protocol/inner-envelope';
import type { Admitted } from './admission';
import { ProviderAbortedError, ProviderError } from './errors';
import { usableModelOutput } from './model-output';
import type { ProgressSnapshot } from './progress-publisher';
import type { ModelProvider, ProviderChatRequest, ProviderMessage, ProviderUsage } from './providers/types';
import { nodeError } from './reply-errors';

export type ProviderOutcome =
  | { ok: true; content: string; finishReason?: string; usage?: ProviderUsage }
  | { ok: false; error: InnerErrorDetails }
  /** Our own signal aborted the call (cancel, deadline, stop). */
  | { ok: false; aborted: true };

/** The provider call for a request: messages as text, options mapped, budget applied. */
export function providerRequest(
  request: InnerRequest,
  admitted: Admitted,
  timeoutMs: number,
  onProgress?: (p: ProgressSnapshot) => void,
  onDelta?: ProviderChatRequest['onDelta'],
): ProviderChatRequest {
  const options = effectiveOptions(request.api_v1_request.options);
  const messages: ProviderMessage[] = request.api_v1_request.messages.map((m) => ({
    role: m.role,
    content: messageContentText(m.content),
    ...(m.name !== undefined ? { name: m.name } : {}),
  }));
  if (admitted.model.injectNoThink) {
    // Qwen3 soft switch. Chat templates want one system message, first: merge into it.
    const first = messages[0];
    if (first?.role === 'system') messages[0] = { ...first, content: `/no_think\n${first.content}` };
    else messages.unshift({ role: 'system', content: '/no_think' });
  }
  const totalPrompt = admitted.promptTokensEstimate;
  return {
    model: admitted.model.providerModel,
    messages,
    maxTokens: admitted.outputBudget.effective_tokens,
    ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
    ...(options.top_p !== undefined ? { topP: options.top_p } : {}),
    ...(options.frequency_penalty !== undefined ? { frequencyPenalty: options.frequency_penalty } : {}),
    ...(options.presence_penalty !== undefined ? { presencePenalty: options.presence_penalty } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.stop !== undefined ? { stop: typeof options.stop === 'string' ? [options.stop] : options.stop } : {}),
    timeoutMs,
    ...(onDelta ? { onDelta } : {}),
    ...(onProgress
      ? {
          onProgress: (p) =>
            onProgress({
              phase: p.phase,
              totalPromptTokens: p.promptTokens ?? totalPrompt,
              processedPromptTokens: p.processedPromptTokens,
              generatedTokens: p.generatedTokens,
            }),
        }
      : {}),
  };
}

export async function runProvider(
  provider: ModelProvider,
  req: ProviderChatRequest,
  admitted: Admitted,
  requestId: string,
  signal: AbortSignal,
  /** §2.3.6: keep a <think> block (keepsReasoning). */
  keepReasoning = false,
): Promise<ProviderOutcome> {
  try {
    const result = await provider.chat(req, signal);
    if (signal.aborted) return { ok: false, aborted: true };
    const text = usableModelOutput(result.content, admitted.model, keepReasoning);
    if (text === null) return { ok: false, error: nodeError('compute_node_invalid_model_output', requestId) };
    return { ok: true, content: text, finishReason: result.finishReason, usage: result.usage };
  } catch (err) {
    if (err instanceof ProviderAbortedError || signal.aborted) return { ok: false, aborted: true };
    if (err instanceof ProviderError) {
      return {
        ok: false,
        error: nodeError(err.code, requestId, {
          internal_reason: err.reason,
          active_context_tier: admitted.model.contextTier,
          requested_context_tier: admitted.requestedTier,
          runtime_healthy: err.code !== 'compute_node_runtime_unavailable',
        }),
      };
    }
    // A provider bug must not crash the node nor leak its message.
    return { ok: false, error: nodeError('compute_node_internal_error', requestId) };
  }
}
