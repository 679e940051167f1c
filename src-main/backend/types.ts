import { z } from 'zod';
import { LocalNodeConfigSchema, type EventChannel, type EventPayload, type IpcResult } from '../../src-shared/ipc/contract';
import { NodeHostStateSchema, type LocalServerName } from '../../src-shared/vocabulary';
import type { CatalogueEntry, StatFs } from '../models';
import type { SecretStore } from '../storage';
import type { ChatFileDialogs } from './chat-files';

export type { SecretStore };

/** How the app's own client and node reach the embedded relay (§12): its URL and this launch's secret. */
export interface RelayAccess {
  url: string;
  launchSecret: string;
}

export interface RelayHost {
  /** The per-launch secret of §12, the same for every start of this host; only the app's client and node get it. */
  readonly launchSecret: string;
  start(): Promise<{ url: string }>;
  stop(): Promise<void>;
  url(): string | undefined;
  nodeCount(): Promise<number>;
  onCrash(listener: (error: Error) => void): () => void;
}

/**
 * What a NodeHost starts: the app's node settings (API key included), the relay to serve, and the
 * node's stored key pair (from the SecretStore; it goes to the node's process and nowhere else —
 * without it the node makes a new key, as a fresh install does).
 */
export const NodeHostConfigSchema = LocalNodeConfigSchema.extend({
  relayUrl: z.string().url(),
  /** The embedded relay's launch secret (§12), sent on every relay call. */
  relayLaunchSecret: z.string().min(1),
  nodeKey: z.strictObject({ privateKeyPem: z.string().min(1).max(20_000), publicKeyPem: z.string().min(1).max(5_000) }).optional(),
}).strict();
export type NodeHostConfig = z.infer<typeof NodeHostConfigSchema>;

export const NodeHostStatusSchema = z.object({
  state: NodeHostStateSchema,
  fingerprint: z.string().max(256).optional(),
  inFlight: z.number().int().nonnegative(),
  served: z.number().int().nonnegative(),
  error: z.string().max(2000).optional(),
});
export type NodeHostStatus = z.infer<typeof NodeHostStatusSchema>;

export interface NodeHost {
  start(cfg: NodeHostConfig): Promise<void>;
  stop(): Promise<void>;
  status(): NodeHostStatus;
  onStatus(listener: (s: NodeHostStatus) => void): () => void;
  onCrash(listener: (error: Error) => void): () => void;
}

export type Emit = <C extends EventChannel>(channel: C, payload: EventPayload<C>) => void;

export interface DetectTarget {
  name: LocalServerName;
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
  /** The models offered for download (default: the curated list, src-main/models catalogue). */
  modelCatalogue?: readonly CatalogueEntry[];
  /** Main's open dialog for a .gguf file (`models:import`): its path, or undefined when cancelled. */
  chooseModelFile?: () => Promise<string | undefined>;
  /** Organise: main's save dialog for one chat's export (`conversations:exportChat`): the path, or undefined when cancelled. */
  chooseExportPath?: ChatFileDialogs['chooseExportPath'];
  /** Organise: main's open dialog for one chat's JSON file (`conversations:importChat`): its path, or undefined when cancelled. */
  chooseChatFile?: ChatFileDialogs['chooseChatFile'];
  /** Model downloads: fetch, free-space check and stall timeout (defaults: the real ones). */
  modelDownloads?: { fetch?: typeof fetch; statfs?: StatFs; stallTimeoutMs?: number };
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
  /**
   * The edge: parses the request with the contract schema (the only place it is parsed), runs it,
   * checks the reply, and maps every failure to an IpcError. Never rejects. ipcMain and the e2e
   * test bridge send its result as it is.
   */
  invoke(channel: string, request: unknown): Promise<IpcResult>;
  /** invoke() for callers in this process (tests, the bridge's specs): the value, or a rejection with an IpcFailure. */
  handle(channel: string, request: unknown): Promise<unknown>;
  close(): Promise<void>;
}
