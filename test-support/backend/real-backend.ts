// A backend wired to the real in-process relay and compute node with the deterministic test
// provider, a passphrase SecretStore and a temp data dir: what chat tests and the e2e bridge use.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventChannel, EventPayload } from '../../src-shared/ipc/contract';
import { openPassphraseSecretStore, type SecretStore } from '../../src-main/storage';
import {
  createBackend,
  createInProcessNodeHost,
  createInProcessRelayHost,
  type Backend,
  type BackendDeps,
  type InProcessNodeHostOptions,
  type NodeHost,
  type RelayHost,
} from '../../src-main/backend';
import { crashable, type Crashable } from './crashable-hosts';

export interface RealBackendOptions {
  dataDir?: string;
  testProvider?: InProcessNodeHostOptions['testProvider'];
  /** Configure the app's node with the test provider on first start (default true). */
  configureTestNode?: boolean;
  testModel?: string;
  passphrase?: string;
  deps?: Partial<BackendDeps>;
  onEvent?: <C extends EventChannel>(channel: C, payload: EventPayload<C>) => void;
}

export interface RealBackend {
  backend: Backend;
  dataDir: string;
  /** The in-process hosts, wrapped so that a test can crash them (crashable-hosts.ts). */
  relayHost: Crashable<RelayHost>;
  nodeHost: Crashable<NodeHost>;
  /** The backend's secret store (it holds the app's node key, storage's NODE_KEY_SECRET). */
  secrets: SecretStore;
  close(): Promise<void>;
}

export const TEST_MODEL = 'deterministic-test';

export async function startRealBackend(opts: RealBackendOptions = {}): Promise<RealBackend> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'tp-real-backend-')));
  const relayHost = crashable(createInProcessRelayHost(), 'The relay stopped unexpectedly.');
  const nodeHost = crashable(
    createInProcessNodeHost({
      timings: { retryMinMs: 50, retryMaxMs: 500, stopTimeoutMs: 1000 },
      ...(opts.testProvider && { testProvider: opts.testProvider }),
    }),
    'The node stopped unexpectedly.',
  );
  const secrets = await openPassphraseSecretStore(join(dataDir, 'secrets.json'), opts.passphrase ?? 'bridge test passphrase', {
    cost: { N: 2 ** 12, r: 8, p: 1 },
  });
  const backend = await createBackend({
    dataDir,
    secrets,
    relayHost,
    nodeHost,
    emit: (channel, payload) => opts.onEvent?.(channel, payload),
    restartBackoffMs: { initial: 50, max: 1000 },
    relayClient: { pollIntervalMs: 100 },
    detectTargets: [],
    ...opts.deps,
  });
  if ((opts.configureTestNode ?? true) && !((await backend.handle('node:status', {})) as { configured: boolean }).configured) {
    await backend.handle('node:configure', { provider: 'test', model: opts.testModel ?? TEST_MODEL });
  }
  return {
    backend,
    dataDir,
    relayHost,
    nodeHost,
    secrets,
    async close() {
      await backend.close();
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
