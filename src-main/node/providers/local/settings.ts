// How the engine sizes itself for this machine: threads, context size, GPU choice.
import { availableParallelism } from 'node:os';
import { LocalEngineError } from './errors';

/** GPU back ends the prebuilt binaries offer, plus the CPU. `auto` picks the best one present. */
export const LOCAL_ENGINE_GPU_CHOICES = ['auto', 'metal', 'cuda', 'vulkan', 'cpu'] as const;
export type LocalEngineGpuChoice = (typeof LOCAL_ENGINE_GPU_CHOICES)[number];
export type LocalEngineBackend = Exclude<LocalEngineGpuChoice, 'auto'>;

/** Default ceiling of the context window; node-llama-cpp shrinks it to what memory allows. */
export const DEFAULT_MAX_CONTEXT_TOKENS = 8192;
/** Unload a model nobody used for this long (0 keeps it loaded). */
export const DEFAULT_IDLE_UNLOAD_MS = 10 * 60_000;

/** Per-load settings; unset fields are chosen for the machine. */
export interface LocalLoadSettings {
  /** Context window in tokens (capped at the model's training context). */
  contextSize?: number;
  /** CPU threads for evaluation (capped at the machine's logical cores). */
  threads?: number;
  /** Tokens evaluated per batch (node-llama-cpp's default when unset). */
  batchSize?: number;
}

function positiveInteger(value: number | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new LocalEngineError('local_engine_invalid_options', `The ${what} must be a whole number of at least 1 (got ${String(value)}).`);
  }
  return value;
}

/** Checks settings a person typed (bad values get a message naming the setting). */
export function validateLoadSettings(settings: LocalLoadSettings): LocalLoadSettings {
  return {
    contextSize: positiveInteger(settings.contextSize, 'context size'),
    threads: positiveInteger(settings.threads, 'number of threads'),
    batchSize: positiveInteger(settings.batchSize, 'batch size'),
  };
}

/**
 * Threads: the requested count (the node's `threads` setting, `--threads N`), never more than the
 * machine has; else one fewer than the cores llama.cpp counts as good for math (physical cores,
 * not hyper-threads, which slow token generation down), at least 1. llama.cpp's threads meet at a
 * barrier after every step, so one of them waiting for a core stalls all of them: with every core
 * taken, the node's own work (crypto, the relay, the window) made the engine collapse under load
 * (4 tokens/s at 2 threads on 2 busy cores against 190 at 1). The core left free keeps it steady.
 */
export function chooseThreads(requested: number | undefined, mathCores: number, logicalCores = availableParallelism()): number {
  if (requested !== undefined) return Math.max(1, Math.min(requested, logicalCores));
  const cores = Math.min(mathCores > 0 ? mathCores : logicalCores, logicalCores);
  return Math.max(1, cores - 1);
}

/**
 * Context size: the requested size (capped at the training context), else "as large as memory
 * allows up to DEFAULT_MAX_CONTEXT_TOKENS" for node-llama-cpp to fit.
 */
export function chooseContextSize(requested: number | undefined, trainContextSize: number): number | { max: number } {
  const cap = trainContextSize > 0 ? trainContextSize : DEFAULT_MAX_CONTEXT_TOKENS;
  if (requested !== undefined) return Math.min(requested, cap);
  return { max: Math.min(DEFAULT_MAX_CONTEXT_TOKENS, cap) };
}

/** node-llama-cpp's `gpu` option for a choice. */
export function gpuOption(choice: LocalEngineGpuChoice): 'auto' | 'metal' | 'cuda' | 'vulkan' | false {
  return choice === 'cpu' ? false : choice;
}
