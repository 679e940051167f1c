// TEST ONLY. Our relay + compute nodes on loopback with short timings, for client integration tests.
import { generateRsaKeyPair, type RsaKeyPair } from '../../src-main/crypto';
import { createDeterministicTestProvider, startComputeNode, type ComputeNode, type ComputeNodeConfig, type ModelProvider } from '../../src-main/node';
import { eventually, startTestRelay } from '../node/harness';

export const STACK_MODEL = 'qwen3-8b-instruct';
/** A user message containing this marker makes the provider take SLOW_MS before answering. */
export const SLOW_MARKER = '[slow]';
export const SLOW_MS = 1500;

/** Our relay with the node tests' short timings (lease 2 s, poll wait 0.5 s, no rate limits). */
export const startStackRelay = startTestRelay;

export async function keyPairs(n: number): Promise<RsaKeyPair[]> {
  return Promise.all(Array.from({ length: n }, () => generateRsaKeyPair()));
}

export interface StackNode {
  node: ComputeNode;
  /** requests whose provider call was aborted (cancel reached the node) */
  aborted: number;
  calls: number;
}

/**
 * A node on the deterministic test provider. Prompts with SLOW_MARKER take SLOW_MS (abortable);
 * all others answer after a short prefill with paced tokens, so progress updates flow.
 */
export async function startStackNode(relayUrl: string, keys: RsaKeyPair, over: Partial<ComputeNodeConfig> = {}): Promise<StackNode> {
  const inner = createDeterministicTestProvider({ models: ['deterministic-test'], delayMs: 100, tokenDelayMs: 20 });
  const handle: StackNode = { node: undefined as unknown as ComputeNode, aborted: 0, calls: 0 };
  const provider: ModelProvider = {
    id: 'client-test',
    listModels: () => inner.listModels(),
    async chat(req, signal) {
      handle.calls++;
      if (req.messages.some((m) => m.content.includes(SLOW_MARKER))) {
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(resolve, SLOW_MS);
          signal.addEventListener(
            'abort',
            () => {
              clearTimeout(t);
              handle.aborted++;
              reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
            },
            { once: true },
          );
        });
      }
      return inner.chat(req, signal);
    },
  };
  let used = false;
  handle.node = await startComputeNode({
    relayUrl,
    provider,
    models: [{ id: STACK_MODEL, providerModel: 'deterministic-test' }],
    timings: { retryMinMs: 50, retryMaxMs: 300, httpTimeoutMs: 3000, progressIntervalMs: 150 },
    // the first pair is the given one; later rotations generate fresh ones
    generateKeyPair: async () => (used ? generateRsaKeyPair() : ((used = true), keys)),
    ...over,
  });
  return handle;
}

/** Polls `predicate` every 20 ms until true or the timeout. */
export const waitFor = eventually;
