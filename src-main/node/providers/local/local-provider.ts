// The built-in engine as a Model Manager provider (`local` kind): one GGUF file, loaded on first
// use (or by load()), reloaded after an idle unload; engine failures become §5.4 node codes.
import { basename } from 'node:path';
import type { NodeErrorCode } from '../../../../src-shared/protocol/error-codes';
import { ProviderAbortedError, ProviderError } from '../../errors';
import type { ModelProvider, ProviderChatRequest, ProviderChatResult } from '../types';
import type { EngineLogger } from './binding';
import { isLocalEngineError, type LocalEngineErrorCode } from './errors';
import { LocalEngine, type LoadedModelInfo } from './local-engine';
import type { LocalEngineGpuChoice } from './settings';

export interface LocalProviderConfig {
  /** The .gguf file to serve. */
  modelFile: string;
  /** Context window in tokens (default: chosen for the machine, see chooseContextSize). */
  contextSize?: number;
  /** CPU threads (default: the machine's math cores minus one, at least 1). */
  threads?: number;
  gpu?: LocalEngineGpuChoice;
  /** Unload after this long without a request (the engine's default when absent; 0 never). */
  idleUnloadMs?: number;
  /** Per-call timeout (default 120 s). */
  timeoutMs?: number;
  log?: EngineLogger;
}

export interface LocalProvider extends ModelProvider {
  /** The model name listModels() reports: the file name without `.gguf`. */
  readonly modelName: string;
  /** Loads the model now (chat() also loads it when needed) and says how; throws LocalEngineError. */
  load(): Promise<LoadedModelInfo>;
  open(): Promise<void>;
  /** Frees the model and the engine binary (chat() loads them again). */
  close(): Promise<void>;
}

/** §5.4 code for each engine failure, and whether trying again later may help. */
const NODE_CODE: Record<Exclude<LocalEngineErrorCode, 'local_engine_cancelled'>, [NodeErrorCode, boolean]> = {
  local_engine_context_window_exceeded: ['compute_node_context_window_exceeded', false],
  local_engine_invalid_options: ['compute_node_options_unsupported', false],
  local_engine_model_not_found: ['compute_node_runtime_unavailable', false],
  local_engine_model_invalid: ['compute_node_runtime_unavailable', false],
  local_engine_model_load_failed: ['compute_node_runtime_unavailable', false],
  local_engine_binary_unavailable: ['compute_node_runtime_unavailable', false],
  local_engine_gpu_unavailable: ['compute_node_runtime_unavailable', false],
  local_engine_out_of_memory: ['compute_node_runtime_unavailable', true],
  local_engine_not_loaded: ['compute_node_runtime_unavailable', true],
  local_engine_generation_failed: ['compute_node_process_failed', true],
};

/** The model name of a file: `qwen2.5-0.5b-instruct-q4_k_m.gguf` → `qwen2.5-0.5b-instruct-q4_k_m`. */
export function localModelName(modelFile: string): string {
  return basename(modelFile).replace(/\.gguf$/i, '');
}

/** Maps what the engine threw; the reason is the engine's code (a fixed token, never text). */
export function mapLocalEngineError(err: unknown, signal: AbortSignal, timedOut: boolean): ProviderError | ProviderAbortedError {
  if (err instanceof ProviderError || err instanceof ProviderAbortedError) return err;
  if (signal.aborted) return new ProviderAbortedError();
  if (timedOut) return new ProviderError('compute_node_runtime_unavailable', 'provider_timeout', true);
  if (!isLocalEngineError(err)) return new ProviderError('compute_node_internal_error', 'local_engine_error', true);
  if (err.code === 'local_engine_cancelled') return new ProviderAbortedError();
  const [code, retryable] = NODE_CODE[err.code];
  return new ProviderError(code, err.code, retryable);
}

export function createLocalProvider(cfg: LocalProviderConfig, engine = new LocalEngine({ gpu: cfg.gpu, idleUnloadMs: cfg.idleUnloadMs, log: cfg.log })): LocalProvider {
  const timeoutMs = cfg.timeoutMs ?? 120_000;
  const modelName = localModelName(cfg.modelFile);
  const load = () =>
    engine.load(cfg.modelFile, {
      ...(cfg.contextSize !== undefined && { contextSize: cfg.contextSize }),
      ...(cfg.threads !== undefined && { threads: cfg.threads }),
    });

  return {
    id: `local:${basename(cfg.modelFile)}`,
    modelName,
    load,
    open: async () => {
      await load();
    },
    close: () => engine.dispose(),
    listModels: () => Promise.resolve([modelName]),

    async chat(req: ProviderChatRequest, signal: AbortSignal): Promise<ProviderChatResult> {
      const deadline = AbortSignal.timeout(Math.min(timeoutMs, req.timeoutMs ?? timeoutMs));
      const both = AbortSignal.any([signal, deadline]);
      let generated = 0;
      try {
        await load();
        const result = await engine.chat(
          {
            messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
            maxTokens: req.maxTokens,
            ...(req.temperature !== undefined && { temperature: req.temperature }),
            ...(req.topP !== undefined && { topP: req.topP }),
            ...(req.frequencyPenalty !== undefined && { frequencyPenalty: req.frequencyPenalty }),
            ...(req.presencePenalty !== undefined && { presencePenalty: req.presencePenalty }),
            ...(req.seed !== undefined && { seed: req.seed }),
            ...(req.stop !== undefined && req.stop.length > 0 && { stop: req.stop }),
            ...(req.onProgress && {
              onProgress: (p) => {
                if (p.phase === 'prefill') req.onProgress?.({ phase: 'prefill', promptTokens: p.promptTokens, processedPromptTokens: 0 });
              },
            }),
            ...((req.onProgress || req.onDelta) && {
              onDelta: (text) => {
                generated += 1;
                req.onProgress?.({ phase: 'generating', generatedTokens: generated });
                // The engine samples no further token until a returned promise settles: the node's
                // full stream buffer pauses generation (docs/protocol.md §11.3).
                if (text.length > 0 && req.onDelta) return req.onDelta(text);
              },
            }),
          },
          both,
        );
        if (signal.aborted) throw new ProviderAbortedError();
        return result;
      } catch (err) {
        throw mapLocalEngineError(err, signal, deadline.aborted);
      }
    },
  };
}
