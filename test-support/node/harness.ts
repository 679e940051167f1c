// Shared set-up of node integration tests and the node benchmark: our relay with short timings,
// our node on the deterministic test provider, and MiniClients — all on loopback.
import { generateRsaKeyPair, type RsaKeyPair } from '../../src-main/crypto';
import { startRelay, type RelayConfig, type RunningRelay } from '../../src-main/relay';
import { startComputeNode, type ComputeNode, type ComputeNodeConfig } from '../../src-main/node/compute-node';
import type { WorkReport } from '../../src-main/node/handle-work';
import { createDeterministicTestProvider, type DeterministicTestProvider, type DeterministicTestProviderConfig } from '../../src-main/node/providers/deterministic-test';

export const TEST_MODEL = 'qwen3-8b-instruct';

/** Relay timings that keep node tests fast (lease 2 s → control every 1 s, heartbeat every 1 s). */
export const FAST_RELAY: Partial<RelayConfig> = {
  leaseSeconds: 2,
  pollWaitSeconds: 0.5,
  rateLimits: { enabled: false },
  sweepIntervalMs: 100,
};

export function startTestRelay(over: Partial<RelayConfig> = {}): Promise<RunningRelay> {
  return startRelay({ ...FAST_RELAY, ...over });
}

/** Key pairs generated ahead (RSA-2048 generation dominates test time otherwise). */
export class KeyPool {
  private readonly pairs: RsaKeyPair[] = [];
  static async create(n: number): Promise<KeyPool> {
    const pool = new KeyPool();
    pool.pairs.push(...(await Promise.all(Array.from({ length: n }, () => generateRsaKeyPair()))));
    return pool;
  }
  take = async (): Promise<RsaKeyPair> => this.pairs.pop() ?? generateRsaKeyPair();
}

export interface TestNode {
  node: ComputeNode;
  provider: DeterministicTestProvider;
  reports: WorkReport[];
  /** Resolves with the report of `requestId` once the node finished it. */
  reportFor(requestId: string, timeoutMs?: number): Promise<WorkReport>;
}

export async function startTestNode(
  relayUrl: string,
  opts: { provider?: DeterministicTestProviderConfig; node?: Partial<ComputeNodeConfig>; keys?: KeyPool } = {},
): Promise<TestNode> {
  const provider = createDeterministicTestProvider({ models: ['deterministic-test'], ...opts.provider });
  const node = await startComputeNode({
    relayUrl,
    provider,
    models: [{ id: TEST_MODEL, providerModel: 'deterministic-test' }],
    timings: { retryMinMs: 50, retryMaxMs: 300, httpTimeoutMs: 3000, progressIntervalMs: 100 },
    // OAEP replies to OAEP requests: native RSA on the client side keeps tests fast. Tests of the
    // default (PKCS#1 v1.5 replies) pass replyPadding explicitly.
    replyPadding: 'mirror',
    ...(opts.keys ? { generateKeyPair: opts.keys.take } : {}),
    ...opts.node,
  });
  const reports: WorkReport[] = [];
  const waiters = new Map<string, (r: WorkReport) => void>();
  node.on('request', (r) => {
    reports.push(r);
    if (r.requestId) waiters.get(r.requestId)?.(r);
  });
  return {
    node,
    provider,
    reports,
    reportFor(requestId, timeoutMs = 10_000) {
      const done = reports.find((r) => r.requestId === requestId);
      if (done) return Promise.resolve(done);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no report for ${requestId}`)), timeoutMs);
        waiters.set(requestId, (r) => {
          clearTimeout(t);
          resolve(r);
        });
      });
    },
  };
}

/** Polls `predicate` every 20 ms until true or the timeout. */
export async function eventually(predicate: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}
