// The built-in GGUF engine: one model loaded at a time on node-llama-cpp, one generation at a
// time (later calls wait their turn), unloaded after an idle time.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { LlamaChat, LlamaContext, LlamaModel } from 'node-llama-cpp';
import { importNodeLlamaCpp, loadBinding, type EngineBinding, type EngineLogger } from './binding';
import { countPromptTokens, renderPrompt, toChatHistory, type EngineMessage } from './chat-prompt';
import { LocalEngineError, isLocalEngineError } from './errors';
import { contextExceeded, generate, outputRoom, validateChatRequest, type EngineChatRequest, type EngineChatResult } from './generation';
import { SerialLock } from './serial-lock';
import {
  DEFAULT_IDLE_UNLOAD_MS,
  chooseContextSize,
  chooseThreads,
  validateLoadSettings,
  type LocalEngineBackend,
  type LocalEngineGpuChoice,
  type LocalLoadSettings,
} from './settings';

export interface LocalEngineOptions extends LocalLoadSettings {
  /** GPU back end (default `auto`: Metal, CUDA or Vulkan when present, else the CPU). */
  gpu?: LocalEngineGpuChoice;
  /** Unload the model after this long without use (default 10 min; 0 never unloads). */
  idleUnloadMs?: number;
  /** Engine warnings and errors (llama.cpp's own log lines; never prompt or answer text). */
  log?: EngineLogger;
}

/** What is loaded and how the engine sized itself: safe to show in the Model Manager. */
export interface LoadedModelInfo {
  path: string;
  /** `general.name` from the file, when it has one. */
  name?: string;
  architecture?: string;
  fileSizeBytes: number;
  trainContextSize: number;
  contextSize: number;
  threads: number;
  batchSize: number;
  backend: LocalEngineBackend;
  gpuDevices: string[];
  /** Layers offloaded to the GPU (0 on the CPU). */
  gpuLayers: number;
  /** node-llama-cpp's chat wrapper resolved from the file's chat template (e.g. "ChatML"). */
  chatWrapper: string;
  /** True when the file carries a `tokenizer.chat_template`. */
  hasChatTemplate: boolean;
  loadMs: number;
}

interface Loaded {
  info: LoadedModelInfo;
  settingsKey: string;
  model: LlamaModel;
  context: LlamaContext;
  chat: LlamaChat;
}

function cancelled(): LocalEngineError {
  return new LocalEngineError('local_engine_cancelled', 'The answer was cancelled.', { generatedTokens: 0 });
}

export class LocalEngine {
  private binding: Promise<EngineBinding> | undefined;
  private current: Loaded | undefined;
  private readonly lock = new SerialLock();
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly idleUnloadMs: number;
  private readonly log: EngineLogger;

  constructor(private readonly options: LocalEngineOptions = {}) {
    validateLoadSettings(options);
    const idle = options.idleUnloadMs ?? DEFAULT_IDLE_UNLOAD_MS;
    if (!Number.isFinite(idle) || idle < 0) {
      throw new LocalEngineError('local_engine_invalid_options', `The idle unload time must be 0 (never) or a positive number of milliseconds (got ${String(idle)}).`);
    }
    this.idleUnloadMs = idle;
    this.log = options.log ?? (() => {});
  }

  /** The model in memory, if any. */
  get loaded(): LoadedModelInfo | undefined {
    return this.current?.info;
  }

  /** Tokens the loaded model has evaluated (prompt) and sampled (output) since it was loaded. */
  get tokenUsage(): { inputTokens: number; outputTokens: number } | undefined {
    const meter = this.current?.chat.sequence.tokenMeter;
    return meter && { inputTokens: meter.usedInputTokens, outputTokens: meter.usedOutputTokens };
  }

  /** Which back end the engine runs on (loads the binary if needed). */
  async backend(): Promise<{ backend: LocalEngineBackend; gpuDevices: string[] }> {
    const { backend, gpuDevices } = await this.getBinding();
    return { backend, gpuDevices };
  }

  /**
   * Loads a GGUF file, unloading the previous model first. Loading the same file with the same
   * settings again is a no-op that returns what is loaded.
   */
  load(modelPath: string, settings: LocalLoadSettings = {}): Promise<LoadedModelInfo> {
    const wanted = validateLoadSettings({ ...this.options, ...settings });
    const path = resolve(modelPath);
    return this.exclusive(async () => {
      const settingsKey = JSON.stringify([path, wanted.contextSize, wanted.threads, wanted.batchSize]);
      if (this.current?.settingsKey === settingsKey) return this.current.info;
      await this.unloadNow();
      this.current = await this.loadNow(path, wanted, settingsKey);
      return this.current.info;
    });
  }

  /** Tokens the prompt of these messages takes with the loaded model's template and tokenizer. */
  countTokens(messages: EngineMessage[]): Promise<number> {
    return this.exclusive(async () => {
      const { chat, model } = this.requireLoaded();
      return countPromptTokens(toChatHistory(messages), chat.chatWrapper, model.tokenizer);
    });
  }

