// token.place relay: routes ciphertext between clients and compute nodes (docs/protocol.md §2).
// Runs embedded (startRelay), headless (bin tokenplace-relay) or as several processes on Redis.
import { setMaxListeners } from 'node:events';
import type { AddressInfo } from 'node:net';
import { checkAccessConfig } from './access/startup-checks';
import { resolveRelayConfig, type RelayConfigInput, type ResolvedRelayConfig } from './config';
import { createRelayMetrics, type RelayMetrics } from './metrics';
import { buildRelayServer } from './server';
import type { RelayContext } from './state/context';
import { heldRequests } from './state/held';
import { keyPlacement } from './state/model';
import { liveNodes } from './state/select-node';
import { startSweeper, sweepOnce } from './state/sweep';
import { MemoryStateStore } from './store/memory-store';
import { RedisStateStore } from './store/redis-store';
import { StoreUnavailableError, type StateStore } from './store/state-store';

export type RelayConfig = RelayConfigInput;
export type { ResolvedRelayConfig } from './config';
export { ConfigError, resolveRelayConfig, parseRateBudgets } from './config';
export { MetricsTokenRequiredError } from './access/access-errors';
export { generateLaunchSecret } from './access/embedded-guard';
export { isLoopbackHost } from './access/client-address';
export type { StateStore } from './store/state-store';
export { MemoryStateStore } from './store/memory-store';
export { RedisStateStore } from './store/redis-store';

export interface RunningRelay {
  url: string;
  port: number;
  host: string;
  config: ResolvedRelayConfig;
  /** The state store (never expose it over HTTP; its entryCounts() feed /metrics). */
  store: StateStore;
  metrics: RelayMetrics;
  /** Runs one sweeper pass now (the background sweeper runs every sweepIntervalMs). */
  sweep(): Promise<void>;
  /**
   * §2.6.5 graceful drain, then close: `/healthz` says draining, new requests and node polls get
   * 503 relay_draining with Retry-After, long polls return; answers still arrive and are handed
   * out until nothing this relay alone holds is in flight or undelivered (on Redis the state
   * outlives it), or `boundMs` (default `drainSeconds`) passed.
   */
  drain(boundMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** How often a drain looks whether what it waits for was delivered. */
const DRAIN_CHECK_MS = 100;

export async function startRelay(input: Partial<RelayConfigInput> = {}): Promise<RunningRelay> {
  const config = resolveRelayConfig(input);
  checkAccessConfig(config);
  const store: StateStore = config.redisUrl
    ? await RedisStateStore.connect({
        url: config.redisUrl,
        keyPrefix: config.redisKeyPrefix,
        placement: keyPlacement,
        ...(config.redisUsername !== undefined && { username: config.redisUsername }),
        ...(config.redisPassword !== undefined && { password: config.redisPassword }),
      })
    : new MemoryStateStore(Date.now, config.rateLimits.maxCounters);
  const shutdown = new AbortController();
  const draining = new AbortController();
  setMaxListeners(0, shutdown.signal, draining.signal); // one listener per open long poll
  let metricsRef: RelayMetrics | null = null;
  const ctx: RelayContext = {
    store,
    config,
    now: Date.now,
    onEvent: (event) => metricsRef?.countEvent(event),
    onStreamChunks: (event, count) => metricsRef?.countStreamChunks(event, count),
    shutdown: shutdown.signal,
    draining: draining.signal,
  };
  const metrics = createRelayMetrics(
    { nodeCount: async () => (await liveNodes(ctx)).length, entryCounts: () => store.entryCounts(), streamBufferedBytes: () => store.streamBufferedBytes(), heldRequests: () => heldRequests(ctx) },
    config.processMetrics,
  );
  metricsRef = metrics;
  const app = buildRelayServer(ctx, metrics);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await store.close();
    throw err;
  }
  const stopSweeper = startSweeper(ctx, (err) => config.log?.(`sweeper: ${err instanceof StoreUnavailableError ? err.message : 'store error'}`));
  const address = app.server.address() as AddressInfo;
  const urlHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      shutdown.abort();
      await stopSweeper();
      await app.close();
      await store.close();
    })();
    return closing;
  };
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    host: config.host,
    config,
    store,
    metrics,
    sweep: () => sweepOnce(ctx),
    async drain(boundMs = config.drainSeconds * 1000) {
      draining.abort();
      const until = Date.now() + boundMs;
      // In memory nothing outlives the process: wait for the answers under way to be delivered.
      while (store.kind === 'memory' && Date.now() < until && !shutdown.signal.aborted) {
        const held = await heldRequests(ctx);
        if (held.in_flight + held.awaiting_delivery === 0) break;
        await new Promise((r) => setTimeout(r, Math.min(DRAIN_CHECK_MS, Math.max(0, until - Date.now()))));
      }
      await close();
    },
    close,
  };
}

