// One generation on a loaded model: request options → node-llama-cpp's, streamed text chunks,
// cancel, and the finish reason / usage in the Model Manager's vocabulary. The loop pulls one
// token at a time from the context sequence and waits for a delta's promise before it pulls the
// next, so a full stream buffer pauses the model (docs/protocol.md §11.3) and no text is dropped.
import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import type { EngineMessage, RenderedPrompt } from './chat-prompt';
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
  /**
   * Streaming: each chunk of new answer text, in order; the chunks add up to `content`. When it
   * returns a promise, no further token is sampled until that promise settles (back-pressure).
   */
  onDelta?: (text: string) => void | Promise<void>;
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

/** Tokens kept as context for detokenizing the next one (leading spaces, merged characters). */
const DETOKENIZE_CONTEXT = 16;
/** Tokens of one incomplete UTF-8 character held at most before its text is taken as it is. */
const MAX_PARTIAL_TOKENS = 4;
/** node-llama-cpp's default window for the repeat penalty (the tokens last generated). */
const PENALTY_LAST_TOKENS = 64;
const REPLACEMENT_CHAR = '\uFFFD';

export interface GenerationInput {
  sequence: LlamaContextSequence;
  model: LlamaModel;
  prompt: RenderedPrompt;
  maxTokens: number;
  req: EngineChatRequest;
  signal: AbortSignal;
}

/** Where the earliest stop text starts in `text` at or after `from`, or -1. */
function firstStop(text: string, from: number, stops: readonly string[]): number {
  let at = -1;
  for (const stop of stops) {
    const i = text.indexOf(stop, from);
    if (i !== -1 && (at === -1 || i < at)) at = i;
  }
  return at;
}

/** Length of the longest end of `text` (after `from`) that begins some stop text: held back. */
function partialStop(text: string, from: number, stops: readonly string[]): number {
  let held = 0;
  for (const stop of stops) {
    for (let n = Math.min(stop.length - 1, text.length - from); n > held; n--) {
      if (text.endsWith(stop.slice(0, n))) {
        held = n;
        break;
      }
    }
  }
  return held;
}

function endsWithTokens(tokens: readonly Token[], tail: readonly Token[]): boolean {
  if (tail.length > tokens.length) return false;
  const offset = tokens.length - tail.length;
  return tail.every((t, i) => tokens[offset + i] === t);
}

/** The DETOKENIZE_CONTEXT tokens before generated[end], reaching back into the prompt (no copy of it). */
function recentTokens(promptTokens: readonly Token[], generated: readonly Token[], end: number): Token[] {
  const fromGenerated = generated.slice(Math.max(0, end - DETOKENIZE_CONTEXT), end);
  const more = DETOKENIZE_CONTEXT - fromGenerated.length;
  return more > 0 ? [...promptTokens.slice(Math.max(0, promptTokens.length - more)), ...fromGenerated] : fromGenerated;
}

function untilSettledOrAborted(pending: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = (): void => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    // A rejected delta is the streamer's own failure; the answer goes on (it is posted whole).
    pending.then(done, done);
  });
}

export async function generate({ sequence, model, prompt, maxTokens, req, signal }: GenerationInput): Promise<EngineChatResult> {
  const promptTokens = prompt.tokens.length;
  const stops = [...prompt.stopTexts, ...(req.stop ?? [])];
  const generated: Token[] = [];
  const cancelled = (cause?: unknown): LocalEngineError =>
    new LocalEngineError('local_engine_cancelled', 'The answer was cancelled.', { generatedTokens: generated.length }, cause === undefined ? undefined : { cause });
  req.onProgress?.({ phase: 'prefill', promptTokens, generatedTokens: 0 });

  let text = '';
  let emitted = 0;
  let pendingTokens: Token[] = [];
  let finishReason: EngineChatResult['finishReason'] = 'length';
  const penalties = req.frequencyPenalty !== undefined || req.presencePenalty !== undefined;
  const nl = model.tokens.nl;
  const emit = async (upTo: number): Promise<void> => {
    if (upTo <= emitted) return;
    const delta = text.slice(emitted, upTo);
    emitted = upTo;
    const pending = req.onDelta?.(delta);
    if (pending instanceof Promise) await untilSettledOrAborted(pending, signal);
  };

  try {
    // Reuse what the sequence already holds of this prompt; evaluate at least its last token.
    await sequence.adaptStateToTokens(prompt.tokens.slice(0, -1), false);
    const input = prompt.tokens.slice(sequence.nextTokenIndex);
    if (signal.aborted) throw cancelled();
    const tokens = sequence.evaluate(input, {
      temperature: req.temperature ?? DEFAULT_TEMPERATURE,
      ...(req.topP !== undefined && { topP: req.topP }),
      ...(req.seed !== undefined && { seed: req.seed }),
      // As LlamaChat does by default: the last 64 generated tokens, new lines not punished.
      repeatPenalty: {
        punishTokens: () => generated.slice(-PENALTY_LAST_TOKENS).filter((t) => t !== nl),
        maxPunishTokens: PENALTY_LAST_TOKENS,
        ...(penalties && { frequencyPenalty: req.frequencyPenalty, presencePenalty: req.presencePenalty }),
      },
      yieldEogToken: true,
      // The budget keeps prompt + answer inside the window, so the sequence never needs to shift
      // the context; should it try, refuse instead of silently dropping history.
      contextShift: {
        strategy: () => {
          throw contextExceeded(promptTokens, sequence.context.contextSize, req.maxTokens);
        },
      },
    });
    for await (const token of tokens) {
      if (signal.aborted) throw cancelled();
      generated.push(token);
      if (generated.length === 1) req.onProgress?.({ phase: 'generating', promptTokens, generatedTokens: 1 });
      if (model.isEogToken(token) || prompt.stopTokens.some((stop) => endsWithTokens(generated, stop))) {
        finishReason = 'stop';
        break;
      }
      pendingTokens.push(token);
      const context = recentTokens(prompt.tokens, generated, generated.length - pendingTokens.length);
      const piece = model.detokenize(pendingTokens, false, context);
      const special = model.isSpecialToken(token);
      if (piece.endsWith(REPLACEMENT_CHAR) && !special && pendingTokens.length < MAX_PARTIAL_TOKENS) {
        // An incomplete UTF-8 character waits for its next byte; at the budget's end it is left
        // out, as node-llama-cpp's chat does.
        if (generated.length >= maxTokens) break;
        continue;
      }
      pendingTokens = [];
      if (piece.length > 0) {
        text += piece;
        const stopAt = firstStop(text, emitted, stops);
        if (stopAt !== -1) {
          text = text.slice(0, stopAt);
          await emit(stopAt);
          finishReason = 'stop';
          break;
        }
        await emit(text.length - partialStop(text, emitted, stops));
      }
      if (generated.length >= maxTokens) break;
    }
    if (signal.aborted) throw cancelled();
    // The budget ran out: a held-back partial stop match is answer text after all.
    if (finishReason === 'length') await emit(text.length);
    if (signal.aborted) throw cancelled();
  } catch (err) {
    if (err instanceof LocalEngineError) throw err;
    if (signal.aborted) throw cancelled(err);
    throw new LocalEngineError(
      'local_engine_generation_failed',
      'The built-in engine failed while writing the answer. Try again; if it keeps failing, reload the model.',
      { promptTokens, generatedTokens: generated.length },
      { cause: err },
    );
  }
  const completionTokens = generated.length;
  return {
    content: text,
    finishReason,
    usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens },
  };
}
