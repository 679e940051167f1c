// The built-in GGUF engine on node-llama-cpp (issue 13), and its Model Manager provider (`local`).
export { LocalEngine, type LocalEngineOptions, type LoadedModelInfo } from './local-engine';
export type { EngineMessage } from './chat-prompt';
export { DEFAULT_TEMPERATURE, type EngineChatRequest, type EngineChatResult, type EngineProgress } from './generation';
export { LOCAL_ENGINE_ERROR_CODES, LocalEngineError, isLocalEngineError, type LocalEngineErrorCode, type LocalEngineErrorDetails } from './errors';
export {
  DEFAULT_IDLE_UNLOAD_MS,
  DEFAULT_MAX_CONTEXT_TOKENS,
  LOCAL_ENGINE_GPU_CHOICES,
  chooseContextSize,
  chooseThreads,
  type LocalEngineBackend,
  type LocalEngineGpuChoice,
  type LocalLoadSettings,
} from './settings';
export type { EngineLogger } from './binding';
export { createLocalProvider, localModelName, mapLocalEngineError, type LocalProvider, type LocalProviderConfig } from './local-provider';
