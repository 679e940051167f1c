// A deterministic model provider FOR TESTS AND DEMOS ONLY: it runs no model. It derives an answer
// from the prompt, can pace its "tokens", and can be told to fail, so node behaviour is testable.
import { performance } from 'node:perf_hooks';
import type { NodeErrorCode } from '../../../src-shared/protocol/error-codes';
import { ProviderAbortedError, ProviderError } from '../errors';
import type { ModelProvider, ProviderChatRequest, ProviderChatResult } from './types';

export interface DeterministicTestProviderConfig {
  /** Model names this provider reports (default ['deterministic-test']). */
  models?: string[];
  /** Delay before the first token ("prefill", the time to first token), ms (default 0). */
  delayMs?: number;
  /** Delay before each generated token, ms (default 0); `tokensPerSecond` replaces it. */
  tokenDelayMs?: number;
  /**
   * A fixed token rate (benches, e2e): the first token right after `delayMs`, then one every
   * 1000 / tokensPerSecond ms on a fixed schedule from there, so timer lateness does not add up.
   */
  tokensPerSecond?: number;
  /** Answer text for a request (default: echo of the last user message). */
  answer?: (req: ProviderChatRequest) => string;
  /** Makes the answer exactly this many tokens long (the answer's words repeated), before max tokens apply. */
  answerTokens?: number;
  /** Return a code to make this request fail with ProviderError. */
  failWhen?: (req: ProviderChatRequest) => NodeErrorCode | undefined;
  /** Fails with `code` after `afterTokens` tokens went out (an error in the middle of a stream, §11.8). */
  failMidStream?: { afterTokens: number; code: NodeErrorCode };
  /**
   * Every call waits after its prefill until this settles (tests: requests held in flight for as
   * long as a test needs them there, instead of a delay that load can outlast).
   */
  holdUntil?: Promise<void>;
}

export interface DeterministicTestProvider extends ModelProvider {
  /** Every call fails with `code` until set back to null (simulates an outage). */
  setFailure(code: NodeErrorCode | null): void;
  readonly stats: { calls: number; inFlight: number; maxInFlight: number; aborted: number };
}

/** The default answer: deterministic and derived from the prompt, so round trips are checkable. */
export function deterministicAnswer(req: ProviderChatRequest): string {
  const lastUser = [...req.messages].reverse().find((m) => m.role === 'user');
  return `Test answer (${req.messages.length} messages) to: ${lastUser?.content ?? ''}`;
}

const estimateTokens = (text: string) => Math.ceil(text.length / 4);

/** The answer's "tokens": its words, each with the space that follows it. */
const tokensOf = (text: string) => text.split(/(?<= )/);

/** `count` tokens: the answer's words over and over (a trailing space keeps words apart). */
function repeatTokens(words: readonly string[], count: number): string[] {
  const source = words.length > 0 && words.join('') !== '' ? words : ['token '];
  return Array.from({ length: count }, (_, i) => {
    const word = source[i % source.length]!;
    return i < count - 1 && !word.endsWith(' ') ? `${word} ` : word;
  });
}

/** When each token is due, ms after generation starts (the first token included). */
function tokenSchedule(cfg: DeterministicTestProviderConfig): ((index: number) => number) | null {
  if (cfg.tokensPerSecond !== undefined && cfg.tokensPerSecond > 0) {
    const interval = 1000 / cfg.tokensPerSecond;
    return (i) => i * interval;
  }
  const delay = cfg.tokenDelayMs ?? 0;
  return delay > 0 ? (i) => (i + 1) * delay : null;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return signal.aborted ? Promise.reject(new ProviderAbortedError()) : Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ProviderAbortedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ProviderAbortedError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function createDeterministicTestProvider(cfg: DeterministicTestProviderConfig = {}): DeterministicTestProvider {
  const models = cfg.models ?? ['deterministic-test'];
  let failure: NodeErrorCode | null = null;
  const stats = { calls: 0, inFlight: 0, maxInFlight: 0, aborted: 0 };

  async function run(req: ProviderChatRequest, signal: AbortSignal): Promise<ProviderChatResult> {
    const code = failure ?? cfg.failWhen?.(req);
    if (code) throw new ProviderError(code, 'test_provider_failure', code === 'compute_node_runtime_unavailable');
    if (!models.includes(req.model)) throw new ProviderError('compute_node_model_unsupported', 'provider_model_not_found', false, 404);

    const promptTokens = estimateTokens(req.messages.map((m) => m.content).join(''));
    req.onProgress?.({ phase: 'prefill', promptTokens, processedPromptTokens: 0 });
    await sleep(cfg.delayMs ?? 0, signal);
    if (cfg.holdUntil) await cfg.holdUntil;

    let text = (cfg.answer ?? deterministicAnswer)(req);
    let finishReason = 'stop';
    for (const s of req.stop ?? []) {
      const at = text.indexOf(s);
      if (at >= 0) text = text.slice(0, at);
    }
    let words = tokensOf(text);
    if (cfg.answerTokens !== undefined) words = repeatTokens(words, cfg.answerTokens);
    if (words.length > req.maxTokens) {
      words.length = req.maxTokens;
      finishReason = 'length';
    }
    const dueAt = tokenSchedule(cfg);
    const started = performance.now();
    let generated = 0;
    for (const word of words) {
      if (dueAt) await sleep(started + dueAt(generated) - performance.now(), signal);
      else if (signal.aborted) throw new ProviderAbortedError();
      if (cfg.failMidStream && generated === cfg.failMidStream.afterTokens) {
        throw new ProviderError(cfg.failMidStream.code, 'test_provider_failure', cfg.failMidStream.code === 'compute_node_runtime_unavailable');
      }
      generated += 1;
      if (dueAt) req.onProgress?.({ phase: 'generating', promptTokens, processedPromptTokens: promptTokens, generatedTokens: generated });
      if (word.length > 0 && req.onDelta) {
        const pause = req.onDelta(word);
        if (pause) await pause;
      }
    }
    if (signal.aborted) throw new ProviderAbortedError();
    return {
      content: words.join(''),
      finishReason,
      usage: { promptTokens, completionTokens: generated, totalTokens: promptTokens + generated },
    };
  }

  return {
    id: 'deterministic-test',
    stats,
    setFailure(code) {
      failure = code;
    },
    async listModels() {
      if (failure === 'compute_node_runtime_unavailable') throw new ProviderError(failure, 'test_provider_failure', true);
      return [...models];
    },
    async chat(req, signal) {
      stats.calls += 1;
      stats.inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      try {
        return await run(req, signal);
      } catch (err) {
        if (err instanceof ProviderAbortedError) stats.aborted += 1;
        throw err;
      } finally {
        stats.inFlight -= 1;
      }
    },
  };
}
