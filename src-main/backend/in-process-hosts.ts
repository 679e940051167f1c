// RelayHost and NodeHost that run the embedded relay and the compute node inside this process.
// Used by the Electron utility processes (one host per process) and by tests and the e2e bridge.
import { z } from 'zod';
import { AppError } from '../../src-shared/errors';
import { callJson } from '../client';
import { keyPairFromPems } from '../crypto';
import {
  createProvider,
  isLocalEngineError,
  keySourceStartingWith,
  startComputeNode,
  type ComputeNode,
  type ComputeNodeStatus,
  type DeterministicTestProviderConfig,
  type ModelProvider,
  type NodeTimings,
} from '../node';
import { LAUNCH_SECRET_HEADER } from '../../src-shared/protocol/relay-http';
import { generateLaunchSecret, startRelay, type RelayConfig, type RunningRelay } from '../relay';
import { NodeSettingsError } from './errors';
import type { NodeHost, NodeHostConfig, NodeHostStatus, RelayHost } from './types';

const HealthzSchema = z.object({ knownServers: z.number().int().nonnegative() });

class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();
  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }
  emit(value: T): void {
    for (const l of this.set) {
      try {
        l(value);
      } catch {
        // a listener's failure must not stop the host
      }
    }
  }
}

/** A host running in this process cannot die on its own: it goes down with the process. */
const neverCrashes = (): (() => void) => () => undefined;

/**
 * Runs startRelay() here as the app's embedded relay (§12: only the holders of its launch secret
 * get answers — `config.embedded` names it, else one is made); a restart reuses the first port and
 * the secret, so clients and nodes keep both. It listens on loopback only and serves only the
 * app, so the public per-IP budgets of §5.1 (60 submits an hour) would only refuse the 61st
 * message: they are off unless the caller configures them.
 */
export function createInProcessRelayHost(config: Partial<RelayConfig> = {}): RelayHost {
  let running: RunningRelay | null = null;
  let port: number | undefined;
  const launchSecret = config.embedded?.launchSecret ?? generateLaunchSecret();
  return {
    launchSecret,
    async start() {
      if (running) return { url: running.url };
      const base: Partial<RelayConfig> = { host: '127.0.0.1', rateLimits: { enabled: false }, ...config, embedded: { launchSecret } };
      running = await startRelay({ ...base, port: port ?? config.port ?? 0 }).catch((error: unknown) => {
        // The remembered port may have been taken meanwhile: any free port beats no relay.
        if (port === undefined) throw error;
        return startRelay({ ...base, port: 0 });
      });
      port = running.port;
      return { url: running.url };
    },
    async stop() {
      const r = running;
      running = null;
      await r?.close();
    },
    url: () => running?.url,
    async nodeCount() {
      if (!running) return 0;
      const res = await callJson(fetch, { method: 'GET', url: `${running.url}/healthz`, timeoutMs: 2000, headers: { [LAUNCH_SECRET_HEADER]: launchSecret } });
      const body = HealthzSchema.safeParse(res.body);
      return body.success ? body.data.knownServers : 0;
    },
    onCrash: neverCrashes,
  };
}

export interface InProcessNodeHostOptions {
  /** Settings of the deterministic test provider (provider 'test'). */
  testProvider?: Omit<DeterministicTestProviderConfig, 'models'>;
  timings?: Partial<NodeTimings>;
  fetch?: typeof fetch;
}


function providerFor(cfg: NodeHostConfig, opts: InProcessNodeHostOptions): ModelProvider {
  if (cfg.provider === 'openai-compatible' && !cfg.baseUrl) {
    throw new NodeSettingsError('Enter the address of the OpenAI-compatible server (for example http://127.0.0.1:11434/v1).');
  }
  if (cfg.provider === 'anthropic' && !cfg.apiKey) throw new NodeSettingsError('Enter your Anthropic API key.');
  if (cfg.provider === 'local' && !cfg.modelFile) throw new NodeSettingsError('Choose the .gguf model file for the built-in engine.');
  return createProvider({
    kind: cfg.provider,
    ...(cfg.baseUrl && { baseUrl: cfg.baseUrl }),
    ...(cfg.modelFile && { modelFile: cfg.modelFile }),
    ...(cfg.contextSize !== undefined && { contextSize: cfg.contextSize }),
    ...(cfg.threads !== undefined && { threads: cfg.threads }),
    ...(cfg.apiKey && { apiKey: cfg.apiKey }),
    test: { ...opts.testProvider, models: [cfg.model] },
  });
}

function hostStatus(s: ComputeNodeStatus): NodeHostStatus {
  return {
    state: s.state,
    ...(s.fingerprint && { fingerprint: s.fingerprint }),
    inFlight: s.inFlight,
    served: s.served,
    ...(s.lastError && { error: s.lastError }),
  };
}

const STOPPED: NodeHostStatus = { state: 'stopped', inFlight: 0, served: 0 };

/** Prepares the provider (the built-in engine loads its file); engine failures keep their code and words. */
async function openProvider(provider: ModelProvider): Promise<void> {
  try {
    await provider.open?.();
  } catch (error) {
    throw isLocalEngineError(error) ? new AppError(error.code, error.message, { cause: error }) : error;
  }
}

/** Runs startComputeNode() here with the configured provider (API keys stay in this process). */
export function createInProcessNodeHost(opts: InProcessNodeHostOptions = {}): NodeHost {
  let node: ComputeNode | null = null;
  let provider: ModelProvider | null = null;
  let unsubscribe: (() => void) | null = null;
  let current: NodeHostStatus = STOPPED;
  const statuses = new Listeners<NodeHostStatus>();
  const set = (s: NodeHostStatus) => {
    current = s;
    statuses.emit(s);
  };
  // Starts and stops run one at a time: a start that overlapped another (launch and the relay's
  // address arriving together) used to leave the first node running unseen, and with the app's
  // node key kept across restarts both would serve the same key (§9.4).
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  const stopNow = async () => {
    const n = node;
    node = null;
    unsubscribe?.();
    unsubscribe = null;
    await n?.stop();
    const p = provider;
    provider = null;
    await p?.close?.();
    set(STOPPED);
  };
  const stop = () => oneAtATime(stopNow);
  return {
    start: (cfg) => oneAtATime(async () => {
      await stopNow();
      set({ state: 'starting', inFlight: 0, served: 0 });
      try {
        const chosen = providerFor(cfg, opts);
        provider = chosen;
        await openProvider(chosen);
        const started = await startComputeNode({
          relayUrl: cfg.relayUrl,
          relayHeaders: { [LAUNCH_SECRET_HEADER]: cfg.relayLaunchSecret },
          provider: chosen,
          models: [{ id: cfg.model, providerModel: cfg.model }],
          ...(cfg.nodeKey && { generateKeyPair: keySourceStartingWith(keyPairFromPems(cfg.nodeKey.privateKeyPem, cfg.nodeKey.publicKeyPem)).generateKeyPair }),
          ...(opts.timings && { timings: opts.timings }),
          ...(opts.fetch && { fetch: opts.fetch }),
        });
        node = started;
        unsubscribe = started.on('status', (s) => set(hostStatus(s)));
        set(hostStatus(started.status()));
      } catch (error) {
        const p = provider;
        provider = null;
        await p?.close?.().catch(() => undefined);
        set({ state: 'error', inFlight: 0, served: 0, error: error instanceof Error ? error.message : 'The node could not start.' });
        throw error;
      }
    }),
    stop,
    status: () => current,
    onStatus: (listener) => statuses.add(listener),
    onCrash: neverCrashes,
  };
}
