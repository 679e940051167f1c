// Prometheus metrics, one Registry per relay instance. Labels are route templates, methods,
// status codes and lifecycle event names only: never keys, ids or payloads.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestEvent, StreamChunkEvent } from './state/context';
import type { HeldRequests } from './state/held';
import type { StoreEntryCounts } from './store/state-store';

export interface RelayMetrics {
  registry: Registry;
  observeHttp(route: string, method: string, status: number, seconds: number): void;
  countEvent(event: RequestEvent): void;
  /** A connection closed at once because the process held its maximum (§5.1). */
  countDroppedConnection(): void;
  /** §11 stream chunks stored by appends or handed to readers (counts only, never contents). */
  countStreamChunks(event: StreamChunkEvent, count: number): void;
}

export interface RelayGaugeSources {
  /** Registered compute nodes with a live lease. */
  nodeCount(): Promise<number>;
  /** What the state store holds (StateStore.entryCounts). */
  entryCounts(): Promise<StoreEntryCounts>;
  /** Unread stream `ciphertext` characters all requests hold (StateStore.streamBufferedBytes). */
  streamBufferedBytes(): Promise<number>;
  /** Requests by state the store holds (state/held.ts). */
  heldRequests(): Promise<HeldRequests>;
}

export function createRelayMetrics(sources: RelayGaugeSources, processMetrics: boolean): RelayMetrics {
  const registry = new Registry();
  // Process metrics sample the event loop and GC continuously (measurable latency cost on busy
  // machines): opt-in.
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: 'tokenplace_relay_', eventLoopMonitoringPrecision: 20 });
  // The counters are tallied in Maps and handed to prom-client when scraped: Counter.inc hashes
  // and validates its labels on every call, and these count every request and stream chunk.
  const httpCounts = new Map<string, { labels: { route: string; method: string; status: string }; n: number }>();
  const eventCounts = new Map<RequestEvent, number>();
  const streamChunkCounts = new Map<StreamChunkEvent, number>();
  new Counter({
    name: 'tokenplace_relay_http_requests_total',
    help: 'HTTP requests by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { labels, n } of httpCounts.values()) this.inc(labels, n);
    },
  });
  const duration = new Histogram({
    name: 'tokenplace_relay_http_request_duration_seconds',
    help: 'HTTP request duration by route template (long polls included)',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5, 15, 30],
    registers: [registry],
  });
  new Counter({
    name: 'tokenplace_relay_request_events_total',
    help: 'Relay request lifecycle events',
    labelNames: ['event'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [event, n] of eventCounts) this.inc({ event }, n);
    },
  });
  const dropped = new Counter({
    name: 'tokenplace_relay_dropped_connections_total',
    help: 'Connections closed unread because the relay process held its maximum',
    registers: [registry],
  });
  new Counter({
    name: 'tokenplace_relay_stream_chunks_total',
    help: 'Encrypted stream chunks appended by nodes (event=appended) and handed to readers (event=read), §11',
    labelNames: ['event'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [event, n] of streamChunkCounts) this.inc({ event }, n);
    },
  });
  new Gauge({
    name: 'tokenplace_relay_stream_buffered_bytes',
    help: 'Unread stream ciphertext characters the relay holds for all requests (§11.4 bounds it)',
    registers: [registry],
    async collect() {
      this.set(await sources.streamBufferedBytes());
    },
  });
  new Gauge({
    name: 'tokenplace_relay_live_compute_nodes',
    help: 'Registered compute nodes with a live lease',
    registers: [registry],
    async collect() {
      this.set(await sources.nodeCount());
    },
  });
  new Gauge({
    name: 'tokenplace_relay_state_entries',
    help: 'Entries in the relay state store by structure (counters: the rate-limit entries; an idle relay returns to 0; waiters: this process only)',
    labelNames: ['structure'] as const,
    registers: [registry],
    async collect() {
      for (const [structure, count] of Object.entries(await sources.entryCounts())) this.set({ structure }, count);
    },
  });
  new Gauge({
    name: 'tokenplace_relay_held_requests',
    help: 'Requests the relay state store holds, by state: queued, in_flight, awaiting_delivery (answered, not yet retrieved); all relay processes sharing the store',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      for (const [state, count] of Object.entries(await sources.heldRequests())) this.set({ state }, count);
    },
  });
  return {
    registry,
    observeHttp(route, method, status, seconds) {
      const key = `${route} ${method} ${status}`;
      const tally = httpCounts.get(key);
      if (tally) tally.n += 1;
      else httpCounts.set(key, { labels: { route, method, status: String(status) }, n: 1 });
      duration.observe({ route }, seconds);
    },
    countEvent(event) {
      eventCounts.set(event, (eventCounts.get(event) ?? 0) + 1);
    },
    countDroppedConnection() {
      dropped.inc();
    },
    countStreamChunks(event, count) {
      streamChunkCounts.set(event, (streamChunkCounts.get(event) ?? 0) + count);
    },
  };
}
