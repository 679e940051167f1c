// One generation on a loaded model: request options → node-llama-cpp's, streamed text chunks,
// cancel, and the finish reason / usage in the Model Manager's vocabulary.
import type { LlamaChat } from 'node-llama-cpp';
import type { EngineMessage } from './chat-prompt';
import { LocalEngineError } from './errors';

/** Default sampling temperature when the request names none (small models loop when greedy). */
export const DEFAULT_TEMPERATURE = 0.8;

export interface EngineProgress {
  phase: 'prefill' | 'generating';
  promptTokens: number;
  generatedTokens: number;
}

export interface EngineChatRequest {
  messages: EngineMessage[];
  /** Output budget in tokens; lowered to what the context window has left. */
  maxTokens: number;
  temperature?: number;
  topP?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  seed?: number;
  /** Stop sequences: generation ends before the first one, which is not part of the content. */
  stop?: string[];
  /** Streaming: each chunk of new answer text, in order; the chunks add up to `content`. */
  onDelta?: (text: string) => void;
  onProgress?: (progress: EngineProgress) => void;
}

export interface EngineChatResult {
  content: string;
  /** `stop`: the model ended or a stop sequence matched; `length`: the token budget ran out. */
  finishReason: 'stop' | 'length';
  usage: { promptTokens: number; completionTokens: number; totalTokens: number };
}

const MAX_STOP_SEQUENCES = 16;

function invalid(message: string): LocalEngineError {
  return new LocalEngineError('local_engine_invalid_options', message);
}

function inRange(value: number | undefined, min: number, max: number, what: string): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= min && value <= max)) {
    throw invalid(`The ${what} must be a number from ${min} to ${max} (got ${String(value)}).`);
  }
}

/** Refuses options the engine cannot honour, naming the option and the allowed values. */
export function validateChatRequest(req: EngineChatRequest): void {
  if (req.messages.length === 0) throw invalid('The chat has no messages; send at least one message.');
  if (!Number.isInteger(req.maxTokens) || req.maxTokens < 1) {
    throw invalid(`The maximum number of output tokens must be a whole number of at least 1 (got ${String(req.maxTokens)}).`);
  }
  inRange(req.temperature, 0, 2, 'temperature');
  inRange(req.topP, 0, 1, 'top_p');
  inRange(req.frequencyPenalty, -2, 2, 'frequency penalty');
  inRange(req.presencePenalty, -2, 2, 'presence penalty');
  if (req.seed !== undefined && !(Number.isInteger(req.seed) && req.seed >= 0 && req.seed <= 0xffffffff)) {
    throw invalid(`The seed must be a whole number from 0 to 4294967295 (got ${String(req.seed)}).`);
  }
  if (req.stop !== undefined) {
    if (req.stop.length > MAX_STOP_SEQUENCES) throw invalid(`At most ${MAX_STOP_SEQUENCES} stop sequences are allowed (got ${req.stop.length}).`);
    if (req.stop.some((s) => typeof s !== 'string' || s.length === 0)) throw invalid('Stop sequences must be non-empty text.');
  }
}

/** The prompt leaves no room in the window (node-llama-cpp needs one free slot past it). */
export function contextExceeded(promptTokens: number, contextSize: number, requestedOutputTokens: number): LocalEngineError {
  return new LocalEngineError(
    'local_engine_context_window_exceeded',
    `The conversation takes ${promptTokens} tokens, but the model's context window holds ${contextSize}. Shorten the conversation or load the model with a larger context size.`,
    { promptTokens, contextSize, requestedOutputTokens },
  );
}

/** Output tokens that fit after the prompt, or 0 when the prompt itself does not fit. */
export function outputRoom(promptTokens: number, contextSize: number): number {
  return promptTokens + 2 > contextSize ? 0 : contextSize - promptTokens;
}

export interface GenerationInput {
  chat: LlamaChat;
  history: Parameters<LlamaChat['generateResponse']>[0];
  promptTokens: number;
  maxTokens: number;
  req: EngineChatRequest;
  signal: AbortSignal;
}

export async function generate({ chat, history, promptTokens, maxTokens, req, signal }: GenerationInput): Promise<EngineChatResult> {
  // The sequence's token meter counts every sampled token; onToken misses tokens held back at
  // the end (an incomplete UTF-8 character, a partial stop-sequence match).
  const meter = chat.sequence.tokenMeter;
  const outputBefore = meter.usedOutputTokens;
  const sampled = (): number => meter.usedOutputTokens - outputBefore;
  let streamedTokens = 0;
  req.onProgress?.({ phase: 'prefill', promptTokens, generatedTokens: 0 });
  const penalties = req.frequencyPenalty !== undefined || req.presencePenalty !== undefined;
  let response;
  try {
    response = await chat.generateResponse(history, {
      signal,
      stopOnAbortSignal: false,
      maxTokens,
      temperature: req.temperature ?? DEFAULT_TEMPERATURE,
      topP: req.topP,
      seed: req.seed,
      customStopTriggers: req.stop,
      ...(penalties ? { repeatPenalty: { frequencyPenalty: req.frequencyPenalty, presencePenalty: req.presencePenalty } } : {}),
      onToken: (tokens) => {
        if (streamedTokens === 0) req.onProgress?.({ phase: 'generating', promptTokens, generatedTokens: tokens.length });
        streamedTokens += tokens.length;
      },
      onTextChunk: req.onDelta,
      // The budget above keeps prompt + answer inside the window, so node-llama-cpp never needs
      // to shift the context; should it try, refuse instead of silently dropping history.
      contextShift: {
        strategy: () => {
          throw contextExceeded(promptTokens, chat.context.contextSize, req.maxTokens);
        },
      },
    });
  } catch (err) {
    if (err instanceof LocalEngineError) throw err;
    if (signal.aborted) {
      throw new LocalEngineError('local_engine_cancelled', 'The answer was cancelled.', { generatedTokens: sampled() }, { cause: err });
    }
    throw new LocalEngineError(
      'local_engine_generation_failed',
      'The built-in engine failed while writing the answer. Try again; if it keeps failing, reload the model.',
      { promptTokens, generatedTokens: sampled() },
      { cause: err },
    );
  }
  if (response.metadata.stopReason === 'abort') {
    throw new LocalEngineError('local_engine_cancelled', 'The answer was cancelled.', { generatedTokens: sampled() });
  }
  const completionTokens = sampled();
  return {
    content: response.response,
    finishReason: response.metadata.stopReason === 'maxTokens' ? 'length' : 'stop',
    usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens },
  };
}
