// The one interface every model provider implements (Model Manager).
import type { MessageRole, ProgressPhase } from '../../../src-shared/vocabulary';

export interface ProviderMessage {
  role: MessageRole;
  content: string;
  name?: string;
}

/** Progress a provider may report while it works (mapped to encrypted §2.3.4 updates). */
export interface ProviderProgress {
  phase: Exclude<ProgressPhase, 'preparing'>;
  promptTokens?: number;
  processedPromptTokens?: number;
  generatedTokens?: number;
}

export interface ProviderChatRequest {
  /** Model name at the provider (after model-config resolution). */
  model: string;
  messages: ProviderMessage[];
  /** Effective output budget; always set (Anthropic requires it). */
  maxTokens: number;
  temperature?: number;
  topP?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  stop?: string[];
  seed?: number;
  /** Upper bound for this call; the provider's configured timeout applies when smaller. */
  timeoutMs?: number;
  onProgress?: (p: ProviderProgress) => void;
  /**
   * Streaming (§11): called with each piece of answer text, in order, as the provider produces it;
   * the pieces add up to the result's `content`. A returned promise is awaited before the provider
   * reads on (back-pressure). The provider still returns the whole result.
   */
  onDelta?: (text: string) => void | Promise<void>;
}

export interface ProviderUsage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
}

export interface ProviderChatResult {
  content: string;
  /** OpenAI vocabulary: stop | length | tool_calls | content_filter | … */
  finishReason?: string;
  usage?: ProviderUsage;
}

export interface ModelProvider {
  /** Provider kind and endpoint, safe to show (no keys). */
  readonly id: string;
  listModels(signal?: AbortSignal): Promise<string[]>;
  /** Throws ProviderError (mapped §5.4 code) or ProviderAbortedError when `signal` aborts. */
  chat(req: ProviderChatRequest, signal: AbortSignal): Promise<ProviderChatResult>;
  /**
   * Gets ready before the node registers (the built-in engine loads its model file), so a bad
   * setting fails the start in the provider's own words; absent when there is nothing to prepare.
   */
  open?(): Promise<void>;
  /** Frees what the provider holds (the built-in engine's model and binary); absent when nothing. */
  close?(): Promise<void>;
}
