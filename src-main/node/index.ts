// Compute node and Model Manager (docs/protocol.md §2.3–§2.5, §5.2–§5.4).
export type {
  ComputeNode,
  ComputeNodeConfig,
  ComputeNodeEvents,
  ComputeNodeStatus,
  NodeTimings,
} from './compute-node';
export { createComputeNode, startComputeNode } from './compute-node';
export { keySourceStartingWith, type NodeKeySource } from './key-source';
export type { WorkOutcome, WorkReport } from './handle-work';
export type {
  ModelProvider,
  ProviderChatRequest,
  ProviderChatResult,
  ProviderMessage,
  ProviderProgress,
  ProviderUsage,
} from './providers/types';
export { createOpenAICompatibleProvider, normaliseOpenAIBaseUrl } from './providers/openai-compatible';
export type { OpenAICompatibleProviderConfig } from './providers/openai-compatible';
export { createAnthropicProvider } from './providers/anthropic';
export type { AnthropicProviderConfig } from './providers/anthropic';
export { createDeterministicTestProvider, deterministicAnswer } from './providers/deterministic-test';
export type { DeterministicTestProvider, DeterministicTestProviderConfig } from './providers/deterministic-test';
export { mapProviderError } from './providers/map-error';
export { LocalEngineError, createLocalProvider, isLocalEngineError, localModelName } from './providers/local';
export type { LoadedModelInfo, LocalProvider, LocalProviderConfig } from './providers/local';
export { createProvider } from './providers/create-provider';
export type { ProviderSettings } from './providers/create-provider';
export { ModelCatalogue, ModelConfigSchema, loadModelConfigFile, loadModelConfigs } from './model-config';
export type { ModelConfig, ModelConfigInput } from './model-config';
export {
  ModelConfigError,
  ProviderAbortedError,
  ProviderError,
  RegistrationRefusedError,
  RelayStatusError,
  RelayProtocolError,
  RelayUnreachableError,
} from './errors';
