// Anthropic Messages API through the official `@anthropic-ai/sdk`.
import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { ProviderAbortedError, ProviderError } from '../errors';
import { callTimeoutMs } from './call-timeout';
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

const finishReasonOf = (stopReason: string | null | undefined) => (stopReason ? (FINISH_REASONS[stopReason] ?? stopReason) : undefined);

function usageOf(inputTokens: number, outputTokens: number): ProviderChatResult['usage'] {
  return { promptTokens: inputTokens, completionTokens: outputTokens, totalTokens: inputTokens + outputTokens };
}

function resultOf(message: Anthropic.Messages.Message): ProviderChatResult {
  const text = (message.content ?? [])
    .filter((b): b is Anthropic.Messages.TextBlock => b.type === 'text')
    .map((b) => b.text)
    .join('');
  const usage = message.usage;
  return {
    content: text,
    finishReason: finishReasonOf(message.stop_reason),
    usage: usage ? usageOf(usage.input_tokens, usage.output_tokens) : undefined,
  };
}

type CallOptions = { signal: AbortSignal; timeout: number };

export function createAnthropicProvider(cfg: AnthropicProviderConfig): ModelProvider {
  const timeoutMs = callTimeoutMs(cfg.timeoutMs ?? 120_000);
  const client = new Anthropic({
    apiKey: cfg.apiKey,
    authToken: null,
    ...(cfg.baseUrl ? { baseURL: cfg.baseUrl.replace(/\/+$/, '') } : {}),
    timeout: timeoutMs,
    maxRetries: cfg.maxRetries ?? 1,
  });

  /**
   * The Messages API's stream events (`stream: true`): text deltas go to onDelta as they come; the
   * SDK reads the response only as we iterate, so awaiting onDelta holds the provider back.
   */
  async function streamed(params: MessageCreateParamsNonStreaming, options: CallOptions, req: ProviderChatRequest): Promise<ProviderChatResult> {
    const stream = await client.messages.create({ ...params, stream: true }, options);
    let content = '';
    let inputTokens: number | undefined;
    let outputTokens = 0;
    let stopReason: string | null | undefined;
    let deltas = 0;
    for await (const event of stream) {
      if (event.type === 'message_start') {
        inputTokens = event.message.usage?.input_tokens;
        outputTokens = event.message.usage?.output_tokens ?? 0;
      } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta' && event.delta.text.length > 0) {
        content += event.delta.text;
        deltas += 1;
        req.onProgress?.({ phase: 'generating', generatedTokens: deltas });
        const pause = req.onDelta?.(event.delta.text);
        if (pause) await pause;
      } else if (event.type === 'message_delta') {
        stopReason = event.delta.stop_reason ?? stopReason;
        outputTokens = event.usage?.output_tokens ?? outputTokens;
      }
    }
    // The SDK ends the iteration quietly when the signal aborts.
    if (options.signal.aborted) throw new ProviderAbortedError();
    return {
      content,
      finishReason: finishReasonOf(stopReason),
      usage: inputTokens !== undefined ? usageOf(inputTokens, outputTokens) : undefined,
    };
  }

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
      const options = { signal, timeout: callTimeoutMs(timeoutMs, req.timeoutMs) };
      try {
        return req.onDelta ? await streamed(params, options, req) : resultOf(await client.messages.create(params, options));
      } catch (err) {
        throw mapProviderError(err, signal);
      }
    },
  };
}