  /**
   * Generates an answer. Throws `local_engine_context_window_exceeded` before generating when
   * the prompt leaves no room for output, and `local_engine_cancelled` when `signal` aborts
   * (while waiting for its turn or while generating).
   */
  chat(req: EngineChatRequest, signal: AbortSignal): Promise<EngineChatResult> {
    validateChatRequest(req);
    return this.exclusive(async () => {
      if (signal.aborted) throw cancelled();
      const { chat, model, context } = this.requireLoaded();
      const prompt = renderPrompt(toChatHistory(req.messages), chat.chatWrapper, model.tokenizer);
      const room = outputRoom(prompt.tokens.length, context.contextSize);
      if (room === 0) throw contextExceeded(prompt.tokens.length, context.contextSize, req.maxTokens);
      return generate({ sequence: chat.sequence, model, prompt, maxTokens: Math.min(req.maxTokens, room), req, signal });
    }, signal);
  }

  /** Frees the model's memory (waits for a running generation to end). */
  unload(): Promise<void> {
    return this.exclusive(() => this.unloadNow());
  }

  /** Unloads and releases the engine binary; the engine can be used again afterwards. */
  async dispose(): Promise<void> {
    await this.unload();
    this.clearIdleTimer();
    const binding = this.binding;
    this.binding = undefined;
    if (binding) await (await binding.catch(() => undefined))?.llama.dispose();
  }

  private requireLoaded(): Loaded {
    if (!this.current) {
      throw new LocalEngineError('local_engine_not_loaded', 'No model is loaded in the built-in engine. Load a .gguf model first.');
    }
    return this.current;
  }

  private getBinding(): Promise<EngineBinding> {
    this.binding ??= loadBinding(this.options.gpu ?? 'auto', this.log).catch((err: unknown) => {
      this.binding = undefined;
      throw err;
    });
    return this.binding;
  }

  private async loadNow(path: string, settings: LocalLoadSettings, settingsKey: string): Promise<Loaded> {
    const started = performance.now();
    const fileSizeBytes = await modelFileSize(path);
    const { readGgufFileInfo, LlamaChat, InsufficientMemoryError } = await importNodeLlamaCpp();
    try {
      await readGgufFileInfo(path, { sourceType: 'filesystem', readTensorInfo: false, logWarnings: false });
    } catch (err) {
      throw new LocalEngineError('local_engine_model_invalid', 'This file is not a GGUF model or it is damaged. Download the model again or choose another file.', {}, { cause: err });
    }
    const { llama, backend, gpuDevices } = await this.getBinding();
    const outOfMemory = (err: unknown): LocalEngineError =>
      new LocalEngineError(
        'local_engine_out_of_memory',
        'There is not enough memory for this model. Close other programs, choose a smaller model, or lower the context size.',
        {},
        { cause: err },
      );
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: path, gpuLayers: 'auto' });
    } catch (err) {
      if (err instanceof InsufficientMemoryError) throw outOfMemory(err);
      throw new LocalEngineError('local_engine_model_load_failed', 'The engine could not load this model (its architecture may not be supported yet). Choose another model.', {}, { cause: err });
    }
    try {
      const threads = chooseThreads(settings.threads, llama.cpuMathCores);
      const context = await model.createContext({
        sequences: 1,
        contextSize: chooseContextSize(settings.contextSize, model.trainContextSize),
        threads,
        batchSize: settings.batchSize,
      });
      const chat = new LlamaChat({ contextSequence: context.getSequence(), chatWrapper: 'auto' });
      const metadata = model.fileInfo.metadata;
      const info: LoadedModelInfo = {
        path,
        name: metadata.general?.name,
        architecture: metadata.general?.architecture,
        fileSizeBytes,
        trainContextSize: model.trainContextSize,
        contextSize: context.contextSize,
        threads,
        batchSize: context.batchSize,
        backend,
        gpuDevices,
        gpuLayers: model.gpuLayers,
        chatWrapper: chat.chatWrapper.wrapperName,
        hasChatTemplate: typeof metadata.tokenizer?.chat_template === 'string',
        loadMs: Math.round(performance.now() - started),
      };
      return { info, settingsKey, model, context, chat };
    } catch (err) {
      await model.dispose();
      if (isLocalEngineError(err)) throw err;
      if (err instanceof InsufficientMemoryError) throw outOfMemory(err);
      throw new LocalEngineError('local_engine_model_load_failed', 'The engine could not prepare this model. Lower the context size or choose another model.', {}, { cause: err });
    }
  }

  private async unloadNow(): Promise<void> {
    const loaded = this.current;
    this.current = undefined;
    if (!loaded) return;
    loaded.chat.dispose();
    await loaded.context.dispose();
    await loaded.model.dispose();
  }

  /** Runs `task` alone; the idle clock restarts when the queue empties. */
  private async exclusive<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    this.clearIdleTimer();
    try {
      return await this.lock.run(task, signal, cancelled);
    } finally {
      this.armIdleTimer();
    }
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private armIdleTimer(): void {
    if (this.idleUnloadMs === 0 || this.lock.size > 0 || !this.current) return;
    this.clearIdleTimer();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      void this.unload().catch((err: unknown) => this.log('error', `idle unload failed: ${err instanceof Error ? err.message : String(err)}`));
    }, this.idleUnloadMs);
    this.idleTimer.unref();
  }
}

async function modelFileSize(path: string): Promise<number> {
  const notFound = (cause?: unknown): LocalEngineError =>
    new LocalEngineError('local_engine_model_not_found', 'The model file was not found. Download it again or choose another .gguf file.', {}, { cause });
  try {
    const s = await stat(path);
    if (!s.isFile()) throw notFound();
    return s.size;
  } catch (err) {
    if (isLocalEngineError(err)) throw err;
    throw notFound(err);
  }
}
