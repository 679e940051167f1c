// Loads node-llama-cpp and its prebuilt llama.cpp binary for a GPU choice. Never builds from
// source and never downloads (`build: 'never'`): the binaries come with the npm packages.
import type { Llama } from 'node-llama-cpp';
import { LocalEngineError } from './errors';
import { gpuOption, type LocalEngineBackend, type LocalEngineGpuChoice } from './settings';

export type NodeLlamaCpp = typeof import('node-llama-cpp');

let modulePromise: Promise<NodeLlamaCpp> | undefined;

/** node-llama-cpp is ESM with top-level await: it can only be reached with import(). */
export function importNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  modulePromise ??= import('node-llama-cpp').catch((err: unknown) => {
    modulePromise = undefined;
    throw new LocalEngineError(
      'local_engine_binary_unavailable',
      'The built-in model engine is not installed correctly. Reinstall the app (or run npm ci) and try again.',
      {},
      { cause: err },
    );
  });
  return modulePromise;
}

export type EngineLogger = (level: 'warn' | 'error', message: string) => void;

export interface EngineBinding {
  llama: Llama;
  backend: LocalEngineBackend;
  gpuDevices: string[];
}

/** Picks the binary for `choice`; `auto` takes the best GPU present and falls back to the CPU. */
export async function loadBinding(choice: LocalEngineGpuChoice, log: EngineLogger): Promise<EngineBinding> {
  const { getLlama, LlamaLogLevel } = await importNodeLlamaCpp();
  let llama: Llama;
  try {
    llama = await getLlama({
      gpu: gpuOption(choice),
      build: 'never',
      usePrebuiltBinaries: true,
      progressLogs: false,
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => {
        if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) log('error', message.trimEnd());
        else if (level === LlamaLogLevel.warn) log('warn', message.trimEnd());
      },
    });
  } catch (err) {
    if (choice === 'auto' || choice === 'cpu') {
      throw new LocalEngineError(
        'local_engine_binary_unavailable',
        'The built-in model engine cannot run on this computer (no compatible prebuilt engine was found). Use an OpenAI-compatible server such as Ollama or LM Studio instead.',
        {},
        { cause: err },
      );
    }
    throw new LocalEngineError(
      'local_engine_gpu_unavailable',
      `The ${choice.toUpperCase()} GPU back end is not available on this computer. Choose "auto" or "cpu" for the engine's GPU setting.`,
      { gpu: choice },
      { cause: err },
    );
  }
  const backend: LocalEngineBackend = llama.gpu === false ? 'cpu' : llama.gpu;
  const gpuDevices = backend === 'cpu' ? [] : await llama.getGpuDeviceNames().catch(() => []);
  return { llama, backend, gpuDevices };
}
