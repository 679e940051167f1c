// One ModelProvider from a provider kind and its settings: the `tokenplace-node` CLI and the app's
// in-process node host both build theirs here (each checks its required settings first, in its
// own words). The kinds are declared in src-shared/vocabulary; a new kind fails to compile here
// until the switch builds it.
import type { ProviderKind } from '../../../src-shared/vocabulary';
import { createAnthropicProvider } from './anthropic';
import { createLocalProvider } from './local';
import { createDeterministicTestProvider, type DeterministicTestProviderConfig } from './deterministic-test';
import { createOpenAICompatibleProvider } from './openai-compatible';
import type { ModelProvider } from './types';

export interface ProviderSettings {
  kind: ProviderKind;
  /** openai-compatible: the server (required); anthropic: an optional API base URL. */
  baseUrl?: string;
  /** Required for anthropic. */
  apiKey?: string;
  /** Provider call timeout (the provider's default when absent). */
  timeoutMs?: number;
  /** openai-compatible: stream to report generated tokens as progress. */
  streamProgress?: boolean;
  /** local: the .gguf file (required), and optionally its context size and CPU threads. */
  modelFile?: string;
  contextSize?: number;
  threads?: number;
  /** Settings of the deterministic test provider. */
  test?: DeterministicTestProviderConfig;
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new TypeError(`${what} is required for this provider`);
  return value;
}

export function createProvider(s: ProviderSettings): ModelProvider {
  const timeout = s.timeoutMs !== undefined ? { timeoutMs: s.timeoutMs } : {};
  switch (s.kind) {
    case 'test':
      return createDeterministicTestProvider(s.test ?? {});
    case 'anthropic':
      return createAnthropicProvider({ apiKey: required(s.apiKey, 'apiKey'), ...(s.baseUrl && { baseUrl: s.baseUrl }), ...timeout });
    case 'openai-compatible':
      return createOpenAICompatibleProvider({
        baseUrl: required(s.baseUrl, 'baseUrl'),
        ...(s.apiKey && { apiKey: s.apiKey }),
        ...timeout,
        ...(s.streamProgress !== undefined && { streamProgress: s.streamProgress }),
      });
    case 'local':
      return createLocalProvider({
        modelFile: required(s.modelFile, 'modelFile'),
        ...(s.contextSize !== undefined && { contextSize: s.contextSize }),
        ...(s.threads !== undefined && { threads: s.threads }),
        ...timeout,
      });
  }
}
