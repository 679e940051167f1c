// OpenAI-compatible chat completions through the official `openai` client. Covers OpenAI, Ollama,
// LM Studio, llama.cpp server, vLLM and other servers that speak /v1/chat/completions + /v1/models.
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { ProviderAbortedError, ProviderError } from '../errors';
import { callTimeoutMs } from './call-timeout';
import { listModelIds } from './list-model-ids';
import { mapProviderError } from './map-error';
import type { ModelProvider, ProviderChatRequest, ProviderChatResult } from './types';

export interface OpenAICompatibleProviderConfig {
  /** e.g. http://127.0.0.1:11434/v1 (Ollama). A bare origin gets `/v1` appended. */
  baseUrl: string;
  /** Local servers usually need none; a placeholder is sent then. */
  apiKey?: string;
  /** Per-call timeout (default 120 s). */
  timeoutMs?: number;
  /** SDK retries on connection errors/429/5xx (default 1; tests use 0). */
  maxRetries?: number;
  /** Extra headers (e.g. an OpenAI-Organization). */
  headers?: Record<string, string>;
  /**
   * Stream from the provider (SSE, with stream_options.include_usage) also when the request has
   * no `onDelta`, to report `generating` progress per chunk. A request with `onDelta` always streams.
   */
  streamProgress?: boolean;
}

/** Appends `/v1` when the URL has no path, so `http://host:11434` works like `http://host:11434/v1`. */
export function normaliseOpenAIBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/v1';
  return url.toString().replace(/\/+$/, '');
}

type CallOptions = { signal: AbortSignal; timeout: number };

function usageOf(usage: OpenAI.CompletionUsage | null | undefined): ProviderChatResult['usage'] {
  return usage
    ? { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, totalTokens: usage.total_tokens }
    : undefined;
}

export function createOpenAICompatibleProvider(cfg: OpenAICompatibleProviderConfig): ModelProvider {
  const baseURL = normaliseOpenAIBaseUrl(cfg.baseUrl);
  const timeoutMs = callTimeoutMs(cfg.timeoutMs ?? 120_000);
  const client = new OpenAI({
    baseURL,
    apiKey: cfg.apiKey && cfg.apiKey.length > 0 ? cfg.apiKey : 'not-needed',
    timeout: timeoutMs,
    maxRetries: cfg.maxRetries ?? 1,
    defaultHeaders: cfg.headers,
  });

  async function single(params: ChatCompletionCreateParamsNonStreaming, options: CallOptions): Promise<ProviderChatResult> {
    const completion = await client.chat.completions.create(params, options);
    const choice = completion.choices?.[0];
    if (!choice || typeof choice.message?.content !== 'string') {
      throw new ProviderError('compute_node_invalid_model_output', 'provider_no_content', false);
    }
    return { content: choice.message.content, finishReason: choice.finish_reason ?? undefined, usage: usageOf(completion.usage) };
  }

  async function streamed(params: ChatCompletionCreateParamsNonStreaming, options: CallOptions, req: ProviderChatRequest): Promise<ProviderChatResult> {
    const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } }, options);
    let content = '';
    let finishReason: string | undefined;
    let usage: OpenAI.CompletionUsage | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      const choice = chunk.choices?.[0];
      const delta = choice?.delta?.content;
      if (delta) {
        content += delta;
        chunks += 1;
        req.onProgress?.({ phase: 'generating', generatedTokens: chunks });
        const pause = req.onDelta?.(delta);
        if (pause) await pause; // the SDK reads the response body only as we iterate: back-pressure
      }
      if (choice?.finish_reason) finishReason = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    // The SDK ends the iteration quietly when the signal aborts.
    if (options.signal.aborted) throw new ProviderAbortedError();
    return { content, finishReason, usage: usageOf(usage) };
  }

  return {
    id: `openai-compatible:${baseURL}`,

    listModels: (signal) => listModelIds((sig) => client.models.list({ signal: sig }), signal),

    async chat(req: ProviderChatRequest, signal: AbortSignal): Promise<ProviderChatResult> {
      const params: ChatCompletionCreateParamsNonStreaming = {
        model: req.model,
        messages: req.messages.map((m) =>
          m.name !== undefined ? { role: m.role, content: m.content, name: m.name } : { role: m.role, content: m.content },
        ),
        max_tokens: req.maxTokens,
        stream: false,
      };
      if (req.temperature !== undefined) params.temperature = req.temperature;
      if (req.topP !== undefined) params.top_p = req.topP;
      if (req.frequencyPenalty !== undefined) params.frequency_penalty = req.frequencyPenalty;
      if (req.presencePenalty !== undefined) params.presence_penalty = req.presencePenalty;
      if (req.stop !== undefined && req.stop.length > 0) params.stop = req.stop;
      if (req.seed !== undefined) params.seed = req.seed;

      req.onProgress?.({ phase: 'prefill' });
      const options = { signal, timeout: callTimeoutMs(timeoutMs, req.timeoutMs) };
      try {
        return cfg.streamProgress || req.onDelta ? await streamed(params, options, req) : await single(params, options);
      } catch (err) {
        throw mapProviderError(err, signal);
      }
    },
  };
}
