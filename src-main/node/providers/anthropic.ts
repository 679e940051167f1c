// Anthropic Messages API through the official `@anthropic-ai/sdk`.
import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { ProviderError } from '../errors';
import { listModelIds } from './list-model-ids';
import { mapProviderError } from './map-error';
import type { ModelProvider, ProviderChatRequest, ProviderChatResult, ProviderMessage } from './types';

export interface AnthropicProviderConfig {
  apiKey: string;
  /** Default https://api.anthropic.com */
  baseUrl?: string;
  /** Per-call timeout (default 120 s). */
  timeoutMs?: number;
  /** SDK retries (default 1; tests use 0). */
  maxRetries?: number;
}

/** Anthropic `stop_reason` → OpenAI-style `finish_reason` (what §2.3.2 carries). */
const FINISH_REASONS: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
  pause_turn: 'stop',
};

/**
 * Messages API shape: every system message goes to the top-level `system` (joined by blank
 * lines, in order); consecutive turns of the same role are merged (the API wants alternation).
 */
export function toAnthropicMessages(messages: readonly ProviderMessage[]): { system?: string; messages: MessageParam[] } {
  const system: string[] = [];
  const out: { role: 'user' | 'assistant'; content: string }[] = [];
  for (const m of messages) {
    if (m.role === 'system') {
      system.push(m.content);
      continue;
    }
    const last = out[out.length - 1];
    if (last && last.role === m.role) last.content = `${last.content}\n\n${m.content}`;
    else out.push({ role: m.role, content: m.content });
  }
  return { ...(system.length ? { system: system.join('\n\n') } : {}), messages: out };
}

export function createAnthropicProvider(cfg: AnthropicProviderConfig): ModelProvider {
  const timeoutMs = cfg.timeoutMs ?? 120_000;
  const client = new Anthropic({
    apiKey: cfg.apiKey,
    authToken: null,
    ...(cfg.baseUrl ? { baseURL: cfg.baseUrl.replace(/\/+$/, '') } : {}),
    timeout: timeoutMs,
    maxRetries: cfg.maxRetries ?? 1,
  });

  return {
    id: `anthropic:${cfg.baseUrl ?? 'https://api.anthropic.com'}`,

    listModels: (signal) => listModelIds((sig) => client.models.list({}, { signal: sig }), signal),

    async chat(req: ProviderChatRequest, signal: AbortSignal): Promise<ProviderChatResult> {
      const mapped = toAnthropicMessages(req.messages);
      if (mapped.messages.length === 0) {
        throw new ProviderError('compute_node_invalid_request', 'no_user_or_assistant_message', false);
      }
      const params: MessageCreateParamsNonStreaming = {
        model: req.model,
        max_tokens: req.maxTokens,
        messages: mapped.messages,
        ...(mapped.system !== undefined ? { system: mapped.system } : {}),
      };
      // The Messages API of this SDK generation has no sampling parameters (temperature/top_p are
      // deprecated and untyped), nor seed or penalties: those options are accepted and not applied.
      if (req.stop !== undefined && req.stop.length > 0) params.stop_sequences = req.stop;

      req.onProgress?.({ phase: 'prefill' });
      let message: Anthropic.Messages.Message;
      try {
        message = await client.messages.create(params, {
          signal,
          timeout: Math.min(timeoutMs, req.timeoutMs ?? timeoutMs),
        });
      } catch (err) {
        throw mapProviderError(err, signal);
      }
      const text = (message.content ?? [])
        .filter((b): b is Anthropic.Messages.TextBlock => b.type === 'text')
        .map((b) => b.text)
        .join('');
      const usage = message.usage;
      return {
        content: text,
        finishReason: message.stop_reason ? (FINISH_REASONS[message.stop_reason] ?? message.stop_reason) : undefined,
        usage: usage
          ? {
              promptTokens: usage.input_tokens,
              completionTokens: usage.output_tokens,
              totalTokens: usage.input_tokens + usage.output_tokens,
            }
          : undefined,
      };
    },
  };
}
