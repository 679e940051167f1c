// A backend wired to the real in-process relay and compute node with the deterministic test
// provider, a passphrase SecretStore and a temp data dir: what chat tests and the e2e bridge use.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventChannel, EventPayload } from '../../src-shared/ipc/contract';
import { openPassphraseSecretStore } from '../../src-main/storage';
import { createBackend } from '../../src-main/backend/backend';
import { createInProcessNodeHost, createInProcessRelayHost, type InProcessNodeHostOptions } from '../../src-main/backend/in-process-hosts';
import type { Backend, BackendDeps } from '../../src-main/backend/types';

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
  relayHost: ReturnType<typeof createInProcessRelayHost>;
  nodeHost: ReturnType<typeof createInProcessNodeHost>;
  close(): Promise<void>;
}

export const TEST_MODEL = 'deterministic-test';

export async function startRealBackend(opts: RealBackendOptions = {}): Promise<RealBackend> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'tp-real-backend-')));
  const relayHost = createInProcessRelayHost();
  const nodeHost = createInProcessNodeHost({
    timings: { retryMinMs: 50, retryMaxMs: 500, stopTimeoutMs: 1000 },
    ...(opts.testProvider && { testProvider: opts.testProvider }),
  });
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
    async close() {
      await backend.close();
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
