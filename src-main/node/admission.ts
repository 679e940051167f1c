// Node-side admission of a validated request (§2.3.1, §5.3): model, context tier, output budget.
import { CONTEXT_TIERS, DEFAULT_CONTEXT_TIER } from '../../src-shared/protocol/constants';
import { estimatePromptTokens } from '../../src-shared/protocol/prompt-estimate';
import type { InnerErrorDetails, InnerOutputBudget, InnerRequest } from '../../src-shared/protocol/inner-envelope';
import type { ContextTier } from '../../src-shared/vocabulary';
import type { ModelCatalogue, ModelConfig } from './model-config';
import { nodeError } from './reply-errors';

export interface Admitted {
  ok: true;
  model: ModelConfig;
  requestedTier: ContextTier;
  promptTokensEstimate: number;
  outputBudget: Required<InnerOutputBudget>;
}

/** Re-exported: the rule is declared once in src-shared (the window estimates by it too). */
export { estimatePromptTokens };

export function admitRequest(
  request: InnerRequest,
  contentChars: number,
  catalogue: ModelCatalogue,
): Admitted | { ok: false; error: InnerErrorDetails } {
  const api = request.api_v1_request;
  const id = request.request_id;
  const requestedTier = api.routing?.context_tier ?? DEFAULT_CONTEXT_TIER;
  const model = catalogue.resolve(api.model);
  if (!model) {
    return { ok: false, error: nodeError('compute_node_model_unsupported', id, { requested_context_tier: requestedTier, runtime_healthy: true }) };
  }
  const diagnostics = {
    active_context_tier: model.contextTier,
    requested_context_tier: requestedTier,
    configured_context_tokens: model.contextTokens,
  };
  if (CONTEXT_TIERS[requestedTier] > CONTEXT_TIERS[model.contextTier]) {
    return { ok: false, error: nodeError('compute_node_context_tier_unsupported', id, diagnostics) };
  }
  const promptTokens = estimatePromptTokens(contentChars, api.messages.length);
  const requested = api.options.max_tokens ?? model.defaultOutputTokens;
  const available = model.contextTokens - promptTokens;
  if (available < 1) {
    return {
      ok: false,
      error: nodeError('compute_node_context_window_exceeded', id, {
        ...diagnostics,
        prompt_tokens: promptTokens,
        requested_output_tokens: requested,
      }),
    };
  }
  return {
    ok: true,
    model,
    requestedTier,
    promptTokensEstimate: promptTokens,
    outputBudget: {
      requested_tokens: requested,
      available_tokens: available,
      effective_tokens: Math.min(requested, available, model.maxOutputTokens),
    },
  };
}
