// OpenAI-compatible chat completions through the official `openai` client. Covers OpenAI, Ollama,
// LM Studio, llama.cpp server, vLLM and other servers that speak /v1/chat/completions + /v1/models.
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { ProviderError } from '../errors';
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
}

/** Appends `/v1` when the URL has no path, so `http://host:11434` works like `http://host:11434/v1`. */
export function normaliseOpenAIBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/v1';
  return url.toString().replace(/\/+$/, '');
}

export function createOpenAICompatibleProvider(cfg: OpenAICompatibleProviderConfig): ModelProvider {
  const baseURL = normaliseOpenAIBaseUrl(cfg.baseUrl);
  const timeoutMs = cfg.timeoutMs ?? 120_000;
  const client = new OpenAI({
    baseURL,
    apiKey: cfg.apiKey && cfg.apiKey.length > 0 ? cfg.apiKey : 'not-needed',
    timeout: timeoutMs,
    maxRetries: cfg.maxRetries ?? 1,
    defaultHeaders: cfg.headers,
  });

  return {
    id: `openai-compatible:${baseURL}`,

    async listModels(signal) {
      const ids: string[] = [];
      const sig = signal ?? new AbortController().signal;
      try {
        for await (const model of client.models.list({ signal: sig })) ids.push(model.id);
      } catch (err) {
        throw mapProviderError(err, sig);
      }
      return ids;
    },

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
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await client.chat.completions.create(params, {
          signal,
          timeout: Math.min(timeoutMs, req.timeoutMs ?? timeoutMs),
        });
      } catch (err) {
        throw mapProviderError(err, signal);
      }
      const choice = completion.choices?.[0];
      if (!choice || typeof choice.message?.content !== 'string') {
        throw new ProviderError('compute_node_invalid_model_output', 'provider_no_content', false);
      }
      const usage = completion.usage;
      return {
        content: choice.message.content,
        finishReason: choice.finish_reason ?? undefined,
        usage: usage
          ? { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, totalTokens: usage.total_tokens }
          : undefined,
      };
    },
  };
}
