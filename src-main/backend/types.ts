import type { EventChannel, EventPayload } from '../../src-shared/ipc/contract';
import type { ProviderKind } from '../node';
import type { SecretStore } from '../storage';

export type { SecretStore };

export interface RelayHost {
  start(): Promise<{ url: string }>;
  stop(): Promise<void>;
  url(): string | undefined;
  nodeCount(): Promise<number>;
  onCrash(listener: (error: Error) => void): () => void;
}

export interface NodeHostConfig {
  relayUrl: string;
  provider: ProviderKind;
  baseUrl?: string;
  apiKey?: string;
  model: string;
}

export interface NodeHostStatus {
  state: string;
  fingerprint?: string;
  inFlight: number;
  served: number;
  error?: string;
}

export interface NodeHost {
  start(cfg: NodeHostConfig): Promise<void>;
  stop(): Promise<void>;
  status(): NodeHostStatus;
  onStatus(listener: (s: NodeHostStatus) => void): () => void;
  onCrash(listener: (error: Error) => void): () => void;
}

export type Emit = <C extends EventChannel>(channel: C, payload: EventPayload<C>) => void;

export interface DetectTarget {
  name: 'Ollama' | 'LM Studio' | 'llama.cpp' | 'vLLM';
  baseUrl: string;
}

export interface BackendDeps {
  dataDir: string;
  /**
   * Where secrets live. When absent the backend starts locked (`app:info` says 'locked') until
   * `app:unlock` opens a passphrase store (unlockSecrets, default: scrypt file in dataDir).
   */
  secrets?: SecretStore;
  unlockSecrets?: (passphrase: string) => Promise<SecretStore>;
  relayHost: RelayHost;
  nodeHost: NodeHost;
  emit: Emit;
  fetch?: typeof fetch;
  now?: () => number;
  /** Opens an http(s) URL in the system browser (Electron shell.openExternal). */
  openExternal?: (url: string) => Promise<void>;
  version?: string;
  platform?: string;
  /** Local provider addresses `node:detect` probes (default: Ollama, LM Studio, llama.cpp, vLLM). */
  detectTargets?: DetectTarget[];
  detectTimeoutMs?: number;
  /** Host restart backoff: first delay and cap (default 500 ms, 30 s). */
  restartBackoffMs?: { initial: number; max: number };
  /** Passed to every RelayClient (tests shorten polling). */
  relayClient?: { pollIntervalMs?: number; longPollWaitSeconds?: number; requestTimeoutMs?: number };
  /** Start the embedded relay (and the node, if configured) on open. Default true. */
  autoStart?: boolean;
  /** Error codes only — never message contents. */
  log?: (line: string) => void;
}

export interface Backend {
  /** Validates the request with the contract schema, runs it, validates the reply; throws IpcErrorLike. */
  handle(channel: string, request: unknown): Promise<unknown>;
  close(): Promise<void>;
}
