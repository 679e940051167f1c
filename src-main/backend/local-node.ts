// node:* — the app's own compute node: provider config (API key only in the SecretStore), its
// key pair (kept in the SecretStore, so it survives restarts), start/stop with the restart
// policy, status, and detection of local model servers.
import { z } from 'zod';
import { AppError } from '../../src-shared/errors';
import { LocalNodeConfigSchema, type LocalNodeConfig, type LocalNodeStatus } from '../../src-shared/ipc/contract';
import type { LocalNodeState, NodeHostState } from '../../src-shared/vocabulary';
import { loadOrCreateNodeKey, type RecordStore, type SecretStore } from '../storage';
import { NodeNotConfiguredError, RelayNotRunningError } from './errors';
import { Supervisor } from './supervisor';
import type { NodeHost, RelayAccess } from './types';

const API_KEY_SECRET = 'node.apiKey';
const NodeRecordSchema = LocalNodeConfigSchema.omit({ apiKey: true }).extend({ enabled: z.boolean() });
type NodeRecord = z.infer<typeof NodeRecordSchema>;

/** The optional provider settings a record keeps, copied from any config that has them. */
function providerOptions(c: Omit<LocalNodeConfig, 'apiKey'>): Pick<LocalNodeConfig, 'baseUrl' | 'modelFile' | 'contextSize' | 'threads'> {
  return {
    ...(c.baseUrl && { baseUrl: c.baseUrl }),
    ...(c.modelFile && { modelFile: c.modelFile }),
    ...(c.contextSize !== undefined && { contextSize: c.contextSize }),
    ...(c.threads !== undefined && { threads: c.threads }),
  };
}

/** How a running host's state reads in the app; a new host state does not compile until it is here. */
const FROM_HOST: Record<NodeHostState, LocalNodeState> = {
  starting: 'starting',
  registered: 'serving',
  serving: 'serving',
  stopped: 'stopped',
  error: 'error',
  crashed: 'error',
};

export class LocalNode {
  private config: NodeRecord | null = null;
  private hasApiKey = false;
  private startError: string | undefined;
  /** The relay URL the running node was started with. */
  private startedWith: string | null = null;
  private readonly supervisor: Supervisor;

  constructor(
    private readonly host: NodeHost,
    private readonly records: RecordStore,
    private readonly secrets: SecretStore,
    private readonly relay: () => RelayAccess | null,
    private readonly changed: (s: LocalNodeStatus) => void,
    backoff: { initial: number; max: number },
  ) {
    this.supervisor = new Supervisor({
      start: () => this.startHost(),
      stop: () => host.stop(),
      onCrash: (l) => host.onCrash(l),
      onChange: () => this.changed(this.status()),
      backoff,
    });
    host.onStatus(() => this.changed(this.status()));
  }

  async load(): Promise<void> {
    this.config = await this.records.read('node', NodeRecordSchema);
    this.hasApiKey = (await this.secrets.get(API_KEY_SECRET)) !== null;
  }

  private async startHost(): Promise<void> {
    const config = this.config;
    const relay = this.relay();
    if (!config) throw new NodeNotConfiguredError();
    if (!relay) throw new RelayNotRunningError();
    const apiKey = await this.secrets.get(API_KEY_SECRET);
    // The node keeps its key across restarts (the relay and clients' pins know it by its key);
    // the pair lives in the SecretStore and goes only to the node's host.
    const { pair } = await loadOrCreateNodeKey(this.secrets);
    this.startedWith = relay.url;
    await this.host.start({
      relayUrl: relay.url,
      relayLaunchSecret: relay.launchSecret,
      provider: config.provider,
      model: config.model,
      ...providerOptions(config),
      ...(apiKey && { apiKey }),
      nodeKey: { privateKeyPem: pair.privateKeyPem, publicKeyPem: pair.publicKeyPem },
    });
  }

  status(): LocalNodeStatus {
    const host = this.host.status();
    const running = this.supervisor.state !== 'stopped';
    const state: LocalNodeState = !this.config
      ? 'unconfigured'
      : this.supervisor.state === 'crashed' || this.supervisor.state === 'restarting'
        ? this.supervisor.state
        : running
          ? FROM_HOST[host.state]
          : this.startError
            ? 'error'
            : 'stopped';
    const relayUrl = this.relay()?.url;
    const error = this.supervisor.lastError ?? this.startError ?? host.error;
    return {
      configured: this.config !== null,
      ...(this.config && {
        config: {
          provider: this.config.provider,
          model: this.config.model,
          ...providerOptions(this.config),
          hasApiKey: this.hasApiKey,
        },
      }),
      state,
      ...(relayUrl && { relayUrl }),
      ...(running && host.fingerprint && { fingerprint: host.fingerprint }),
      inFlight: host.inFlight,
      served: host.served,
      ...(state !== 'serving' && state !== 'stopped' && error && { error }),
    };
  }

  /** Saves the provider settings and (re)starts the node with them. */
  async configure(input: LocalNodeConfig): Promise<LocalNodeStatus> {
    if (input.apiKey !== undefined) {
      if (input.apiKey) await this.secrets.set(API_KEY_SECRET, input.apiKey);
      else await this.secrets.delete(API_KEY_SECRET);
      this.hasApiKey = Boolean(input.apiKey);
    }
    const record: NodeRecord = { provider: input.provider, model: input.model, enabled: true, ...providerOptions(input) };
    await this.records.write('node', record);
    this.config = record;
    if (this.supervisor.state !== 'stopped') await this.supervisor.stop();
    return this.start();
  }

  async start(): Promise<LocalNodeStatus> {
    if (!this.config) throw new NodeNotConfiguredError();
    if (!this.config.enabled) await this.remember(true);
    this.startError = undefined;
    try {
      await this.supervisor.start();
    } catch (error) {
      this.startError = error instanceof AppError ? error.userMessage : 'The node could not start. Check the provider settings.';
    }
    const status = this.status();
    this.changed(status);
    return status;
  }

  async stop(): Promise<LocalNodeStatus> {
    if (this.config?.enabled) await this.remember(false);
    this.startError = undefined;
    await this.supervisor.stop();
    return this.status();
  }

  /** Starts on launch when it was serving last time. */
  async startIfEnabled(): Promise<void> {
    if (this.config?.enabled) await this.start();
  }

  /** Follows the embedded relay: pauses while it is down, (re)starts on its (possibly new) URL. */
  async relayChanged(url: string | null): Promise<void> {
    if (!this.config?.enabled) return;
    if (url === null) {
      if (this.supervisor.state !== 'stopped') await this.supervisor.stop().catch(() => undefined);
      this.startError = 'The built-in relay is not running, so the node is paused.';
      this.changed(this.status());
    } else if (this.supervisor.state === 'stopped' || this.startedWith !== url) {
      if (this.supervisor.state !== 'stopped') await this.supervisor.stop().catch(() => undefined);
      await this.start();
    }
  }

  private async remember(enabled: boolean): Promise<void> {
    if (!this.config) return;
    this.config = { ...this.config, enabled };
    await this.records.write('node', this.config);
  }

  async close(): Promise<void> {
    this.supervisor.close();
    await this.host.stop().catch(() => undefined);
  }
}
