// A deterministic model provider FOR TESTS AND DEMOS ONLY: it runs no model. It derives an answer
// from the prompt, can pace its "tokens", and can be told to fail, so node behaviour is testable.
import type { NodeErrorCode } from '../../../src-shared/protocol/error-codes';
import { ProviderAbortedError, ProviderError } from '../errors';
import type { ModelProvider, ProviderChatRequest, ProviderChatResult } from './types';

export interface DeterministicTestProviderConfig {
  /** Model names this provider reports (default ['deterministic-test']). */
  models?: string[];
  /** Delay before the first token ("prefill"), ms (default 0). */
  delayMs?: number;
  /** Delay per generated token, ms (default 0). */
  tokenDelayMs?: number;
  /** Answer text for a request (default: echo of the last user message). */
  answer?: (req: ProviderChatRequest) => string;
  /** Return a code to make this request fail with ProviderError. */
  failWhen?: (req: ProviderChatRequest) => NodeErrorCode | undefined;
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

    let text = (cfg.answer ?? deterministicAnswer)(req);
    let finishReason = 'stop';
    for (const s of req.stop ?? []) {
      const at = text.indexOf(s);
      if (at >= 0) text = text.slice(0, at);
    }
    const words = text.split(/(?<= )/);
    if (words.length > req.maxTokens) {
      words.length = req.maxTokens;
      finishReason = 'length';
    }
    let generated = 0;
    for (const _word of words) {
      await sleep(cfg.tokenDelayMs ?? 0, signal);
      generated += 1;
      if (cfg.tokenDelayMs) req.onProgress?.({ phase: 'generating', promptTokens, processedPromptTokens: promptTokens, generatedTokens: generated });
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
